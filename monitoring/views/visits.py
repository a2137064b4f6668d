"""Home visits: the plan by month and officer, the household's page, the visit form (phone
first), protocols, photos and signatures."""

import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lebork_einclusion import archive, clock, roles
from lebork_einclusion.paging import COUNT_LIMIT, count_text, query_without_page, seek_page
from lebork_einclusion.uploads import file_response
from lending.queries import active_connection, lent_assets

from .. import papers, schedules, visit_rules, visits
from .. import photos as photo_rules
from ..forms.follow_ups import NewFollowUpForm
from ..forms.visits import VisitEntry
from ..models import (
    MonitoringVisit,
    PlannedVisit,
    VisitPhoto,
)
from ..services.visits import do_record_visit, visit_errors
from .common import month_or_404, participant_or_404

# --- home visits -----------------------------------------------------------------------------------


def _parse_month(text: str, default: datetime.date) -> datetime.date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return month_or_404(year, month)
    except (ValueError, Http404):
        return default


def _officer_filter(request):
    """?officer=me (default for the monitoring officer), all, or a user's id."""
    choice = request.GET.get("officer", "")
    if not choice:
        choice = "me" if roles.has_role(request.user, roles.MONITORING) else "all"
    if choice == "me":
        return choice, request.user
    if choice.isdigit():
        user = visits.officers_with_plans().filter(pk=int(choice)).first()
        if user is not None:
            return choice, user
    return "all", None


def visit_list(request):
    """The plan: visits due in a month, overdue, done; by officer."""
    today = clock.today()
    tab = request.GET.get("tab", "due")
    if tab not in ("today", "week", "due", "overdue", "done"):
        tab = "due"
    month = _parse_month(request.GET.get("month", ""), today.replace(day=1))
    officer_choice, officer = _officer_filter(request)
    lists = {
        "today": lambda: visits.due_between(today, today, officer),
        "week": lambda: visits.due_between(today, visits.end_of_week(today), officer),
        "due": lambda: visits.due_in_month(month, today, officer),
        "overdue": lambda: visits.overdue(today, officer),
        "done": lambda: visits.done_in_month(month, officer),
    }
    page = seek_page(request, lists[tab]())
    # Each tab's number walks at most COUNT_LIMIT rows, whatever the plan's size.
    counts = {name: count_text(rows()) for name, rows in lists.items() if name != tab}
    counts[tab] = f"{COUNT_LIMIT}+" if page.count_is_estimate else page.count
    return render(
        request,
        "monitoring/visit_list.html",
        {
            "tab": tab,
            "month": month,
            "today": today,
            "page": page,
            "counts": counts,
            "officer_choice": officer_choice,
            "officers": visits.officers_with_plans(),
            "previous": schedules.previous_month(month),
            "next": schedules.next_month(month),
            "query": query_without_page(request),
            "month_param": f"{month:%Y-%m}",
        },
    )


def household_visits(request, participant):
    """One household: its plan, its visits and its follow-ups."""
    participant = participant_or_404(participant)
    return render(
        request,
        "monitoring/household_visits.html",
        {
            "participant": participant,
            "plan": visits.household_plan(participant),
            "visits": participant.visits.select_related("officer").order_by("-visited_at"),
            "follow_ups": visits.follow_ups(status=None).filter(participant=participant),
            "today": clock.today(),
        },
    )


