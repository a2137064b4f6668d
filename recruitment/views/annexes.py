"""The Regulation's annexes 1-8 (§5.3): a call's page of blank forms, an application's page of
the same forms pre-filled, and each form's PDF (recruitment/annexes.py)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from lebork_einclusion.access import record_personal_data_access
from lebork_einclusion.pdf import pdf_response

from .. import annexes
from ..models import Application
from .calls import get_call


def _annex(number) -> annexes.Annex:
    try:
        return annexes.ANNEXES[number]
    except KeyError:
        raise Http404 from None


def _application(pk) -> Application:
    return get_object_or_404(Application.objects.select_related("call"), pk=pk)


def annex_list(request, pk):
    """The call's page "Annexes to the Regulation": each annex as a blank form."""
    call = get_call(pk)
    return render(
        request,
        "recruitment/annexes.html",
        {"call": call, "application": None, "rows": [(a, None) for a in annexes.ANNEXES.values()]},
    )


def application_annexes(request, pk):
    """The same annexes, each pre-filled from the application, with what was handed in."""
    application = _application(pk)
    handed_in = annexes.handed_in(application)
    return render(
        request,
        "recruitment/annexes.html",
        {
            "call": application.call,
            "application": application,
            "rows": [(a, handed_in[a.number]) for a in annexes.ANNEXES.values()],
        },
    )


def annex_blank_pdf(request, pk, number):
    annex = _annex(number)
    call = get_call(pk)
    return pdf_response(annexes.annex_pdf(annex, call), annexes.filename(annex))


def annex_filled_pdf(request, pk, number):
    """A draft for the applicant to check and sign: rendered live, never archived."""
    annex = _annex(number)
    application = _application(pk)
    record_personal_data_access(request, application, kinds=("pesel", "income", "disability"))
    return pdf_response(
        annexes.annex_pdf(annex, application.call, application),
        annexes.filename(annex, application),
    )
