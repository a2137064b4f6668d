"""Training screens: thin function views over services.py, the standings and the papers."""

import datetime

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lebork_einclusion.access import get_object_for_user, record_personal_data_access
from lebork_einclusion.background import start_generation
from lebork_einclusion.concurrency import ConcurrentEditError
from lebork_einclusion.forms import add_service_error
from lebork_einclusion.models import Project
from lebork_einclusion.paging import page_of, query_without_page
from lebork_einclusion.pdf import pdf_response
from lebork_einclusion.search import search_text
from lebork_einclusion.tables import read_table, xlsx_response
from lebork_einclusion.uploads import file_response
from recruitment.models import HouseholdMember

from . import papers, services, tasks
from .figures import training_figures
from .forms import (
    AttendanceForm,
    GroupForm,
    LoginHandoverForm,
    MembersForm,
    ModuleForm,
    NewcomerForm,
    ProgressImportForm,
    SessionForm,
    TraineeFilterForm,
)
from .models import (
    Attendance,
    AttendanceCorrection,
    ELearningEnrolment,
    Trainee,
    TrainingGroup,
    TrainingModule,
    TrainingSession,
)
from .obligations import households_to_act_on
from .rules import AGE_BAND_LABELS, SEX_LABELS, format_hours
from .standings import standing, with_hours

CANDIDATES_SHOWN = 60


# --- object access: one helper per object kind ---------------------------------------------------


def _module(request, pk) -> TrainingModule:
    return get_object_for_user(
        request.user, TrainingModule.objects.select_related("contract__supplier"), pk=pk
    )


def _group(request, pk) -> TrainingGroup:
    return get_object_for_user(request.user, TrainingGroup.objects.select_related("module"), pk=pk)


def _session(request, pk) -> TrainingSession:
    return get_object_for_user(
        request.user,
        TrainingSession.objects.select_related("group__module", "sheet_attached_by"),
        pk=pk,
    )


def _trainee(request, pk) -> Trainee:
    queryset = with_hours(Trainee.objects.all()).select_related(
        "participant__application", "module__contract__supplier"
    )
    return get_object_for_user(request.user, queryset, pk=pk)


# --- shared pieces ------------------------------------------------------------------------------


def _module_figures(module) -> dict:
    figures = training_figures(module.project)
    return next(row for row in figures["modules"] if row["id"] == module.pk)


# --- modules --------------------------------------------------------------------------------------


def module_list(request):
    """The training's front page: today's sessions first (the assistant's phone opens here),
    then the modules with their figures."""
    today = timezone.localdate()
    modules = TrainingModule.objects.select_related("contract__supplier").order_by("number")
    figures = {row["id"]: row for row in training_figures()["modules"]}
    return render(
        request,
        "training/module_list.html",
        {
            "today": today,
            "today_sessions": TrainingSession.objects.filter(date=today)
            .select_related("group__module")
            .annotate(
                marked=Count("attendance", distinct=True),
                trainee_count=Count("group__trainees", distinct=True),
            )
            .order_by("starts_at"),
            "modules": [(module, figures.get(module.pk)) for module in modules],
        },
    )


def module_detail(request, pk):
    module = _module(request, pk)
    figures = _module_figures(module)
    groups = {g.pk: g for g in module.groups.all()}
    breakdown = [
        {"label": SEX_LABELS[code], **counts} for code, counts in figures["by_sex"].items()
    ] + [
        {"label": AGE_BAND_LABELS[code], **counts}
        for code, counts in figures["by_age_band"].items()
    ]
    return render(
        request,
        "training/module_detail.html",
        {
            "module": module,
            "figures": figures,
            "breakdown": breakdown,
            "group_rows": [(groups[row["id"]], row) for row in figures["groups"]],
            "imports": module.progress_imports.select_related("imported_by")[:5],
        },
    )


def module_edit(request, pk=None):
    module = _module(request, pk) if pk else TrainingModule(project=Project.current())
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.do_save_module(form, actor=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("The module has been saved."))
            return redirect("training:module_detail", saved.pk)
    return render(request, "training/module_form.html", {"form": form, "module": module})


@require_POST
def module_sheets(request, pk):
    module = _module(request, pk)
    generated = start_generation(
        request.user,
        _("Sign-in sheets: %(module)s") % {"module": module.name},
        f"listy-obecnosci-modul-{module.number}.pdf",
        tasks.module_sheets,
        module.pk,
    )
    return redirect("core:generated_file", generated.pk)


