import json
import os

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import user_has_device
from pghistory.models import Event, Events

from . import background, gdpr, roles, security, twofactor
from .concurrency import ConcurrentEditError, save_versioned
from .forms import (
    AccessibilityStatementForm,
    AuditFilterForm,
    EnrolmentForm,
    LegalHoldForm,
    PersonalDataLogFilterForm,
    PrivacyNoticeForm,
    ProjectForm,
    PublicUnitForm,
    SubjectExportForm,
    TokenForm,
)
from .models import (
    AccessibilityStatement,
    GeneratedFile,
    LegalHold,
    PersonalDataAccess,
    PrivacyNotice,
    Project,
    PublicUnit,
)
from .paging import page_of, query_without_page
from .pdf import pdf_response, render_pdf
from .roles import COORDINATOR, has_role
from .services import do_place_legal_hold, do_release_legal_hold
from .tables import xlsx_response
from .uploads import file_response


def project(request):
    return render(request, "core/project.html", {"project": Project.current()})


def project_pdf(request):
    project = get_object_or_404(Project, pk=getattr(Project.current(), "pk", None))
    pdf = render_pdf(
        "core/pdf/project.html",
        {"project": project, "units": PublicUnit.objects.all(), "printed_at": timezone.now()},
    )
    return pdf_response(pdf, "projekt.pdf")


def project_edit(request):
    instance = Project.current() or Project()
    form = ProjectForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            save_versioned(form)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("The project record has been saved."))
            return redirect("core:project")
    return render(request, "core/project_form.html", {"form": form})


def public_unit_list(request):
    units = PublicUnit.objects.all()
    return render(request, "core/public_unit_list.html", {"units": units})


def public_unit_edit(request, pk=None):
    unit = get_object_or_404(PublicUnit, pk=pk) if pk else PublicUnit()
    form = PublicUnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            save_versioned(form)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("The public unit has been saved."))
            return redirect("core:public_unit_list")
    return render(request, "core/public_unit_form.html", {"form": form, "unit": unit})


def _tracked_models():
    """Every model with an audit trail, as (app_label.ModelName, verbose name)."""
    tracked = {
        m.pgh_tracked_model
        for m in apps.get_models()
        if issubclass(m, Event) and getattr(m, "pgh_tracked_model", None)
    }
    return sorted(
        (
            (f"{m._meta.app_label}.{m._meta.object_name}", str(m._meta.verbose_name))
            for m in tracked
        ),
        key=lambda item: item[1],
    )


def audit_log(request):
    """Every recorded change (database triggers), filterable by record type, record and user."""
    users = get_user_model().objects.order_by("username")
    form = AuditFilterForm(
        request.GET or None,
        model_choices=_tracked_models(),
        user_choices=[(u.pk, u.get_full_name() or u.username) for u in users],
    )
    events = Events.objects.order_by("-pgh_created_at", "-pgh_slug")
    if form.is_valid():
        if form.cleaned_data["model"]:
            events = events.filter(pgh_obj_model=form.cleaned_data["model"])
        if form.cleaned_data["object_id"]:
            events = events.filter(pgh_obj_id=form.cleaned_data["object_id"])
        if form.cleaned_data["user"]:
            events = events.filter(pgh_context__user=form.cleaned_data["user"])
    page = page_of(request, events)
    names = {u.pk: u.get_full_name() or u.username for u in users}
    rows = [
        {
            "event": event,
            "user": names.get((event.pgh_context or {}).get("user")),
            "source": (event.pgh_context or {}).get("command"),
        }
        for event in page
    ]
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query_without_page(request)},
    )


def _generated_file_for_user(request, pk):
    """The creator sees their file; the coordinator sees every file; anyone else gets 404."""
    generated = get_object_or_404(GeneratedFile, pk=pk)
    if generated.created_by_id != request.user.pk and not has_role(request.user, COORDINATOR):
        raise Http404
    return generated


def generated_file(request, pk):
    generated = _generated_file_for_user(request, pk)
    if background.fail_stale_jobs(pk=generated.pk):
        generated.refresh_from_db()
    return render(request, "core/generated_file.html", {"generated": generated})


@require_POST
def generated_file_retry(request, pk):
    """Queue a failed file's task again (the same task with the same arguments)."""
    generated = _generated_file_for_user(request, pk)
    if background.retry_generation(generated):
        messages.success(request, _("The file is being made again."))
    else:
        messages.error(request, _("Only a file that failed can be made again."))
    return redirect("core:generated_file", pk=generated.pk)


