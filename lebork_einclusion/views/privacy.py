"""GDPR duties: the record of processing (Art. 30), legal holds that keep records out of
retention, and the data-subject export (Art. 15), found by a PESEL sent in a POST body."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import clock, gdpr
from ..forms import LegalHoldForm, SubjectExportForm
from ..gdpr.retention import retention_text
from ..gdpr.subject_export import do_subject_export
from ..models import LegalHold, PrivacyNotice
from ..pages import form_page
from ..pdf import pdf_response, render_pdf
from ..services import do_place_legal_hold, do_release_legal_hold
from .access_log import record_type_label


def processing_register(request):
    """The record of processing activities (Art. 30 GDPR), built from the registry."""
    return render(
        request,
        "core/processing_register.html",
        {
            "notice": PrivacyNotice.current(),
            "sources": gdpr.sources(),
            "retention_text": retention_text(),
            "today": clock.today(),
        },
    )


def _hold_type_choices():
    return [(source.label, source.name) for source in gdpr.sources() if source.managed_by_retention]


def legal_holds(request):
    form = LegalHoldForm(request.POST or None, type_choices=_hold_type_choices())
    holds = LegalHold.objects.select_related("created_by", "released_by")
    rows = [{"hold": hold, "type": record_type_label(hold.object_type)} for hold in holds]

    def place(data):
        do_place_legal_hold(data["object_type"], data["object_id"], data["reason"], request.user)

    return form_page(
        request,
        form,
        place,
        template="core/legal_holds.html",
        context={"rows": rows, "retention_text": retention_text()},
        success=_("The legal hold has been placed."),
        back=reverse("core:legal_holds"),
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
            document = do_subject_export(request, pesel)
        except ValidationError as error:
            form.add_error("pesel", error)
        else:
            stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
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
                {"document": document, "printed_at": clock.now()},
            )
            response = pdf_response(pdf, f"dane-osoby-{stamp}.pdf")
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "core/subject_export.html", {"form": form})
