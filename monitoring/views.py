"""Monitoring pages: thin views that read the request, call a service or a reader, render.

Public pages (no login): the labs' opening hours, their poster, the chronicle and its feeds.
They show units, addresses, hours and the chronicle's published text: nothing personal.
"""

import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, DurationField, ExpressionWrapper, F, OuterRef, Subquery, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lebork_einclusion import roles
from lebork_einclusion.access import get_object_for_user
from lebork_einclusion.concurrency import ConcurrentEditError
from lebork_einclusion.forms import add_service_error
from lebork_einclusion.models import Project, PublicUnit
from lebork_einclusion.paging import page_of, query_without_page
from lebork_einclusion.pdf import pdf_response
from lebork_einclusion.uploads import file_response
from lending.models import Participant
from lending.queries import active_connection, lent_assets
from recruitment.models import Call

from . import chronicle, durability, papers, schedules, visit_rules, visits
from . import photos as photo_rules
from .forms import (
    AsOfForm,
    ChronicleEntryForm,
    FollowUpForm,
    LabReportForm,
    NewFollowUpForm,
    NewPlannedVisitForm,
    PlannedVisitForm,
    ScheduleEntry,
    SnapshotForm,
    VisitEntry,
    VisitRuleForm,
)
from .indicators import live_indicators
from .models import (
    ChronicleEntry,
    FollowUp,
    IndicatorSnapshot,
    LabReport,
    LabSchedule,
    LabSlot,
    MonitoringVisit,
    PlannedVisit,
    VisitPhoto,
    VisitRule,
)
from .services.chronicle import do_save_chronicle_entry
from .services.follow_ups import do_add_follow_up, do_save_follow_up
from .services.labs import do_save_report, do_save_schedule
from .services.plans import (
    do_add_planned_visit,
    do_move_planned_visit,
    do_save_visit_rule,
    do_sync_plans,
)
from .services.snapshots import do_freeze_indicators
from .services.visits import do_record_visit


def _month(year: int, month: int) -> datetime.date:
    if not 2000 <= year <= 2100:
        raise Http404
    try:
        return schedules.first_of_month(year, month)
    except ValueError:
        raise Http404 from None


def _project() -> Project:
    project = Project.current()
    if project is None:
        raise Http404
    return project


# --- home and indicators -----------------------------------------------------------------------


def home(request):
    project = Project.current()
    indicators = live_indicators(project) if project else []
    against_targets = [i for i in indicators if i.target is not None]
    today = timezone.localdate()
    context = {"project": project, "indicators": against_targets, "today": today}
    # The person responsible sees their overdue follow-up actions; the officer their visits.
    if roles.may_view(request.user, "monitoring:follow_up_list"):
        context["overdue_follow_ups"] = list(visits.overdue_follow_ups(request.user, today)[:20])
    if roles.may_change(request.user, "monitoring:visit_new"):
        context["my_overdue_visits"] = visits.overdue(today, request.user).count()
        context["my_visits_this_month"] = visits.due_in_month(today, today, request.user).count()
    return render(request, "monitoring/home.html", context)


def indicators(request):
    project = _project()
    form = AsOfForm(request.GET or None)
    as_of = timezone.localdate()
    if form.is_valid() and form.cleaned_data["as_of"]:
        as_of = form.cleaned_data["as_of"]
    snapshots = IndicatorSnapshot.objects.select_related("frozen_by").order_by("-frozen_at", "-pk")
    page = page_of(request, snapshots)
    return render(
        request,
        "monitoring/indicators.html",
        {
            "project": project,
            "form": form,
            "as_of": as_of,
            "indicators": live_indicators(project, as_of),
            "page": page,
        },
    )