def generated_file_status(request, pk):
    generated = _generated_file_for_user(request, pk)
    if background.fail_stale_jobs(pk=generated.pk):
        generated.refresh_from_db()
    return JsonResponse(
        {
            "status": generated.status,
            "status_label": generated.get_status_display(),
            "done": generated.done,
            "total": generated.total,
            "percent": generated.percent,
            "error": generated.error,
            "retry": generated.can_retry,
            "download": reverse("core:generated_file_download", args=[generated.pk])
            if generated.status == GeneratedFile.Status.DONE
            else None,
        }
    )


def generated_file_download(request, pk):
    generated = _generated_file_for_user(request, pk)
    if generated.status != GeneratedFile.Status.DONE or not generated.file:
        raise Http404
    return file_response(generated.file, os.path.splitext(generated.filename)[0])


# --- two-factor login --------------------------------------------------------------------------


def _next_url(request, default="monitoring:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@twofactor.second_factor_first
def two_factor(request):
    """The user's own two-factor page: status, enrolment, recovery codes."""
    user = request.user
    return render(
        request,
        "registration/two_factor.html",
        {
            "enrolled": twofactor.has_authenticator(user),
            "required": settings.EINCLUSION_REQUIRE_2FA,
            "recovery_left": twofactor.remaining_recovery_codes(user),
        },
    )


def two_factor_verify(request):
    """The second step of login, after the password."""
    if not user_has_device(request.user):
        return redirect("two_factor_setup")
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.do_verify(request, form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            return redirect(_next_url(request))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


# Someone who has a device must prove it before replacing it: otherwise a stolen password
# alone would let a stranger enrol their own phone.
@twofactor.second_factor_first
def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code, type the code it shows."""
    user = request.user
    device = twofactor.pending_device(user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.do_confirm_enrolment(request, device, form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "new_enrolment": True},
            )
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_data_uri(device),
            "secret": twofactor.secret_for_manual_entry(device),
            "required": settings.EINCLUSION_REQUIRE_2FA,
            "replacing": twofactor.has_authenticator(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


# Fresh codes open the account like the phone does: never for a password alone.
@twofactor.second_factor_first
def two_factor_recovery_codes(request):
    """New recovery codes (POST), shown once; the old ones stop working."""
    if not twofactor.has_authenticator(request.user):
        return redirect("two_factor_setup")
    if request.method == "POST":
        codes = twofactor.do_new_recovery_codes(request.user)
        return render(
            request,
            "registration/recovery_codes.html",
            {"codes": codes, "next": reverse("two_factor")},
        )
    return redirect("two_factor")


# --- user accounts (the coordinator) ---------------------------------------------------------------


def user_list(request):
    """Staff accounts, their roles and two-factor status; deactivation for leavers."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users = get_user_model().objects.prefetch_related("groups").order_by("-is_active", "username")
    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    rows = [
        {
            "user": user,
            "roles": [
                roles.ROLE_LABELS[g.name] for g in user.groups.all() if g.name in roles.ROLE_LABELS
            ],
            "two_factor": user.pk in enrolled,
        }
        for user in users
    ]
    return render(request, "core/user_list.html", {"rows": rows})


def _staff_user(pk):
    return get_object_or_404(get_user_model(), pk=pk)


def user_deactivate(request, pk):
    account = _staff_user(pk)
    if request.method == "POST":
        try:
            ended = security.do_deactivate_user(account, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The account %(name)s has been deactivated; %(n)s open sessions were ended.")
                % {"name": account.get_username(), "n": ended},
            )
        return redirect("core:user_list")
    return render(request, "core/user_deactivate.html", {"account": account})


@require_POST
@twofactor.second_factor_first
def user_reset_two_factor(request, pk):
    account = _staff_user(pk)
    twofactor.do_reset_two_factor(account, request.user)
    messages.success(
        request,
        _("Two-factor login of %(name)s has been reset; they enrol again at their next login.")
        % {"name": account.get_username()},
    )
    return redirect("core:user_list")


# --- the personal-data access log --------------------------------------------------------------------


def _personal_data_log_rows(request):
    users = get_user_model().objects.order_by("username")
    types = sorted(
        PersonalDataAccess.objects.order_by().values_list("object_type", flat=True).distinct()
    )
    form = PersonalDataLogFilterForm(
        request.GET or None,
        user_choices=[(u.pk, u.get_full_name() or u.username) for u in users],
        type_choices=[(t, _type_label(t)) for t in types],
    )
    entries = PersonalDataAccess.objects.select_related("user").order_by("-at", "-pk")
    if form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            entries = entries.filter(user_id=data["user"])
        if data["object_type"]:
            entries = entries.filter(object_type=data["object_type"])
        if data["date_from"]:
            entries = entries.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(at__date__lte=data["date_to"])
    elif form.is_bound:
        entries = entries.none()
    return form, entries


def _type_label(object_type: str) -> str:
    if object_type == "gdpr.subject_export":
        return _("data-subject export (search by PESEL)")
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)


def _kinds_label(kinds: str) -> str:
    labels = dict(PersonalDataAccess.Kind.choices)
    return ", ".join(str(labels.get(k, k)) for k in kinds.split(",") if k)


def personal_data_log(request):
    """Who viewed PESEL, income or disability data: when, which record, through which page."""
    form, entries = _personal_data_log_rows(request)
    page = page_of(request, entries)
    rows = [
        {
            "entry": entry,
            "type": _type_label(entry.object_type),
            "kinds": _kinds_label(entry.kinds),
        }
        for entry in page
    ]
    return render(
        request,
        "core/personal_data_log.html",
        {"form": form, "page": page, "rows": rows, "query": query_without_page(request)},
    )


def personal_data_log_export(request):
    _form, entries = _personal_data_log_rows(request)
    rows = (
        (
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            (entry.user.get_full_name() or entry.user.username) if entry.user else "",
            entry.user.username if entry.user else "",
            entry.view_name,
            _type_label(entry.object_type),
            entry.object_id,
            _kinds_label(entry.kinds),
        )
        for entry in entries.iterator(chunk_size=2000)
    )
    return xlsx_response(
        f"dostep-do-danych-{timezone.localdate():%Y%m%d}.xlsx",
        _("Access to personal data"),
        [_("When"), _("User"), _("Login"), _("Page"), _("Record type"), _("Record"), _("Data")],
        rows,
    )


# --- GDPR: information clause, record of processing, legal holds, data-subject export ---------------


def privacy_notice(request):
    """The information clause (Art. 13 GDPR), public."""
    return render(request, "core/privacy_notice.html")


def privacy_notice_edit(request):
    form = PrivacyNoticeForm(request.POST or None, instance=PrivacyNotice.current())
    if request.method == "POST" and form.is_valid():
        try:
            save_versioned(form)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("The information clause has been saved."))
            return redirect("privacy_notice")
    return render(request, "core/privacy_notice_form.html", {"form": form})


