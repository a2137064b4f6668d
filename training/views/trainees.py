"""Trainees: people put in a group (household members or newcomers), the list, a trainee's
page and certificate, and the households still to act on (§6.7)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lebork_einclusion import archive, clock
from lebork_einclusion.access import record_personal_data_access
from lebork_einclusion.forms import add_service_error
from lebork_einclusion.pages import form_page
from lebork_einclusion.paging import query_without_page, seek_page
from lebork_einclusion.search import search_text
from recruitment.models import HouseholdMember

from .. import papers
from ..forms import (
    IssueCertificateForm,
    LoginHandoverForm,
    MembersForm,
    NewcomerForm,
    TraineeFilterForm,
)
from ..models import (
    AttendanceCorrection,
    Trainee,
    TrainingGroup,
    TrainingModule,
)
from ..obligations import households_to_act_on
from ..services import trainees as trainee_services
from ..standings import standing, with_hours_per_row
from ._shared import get_group, get_trainee

CANDIDATES_SHOWN = 60


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
    group = get_group(pk)
    query = search_text(request.GET.get("q"))
    candidates = _candidates(group, query)
    form = MembersForm(request.POST or None, candidates=_candidates(group, ""))
    if request.method == "POST" and form.is_valid():
        try:
            added = trainee_services.do_add_members(
                group, form.cleaned_data["members"], actor=request.user
            )
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
    group = get_group(pk)
    form = NewcomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trainee = trainee_services.do_add_newcomer(
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


def trainee_list(request):
    modules = TrainingModule.objects.order_by("number")
    groups = TrainingGroup.objects.select_related("module").order_by("module__number", "pk")
    form = TraineeFilterForm(request.GET or None, modules=modules, groups=groups)
    # The hours summed for the rows shown only (not every trainee's attendance grouped).
    trainees = with_hours_per_row(Trainee.objects.all()).select_related("participant__application")
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
    page = seek_page(request, trainees)
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
    trainee = get_trainee(pk)
    record_personal_data_access(request, trainee, kinds=("pesel",))
    sessions = list(trainee.group.sessions.order_by("date", "starts_at"))
    marks = {a.session_id: a for a in trainee.attendance.all()}
    other_places = (
        trainee_services.places_of([trainee.person_pesel])
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
            "login_form": LoginHandoverForm(initial={"handed_over_on": clock.today()}),
            "refusal": None if state.completed else papers.certificate_refusal(trainee),
            "has_attendance": bool(marks),
        },
    )


def trainee_certificate_pdf(request, pk):
    trainee = get_trainee(pk)
    refusal = papers.certificate_refusal(trainee)
    if refusal:
        messages.error(request, refusal)
        return redirect("training:trainee_detail", trainee.pk)
    name = "-".join(reversed(trainee.sort_name))
    # An issued certificate was archived by do_issue_certificate and is served as issued (one
    # issued before that is archived on its first opening: the fallback for older records); a
    # certificate archived on its first printing before issues were recorded stays as stored;
    # one not issued yet prints live as a draft ("PROJEKT").
    return archive.paper_response(
        request,
        trainee,
        CERTIFICATE,
        lambda draft: papers.certificates_pdf([trainee], draft=draft),
        f"zaswiadczenie-modul-{trainee.module.number}-{slugify(name)}.pdf",
        binding=trainee.certificate_issued_on is not None,
    )


def trainee_certificate_issue(request, pk):
    """Issue the certificate (once, confirmed): a page of its own, the confirmation asked for
    by the server (no script)."""
    trainee = get_trainee(pk)
    refusal = papers.certificate_refusal(trainee)
    if refusal or trainee.certificate_issued_on:
        if refusal:
            messages.error(request, refusal)
        return redirect("training:trainee_detail", trainee.pk)
    form = IssueCertificateForm(request.POST or None, initial={"issued_on": clock.today()})
    back = reverse("training:trainee_detail", args=[trainee.pk])

    def issue(data):
        trainee_services.do_issue_certificate(trainee, data["issued_on"], actor=request.user)
        return back

    return form_page(
        request,
        form,
        issue,
        template="training/trainee_certificate_issue.html",
        success=_("The certificate has been issued and archived as issued."),
        back=back,
        context={"trainee": trainee, "module": trainee.module, "group": trainee.group},
    )


CERTIFICATE = papers.CERTIFICATE


@require_POST
def trainee_remove(request, pk):
    trainee = get_trainee(pk)
    group = trainee.group
    try:
        trainee_services.do_remove_trainee(trainee, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("training:trainee_detail", trainee.pk)
    messages.success(
        request, _("%(name)s has been taken out of the group.") % {"name": trainee.full_name}
    )
    return redirect("training:group_detail", group.pk)


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
