"""Monitoring's papers: the visit protocol (one visit, or a month's visits in one PDF made in the
background), the labs' poster, a snapshot's PDF and spreadsheet, the durability report. Printed
in the office's language (the PDF pipeline sees to it)."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from weasyprint.urls import URLFetcherResponse

from lebork_einclusion import archive, charts
from lebork_einclusion.background import start_generation
from lebork_einclusion.models import Project
from lebork_einclusion.pdf import BASE_URL, StaticOnlyFetcher, render_pdf, render_pdf_many
from lebork_einclusion.tables import XLSX_TYPE, workbook_bytes

from . import durability, glance, series
from .models import IndicatorSnapshot, MonitoringVisit
from .visits import with_details


def poster_pdf(month: datetime.date, units: list[dict], project: Project | None) -> bytes:
    """One A4 page per unit: its name, address, the month's days and hours."""
    return render_pdf(
        "monitoring/pdf/poster.html", {"month": month, "units": units, "project": project}
    )


def visit_calendar_pdf(context: dict) -> bytes:
    """A month of the visit plan as a calendar, for the officer's round."""
    return render_pdf("monitoring/pdf/visit_calendar.html", context)


def snapshot_pdf(snapshot: IndicatorSnapshot, project: Project | None) -> bytes:
    return render_pdf(
        "monitoring/pdf/snapshot.html",
        {
            "snapshot": snapshot,
            "values": list(snapshot.values.all()),
            "project": project,
            "printed_at": timezone.localtime(),
            # the series up to the snapshot's day, recounted from today's records
            "indicator_charts": (
                series.indicator_charts(project, until=snapshot.as_of) if project else []
            ),
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
    context["charts"] = glance.durability_year(project, year)
    months, _notes = charts.clamp_months(year.start, year.measured_on, project.durability_end)
    context["indicator_charts"] = series.indicator_charts(project, months) if months else []
    return render_pdf("monitoring/pdf/durability.html", context)


# --- the visit protocol ----------------------------------------------------------------------------

FILES_PREFIX = "visit-files/"


class VisitFileFetcher(StaticOnlyFetcher):
    """The PDF pipeline's fetcher (static files only), also answering the visits' photo
    thumbnails and signatures that the protocol names, read from private storage when
    WeasyPrint asks for them. Nothing else is reachable: not other files, not the network."""

    def __init__(self):
        super().__init__()
        self.files: dict[str, object] = {}

    def add(self, field_file, name: str) -> str:
        self.files[name] = field_file
        return FILES_PREFIX + name

    def fetch(self, url, headers=None):
        prefix = BASE_URL + FILES_PREFIX
        if url.startswith(prefix) and url[len(prefix) :] in self.files:
            field_file = self.files[url[len(prefix) :]]
            with field_file.open("rb") as handle:
                content = handle.read()
            content_type = "image/png" if url.endswith(".png") else "image/jpeg"
            self.served.append(url[len(BASE_URL) :])
            return URLFetcherResponse(url, content, {"Content-Type": content_type})
        return super().fetch(url, headers)


def _protocol_context(visit, fetcher: VisitFileFetcher, project, printed_at) -> dict:
    photos = [
        (photo, fetcher.add(photo.thumbnail, f"thumb-{photo.pk}.jpg"))
        for photo in visit.photos.all()
        if photo.thumbnail
    ]
    signature = fetcher.add(visit.signature, f"signature-{visit.pk}.png") if visit.signature else ""
    return {
        "visit": visit,
        "photos": photos,
        "signature_url": signature,
        "project": project,
        "printed_at": printed_at,
    }


def visit_pdf(visit) -> bytes:
    """Protokół z wizyty monitorującej: one visit (visits.with_details())."""
    fetcher = VisitFileFetcher()
    context = _protocol_context(visit, fetcher, Project.current(), timezone.localtime())
    return render_pdf("monitoring/pdf/visit.html", context, fetcher=fetcher)


# A visit is recorded once, signed on the spot: its protocol is binding from that moment,
# stored by do_record_visit (archive_visit) and served from the archive ever after. (Its label
# is the core's: lebork_einclusion.archive._LABELS.)
VISIT_PROTOCOL = "monitoring.visit"


def archive_visit(visit, *, actor) -> None:
    """Store the visit's protocol once the visit's recording commits (printed from the
    committed visit with everything it recorded: checks, photos, follow-ups)."""
    archive.store_on_commit(
        visit,
        VISIT_PROTOCOL,
        lambda draft: visit_pdf(with_details(MonitoringVisit.objects.all()).get(pk=visit.pk)),
        actor=actor,
    )


def visits_pdf(visits, progress=None) -> bytes:
    """Many visits' protocols in one PDF, each with its own page numbers."""
    visits = list(visits)
    fetcher = VisitFileFetcher()
    project = Project.current()
    printed_at = timezone.localtime()
    contexts = (_protocol_context(v, fetcher, project, printed_at) for v in visits)
    return render_pdf_many(
        "monitoring/pdf/visit.html", contexts, len(visits), progress=progress, fetcher=fetcher
    )


def start_month_protocols(user, month: datetime.date):
    from .tasks import month_protocols

    return start_generation(
        user,
        _("Visit protocols: %(month)s") % {"month": date_format(month, "YEAR_MONTH_FORMAT")},
        f"protokoly-wizyt-{month:%Y-%m}.pdf",
        month_protocols,
        month.isoformat(),
    )