def processing_register(request):
    """The record of processing activities (Art. 30 GDPR), built from the registry."""
    return render(
        request,
        "core/processing_register.html",
        {
            "notice": PrivacyNotice.current(),
            "sources": gdpr.sources(),
            "retention_text": gdpr.retention_text(),
            "today": timezone.localdate(),
        },
    )


def _hold_type_choices():
    return [(source.label, source.name) for source in gdpr.sources() if source.managed_by_retention]


def legal_holds(request):
    form = LegalHoldForm(request.POST or None, type_choices=_hold_type_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_place_legal_hold(
                data["object_type"], data["object_id"], data["reason"], request.user
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("The legal hold has been placed."))
            return redirect("core:legal_holds")
    holds = LegalHold.objects.select_related("created_by", "released_by")
    rows = [{"hold": hold, "type": _type_label(hold.object_type)} for hold in holds]
    return render(
        request,
        "core/legal_holds.html",
        {"form": form, "rows": rows, "retention_text": gdpr.retention_text()},
    )


@require_POST
def legal_hold_release(request, pk):
    hold = get_object_or_404(LegalHold, pk=pk)
    try:
        do_release_legal_hold(hold, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The legal hold has been released."))
    return redirect("core:legal_holds")


def subject_export(request):
    """Everything held about one person (Art. 15 GDPR), found by PESEL sent in a POST body
    (never in the URL), as JSON or PDF; every export is logged."""
    form = SubjectExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pesel = form.cleaned_data["pesel"]
        try:
            document = gdpr.do_subject_export(request, pesel)
        except ValidationError as error:
            form.add_error("pesel", error)
        else:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            if form.cleaned_data["format"] == "json":
                response = HttpResponse(
                    json.dumps(document, ensure_ascii=False, indent=2, default=str),
                    content_type="application/json; charset=utf-8",
                )
                response["Content-Disposition"] = f'attachment; filename="dane-osoby-{stamp}.json"'
                response["Cache-Control"] = "no-store"
                return response
            pdf = render_pdf(
                "core/pdf/subject_export.html",
                {"document": document, "printed_at": timezone.now()},
            )
            response = pdf_response(pdf, f"dane-osoby-{stamp}.pdf")
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "core/subject_export.html", {"form": form})


# --- accessibility statement --------------------------------------------------------------------------


def accessibility_statement(request):
    """Deklaracja dostępności (act of 4 April 2019), public, linked from every page's footer."""
    return render(
        request,
        "core/accessibility_statement.html",
        {"statement": AccessibilityStatement.current()},
    )


def accessibility_statement_edit(request):
    form = AccessibilityStatementForm(
        request.POST or None, instance=AccessibilityStatement.current()
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_versioned(form)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("The accessibility statement has been saved."))
            return redirect("accessibility_statement")
    return render(request, "core/accessibility_statement_form.html", {"form": form})
