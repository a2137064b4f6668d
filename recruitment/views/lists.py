"""Recruitment screens of the lists: the live ranking and its approval, the approved versions,
their papers, the public results."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lebork_einclusion import archive, roles
from lebork_einclusion.access import record_personal_data_access
from lebork_einclusion.forms import add_service_error
from lebork_einclusion.pdf import pdf_response
from lebork_einclusion.tables import XLSX_TYPE

from .. import domain, papers
from ..forms import ApproveListsForm
from ..interchange import ranking_csv, ranking_json, ranking_payload, ranking_xlsx
from ..models import RankingVersion
from ..presenting import list_rows, standings
from ..queries import latest_version, list_heads, list_sizes, tied_at_the_line
from ..services import evaluation, lists
from .calls import get_call

# Beyond the main list, a list shows its first rows; the rest are one click away in the filtered
# application list and in the exports, so the page costs the same for 79 or 100 000 applications.
RANKING_SHOWN = 25
# The ranking page shows the main list whole and the first rows of each other list (fewer rows
# rendered: the page is the committee's overview, each whole list is the application list's).
LIST_HEAD = 10
RANKING_COUNTED = 1_000
TIES_SHOWN = 50
RANKED = (domain.MAIN, domain.RESERVE, domain.UNLISTED)
UNRANKED = (domain.INELIGIBLE, domain.REJECTED)


def ranking(request, pk):
    call = get_call(pk)
    # The approval form and what it warns of are made for those who may approve only.
    form = None
    if roles.may_change(request.user, "recruitment:ranking"):
        form = ApproveListsForm(request.POST or None, call=call)
    if request.method == "POST" and form is not None and form.is_valid():
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
    versions = list(call.versions.select_related("meeting"))  # by number: the newest last
    standing = standings(versions[-1] if versions else None)
    limits = {
        code: max(call.places, LIST_HEAD) if code == domain.MAIN else LIST_HEAD
        for code in domain.STATUS_ORDER
    }
    # The first rows of every list in one query, a UNION ALL of one index walk per list (the
    # ranking's order, or registration order for the ineligible and the rejected), with the
    # columns shown only, read as plain values.
    listed = list_heads(call, limits, RANKED)
    # The lists longer than shown are counted up to RANKING_COUNTED (an index walk of that
    # many entries at most; at 100 000 applications an exact count would walk them all on
    # every view); the main list never is.
    totals = {code: len(rows) for code, rows in listed.items()}
    longer = [code for code in RANKED[1:] + UNRANKED if len(listed[code]) >= limits[code]]
    totals.update(list_sizes(call, longer, RANKING_COUNTED))
    groups = []
    ahead = 0  # the ranked rows before this list's first
    for code in domain.STATUS_ORDER:
        rows = listed[code]
        total = totals.get(code, 0)
        beyond = total > RANKING_COUNTED
        if code in RANKED and code != domain.MAIN:
            # Only the main list's places are stored: the lists after it are numbered on.
            if ahead is None:  # after a list longer than counted: one walk of the ranking
                evaluation.fill_places(call, rows)
            for place, row in enumerate(rows, start=(ahead or 0) + 1):
                if ahead is not None and row.position is None:
                    row.position = place
                    row.rank = place if code == domain.RESERVE else None
        if code in RANKED:
            ahead = None if ahead is None or beyond else ahead + total
        groups.append((code, domain.STATUSES[code], list_rows(rows, standing), total, beyond))
    return render(
        request,
        "recruitment/ranking.html",
        {
            "call": call,
            "groups": groups,
            "counted": RANKING_COUNTED,
            "form": form,
            "versions": versions,
            "pending": lists.unverified_numbers(call, limit=21) if form is not None else [],
            # The tied rows are those with the line's points (the last main row's), next to each
            # other in ranking order.
            "ties": tied_at_the_line(call, TIES_SHOWN),
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


# A version's papers are archived by a task the deciding service queues after its commit
# (tasks.archive_after_commit).
# binding=True stores on first opening the papers the task has not stored yet (and those
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
