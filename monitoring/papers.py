"""Monitoring's papers: the labs' poster, a snapshot's PDF and spreadsheet, the durability
report. Printed in the office's language (the PDF pipeline sees to it)."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lebork_einclusion.models import Project
from lebork_einclusion.pdf import render_pdf
from lebork_einclusion.tables import XLSX_TYPE, workbook_bytes

from . import durability
from .models import IndicatorSnapshot


def poster_pdf(month: datetime.date, units: list[dict], project: Project | None) -> bytes:
    """One A4 page per unit: its name, address, the month's days and hours."""
    return render_pdf(
        "monitoring/pdf/poster.html", {"month": month, "units": units, "project": project}
    )


def snapshot_pdf(snapshot: IndicatorSnapshot, project: Project | None) -> bytes:
    return render_pdf(
        "monitoring/pdf/snapshot.html",
        {
            "snapshot": snapshot,
            "values": list(snapshot.values.all()),
            "project": project,
            "printed_at": timezone.localtime(),
        },
    )


def snapshot_xlsx(snapshot: IndicatorSnapshot) -> HttpResponse:
    """Two sheets: the frozen figures, and what they were frozen for, when and by whom."""
    with translation.override(settings.LANGUAGE_CODE):
        values = list(snapshot.values.all())
        figures = (
            _("Indicators"),
            [
                _("Code"),
                _("Indicator"),
                _("Target"),
                _("Value"),
                _("Unit"),
                _("Percent of the target"),
            ],
            [[v.code, v.name, v.target, v.value, v.unit, v.percent] for v in values],
        )
        frozen_by = snapshot.frozen_by.get_full_name() or snapshot.frozen_by.get_username()
        about = (
            _("Snapshot"),
            [_("Field"), _("Value")],
            [
                [_("Project"), snapshot.project_name],
                [_("Figures as of"), date_format(snapshot.as_of, "SHORT_DATE_FORMAT")],
                [_("Purpose"), snapshot.get_purpose_display()],
                [_("Reference"), snapshot.reference],
                [_("Note"), snapshot.note],
                [
                    _("Frozen"),
                    date_format(timezone.localtime(snapshot.frozen_at), "SHORT_DATETIME_FORMAT"),
                ],
                [_("Frozen by"), frozen_by],
            ],
        )
        data = workbook_bytes([figures, about])
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="wskazniki-{snapshot.as_of:%Y-%m-%d}-{snapshot.pk}.xlsx"'
    )
    response["Cache-Control"] = "no-store"
    return response


def durability_pdf(project: Project, year: durability.ProjectYear) -> bytes:
    context = durability.report(project, year)
    context["printed_at"] = timezone.localtime()
    return render_pdf("monitoring/pdf/durability.html", context)
