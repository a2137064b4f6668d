"""Durability: the project years after its end and their reports."""

from django.http import Http404
from django.shortcuts import render

from lebork_einclusion.pdf import pdf_response

from .. import durability, papers
from .common import project_or_404

# --- durability --------------------------------------------------------------------------------


def durability_list(request):
    project = project_or_404()
    return render(
        request,
        "monitoring/durability_list.html",
        {"project": project, "years": durability.project_years(project)},
    )


def durability_pdf(request, number):
    project = project_or_404()
    year = durability.project_year(project, number)
    if year is None or not year.started:
        raise Http404
    return pdf_response(
        papers.durability_pdf(project, year), f"raport-trwalosci-rok-{year.number}.pdf"
    )
