"""Internet connections of the households and the public units, and their outages."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lebork_einclusion.dates import short_date
from lebork_einclusion.models import Project, PublicUnit
from lebork_einclusion.records import locked, save_changed, service

from ..models import (
    Connection,
    ConnectionPeriod,
    Outage,
    Participant,
)
from ._common import not_in_future


def refuse_uncovered(contract, day: datetime.date, field: str):
    """A connection is provided only on the days its provider's contract covers (the Internet
    is paid for under it)."""
    if not (contract.term_start <= day <= contract.term_end):
        raise ValidationError(
            {
                field: _(
                    "The provider's contract %(number)s does not cover %(day)s: its term runs "
                    "from %(start)s to %(end)s. Choose a contract in force on that day."
                )
                % {
                    "number": contract.number,
                    "day": short_date(day),
                    "start": short_date(contract.term_start),
                    "end": short_date(contract.term_end),
                }
            }
        )


def durability_end() -> datetime.date:
    project = Project.current()
    if project is None:
        raise ValidationError(_("Fill in the project record first (its end date)."))
    return project.durability_end


@service
def do_connect(
    subscriber: Participant | PublicUnit,
    contract,
    installed_on: datetime.date,
    *,
    actor,
    technology: str = "",
) -> Connection:
    """A household or a public unit is connected; the connection is kept to the end of the
    durability period (the project's end + 5 years)."""
    is_household = isinstance(subscriber, Participant)
    if is_household:
        subscriber = locked(subscriber)
        if not subscriber.is_active:
            raise ValidationError(_("The household no longer takes part."))
    open_connections = Connection.objects.exclude(status=Connection.Status.ENDED)
    lookup = {"participant": subscriber} if is_household else {"public_unit": subscriber}
    if open_connections.filter(**lookup).exists():
        raise ValidationError(
            _("%(who)s already has a connection that has not ended.") % {"who": subscriber}
        )
    not_in_future("installed_on", installed_on, _("The installation date"))
    if installed_on < contract.signed_on:
        raise ValidationError(
            {
                "installed_on": _(
                    "The installation cannot be before the provider's contract was signed (%(date)s)."
                )
                % {"date": short_date(contract.signed_on)}
            }
        )
    refuse_uncovered(contract, installed_on, "installed_on")
    connection = Connection.objects.create(
        contract=contract,
        installed_on=installed_on,
        ends_on=durability_end(),
        technology=technology.strip(),
        status_since=installed_on,
        **lookup,
    )
    ConnectionPeriod.objects.create(connection=connection, contract=contract, since=installed_on)
    return connection


@service
def do_move_connections(
    from_contract, to_contract, since: datetime.date, *, actor
) -> list[Connection]:
    """The town signed the next provider's contract: every connection not ended that is
    provided under `from_contract` is provided under `to_contract` from `since` (the days
    before stay under the old contract). All or nothing."""
    if from_contract.pk == to_contract.pk:
        raise ValidationError({"to_contract": _("Choose a contract other than the current one.")})
    refuse_uncovered(to_contract, since, "since")
    moving = list(
        Connection.objects.select_for_update()
        .filter(contract=from_contract)
        .exclude(status=Connection.Status.ENDED)
        .order_by("pk")
    )
    if not moving:
        raise ValidationError(
            {"from_contract": _("No connection that has not ended is provided under it.")}
        )
    periods = {
        p.connection_id: p
        for p in ConnectionPeriod.objects.select_for_update().filter(
            connection__in=moving, until__isnull=True
        )
    }
    for connection in moving:
        current = periods.get(connection.pk)
        started = current.since if current else connection.installed_on
        if since <= started:
            raise ValidationError(
                {
                    "since": _(
                        "The connection of %(who)s is provided under its current contract from "
                        "%(date)s: the move must be later."
                    )
                    % {"who": connection.subscriber, "date": short_date(started)}
                }
            )
    until = since - datetime.timedelta(days=1)
    for connection in moving:
        current = periods.get(connection.pk)
        if current:
            current.until = until
            current.save(update_fields=["until"])
        else:  # a connection recorded before the periods, not filled by the migration
            ConnectionPeriod.objects.create(
                connection=connection,
                contract=from_contract,
                since=connection.installed_on,
                until=until,
            )
        ConnectionPeriod.objects.create(connection=connection, contract=to_contract, since=since)
        connection.contract = to_contract
        save_changed(connection, "contract")
    return moving


@service
def do_change_connection(
    connection: Connection, status: str, since: datetime.date, note: str, *, actor
) -> Connection:
    connection = locked(connection)
    if connection.status == Connection.Status.ENDED:
        raise ValidationError(_("The connection has ended; connect the household again instead."))
    if status not in Connection.Status.values or status == connection.status:
        raise ValidationError({"status": _("Choose a new status.")})
    if since < connection.status_since:
        raise ValidationError(
            {
                "since": _("The date cannot be before the current status began (%(date)s).")
                % {"date": short_date(connection.status_since)}
            }
        )
    not_in_future("since", since, _("The date"))
    connection.status, connection.status_since, connection.status_note = status, since, note.strip()
    save_changed(connection, "status", "status_since", "status_note")
    return connection


@service
def do_report_outage(
    connection: Connection, started_on: datetime.date, description: str, *, actor
) -> Outage:
    """An outage of a connection (reported by the household, a unit or a monitoring visit)."""
    connection = locked(connection)
    if not description.strip():
        raise ValidationError({"description": _("Describe the outage.")})
    if connection.status == Connection.Status.ENDED:
        raise ValidationError(_("The connection has ended: there is nothing to report."))
    if started_on < connection.installed_on:
        raise ValidationError(
            {
                "started_on": _("The outage cannot start before the installation (%(date)s).")
                % {"date": short_date(connection.installed_on)}
            }
        )
    not_in_future("started_on", started_on, _("The start date"))
    return Outage.objects.create(
        connection=connection,
        started_on=started_on,
        description=description.strip(),
        reported_by=actor,
    )


@service
def do_close_outage(outage: Outage, ended_on: datetime.date, resolution: str, *, actor) -> Outage:
    outage = locked(outage)
    if outage.ended_on:
        raise ValidationError(_("This outage is already closed."))
    if ended_on < outage.started_on:
        raise ValidationError({"ended_on": _("The outage cannot end before it started.")})
    not_in_future("ended_on", ended_on, _("The end date"))
    outage.ended_on, outage.resolution = ended_on, resolution.strip()
    outage.save(update_fields=["ended_on", "resolution"])
    return outage