@require_POST
def module_certificates(request, pk):
    module = _module(request, pk)
    generated = start_generation(
        request.user,
        _("Certificates: %(module)s") % {"module": module.name},
        f"zaswiadczenia-modul-{module.number}.pdf",
        tasks.module_certificates,
        module.pk,
    )
    return redirect("core:generated_file", generated.pk)


def progress_import(request, pk):
    module = _module(request, pk)
    if not module.is_e_learning:
        raise Http404
    form = ProgressImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_table(upload)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            result = services.do_import_progress(
                module, rows, file_name=upload.name or "", actor=request.user
            )
            problems = result.problems
            if not problems:
                messages.success(
                    request,
                    ngettext(
                        "Progress of %(n)d trainee has been imported.",
                        "Progress of %(n)d trainees has been imported.",
                        result.imported,
                    )
                    % {"n": result.imported},
                )
                return redirect("training:module_detail", module.pk)
    return render(
        request,
        "training/progress_import.html",
        {"form": form, "module": module, "problems": problems},
    )


# --- groups ---------------------------------------------------------------------------------------


def group_edit(request, pk=None, module_pk=None):
    if pk:
        group = _group(request, pk)
    else:
        module = _module(request, module_pk)
        group = TrainingGroup(module=module, capacity=20)
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.do_save_group(form, actor=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("The group has been saved."))
            return redirect("training:group_detail", saved.pk)
    return render(
        request, "training/group_form.html", {"form": form, "group": group, "module": group.module}
    )


def _group_context(group):
    sessions = list(
        group.sessions.annotate(marked=Count("attendance")).order_by("date", "starts_at")
    )
    trainees = sorted(
        with_hours(Trainee.objects.filter(group=group)).select_related("participant__application"),
        key=lambda t: (t.sort_name, t.pk),
    )
    rows = [(t, standing(t)) for t in trainees]
    scheduled = sum((s.hours for s in sessions), 0)
    return {
        "group": group,
        "module": group.module,
        "sessions": sessions,
        "rows": rows,
        "scheduled": scheduled,
        "planned": group.module.planned_hours_per_group,
        "completed": sum(1 for _t, s in rows if s.completed),
    }


def group_detail(request, pk):
    group = _group(request, pk)
    return render(request, "training/group_detail.html", _group_context(group))


def _candidates(group, query: str):
    """Members of participating households not yet in a group of the module."""
    taken = Trainee.objects.filter(module_id=group.module_id, member__isnull=False).values(
        "member_id"
    )
    candidates = (
        HouseholdMember.objects.filter(application__participant__status="active")
        .exclude(pk__in=taken)
        .select_related("application")
        .order_by("application__sequence", "pk")
    )
    if query:
        candidates = candidates.filter(
            Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(application__number__icontains=query)
        )
    return candidates


def group_add_members(request, pk):
    group = _group(request, pk)
    query = search_text(request.GET.get("q"))
    candidates = _candidates(group, query)
    form = MembersForm(request.POST or None, candidates=_candidates(group, ""))
    if request.method == "POST" and form.is_valid():
        try:
            added = services.do_add_members(group, form.cleaned_data["members"], actor=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d person has been added to the group.",
                    "%(n)d people have been added to the group.",
                    len(added),
                )
                % {"n": len(added)},
            )
            return redirect("training:group_detail", group.pk)
    chosen = {str(v) for v in (form["members"].value() or [])}
    shown = list(candidates[:CANDIDATES_SHOWN])
    return render(
        request,
        "training/group_add_members.html",
        {
            "group": group,
            "module": group.module,
            "form": form,
            "candidates": shown,
            "more": len(shown) == CANDIDATES_SHOWN,
            "chosen": chosen,
            "q": query,
            "taken": Trainee.objects.filter(group=group).count(),
            "newcomer_form": NewcomerForm(),
        },
    )