def snapshot_new(request):
    project = _project()
    form = SnapshotForm(
        request.POST or None,
        initial={"as_of": timezone.localdate(), "purpose": IndicatorSnapshot.Purpose.PAYMENT_CLAIM},
    )
    if request.method == "POST" and form.is_valid():
        try:
            snapshot = do_freeze_indicators(project, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The indicators have been frozen."))
            return redirect("monitoring:snapshot_detail", snapshot.pk)
    return render(request, "monitoring/snapshot_form.html", {"form": form, "project": project})


def _snapshot(request, pk) -> IndicatorSnapshot:
    return get_object_for_user(
        request.user, IndicatorSnapshot.objects.select_related("frozen_by"), pk=pk
    )


def snapshot_detail(request, pk):
    snapshot = _snapshot(request, pk)
    project = Project.current()
    values = list(snapshot.values.all())
    # The same day recomputed from today's records: shows what was entered late, never
    # changes the snapshot.
    recomputed = (
        {i.code: i.value for i in live_indicators(project, snapshot.as_of)} if project else {}
    )
    for value in values:
        value.recomputed = recomputed.get(value.code)
        value.changed_since = value.code in recomputed and value.recomputed != value.value
    return render(
        request, "monitoring/snapshot_detail.html", {"snapshot": snapshot, "values": values}
    )


def snapshot_xlsx(request, pk):
    snapshot = _snapshot(request, pk)
    return papers.snapshot_xlsx(snapshot)


def snapshot_pdf(request, pk):
    snapshot = _snapshot(request, pk)
    return pdf_response(
        papers.snapshot_pdf(snapshot, Project.current()),
        f"wskazniki-{snapshot.as_of:%Y-%m-%d}-{snapshot.pk}.pdf",
    )


# --- the labs (office) -----------------------------------------------------------------------


def _length(prefix: str):
    """A slot's length as an interval (`prefix`: "slots__" from a schedule)."""
    return ExpressionWrapper(
        F(f"{prefix}ends_at") - F(f"{prefix}starts_at"), output_field=DurationField()
    )


def lab_list(request):
    """Units × months of a year: the hours published and whether the report is in."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        latest = LabSchedule.objects.order_by("-month").values_list("month", flat=True).first()
        year = latest.year if latest else today.year
    if not 2000 <= year <= 2100:
        raise Http404
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    units = list(PublicUnit.objects.order_by("name"))
    schedules_in_year = LabSchedule.objects.filter(month__year=year).annotate(
        length=Sum(_length("slots__")), slot_count=Count("slots")
    )
    hours = {(s.unit_id, s.month): s for s in schedules_in_year}
    reports = {(r.unit_id, r.month): r for r in LabReport.objects.filter(month__year=year)}
    rows = [
        (
            unit,
            [
                (month, hours.get((unit.pk, month)), reports.get((unit.pk, month)))
                for month in months
            ],
        )
        for unit in units
    ]
    return render(
        request,
        "monitoring/lab_list.html",
        {"year": year, "months": months, "rows": rows, "today": today},
    )


def lab_schedule(request, unit, year, month):
    unit = get_object_for_user(request.user, PublicUnit.objects.all(), pk=unit)
    month = _month(year, month)
    schedule = (
        LabSchedule.objects.filter(unit=unit, month=month)
        .select_related("contract__supplier", "updated_by")
        .prefetch_related("slots")
        .first()
    )
    may_edit = roles.may_change(request.user, "monitoring:lab_schedule")
    entry = ScheduleEntry(
        month, request.POST if request.method == "POST" else None, schedule=schedule
    )
    if request.method == "POST" and entry.is_valid():
        data = entry.form.cleaned_data
        try:
            do_save_schedule(
                unit,
                month,
                entry.cleaned_slots,
                actor=request.user,
                room=data["room"],
                notes=data["notes"],
                contract=data["contract"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            add_service_error(entry.form, error)
        except ConcurrentEditError:
            entry.form.add_error(
                None,
                _(
                    "Someone else saved this month's hours while you were editing them. Your "
                    "changes have NOT been saved and are still in the form: compare them with "
                    "the saved hours (open the page again in another tab) and save again."
                ),
            )
            current = LabSchedule.objects.filter(unit=unit, month=month).first()
            data = entry.form.data.copy()
            data["schedule-version"] = str(current.version) if current else ""
            entry.form.data = data
        else:
            messages.success(request, _("The opening hours have been saved and published."))
            return redirect("monitoring:lab_schedule", unit.pk, month.year, month.month)
    slots = (
        [schedules.Slot(s.day, s.starts_at, s.ends_at) for s in schedule.slots.all()]
        if schedule
        else []
    )
    return render(
        request,
        "monitoring/lab_schedule.html",
        {
            "unit": unit,
            "month": month,
            "schedule": schedule,
            "entry": entry,
            "may_edit": may_edit,
            "days": schedules.by_day(slots),
            "hours": schedules.total_hours(slots),
            "previous": schedules.previous_month(month),
            "next": schedules.next_month(month),
        },
    )


def lab_report(request, unit, year, month):
    unit = get_object_for_user(request.user, PublicUnit.objects.all(), pk=unit)
    month = _month(year, month)
    report = (
        LabReport.objects.filter(unit=unit, month=month)
        .select_related("contract__supplier")
        .first()
    )
    schedule = LabSchedule.objects.filter(unit=unit, month=month).first()
    if report is None:
        report = LabReport(
            unit=unit,
            month=month,
            contract=schedule.contract if schedule else None,
            submitted_on=min(timezone.localdate(), schedules.next_month(month)),
        )
    may_edit = roles.may_change(request.user, "monitoring:lab_report")
    form = LabReportForm(request.POST or None, instance=report, month=month)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_report(form, actor=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("The report has been saved."))
            return redirect("monitoring:lab_report_list")
    planned = None
    if schedule:
        planned = schedules.total_hours(
            schedules.Slot(s.day, s.starts_at, s.ends_at) for s in schedule.slots.all()
        )
    return render(
        request,
        "monitoring/lab_report.html",
        {
            "unit": unit,
            "month": month,
            "report": report,
            "form": form,
            "may_edit": may_edit,
            "planned": planned,
        },
    )


def _planned_hours():
    """Hours the month's schedule published, per report (one subquery, no extra queries)."""
    slots = (
        LabSlot.objects.filter(
            schedule__unit=OuterRef("unit_id"), schedule__month=OuterRef("month")
        )
        .values("schedule")
        .annotate(total=Sum(_length("")))
        .values("total")
    )
    return Subquery(slots, output_field=DurationField())


def lab_report_list(request):
    reports = (
        LabReport.objects.select_related("unit", "contract__supplier")
        .annotate(planned=_planned_hours())
        .order_by("-month", "unit__name")
    )
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        reports = reports.filter(unit_id=int(unit))
    page = page_of(request, reports)
    return render(
        request,
        "monitoring/lab_report_list.html",
        {
            "page": page,
            "units": PublicUnit.objects.order_by("name"),
            "unit": unit,
            "query": query_without_page(request),
        },
    )


# --- the labs (public) -----------------------------------------------------------------------


def _published_months() -> list[datetime.date]:
    return list(
        LabSchedule.objects.filter(slots__isnull=False)
        .order_by("month")
        .values_list("month", flat=True)
        .distinct()
    )


def _default_month(months: list[datetime.date]) -> datetime.date:
    """This month when it is published, else the latest published before it, else the first."""
    this_month = timezone.localdate().replace(day=1)
    if not months or this_month in months:
        return this_month
    earlier = [m for m in months if m < this_month]
    return earlier[-1] if earlier else months[0]


def _unit_schedules(month: datetime.date, unit: PublicUnit | None = None):
    """Every unit with the month's schedule (or None) and its days: three queries."""
    units = PublicUnit.objects.order_by("name")
    if unit is not None:
        units = units.filter(pk=unit.pk)
    found = {
        s.unit_id: s for s in LabSchedule.objects.filter(month=month).prefetch_related("slots")
    }
    result = []
    for each in units:
        schedule = found.get(each.pk)
        slots = (
            [schedules.Slot(s.day, s.starts_at, s.ends_at) for s in schedule.slots.all()]
            if schedule
            else []
        )
        result.append(
            {
                "unit": each,
                "schedule": schedule,
                "days": schedules.by_day(slots),
                "hours": schedules.total_hours(slots),
            }
        )
    return result


def public_labs(request, year=None, month=None):
    months = _published_months()
    month = _month(year, month) if year else _default_month(months)
    return render(
        request,
        "monitoring/public_labs.html",
        {
            "month": month,
            "months": months,
            "units": _unit_schedules(month),
            "previous": schedules.previous_month(month),
            "next": schedules.next_month(month),
        },
    )


def public_lab_poster(request, year, month):
    """The month's opening hours as a PDF poster for the notice board: one page per unit
    (`?unit=<id>`: that unit only)."""
    month = _month(year, month)
    unit = None
    if request.GET.get("unit"):
        if not request.GET["unit"].isdigit():
            raise Http404
        unit = get_object_or_404(PublicUnit, pk=int(request.GET["unit"]))
    units = [u for u in _unit_schedules(month, unit) if u["days"]]
    if not units:
        raise Http404
    name = f"godziny-pracowni-{month:%Y-%m}"
    if unit is not None:
        name += f"-{unit.pk}"
    return pdf_response(papers.poster_pdf(month, units, Project.current()), f"{name}.pdf")


# --- the chronicle ---------------------------------------------------------------------------


def chronicle_list(request):
    """The office's view: every entry (published or not) and every milestone, with the entry
    that tells of it."""
    items = chronicle.chronicle(public=False)
    return render(
        request,
        "monitoring/chronicle_list.html",
        {
            "items": items,
            "entries": sum(1 for i in items if not i.is_milestone),
            "milestones": sum(1 for i in items if i.is_milestone),
        },
    )


def chronicle_edit(request, pk=None):
    entry = (
        get_object_for_user(request.user, ChronicleEntry.objects.all(), pk=pk)
        if pk
        else ChronicleEntry()
    )
    form = ChronicleEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_chronicle_entry(form, actor=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("The chronicle entry has been saved."))
            return redirect(reverse("monitoring:chronicle") + f"#entry-{form.instance.pk}")
    return render(request, "monitoring/chronicle_form.html", {"form": form, "entry": entry})


def public_chronicle(request):
    items = chronicle.chronicle(public=True)
    all_years = chronicle.years(items)
    year = request.GET.get("year", "")
    if year.isdigit() and int(year) in all_years:
        year = int(year)
        items = [i for i in items if i.date.year == year]
    else:
        year = None
    return render(
        request,
        "monitoring/public_chronicle.html",
        {"items": items, "years": all_years, "year": year, "project": Project.current()},
    )


# --- durability --------------------------------------------------------------------------------


def durability_list(request):
    project = _project()
    return render(
        request,
        "monitoring/durability_list.html",
        {"project": project, "years": durability.project_years(project)},
    )


def durability_pdf(request, number):
    project = _project()
    year = durability.project_year(project, number)
    if year is None or not year.started:
        raise Http404
    return pdf_response(
        papers.durability_pdf(project, year), f"raport-trwalosci-rok-{year.number}.pdf"
    )


# --- home visits -----------------------------------------------------------------------------------


def _parse_month(text: str, default: datetime.date) -> datetime.date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return _month(year, month)
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
    today = timezone.localdate()
    tab = request.GET.get("tab", "due")
    if tab not in ("due", "overdue", "done"):
        tab = "due"
    month = _parse_month(request.GET.get("month", ""), today.replace(day=1))
    officer_choice, officer = _officer_filter(request)
    lists = {
        "due": lambda: visits.due_in_month(month, today, officer),
        "overdue": lambda: visits.overdue(today, officer),
        "done": lambda: visits.done_in_month(month, officer),
    }
    page = page_of(request, lists[tab]())
    counts = {name: rows().count() for name, rows in lists.items() if name != tab}
    counts[tab] = page.paginator.count
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


def _participant(request, pk) -> Participant:
    return get_object_for_user(
        request.user, Participant.objects.select_related("application", "signatory"), pk=pk
    )


def household_visits(request, participant):
    """One household: its plan, its visits and its follow-ups."""
    participant = _participant(request, participant)
    return render(
        request,
        "monitoring/household_visits.html",
        {
            "participant": participant,
            "plan": visits.household_plan(participant),
            "visits": participant.visits.select_related("officer").order_by("-visited_at"),
            "follow_ups": visits.follow_ups(status=None).filter(participant=participant),
            "today": timezone.localdate(),
        },
    )


def _service_errors(entry, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            entry.add_error(None if field == "__all__" else field, messages)
    else:
        entry.add_error(None, error.messages)


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
    participant = _participant(request, participant)
    wants_json = request.headers.get("X-Visit-Form") == "1"
    sent = request.POST if request.method == "POST" else request.GET
    planned = _planned_for(participant, sent.get("planned"))
    assets = list(lent_assets(participant))
    connection = active_connection(participant)
    now = timezone.localtime()
    entry = VisitEntry(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        assets=assets,
        initial={
            "key": uuid.uuid4(),
            "planned": planned.pk if planned else None,
            "visited_on": now.date(),
            "visited_time": now.time().replace(second=0, microsecond=0),
            "outcome": MonitoringVisit.Outcome.MADE,
            "signed_by": f"{participant.signatory.first_name} {participant.signatory.last_name}",
        },
    )
    if request.method == "POST":
        if entry.is_valid():
            data = entry.form.cleaned_data
            photos = []
            try:
                photos = photo_rules.clean_photos(data["photos"])
            except ValidationError as error:
                entry.add_error("photos", error.messages)
            signature = None
            try:
                signature = photo_rules.clean_signature(data["signature"])
            except ValidationError as error:
                entry.add_error("signature", error.messages)
            if not entry.has_errors:
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
    return get_object_for_user(
        request.user, visits.with_details(MonitoringVisit.objects.all()), pk=pk
    )


def visit_detail(request, pk):
    visit = _visit(request, pk)
    return render(
        request,
        "monitoring/visit_detail.html",
        {"visit": visit, "follow_up_form": NewFollowUpForm(initial={"responsible": request.user})},
    )


def visit_pdf(request, pk):
    visit = _visit(request, pk)
    day = timezone.localtime(visit.visited_at)
    return pdf_response(papers.visit_pdf(visit), f"protokol-wizyty-{day:%Y-%m-%d}-{visit.pk}.pdf")


def visit_photo(request, pk):
    photo = get_object_for_user(request.user, VisitPhoto.objects.all(), pk=pk)
    if request.GET.get("size") == "thumb":
        return file_response(photo.thumbnail, f"zdjecie-{photo.pk}-miniatura")
    return file_response(photo.image, f"zdjecie-{photo.pk}")


def visit_signature(request, pk):
    visit = get_object_for_user(request.user, MonitoringVisit.objects.all(), pk=pk)
    if not visit.signature:
        raise Http404
    return file_response(visit.signature, f"podpis-{visit.pk}")


def visits_month_pdf(request, year, month):
    """All the visits of a month, their protocols in one PDF made in the background."""
    month = _month(year, month)
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


def planned_new(request):
    participant = request.GET.get("participant", "")
    form = NewPlannedVisitForm(
        request.POST or None,
        initial={
            "participant": int(participant) if participant.isdigit() else None,
            "officer": request.user,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planned = do_add_planned_visit(
                data["participant"],
                due_on=data["due_on"],
                officer=data["officer"],
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The visit has been added to the plan."))
            return redirect("monitoring:household_visits", planned.participant_id)
    return render(request, "monitoring/planned_form.html", {"form": form, "planned": None})


def planned_edit(request, pk):
    planned = get_object_for_user(
        request.user,
        PlannedVisit.objects.select_related(*visits.HOUSEHOLD, "officer"),
        pk=pk,
    )
    form = PlannedVisitForm(request.POST or None, instance=planned)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_move_planned_visit(
                planned,
                due_on=data["due_on"],
                officer=data["officer"],
                note=data["note"],
                actor=request.user,
                expected_version=data["version"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        except ConcurrentEditError:
            form.add_error(
                None,
                _(
                    "Someone else saved this visit while you were editing it. Your changes have "
                    "NOT been saved: open the visit again."
                ),
            )
        else:
            messages.success(request, _("The planned visit has been saved."))
            return redirect("monitoring:household_visits", planned.participant_id)
    return render(request, "monitoring/planned_form.html", {"form": form, "planned": planned})


def visit_rules_list(request):
    found = {rule.call_id: rule for rule in VisitRule.objects.select_related("officer")}
    calls = [(call, found.get(call.pk)) for call in Call.objects.order_by("-opens_on")]
    return render(request, "monitoring/visit_rules.html", {"calls": calls})


def visit_rule(request, call):
    call = get_object_for_user(request.user, Call.objects.all(), pk=call)
    rule = VisitRule.objects.filter(call=call).first()
    initial = (
        {
            "first_within_months": rule.first_within_months,
            "every_months": rule.every_months,
            "officer": rule.officer_id,
            "version": rule.version,
        }
        if rule
        else {"first_within_months": 3, "every_months": 12}
    )
    form = VisitRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _rule, replanned = do_save_visit_rule(
                call,
                first_within_months=data["first_within_months"],
                every_months=data["every_months"],
                officer=data["officer"],
                actor=request.user,
                expected_version=data["version"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        except ConcurrentEditError:
            form.add_error(
                None,
                _("Someone else saved this rule meanwhile. Nothing has been saved: open it again."),
            )
        else:
            do_sync_plans(request.user)
            messages.success(
                request,
                _("The rule has been saved; %(n)d visits ahead were planned by it again.")
                % {"n": replanned},
            )
            return redirect("monitoring:visit_rules")
    return render(request, "monitoring/visit_rule_form.html", {"form": form, "call": call})


# --- follow-up actions --------------------------------------------------------------------------------


def follow_up_list(request):
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    if show not in ("open", "overdue", "closed", "mine"):
        show = "open"
    if show == "closed":
        rows = visits.follow_ups(status=None).exclude(status=FollowUp.Status.OPEN)
        rows = rows.order_by("-closed_on", "-pk")
    elif show == "overdue":
        rows = visits.follow_ups().filter(due_on__lt=today)
    elif show == "mine":
        rows = visits.follow_ups(responsible=request.user)
    else:
        rows = visits.follow_ups()
    page = page_of(request, rows)
    return render(
        request,
        "monitoring/follow_up_list.html",
        {"page": page, "show": show, "today": today, "query": query_without_page(request)},
    )


def follow_up_new(request, participant):
    participant = _participant(request, participant)
    visit = None
    if request.POST.get("visit") or request.GET.get("visit"):
        value = request.POST.get("visit") or request.GET.get("visit")
        if not value.isdigit():
            raise Http404
        visit = get_object_or_404(MonitoringVisit, pk=int(value), participant=participant)
    form = NewFollowUpForm(request.POST or None, initial={"responsible": request.user})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_add_follow_up(
                participant,
                what=data["what"],
                responsible=data["responsible"],
                due_on=data["due_on"],
                visit=visit,
                actor=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The follow-up action has been added."))
            if visit is not None:
                return redirect("monitoring:visit_detail", visit.pk)
            return redirect("monitoring:household_visits", participant.pk)
    return render(
        request,
        "monitoring/follow_up_form.html",
        {"form": form, "participant": participant, "visit": visit, "follow_up": None},
    )


def follow_up_edit(request, pk):
    follow_up = get_object_for_user(
        request.user,
        FollowUp.objects.select_related(*visits.HOUSEHOLD, "visit", "responsible"),
        pk=pk,
    )
    form = FollowUpForm(request.POST or None, instance=follow_up)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_follow_up(form, actor=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("The follow-up action has been saved."))
            return redirect(reverse("monitoring:follow_up_list"))
    return render(
        request,
        "monitoring/follow_up_form.html",
        {
            "form": form,
            "participant": follow_up.participant,
            "visit": follow_up.visit,
            "follow_up": follow_up,
        },
    )
