"""Archived papers: the page of one (what was stored, when, by whom, its SHA-256), the scan of
the signed paper attached beside it, and both files served through permission-checked
downloads (uploads.file_response)."""

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import archive
from ..models import ArchivedPaper
from ..pages import form_page
from ..uploads import file_response


class ScanForm(forms.Form):
    scan = forms.FileField(
        label=gettext_lazy("scan of the signed paper"),
        help_text=gettext_lazy("PDF, JPEG or PNG."),
    )


def archived_paper(request, pk):
    paper = get_object_or_404(ArchivedPaper.objects.select_related("archived_by"), pk=pk)
    form = ScanForm(request.POST or None, request.FILES or None)
    here = reverse("core:archived_paper", args=[pk])
    return form_page(
        request,
        form,
        lambda data: archive.do_attach_scan(paper, data["scan"], actor=request.user) and here,
        template="core/archived_paper.html",
        success=_("The scan has been attached beside the archived paper."),
        back=here,
        context={"paper": paper, "label": archive.label_of(paper.kind)},
    )


def _stem(paper) -> str:
    return f"{paper.kind.replace('.', '-')}-{paper.object_id}"


def archived_paper_pdf(request, pk):
    """The stored PDF, byte for byte."""
    paper = get_object_or_404(ArchivedPaper, pk=pk)
    return file_response(paper.file, _stem(paper))


def archived_paper_scan(request, pk):
    paper = get_object_or_404(ArchivedPaper, pk=pk)
    if not paper.scan:
        return redirect("core:archived_paper", paper.pk)
    return file_response(paper.scan, f"skan-{_stem(paper)}")