def group_add_newcomer(request, pk):
    group = _group(request, pk)
    form = NewcomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trainee = services.do_add_newcomer(
                group,
                data["participant"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                pesel=data["pesel"],
                reason=data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("%(name)s has been added to the group.") % {"name": trainee.full_name}
            )
            return redirect("training:group_detail", group.pk)
    return render(
        request,
        "training/group_add_newcomer.html",
        {"group": group, "module": group.module, "form": form},
    )


def group_sheets_pdf(request, pk):
    group = _group(request, pk)
    pdf = papers.sign_in_sheets_pdf(TrainingSession.objects.filter(group=group))
    return pdf_response(pdf, f"listy-obecnosci-{_slug(group)}.pdf")


def group_register_pdf(request, pk):
    group = _group(request, pk)
    return pdf_response(papers.register_pdf(group), f"dziennik-obecnosci-{_slug(group)}.pdf")


def group_register_xlsx(request, pk):
    group = _group(request, pk)
    sessions, rows = papers.register_rows(group)
    labels = dict(Attendance.Status.choices)
    headers = [
        _("No."),
        _("Trainee"),
        _("Household"),
        *[f"{s.date:%d.%m.%Y} {s.starts_at:%H:%M} ({format_hours(s.hours)} h)" for s in sessions],
        _("Hours attended"),
        _("Hours absent"),
        _("Hours excused"),
        _("Hours planned"),
        _("Completion"),
    ]
    numbers = dict(
        Trainee.objects.filter(group=group).values_list("pk", "participant__application__number")
    )
    data = [
        [
            number,
            row["trainee"].full_name,
            numbers.get(row["trainee"].pk, ""),
            *[str(labels.get(mark, "")) for mark in row["marks"]],
            row["standing"].attended,
            row["standing"].absent,
            row["standing"].excused,
            row["standing"].planned,
            _("yes") if row["standing"].completed else _("no"),
        ]
        for number, row in enumerate(rows, start=1)
    ]
    return xlsx_response(
        f"dziennik-obecnosci-{_slug(group)}.xlsx", _("Attendance register"), headers, data
    )


def group_certificates_pdf(request, pk):
    group = _group(request, pk)
    trainees = papers.completed_trainees(Trainee.objects.filter(group=group))
    if not trainees:
        messages.error(request, _("Nobody in this group has completed the module yet."))
        return redirect("training:group_detail", group.pk)
    return pdf_response(papers.certificates_pdf(trainees), f"zaswiadczenia-{_slug(group)}.pdf")


def _slug(group) -> str:
    return slugify(f"modul-{group.module.number}-{group.name}")


# --- sessions -------------------------------------------------------------------------------------


def session_edit(request, pk=None, group_pk=None):
    if pk:
        session = _session(request, pk)
        if session.locked:
            messages.error(request, services.locked_session_error(session).messages[0])
            return redirect("training:session_detail", session.pk)
        group = session.group
    else:
        group = _group(request, group_pk)
        session = TrainingSession(group=group, trainer=group.trainer, room=group.room)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.do_save_session(form, actor=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("The session has been saved."))
            return redirect("training:session_detail", saved.pk)
    return render(
        request,
        "training/session_form.html",
        {"form": form, "session": session, "group": group, "module": group.module},
    )


def _attendance_rows(session):
    trainees = sorted(
        Trainee.objects.filter(group_id=session.group_id).select_related("member"),
        key=lambda t: (t.sort_name, t.pk),
    )
    marks = {a.trainee_id: a for a in session.attendance.all()}
    return trainees, marks


def _counts(trainees, marks) -> dict:
    counts = dict.fromkeys(Attendance.Status.values, 0)
    for mark in marks.values():
        counts[mark.status] += 1
    counts["unmarked"] = len(trainees) - len(marks)
    return counts


def session_detail(request, pk):
    session = _session(request, pk)
    trainees, marks = _attendance_rows(session)
    corrections = AttendanceCorrection.objects.filter(attendance__session=session).select_related(
        "attendance__trainee__member", "corrected_by"
    )
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "group": session.group,
            "module": session.group.module,
            "rows": [(t, marks.get(t.pk)) for t in trainees],
            "counts": _counts(trainees, marks),
            "corrections": corrections,
            "today": timezone.localdate(),
        },
    )


