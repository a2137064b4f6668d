"""The live indicators and their frozen snapshots (PDF and XLSX)."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.models import Project
from lebork_einclusion.pages import form_page
from lebork_einclusion.paging import seek_page
from lebork_einclusion.pdf import pdf_response

from .. import papers
from ..forms.snapshots import AsOfForm, SnapshotForm
from ..indicators import live_indicators
from ..models import (
    IndicatorSnapshot,
)
from ..series import indicators_with_charts
from ..services.snapshots import do_freeze_indicators
from .common import project_or_404


def indicators(request):
    project = project_or_404()
    form = AsOfForm(request.GET or None)
    as_of = clock.today()
    if form.is_valid() and form.cleaned_data["as_of"]:
        as_of = form.cleaned_data["as_of"]
    snapshots = IndicatorSnapshot.objects.select_related("frozen_by").order_by("-frozen_at", "-pk")
    page = seek_page(request, snapshots)
    figures, drawn = indicators_with_charts(project, as_of)
    return render(
        request,
        "monitoring/indicators.html",
        {
            "project": project,
            "form": form,
            "as_of": as_of,
            "indicators": figures,
            "charts": drawn,
            "page": page,
        },
    )


def snapshot_new(request):
    project = project_or_404()
    form = SnapshotForm(
        request.POST or None,
        initial={"as_of": clock.today(), "purpose": IndicatorSnapshot.Purpose.PAYMENT_CLAIM},
    )

    def perform(data):
        snapshot = do_freeze_indicators(project, actor=request.user, **data)
        return reverse("monitoring:snapshot_detail", args=[snapshot.pk])

    return form_page(
        request,
        form,
        perform,
        template="monitoring/snapshot_form.html",
        context={"project": project},
        success=_("The indicators have been frozen."),
    )


def _snapshot(request, pk) -> IndicatorSnapshot:
    return get_object_or_404(IndicatorSnapshot.objects.select_related("frozen_by"), pk=pk)


def snapshot_detail(request, pk):
    snapshot = _snapshot(request, pk)
    project = Project.current()
    values = list(snapshot.values.all())
    # The same day recomputed from today's records: shows what was entered late, never
    # changes the snapshot.
    recomputed = (
        {i.code: i.value for i in live_indicators(project, snapshot.as_of)} if project else {}
    )
    for value in values:
        value.recomputed = recomputed.get(value.code)
        value.changed_since = value.code in recomputed and value.recomputed != value.value
    return render(
        request, "monitoring/snapshot_detail.html", {"snapshot": snapshot, "values": values}
    )


def snapshot_xlsx(request, pk):
    snapshot = _snapshot(request, pk)
    return papers.snapshot_xlsx(snapshot)


def snapshot_pdf(request, pk):
    snapshot = _snapshot(request, pk)
    return pdf_response(
        papers.snapshot_pdf(snapshot, Project.current()),
        f"wskazniki-{snapshot.as_of:%Y-%m-%d}-{snapshot.pk}.pdf",
    )