def _service_errors(entry, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            entry.add_error(None if field == "__all__" else field, messages)
    else:
        entry.add_error(None, error.messages)


def _add_visit_errors(entry, participant, planned, connection):
    """The service's refusals (visit_errors) of what the form could read, beside the fields
    that have no error of the form's own yet."""
    data = entry.form.cleaned_data
    made = data.get("outcome") == MonitoringVisit.Outcome.MADE
    checks = entry.check_inputs() if entry.checks.is_valid() else ()
    follow_ups = entry.follow_up_inputs() if entry.follow_ups.is_valid() else ()
    found = visit_errors(
        participant,
        visited_at=entry.form.visited_at(),
        outcome=data.get("outcome") or "",
        planned=planned,
        checks=checks,
        connection=connection if made else None,
        connection_working=data.get("connection_working") if made else None,
        not_sold=data.get("not_sold"),
        not_lent=data.get("not_lent"),
        lawful_use=data.get("lawful_use"),
        compliance_note=data.get("compliance_note") or "",
        follow_ups=follow_ups,
        next_visit_on=data.get("next_visit_on"),
        photos=len(data.get("photos") or []),
    )
    # A field the form already refused (empty, not a date...) keeps the form's own message.
    refused = set(entry.form.errors)
    if "visited_time" in refused:
        refused.add("visited_on")
    for field, texts in found.items():
        if field not in refused:
            entry.add_error(field, texts)


def _planned_for(participant, value) -> PlannedVisit | None:
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise Http404
    return get_object_or_404(PlannedVisit, pk=int(value), participant=participant)


def visit_new(request, participant):
    """The visit form, phone first. The page keeps a draft on the phone while it is filled in
    (static/js/visit-form.js) and sends it when there is a connection; the key it carries makes
    a second sending of the same form find the visit already made."""
    participant = participant_or_404(participant)
    wants_json = request.headers.get("X-Visit-Form") == "1"
    sent = request.POST if request.method == "POST" else request.GET
    planned = _planned_for(participant, sent.get("planned"))
    assets = list(lent_assets(participant))
    connection = active_connection(participant)
    now = timezone.localtime(clock.now())
    entry = VisitEntry(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        assets=assets,
        initial={
            "key": uuid.uuid4(),
            "planned": planned.pk if planned else None,
            "visited_on": clock.day_of(now),
            "visited_time": now.time().replace(second=0, microsecond=0),
            "outcome": MonitoringVisit.Outcome.MADE,
            "signed_by": f"{participant.signatory.first_name} {participant.signatory.last_name}",
        },
    )
    if request.method == "POST":
        valid = entry.is_valid()
        data = entry.form.cleaned_data
        photos = []
        if "photos" in data:
            try:
                photos = photo_rules.clean_photos(data["photos"])
            except ValidationError as error:
                entry.add_error("photos", error.messages)
        signature = None
        if "signature" in data:
            try:
                signature = photo_rules.clean_signature(data["signature"])
            except ValidationError as error:
                entry.add_error("signature", error.messages)
        # The service's checks with the form's own, so that every error shows in one round
        # (a bad photo, a visit dated in the future and a next visit before it all at once).
        # A form sent again finds its visit in the service, whatever the checks say now.
        key = data.get("key")
        if not (key and MonitoringVisit.objects.filter(key=key).exists()):
            _add_visit_errors(entry, participant, planned, connection)
        if valid and not entry.has_errors:
            try:
                visit, created = do_record_visit(
                    participant,
                    key=data["key"],
                    actor=request.user,
                    planned=planned,
                    visited_at=entry.form.visited_at(),
                    outcome=data["outcome"],
                    present=data["present"],
                    checks=entry.check_inputs(),
                    connection_working=data["connection_working"],
                    measured_speed=data["measured_speed"],
                    used_by=data["used_by"],
                    purposes=data["purposes"],
                    use_note=data["use_note"],
                    not_sold=data["not_sold"],
                    not_lent=data["not_lent"],
                    lawful_use=data["lawful_use"],
                    compliance_note=data["compliance_note"],
                    findings=data["findings"],
                    follow_ups=entry.follow_up_inputs(),
                    next_visit_on=data["next_visit_on"],
                    photos=photos,
                    signature=signature,
                    signed_by=data["signed_by"],
                )
            except ValidationError as error:
                _service_errors(entry, error)
            else:
                url = reverse("monitoring:visit_detail", args=[visit.pk])
                if created:
                    messages.success(request, _("The visit has been recorded."))
                else:
                    messages.info(
                        request, _("This visit had already been recorded: it is saved once.")
                    )
                if wants_json:
                    return JsonResponse({"ok": True, "url": url, "created": created})
                return redirect(url)
        if wants_json:
            return JsonResponse({"ok": False, "errors": entry.error_list()}, status=400)
    return render(
        request,
        "monitoring/visit_form.html",
        {
            "participant": participant,
            "planned": planned,
            "entry": entry,
            "form": entry.form,
            "connection": connection,
            "errors": entry.error_list() if entry.has_errors else [],
            "photo_limit_mb": photo_rules.PHOTO_MAX_BYTES // (1024 * 1024),
            "photos_per_visit": photo_rules.PHOTOS_PER_VISIT,
        },
    )


def _visit(request, pk) -> MonitoringVisit:
    return get_object_or_404(visits.with_details(MonitoringVisit.objects.all()), pk=pk)


def visit_detail(request, pk):
    visit = _visit(request, pk)
    return render(
        request,
        "monitoring/visit_detail.html",
        {"visit": visit, "follow_up_form": NewFollowUpForm(initial={"responsible": request.user})},
    )


# The protocol is archived when the visit is recorded (papers.archive_visit); binding=True
# stores on first opening the protocols of visits recorded before that (and the demo's,
# loaded without archiving): the fallback for older records.
VISIT_PROTOCOL = papers.VISIT_PROTOCOL


def visit_pdf(request, pk):
    visit = _visit(request, pk)
    day = timezone.localtime(visit.visited_at)
    return archive.paper_response(
        request,
        visit,
        VISIT_PROTOCOL,
        lambda draft: papers.visit_pdf(visit),
        f"protokol-wizyty-{day:%Y-%m-%d}-{visit.pk}.pdf",
        binding=True,
    )


def visit_photo(request, pk):
    photo = get_object_or_404(VisitPhoto.objects.all(), pk=pk)
    if request.GET.get("size") == "thumb":
        return file_response(photo.thumbnail, f"zdjecie-{photo.pk}-miniatura")
    return file_response(photo.image, f"zdjecie-{photo.pk}")


def visit_signature(request, pk):
    visit = get_object_or_404(MonitoringVisit.objects.all(), pk=pk)
    if not visit.signature:
        raise Http404
    return file_response(visit.signature, f"podpis-{visit.pk}")


def visits_month_pdf(request, year, month):
    """All the visits of a month, their protocols in one PDF made in the background."""
    month = month_or_404(year, month)
    if request.method != "POST":
        return redirect(reverse("monitoring:visit_list") + f"?tab=done&month={month:%Y-%m}")
    first, last = visit_rules.month_bounds(month)
    if not visits.visits_between(first, last).exists():
        messages.error(
            request,
            _("No visit was made in %(month)s.") % {"month": schedules.month_label(month).lower()},
        )
        return redirect(reverse("monitoring:visit_list") + f"?tab=done&month={month:%Y-%m}")
    generated = papers.start_month_protocols(request.user, month)
    return redirect("core:generated_file", generated.pk)