@require_POST
def session_delete(request, pk):
    session = _session(request, pk)
    group = session.group
    try:
        services.do_cancel_session(session, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("training:session_detail", session.pk)
    messages.success(request, _("The session has been removed from the schedule."))
    return redirect("training:group_detail", group.pk)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def session_attendance(request, pk):
    """The phone page: one tap per trainee, saved at once by static/js/attendance.js; without
    JavaScript the whole form is sent by its button."""
    session = _session(request, pk)
    trainees, marks = _attendance_rows(session)
    form = AttendanceForm(request.POST or None, trainees=trainees, marks=marks)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.do_record_attendance(session, form.marks(), actor=request.user)
        except ValidationError as error:
            if _wants_json(request):
                return JsonResponse({"ok": False, "error": " ".join(error.messages)}, status=400)
            add_service_error(form, _field_errors(error))
        else:
            if _wants_json(request):
                trainees, marks = _attendance_rows(session)
                return JsonResponse(
                    {"ok": True, "changed": changed, "counts": _counts(trainees, marks)}
                )
            messages.success(request, _("Attendance has been saved."))
            return redirect("training:session_attendance", session.pk)
    elif request.method == "POST" and _wants_json(request):
        return JsonResponse(
            {
                "ok": False,
                "error": " ".join(form.errors.get("__all__", []) or [_("Check the marks.")]),
            },
            status=400,
        )
    return render(
        request,
        "training/session_attendance.html",
        {
            "session": session,
            "group": session.group,
            "module": session.group.module,
            "form": form,
            "counts": _counts(trainees, marks),
            "future": session.date > timezone.localdate(),
        },
    )


def _field_errors(error: ValidationError) -> ValidationError:
    """Service errors keyed by trainee id -> the form's status_<id> fields."""
    if not hasattr(error, "error_dict"):
        return error
    mapped = {}
    for key, errors in error.error_dict.items():
        if key.isdigit():
            mapped[f"status_{key}"] = errors
        elif key == NON_FIELD_ERRORS:
            mapped[NON_FIELD_ERRORS] = errors
        else:
            mapped[key] = errors
    return ValidationError(mapped)


def session_desk(request, pk):
    """The desk page: typing the signed paper sheet in, and attaching its scan (which locks
    the session); on a locked session every change needs a correction's reason."""
    session = _session(request, pk)
    trainees, marks = _attendance_rows(session)
    form = AttendanceForm(
        request.POST or None,
        request.FILES or None,
        trainees=trainees,
        marks=marks,
        preset=not session.locked,
        scan=not session.locked,
        correction=session.locked,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if session.locked:
                corrections = services.do_correct_attendance(
                    session,
                    form.marks(),
                    reason=form.cleaned_data["correction_reason"],
                    actor=request.user,
                )
                message = (
                    ngettext(
                        "%(n)d correction has been recorded.",
                        "%(n)d corrections have been recorded.",
                        len(corrections),
                    )
                    % {"n": len(corrections)}
                    if corrections
                    else _("Nothing has changed.")
                )
            else:
                services.do_enter_sheet(
                    session, form.marks(), form.cleaned_data.get("scan"), actor=request.user
                )
                message = (
                    _(
                        "Attendance has been saved and the signed sheet attached: the session is locked."
                    )
                    if form.cleaned_data.get("scan")
                    else _("Attendance has been saved.")
                )
        except ValidationError as error:
            add_service_error(form, _field_errors(error))
        else:
            messages.success(request, message)
            return redirect("training:session_detail", session.pk)
    return render(
        request,
        "training/session_desk.html",
        {
            "session": session,
            "group": session.group,
            "module": session.group.module,
            "form": form,
            "future": session.date > timezone.localdate(),
        },
    )


def session_sheet_pdf(request, pk):
    session = _session(request, pk)
    pdf = papers.sign_in_sheets_pdf(TrainingSession.objects.filter(pk=session.pk))
    return pdf_response(pdf, f"lista-obecnosci-{session.date:%Y-%m-%d}-{_slug(session.group)}.pdf")


def session_scan(request, pk):
    session = _session(request, pk)
    if not session.sheet_scan:
        raise Http404
    return file_response(
        session.sheet_scan, f"lista-podpisana-{session.date:%Y-%m-%d}-{_slug(session.group)}"
    )


# --- the schedule -----------------------------------------------------------------------------------


def schedule(request):
    """A week of sessions, day by day (all modules, or one)."""
    modules = TrainingModule.objects.order_by("number")
    module = None
    module_pk = request.GET.get("module", "")
    if module_pk.isdigit():
        module = modules.filter(pk=module_pk).first()
    try:
        day = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = module.starts_on if module else timezone.localdate()
    monday = day - datetime.timedelta(days=day.weekday())
    sunday = monday + datetime.timedelta(days=6)
    sessions = (
        TrainingSession.objects.filter(date__range=(monday, sunday))
        .select_related("group__module")
        .order_by("date", "starts_at", "group_id")
    )
    if module:
        sessions = sessions.filter(group__module=module)
    by_day = {monday + datetime.timedelta(days=i): [] for i in range(7)}
    for session in sessions:
        by_day[session.date].append(session)
    days = [(d, items) for d, items in by_day.items() if items or d.weekday() < 5]
    return render(
        request,
        "training/schedule.html",
        {
            "days": days,
            "monday": monday,
            "sunday": sunday,
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
            "modules": modules,
            "module": module,
            "today": timezone.localdate(),
            "hours": sum((s.hours for items in by_day.values() for s in items), 0),
        },
    )


# --- trainees --------------------------------------------------------------------------------------


def trainee_list(request):
    modules = TrainingModule.objects.order_by("number")
    groups = TrainingGroup.objects.select_related("module").order_by("module__number", "pk")
    form = TraineeFilterForm(request.GET or None, modules=modules, groups=groups)
    trainees = with_hours(Trainee.objects.all()).select_related("participant__application")
    if form.is_valid():
        data = form.cleaned_data
        if data.get("module"):
            trainees = trainees.filter(module=data["module"])
        if data.get("group"):
            trainees = trainees.filter(group=data["group"])
        if data.get("q"):
            query = search_text(data["q"])
            trainees = trainees.filter(
                Q(member__last_name__icontains=query)
                | Q(member__first_name__icontains=query)
                | Q(last_name__icontains=query)
                | Q(first_name__icontains=query)
                | Q(participant__application__number__icontains=query)
            )
    trainees = trainees.order_by(
        "module__number", "group_id", "member__last_name", "last_name", "pk"
    )
    page = page_of(request, trainees)
    return render(
        request,
        "training/trainee_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(t, standing(t)) for t in page],
            "query": query_without_page(request),
        },
    )


def trainee_detail(request, pk):
    trainee = _trainee(request, pk)
    record_personal_data_access(request, trainee, kinds=("pesel",))
    sessions = list(trainee.group.sessions.order_by("date", "starts_at"))
    marks = {a.session_id: a for a in trainee.attendance.all()}
    other_places = (
        services.places_of([trainee.person_pesel])
        .exclude(pk=trainee.pk)
        .select_related("module", "group")
        if trainee.person_pesel
        else Trainee.objects.none()
    )
    state = standing(trainee)
    return render(
        request,
        "training/trainee_detail.html",
        {
            "trainee": trainee,
            "module": trainee.module,
            "group": trainee.group,
            "state": state,
            "rows": [(s, marks.get(s.pk)) for s in sessions],
            "corrections": AttendanceCorrection.objects.filter(
                attendance__trainee=trainee
            ).select_related("attendance__session", "corrected_by"),
            "other_places": other_places,
            "enrolment": getattr(trainee, "elearning", None)
            if trainee.module.is_e_learning
            else None,
            "login_form": LoginHandoverForm(initial={"handed_over_on": timezone.localdate()}),
            "refusal": None if state.completed else papers.certificate_refusal(trainee),
            "has_attendance": bool(marks),
        },
    )


def trainee_certificate_pdf(request, pk):
    trainee = _trainee(request, pk)
    refusal = papers.certificate_refusal(trainee)
    if refusal:
        messages.error(request, refusal)
        return redirect("training:trainee_detail", trainee.pk)
    name = "-".join(reversed(trainee.sort_name))
    return pdf_response(
        papers.certificates_pdf([trainee]),
        f"zaswiadczenie-modul-{trainee.module.number}-{slugify(name)}.pdf",
    )


@require_POST
def trainee_remove(request, pk):
    trainee = _trainee(request, pk)
    group = trainee.group
    try:
        services.do_remove_trainee(trainee, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("training:trainee_detail", trainee.pk)
    messages.success(
        request, _("%(name)s has been taken out of the group.") % {"name": trainee.full_name}
    )
    return redirect("training:group_detail", group.pk)


@require_POST
def trainee_login(request, pk):
    trainee = _trainee(request, pk)
    enrolment = ELearningEnrolment.objects.filter(trainee=trainee).first()
    if enrolment is None:
        raise Http404
    form = LoginHandoverForm(request.POST)
    if form.is_valid():
        try:
            services.do_hand_over_login(
                enrolment, handed_over_on=form.cleaned_data["handed_over_on"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The handover of the login has been recorded."))
    else:
        messages.error(request, _("Enter the date the login was handed over."))
    return redirect(reverse("training:trainee_detail", args=[trainee.pk]) + "#e-learning")


# --- §6.7 ---------------------------------------------------------------------------------------------


def obligations(request):
    households = households_to_act_on()
    return render(
        request,
        "training/obligations.html",
        {
            "households": households,
            "modules": TrainingModule.objects.filter(obligatory=True).order_by("number"),
        },
    )
