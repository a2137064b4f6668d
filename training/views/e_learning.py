"""The e-learning module: the provider's progress imported, a login handed over."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lebork_einclusion.tables import read_table

from ..forms import (
    LoginHandoverForm,
    ProgressImportForm,
)
from ..models import (
    ELearningEnrolment,
)
from ..services import e_learning as e_learning_services
from ._shared import get_module, get_trainee


def progress_import(request, pk):
    module = get_module(pk)
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
            result = e_learning_services.do_import_progress(
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


@require_POST
def trainee_login(request, pk):
    trainee = get_trainee(pk)
    enrolment = ELearningEnrolment.objects.filter(trainee=trainee).first()
    if enrolment is None:
        raise Http404
    form = LoginHandoverForm(request.POST)
    if form.is_valid():
        try:
            e_learning_services.do_hand_over_login(
                enrolment, handed_over_on=form.cleaned_data["handed_over_on"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The handover of the login has been recorded."))
    else:
        messages.error(request, _("Enter the date the login was handed over."))
    return redirect(reverse("training:trainee_detail", args=[trainee.pk]) + "#e-learning")
