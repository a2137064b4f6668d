"""Internet connections of the households and the units, and their outages."""

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from pghistory.models import Events

from lebork_einclusion import clock
from lebork_einclusion.forms import explain_empty_choice
from lebork_einclusion.models import PublicUnit
from lebork_einclusion.pages import form_page
from lebork_einclusion.paging import query_without_page, seek_page

from ..forms import (
    CloseOutageForm,
    ConnectionForm,
    ConnectionMoveForm,
    ConnectionStatusForm,
    OutageForm,
)
from ..models import (
    Connection,
    Outage,
)
from ..queries import contract_covering
from ..services.connections import (
    do_change_connection,
    do_close_outage,
    do_connect,
    do_move_connections,
    do_report_outage,
)
from ._common import connection_or_404, outage_or_404, participant_crumbs, participant_or_404


def connection_list(request):
    # Counted per row shown (a subquery), not by grouping every connection.
    open_outages = (
        Outage.objects.filter(connection=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("connection")
        .annotate(n=Count("pk"))
    )
    connections = Connection.objects.select_related(
        "participant__application", "participant__signatory", "public_unit", "contract__supplier"
    ).annotate(open_outages=Coalesce(Subquery(open_outages.values("n")), 0))
    status = request.GET.get("status", "")
    if status in Connection.Status.values:
        connections = connections.filter(status=status)
    who = request.GET.get("who", "")
    if who == "household":
        connections = connections.filter(participant__isnull=False)
    elif who == "unit":
        connections = connections.filter(public_unit__isnull=False)
    # The units first (by name), then the households in registration order (copied onto the
    # connection): an index of the connection's own columns walks it.
    page = seek_page(
        request,
        connections.order_by(
            F("household_sequence").asc(nulls_first=True), "public_unit__name", "-installed_on"
        ),
    )
    return render(
        request,
        "lending/connection_list.html",
        {
            "page": page,
            "statuses": Connection.Status.choices,
            "status": status,
            "who": who,
            "query": query_without_page(request),
            "units_without": PublicUnit.objects.exclude(
                lending_connections__status__in=[
                    Connection.Status.ACTIVE,
                    Connection.Status.SUSPENDED,
                ]
            ).order_by("name"),
        },
    )


def connection_detail(request, pk):
    connection = connection_or_404(pk)
    return render(
        request,
        "lending/connection_detail.html",
        {
            "connection": connection,
            "covered_today": contract_covering(connection, clock.today()),
            "periods": connection.periods.select_related("contract__supplier"),
            "outages": connection.outages.select_related("reported_by"),
            "history": Events.objects.references(connection).order_by("-pgh_created_at")[:50],
        },
    )


def _connect(request, subscriber, back, crumbs, title):
    form = ConnectionForm(request.POST or None, initial={"installed_on": clock.today()})
    explain_empty_choice(
        form.fields["contract"],
        _("No provider's contract for Internet connections is in force yet."),
        reverse("procurement:contract_list"),
        _("Open the contracts"),
    )

    def perform(data):
        connection = do_connect(
            subscriber,
            data["contract"],
            data["installed_on"],
            technology=data["technology"],
            actor=request.user,
        )
        return reverse("lending:connection_detail", args=[connection.pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The connection has been recorded."),
        back=back,
        context={
            "title": title,
            "intro": _(
                "The connection is kept until the end of the durability period (the project's end + 5 years)."
            ),
            "crumbs": crumbs,
            "submit": _("Record the connection"),
        },
    )


def connection_new(request, pk):
    participant = participant_or_404(pk)
    return _connect(
        request,
        participant,
        reverse("lending:participant_detail", args=[pk]),
        participant_crumbs(participant),
        _("Internet connection for %(number)s") % {"number": participant.application.number},
    )


def unit_connection_new(request, pk):
    unit = get_object_or_404(PublicUnit.objects.all(), pk=pk)
    return _connect(
        request,
        unit,
        reverse("lending:connection_list"),
        [(_("Internet connections"), reverse("lending:connection_list"))],
        _("Internet connection for %(unit)s") % {"unit": unit.name},
    )


def connections_move(request):
    """The town signed the next provider's contract: the connections move onto it."""
    form = ConnectionMoveForm(request.POST or None)

    def perform(data):
        do_move_connections(
            data["from_contract"], data["to_contract"], data["since"], actor=request.user
        )
        return reverse("lending:connection_list")

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The connections have been moved onto the new contract."),
        back=reverse("lending:connection_list"),
        context={
            "title": _("Move the connections onto a new provider's contract"),
            "intro": _(
                "The days before the move stay under the old contract; from the chosen day the "
                "connections are provided under the new one."
            ),
            "crumbs": [(_("Internet connections"), reverse("lending:connection_list"))],
            "submit": _("Move the connections"),
        },
    )


def connection_status(request, pk):
    connection = connection_or_404(pk)
    form = ConnectionStatusForm(request.POST or None, initial={"since": clock.today()})

    def perform(data):
        do_change_connection(
            connection, data["status"], data["since"], data["note"], actor=request.user
        )
        return reverse("lending:connection_detail", args=[pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The status has been changed."),
        back=reverse("lending:connection_detail", args=[pk]),
        context={
            "title": _("Status of the connection of %(who)s") % {"who": connection.subscriber},
            "crumbs": [(_("Internet connections"), reverse("lending:connection_list"))],
        },
    )


def outage_new(request, pk):
    connection = connection_or_404(pk)
    form = OutageForm(request.POST or None, initial={"started_on": clock.today()})

    def perform(data):
        do_report_outage(connection, data["started_on"], data["description"], actor=request.user)
        return reverse("lending:connection_detail", args=[pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The outage has been reported."),
        back=reverse("lending:connection_detail", args=[pk]),
        context={
            "title": _("Outage of the connection of %(who)s") % {"who": connection.subscriber},
            "crumbs": [(_("Internet connections"), reverse("lending:connection_list"))],
            "submit": _("Report the outage"),
        },
    )


def outage_close(request, pk):
    outage = outage_or_404(pk)
    form = CloseOutageForm(request.POST or None, initial={"ended_on": clock.today()})

    def perform(data):
        do_close_outage(outage, data["ended_on"], data["resolution"], actor=request.user)
        return reverse("lending:connection_detail", args=[outage.connection_id])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The outage has been closed."),
        back=reverse("lending:connection_detail", args=[outage.connection_id]),
        context={
            "title": _("End of the outage"),
            "lead": outage.description,
            "crumbs": [(_("Internet connections"), reverse("lending:connection_list"))],
        },
    )
