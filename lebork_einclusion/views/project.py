"""The project record and the public units it equips."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import clock
from ..concurrency import save_versioned
from ..forms import OfficeholderForm, ProjectForm, PublicUnitForm
from ..models import Officeholder, Project, PublicUnit
from ..pages import form_page
from ..pdf import pdf_response, render_pdf


def project(request):
    return render(request, "core/project.html", {"project": Project.current()})


def project_pdf(request):
    project = get_object_or_404(Project, pk=getattr(Project.current(), "pk", None))
    pdf = render_pdf(
        "core/pdf/project.html",
        {"project": project, "units": PublicUnit.objects.all(), "printed_at": clock.now()},
    )
    return pdf_response(pdf, "projekt.pdf")


def project_edit(request):
    instance = Project.current() or Project()
    form = ProjectForm(request.POST or None, instance=instance)

    def save(data):
        save_versioned(form)

    return form_page(
        request,
        form,
        save,
        template="core/project_form.html",
        success=_("The project record has been saved."),
        back=reverse("core:project"),
    )


def public_unit_list(request):
    units = PublicUnit.objects.all()
    return render(request, "core/public_unit_list.html", {"units": units})


def public_unit_edit(request, pk=None):
    unit = get_object_or_404(PublicUnit, pk=pk) if pk else PublicUnit()
    form = PublicUnitForm(request.POST or None, instance=unit)

    def save(data):
        save_versioned(form)

    return form_page(
        request,
        form,
        save,
        template="core/public_unit_form.html",
        context={"unit": unit},
        success=_("The public unit has been saved."),
        back=reverse("core:public_unit_list"),
    )


def officeholder_list(request):
    """The mayor, deputies, treasurers and proxies with their terms: who signs the papers."""
    return render(
        request,
        "core/officeholder_list.html",
        {"holders": Officeholder.objects.all(), "today": clock.today()},
    )


def officeholder_edit(request, pk=None):
    holder = get_object_or_404(Officeholder, pk=pk) if pk else Officeholder()
    form = OfficeholderForm(request.POST or None, instance=holder)

    def save(data):
        save_versioned(form)

    return form_page(
        request,
        form,
        save,
        template="core/officeholder_form.html",
        context={"holder": holder},
        success=_("The office holder has been saved."),
        back=reverse("core:officeholder_list"),
    )
