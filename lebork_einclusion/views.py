from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pghistory.models import Event, Events

from .concurrency import ConcurrentEditError, save_versioned
from .forms import AuditFilterForm, ProjectForm, PublicUnitForm
from .models import GeneratedFile, Project, PublicUnit
from .pdf import pdf_response, render_pdf
from .roles import COORDINATOR, has_role
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
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    names = {u.pk: u.get_full_name() or u.username for u in users}
    rows = [
        {
            "event": event,
            "user": names.get((event.pgh_context or {}).get("user")),
            "source": (event.pgh_context or {}).get("command"),
        }
        for event in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


def _generated_file_for_user(request, pk):
    """The creator sees their file; the coordinator sees every file; anyone else gets 404."""
    generated = get_object_or_404(GeneratedFile, pk=pk)
    if generated.created_by_id != request.user.pk and not has_role(request.user, COORDINATOR):
        raise Http404
    return generated


def generated_file(request, pk):
    generated = _generated_file_for_user(request, pk)
    return render(request, "core/generated_file.html", {"generated": generated})


def generated_file_status(request, pk):
    generated = _generated_file_for_user(request, pk)
    return JsonResponse(
        {
            "status": generated.status,
            "status_label": generated.get_status_display(),
            "done": generated.done,
            "total": generated.total,
            "percent": generated.percent,
            "error": generated.error,
            "download": reverse("core:generated_file_download", args=[generated.pk])
            if generated.status == GeneratedFile.Status.DONE
            else None,
        }
    )


def generated_file_download(request, pk):
    generated = _generated_file_for_user(request, pk)
    if generated.status != GeneratedFile.Status.DONE or not generated.file:
        raise Http404
    return file_response(generated.file, generated.filename)
