"""Recruitment screens of the lists: the live ranking and its approval, the approved versions,
their papers, the public results."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lebork_einclusion import archive
from lebork_einclusion.access import record_personal_data_access
from lebork_einclusion.forms import add_service_error
from lebork_einclusion.pdf import pdf_response
from lebork_einclusion.tables import XLSX_TYPE

from .. import domain, papers
from ..filters import evaluations_for_list
from ..forms import ApproveListsForm
from ..interchange import ranking_csv, ranking_json, ranking_payload, ranking_xlsx
from ..models import Evaluation, RankingVersion
from ..presenting import list_rows, standings
from ..queries import latest_version
from ..services import evaluation, lists
from .calls import get_call

# Beyond the main list, a list shows its first rows; the rest are one click away in the filtered
# application list and in the exports, so the page costs the same for 79 or 100 000 applications.
RANKING_SHOWN = 50


def ranking(request, pk):
    call = get_call(pk)
    form = ApproveListsForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            version = lists.do_approve_lists(
                call,
                form.cleaned_data["meeting"],
                form.cleaned_data["decided_on"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The lists have been approved as version %(n)d.") % {"n": version.number}
            )
            return redirect("recruitment:version_detail", call.pk, version.number)
    evaluations = evaluations_for_list(call)
    standing = standings(latest_version(call))
    groups = []
    for code in domain.STATUS_ORDER:
        limit = max(call.places, RANKING_SHOWN) if code == domain.MAIN else RANKING_SHOWN
        # Each list in its order (ranking order, or registration for the others): an index
        # walks it, and counts it.
        listed = evaluations.filter(status=code)
        rows = list_rows(listed.order_by("position")[:limit], standing)
        total = (
            len(rows)
            if len(rows) < limit
            else Evaluation.objects.filter(call=call, status=code).count()
        )
        groups.append((code, domain.STATUSES[code], rows, total))
    ties = Evaluation.objects.filter(
        call=call, status__in=[domain.MAIN, domain.RESERVE], tie=True
    ).order_by("position")
    return render(
        request,
        "recruitment/ranking.html",
        {
            "call": call,
            "groups": groups,
            "form": form,
            "versions": call.versions.select_related("meeting"),
            "pending": lists.unverified_numbers(call, limit=21),
            "ties": list(ties.values_list("application__number", flat=True)[:RANKING_SHOWN]),
        },
    )


def ranking_export(request, pk, fmt):
    call = get_call(pk)
    payload = ranking_payload(call, evaluation.current_outcomes(call))
    if fmt == "json":
        response = HttpResponse(
            ranking_json(payload), content_type="application/json; charset=utf-8"
        )
    elif fmt == "csv":
        response = HttpResponse(ranking_csv(payload), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(ranking_xlsx(payload), content_type=XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="ranking-{call.code}.{fmt}"'
    response["Cache-Control"] = "no-store"
    record_personal_data_access(request, call, kinds=("pesel",))
    return response


def _get_version(pk, number) -> RankingVersion:
    return get_object_or_404(
        RankingVersion.objects.select_related("call", "meeting", "created_by"),
        call_id=pk,
        number=number,
    )


def version_detail(request, pk, number):
    version = _get_version(pk, number)
    entries = papers.version_entries(version)
    return render(
        request,
        "recruitment/version_detail.html",
        {
            "version": version,
            "call": version.call,
            "groups": papers.group_entries(entries),
            "is_latest": version == latest_version(version.call),
        },
    )


# A version's papers are archived by the service that decides it (papers.archive_version).
# binding=True stores on first opening the papers of versions decided before that (and those
# of the demo, loaded without archiving): the fallback for older records.
PROTOCOL = papers.PROTOCOL
LETTERS = papers.LETTERS


def protocol_pdf(request, pk, number):
    version = _get_version(pk, number)
    return archive.paper_response(
        request,
        version,
        PROTOCOL,
        lambda draft: papers.protocol_pdf(version),
        f"protokol-komisji-{version.call.code}-v{version.number}.pdf",
        binding=True,
    )


def letters_pdf(request, pk, number):
    version = _get_version(pk, number)
    return archive.paper_response(
        request,
        version,
        LETTERS,
        lambda draft: papers.letters_pdf(version),
        f"pisma-{version.call.code}-v{version.number}.pdf",
        binding=True,
    )


def results(request, pk):
    """The public results list: registration numbers only, no names, no PESEL."""
    call = get_call(pk)
    version = latest_version(call)
    if version is None:
        raise Http404
    entries = version.entries.select_related("application").order_by(
        "rank", "application__sequence"
    )
    return render(
        request,
        "recruitment/results.html",
        {"call": call, "version": version, "groups": papers.public_groups(entries)},
    )


def results_pdf(request, pk):
    call = get_call(pk)
    version = latest_version(call)
    if version is None:
        raise Http404
    return pdf_response(papers.results_pdf(version), f"wyniki-naboru-{call.code}.pdf")
