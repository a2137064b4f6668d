"""The reads of lending that other apps may use (monitoring's visits, outages and indicators).

The `*_on(as_of)` functions are the one definition of what stood at the end of a day: the
indicators, the durability report, the snapshots and the daily job all use them.

Plain query functions, no writes: the writes are lending.services' `do_*` functions.
"""

import datetime

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from lebork_einclusion.day_spans import codes, count_on_days, holding_on, lit, span, spans_or_none
from procurement.models import Contract
from recruitment import domain
from recruitment.models import Application, Call
from recruitment.queries import latest_version

from .models import (
    AgreementAnnex,
    Asset,
    AssetAuditEvent,
    AssetEvent,
    Connection,
    ConnectionPeriod,
    ExclusionProposal,
    LoanAgreement,
    Outage,
    Participant,
)

AS = Asset.Status


def lent_assets(participant: Participant):
    """The assets the household holds now (lent, or away in service and coming back to it),
    by serial number."""
    return (
        Asset.objects.filter(participant=participant, status__in=[AS.LENT, AS.IN_SERVICE])
        .select_related("contract")
        .order_by("serial_number")
    )


def active_connection(participant: Participant) -> Connection | None:
    """The household's current Internet connection (active or suspended), or None."""
    return (
        Connection.objects.filter(participant=participant)
        .exclude(status=Connection.Status.ENDED)
        .select_related("contract__supplier")
        .first()
    )


def main_list_applications(call: Call):
    """Applications on the main list of the call's latest version of the lists."""
    version = latest_version(call)
    if version is None:
        return Application.objects.none()
    return Application.objects.filter(
        pk__in=version.entries.filter(status=domain.MAIN).values("application_id")
    )


def is_on_main_list(application: Application) -> bool:
    return main_list_applications(application.call).filter(pk=application.pk).exists()


def default_signatory(application: Application):
    """§6: the beneficiary signs, that is the applicant (an adult: a parent or legal guardian
    where the application is made for a minor)."""
    return application.members.filter(role=domain.APPLICANT).order_by("pk").first()


# --- what stood at the end of a day: each rule once, as the days it holds on -------------------
#
# Each rule below is SQL giving every record the days it holds on (a datemultirange, see
# lebork_einclusion.day_spans); `*_on(as_of)` picks the records holding on one day, and
# `*_per_day(days)` counts them for many days at once (monitoring's indicators and their monthly
# series). `last` (the last day asked) only leaves out records that begin after it.

P, AG, AX = Participant._meta.db_table, LoanAgreement._meta.db_table, AgreementAnnex._meta.db_table
CN, CP, OU = Connection._meta.db_table, ConnectionPeriod._meta.db_table, Outage._meta.db_table
CT, AE = Contract._meta.db_table, AssetEvent._meta.db_table


# A household takes part from the day it joined until the day it left (`ended_on`), or for good
# while it is active and has no end date.
def _participants_sql(whose: str = "TRUE") -> str:
    """PARTICIPANT_SPANS of the participants `whose` (SQL on `p`) says."""
    return f"""
    SELECT p.id, {
        span(
            "p.joined_on",
            "CASE WHEN p.ended_on IS NOT NULL THEN greatest(p.joined_on, p.ended_on) END",
        )
    } AS spans
    FROM {P} p
    WHERE p.joined_on <= %s
      AND (p.ended_on IS NOT NULL OR p.status = {lit(Participant.Status.ACTIVE)}) AND {whose}
"""  # noqa: S608 - model table names and our own codes; the days are parameters


PARTICIPANT_SPANS = _participants_sql()


# A loan agreement is in force from the handover, until it ended (`ended_on`) and not after its
# end as it stood that day: the new end of the latest annex signed by then, else the original
# end (the first signed annex's `previous_end`, else `ends_on`, which no annex has moved). So
# its days are stretches: before the first annex was signed, then from each annex's signing to
# the next one's, each with the end that held then.
def _agreements_sql(whose: str = "TRUE") -> str:
    """AGREEMENT_SPANS of the agreements `whose` (SQL on `a`) says."""
    return f"""
    WITH signed AS (
        SELECT x.agreement_id, x.signed_on, x.new_end, x.previous_end,
               row_number() OVER w AS k, lead(x.signed_on) OVER w AS next_on
        FROM {AX} x
        WHERE x.status = {lit(AgreementAnnex.Status.SIGNED)}
        WINDOW w AS (PARTITION BY x.agreement_id ORDER BY x.signed_on, x.id)
    ),
    firsts AS (
        SELECT agreement_id, min(signed_on) AS first_on,
               min(previous_end) FILTER (WHERE k = 1) AS original_end
        FROM signed GROUP BY agreement_id
    ),
    agreements AS (
        SELECT a.id, a.participant_id, a.handed_over_on, a.ended_on,
               coalesce(f.original_end, a.ends_on) AS original_end, f.first_on
        FROM {AG} a LEFT JOIN firsts f ON f.agreement_id = a.id
        WHERE a.handed_over_on <= %s AND {whose}
    ),
    stretches AS (
        SELECT a.id, a.participant_id, a.handed_over_on AS lo,
               CASE WHEN a.original_end IS NULL THEN a.handed_over_on
                    ELSE least(a.first_on, a.original_end + 1, a.ended_on) END AS hi
        FROM agreements a
        UNION ALL
        SELECT a.id, a.participant_id, greatest(a.handed_over_on, s.signed_on),
               least(s.next_on, coalesce(s.new_end, a.original_end) + 1, a.ended_on)
        FROM signed s JOIN agreements a ON a.id = s.agreement_id
        WHERE s.signed_on IS NOT NULL
    )
    SELECT id, participant_id, range_merge_all AS spans FROM (
        SELECT id, participant_id, range_agg(r) AS range_merge_all
        FROM stretches CROSS JOIN LATERAL unnest({span("lo", "hi")}) AS r
        GROUP BY id, participant_id
    ) AS merged
"""  # noqa: S608 - model table names and our own codes; the days are parameters


AGREEMENT_SPANS = _agreements_sql()


# A connection works from its installation, until it was ended or suspended (`status_since`:
# a connection keeps only its current status), on the days a contract period under a
# provider's contract whose term covers the day pays for it, and not while an outage is open at
# the end of the day. A suspension lifted before today is not seen on an earlier day.
def _connections_sql(whose: str = "TRUE") -> str:
    """CONNECTION_SPANS of the connections `whose` (SQL on `c`) says."""
    return f"""
    WITH paid AS (
        SELECT cp.connection_id, range_agg(r) AS days
        FROM {CP} cp JOIN {CT} k ON k.id = cp.contract_id
        CROSS JOIN LATERAL unnest({
        span(
            "greatest(cp.since, k.term_start)",
            "least(cp.until, k.term_end) + 1",
        )
    }) AS r
        WHERE cp.since <= %s AND k.term_start IS NOT NULL AND k.term_end IS NOT NULL
          AND cp.connection_id IN (SELECT c.id FROM {CN} c WHERE {whose})
        GROUP BY cp.connection_id
    ),
    down AS (
        SELECT o.connection_id, range_agg(r) AS days
        FROM {OU} o CROSS JOIN LATERAL unnest({span("o.started_on", "o.ended_on")}) AS r
        WHERE o.started_on <= %s AND o.connection_id IN (SELECT c.id FROM {CN} c WHERE {whose})
        GROUP BY o.connection_id
    )
    SELECT c.id, c.participant_id, c.public_unit_id,
           {
        span(
            "c.installed_on",
            "CASE WHEN c.status IN "
            + codes((Connection.Status.ENDED, Connection.Status.SUSPENDED))
            + " THEN c.status_since END",
        )
    } * paid.days - {spans_or_none("down.days")} AS spans
    FROM {CN} c
    JOIN paid ON paid.connection_id = c.id
    LEFT JOIN down ON down.connection_id = c.id
    WHERE c.installed_on <= %s AND {whose}
"""  # noqa: S608 - model table names and our own codes; the days are parameters


CONNECTION_SPANS = _connections_sql()


def _connection_spans(last):
    return CONNECTION_SPANS, [last, last, last]


def _on(model, spans_sql, params, as_of):
    sql, sql_params = holding_on(spans_sql, params, as_of)
    return model.objects.filter(pk__in=RawSQL(sql, sql_params))  # noqa: S611 - see above


def participants_on(as_of):
    """Households taking part at the end of `as_of` (PARTICIPANT_SPANS)."""
    return _on(Participant, PARTICIPANT_SPANS, [as_of], as_of)


def agreements_in_force_on(as_of):
    """Loan agreements in force at the end of `as_of` (AGREEMENT_SPANS): the equipment handed
    over by then, not ended by then, and `as_of` not after the agreement's end as it stood that
    day (the latest annex signed by then moved it)."""
    return _on(LoanAgreement, AGREEMENT_SPANS, [as_of], as_of)


def connections_working_on(as_of):
    """Connections that worked at the end of `as_of` (CONNECTION_SPANS): installed by then,
    neither ended nor suspended then, paid for under a provider's contract whose term covers
    that day, without an outage open at the end of that day."""
    return _on(Connection, *_connection_spans(as_of), as_of)


# Households connected: taking part, with an agreement in force and a working connection, all
# on the same day.
def _households_connected_sql(among: str | None = None) -> str:
    """HOUSEHOLDS_CONNECTED_SPANS of the households whose id is `IN among` (an SQL subquery of
    ids; None: every household)."""
    whose = f"c.participant_id IN {among}" if among else "TRUE"
    return f"""
    WITH working AS (
        SELECT participant_id, range_agg(r) AS days
        FROM ({_connections_sql(f"c.participant_id IS NOT NULL AND {whose}")}) AS c
        CROSS JOIN LATERAL unnest(c.spans) AS r
        GROUP BY participant_id
    ),
    agreements AS (
        SELECT participant_id, range_agg(r) AS days
        FROM ({_agreements_sql("a.participant_id IN (SELECT participant_id FROM working)")}) AS a
        CROSS JOIN LATERAL unnest(a.spans) AS r
        GROUP BY participant_id
    )
    SELECT p.id, p.spans * agreements.days * working.days AS spans
    FROM ({_participants_sql(f"p.id IN {among}" if among else "TRUE")}) AS p
    JOIN agreements ON agreements.participant_id = p.id
    JOIN working ON working.participant_id = p.id
"""  # noqa: S608 - model table names and our own codes; the days are parameters


HOUSEHOLDS_CONNECTED_SPANS = _households_connected_sql()

# Who holds an asset (the latest of these events by the day) and whether it works (the latest
# of those: none, or a service completed since the damage).
# A transfer for ownership ends the holding too: the asset has left the register.
HOLDER_EVENTS = (
    AssetEvent.Kind.ASSIGNED,
    AssetEvent.Kind.RETURNED,
    AssetEvent.Kind.WRITTEN_OFF,
    AssetEvent.Kind.TRANSFERRED,
)
CONDITION_EVENTS = (AssetEvent.Kind.DAMAGED, AssetEvent.Kind.IN_SERVICE, AssetEvent.Kind.SERVICED)


# Each event holds from its day until the next event of its sort (holder, condition) of the same
# asset: a later event of the same day replaces it at once.
def _event_stretches(which: str = "TRUE") -> str:
    """The stretches of the assets' events `which` (SQL on `e`) says."""
    return f"""
    SELECT e.asset_id, e.kind, e.participant_id, e.public_unit_id, e.date AS lo,
           lead(e.date) OVER (
               PARTITION BY e.asset_id, e.kind IN {codes(HOLDER_EVENTS)} ORDER BY e.date, e.id
           ) AS hi
    FROM {AE} e
    WHERE e.kind IN {codes(HOLDER_EVENTS + CONDITION_EVENTS)} AND e.date <= %s AND {which}
"""  # noqa: S608 - model table names and our own codes; the days are parameters


# Equipment in use: handed over to a household or placed in a unit's lab, not back in stock or
# written off; of it in working order: no damage found, or serviced since. An asset's holder
# stretches never overlap, so each handover's stretch counts once for the days it holds
# (households: to a household, units: to a unit); working: those days less the days a damage
# found in them was not yet serviced (each handover's stretch with each broken stretch of the
# same asset, counted negatively). One row per stretch, `id` its asset, `n` its weight.
def _equipment_rows_sql(among: str | None = None) -> str:
    """The weighted stretches of the assets whose id is `IN among` (None: every asset)."""
    return f"""
    WITH stretches AS ({_event_stretches(f"e.asset_id IN {among}" if among else "TRUE")}),
    held AS (
        SELECT asset_id, participant_id, public_unit_id, {span("lo", "hi")} AS days
        FROM stretches WHERE kind = {lit(AssetEvent.Kind.ASSIGNED)}
    )
    SELECT asset_id AS id, 1 AS n, days AS in_use,
        CASE WHEN participant_id IS NOT NULL THEN days ELSE '{{}}' END AS households,
        CASE WHEN public_unit_id IS NOT NULL THEN days ELSE '{{}}' END AS units,
        days AS working
    FROM held
    UNION ALL
    SELECT held.asset_id, -1, '{{}}', '{{}}', '{{}}', held.days * {span("b.lo", "b.hi")}
    FROM held JOIN stretches b ON b.asset_id = held.asset_id
    WHERE b.kind IN {codes((AssetEvent.Kind.DAMAGED, AssetEvent.Kind.IN_SERVICE))}
"""  # noqa: S608 - model table names and our own codes; the days are parameters


EQUIPMENT_COLUMNS = ["in_use", "households", "units", "working"]
EQUIPMENT_SPANS = f"""
    SELECT sum(n) AS n, in_use, households, units, working
    FROM ({_equipment_rows_sql()}) AS counted
    GROUP BY in_use, households, units, working
"""  # noqa: S608 - our own SQL


def _assets_ever_in_a_lab(among: str | None = None) -> str:
    """SQL on `e`: the asset was ever placed in a lab (of the units `IN among`)."""
    of_units = f"x.public_unit_id IN {among}" if among else "x.public_unit_id IS NOT NULL"
    return f"""e.asset_id IN (
    SELECT x.asset_id FROM {AE} x WHERE x.kind = {lit(AssetEvent.Kind.ASSIGNED)} AND {of_units}
)"""  # noqa: S608 - a model table name and our own code


ASSETS_EVER_IN_A_LAB = _assets_ever_in_a_lab()


# Units connected: a lab (an asset whose latest holder event placed it in the unit) and a
# working connection of the unit, on the same day.
def _units_connected_sql(among: str | None = None) -> str:
    """UNITS_CONNECTED_SPANS of the units whose id is `IN among` (None: every unit)."""
    of_unit = f"IN {among}" if among else "IS NOT NULL"
    return f"""
    WITH labs AS (
        SELECT public_unit_id, range_agg(r) AS days
        FROM ({_event_stretches(_assets_ever_in_a_lab(among))}) AS e
        CROSS JOIN LATERAL unnest({span("e.lo", "e.hi")}) AS r
        WHERE e.kind = {lit(AssetEvent.Kind.ASSIGNED)} AND e.public_unit_id {of_unit}
        GROUP BY public_unit_id
    ),
    working AS (
        SELECT public_unit_id, range_agg(r) AS days
        FROM ({_connections_sql(f"c.public_unit_id {of_unit}")}) AS c
        CROSS JOIN LATERAL unnest(c.spans) AS r
        GROUP BY public_unit_id
    )
    SELECT labs.public_unit_id AS id, labs.days * working.days AS spans
    FROM labs JOIN working ON working.public_unit_id = labs.public_unit_id
"""  # noqa: S608 - model table names and our own codes; the days are parameters


UNITS_CONNECTED_SPANS = _units_connected_sql()


def participants_per_day(days) -> list[int]:
    """Households taking part at the end of each day (participants_on's count), one query."""
    return [row["spans"] for row in count_on_days(PARTICIPANT_SPANS, [max(days)], days, ["spans"])]


def households_connected_per_day(days) -> list[int]:
    """Households taking part with an agreement in force and a working connection at the end
    of each day, one query."""
    last = max(days)
    params = [last, last, last, last, last]
    return [
        row["spans"] for row in count_on_days(HOUSEHOLDS_CONNECTED_SPANS, params, days, ["spans"])
    ]


def units_connected_per_day(days) -> list[int]:
    """Public units with a lab and a working connection at the end of each day, one query."""
    last = max(days)
    return [
        row["spans"] for row in count_on_days(UNITS_CONNECTED_SPANS, [last] * 4, days, ["spans"])
    ]


# The rules for a summary kept up to date (monitoring.indicator_summary): for a figure, SQL of
# the rows of the records whose id is `IN among` (an SQL subquery; None: all), each with its id,
# weight `n` and the days it holds on (one multirange per column), and its parameters.
FOREVER = datetime.date.max


def participant_rows(among: str | None):
    whose = f"p.id IN {among}" if among else "TRUE"
    return f"SELECT id, 1 AS n, spans FROM ({_participants_sql(whose)}) AS s", [FOREVER]  # noqa: S608


def households_connected_rows(among: str | None):
    return (
        f"SELECT id, 1 AS n, spans FROM ({_households_connected_sql(among)}) AS s",  # noqa: S608
        [FOREVER] * 5,
    )


def units_connected_rows(among: str | None):
    return (
        f"SELECT id, 1 AS n, spans FROM ({_units_connected_sql(among)}) AS s",  # noqa: S608
        [FOREVER] * 4,
    )


def equipment_rows(among: str | None):
    return _equipment_rows_sql(among), [FOREVER]


def equipment_per_day(days) -> list[dict[str, int]]:
    """Assets in use at the end of each day (`in_use`: handed over and not back in stock or
    written off; of them with a household, `households`, or in a unit's lab, `units`) and of
    them in working order (`working`), one query."""
    return count_on_days(
        EQUIPMENT_SPANS,
        [max(days)],
        days,
        EQUIPMENT_COLUMNS,
        weight="n",
    )


# §6: the coordinator decides (annex, return, transfer) before an agreement's term ends.
DECISION_DAYS = 90


def agreements_to_decide(day: datetime.date, days: int = DECISION_DAYS):
    """Agreements in force (status) whose term ends within `days` of `day` with no annex being
    prepared, and those already past their end and not ended (equipment still out): each waits
    for the coordinator's decision. `past_end` tells the two apart; earliest end first."""
    pending_annex = AgreementAnnex.objects.filter(
        agreement=OuterRef("pk"), status=AgreementAnnex.Status.DRAFT
    )
    return (
        LoanAgreement.objects.filter(
            status=LoanAgreement.Status.ACTIVE,
            ends_on__lte=day + datetime.timedelta(days=days),
        )
        .filter(Q(ends_on__lt=day) | ~Exists(pending_annex))
        .annotate(past_end=ExpressionWrapper(Q(ends_on__lt=day), output_field=BooleanField()))
        .select_related("participant__application", "signatory")
        .order_by("ends_on", "number")
    )


def _paid_for_on(as_of):  # the connections without a contract (the "Terminy" page)
    """The connection's (OuterRef) contract period running on `as_of`, under a provider's
    contract whose term covers that day."""
    return ConnectionPeriod.objects.filter(
        connection=OuterRef("pk"),
        since__lte=as_of,
        contract__term_start__lte=as_of,
        contract__term_end__gte=as_of,
    ).filter(Q(until__isnull=True) | Q(until__gte=as_of))


def connections_open_on(as_of):
    """Connections installed by `as_of` and not ended by then (suspended ones included)."""
    return Connection.objects.filter(installed_on__lte=as_of).exclude(
        status=Connection.Status.ENDED, status_since__lte=as_of
    )


def notes_to_return():
    """Notes in custody whose obligations have ended (the note list's `to_return=1`)."""
    # Imported here: lending.services imports this module.
    from .services.agreements import notes_to_release

    return notes_to_release()


def exclusions_to_decide():
    """Exclusion proposals waiting for the coordinator's decision (`status=pending`)."""
    return ExclusionProposal.objects.filter(status=ExclusionProposal.Status.PENDING)


def connections_without_contract_on(as_of):
    """Open connections that no provider's contract covers on `as_of`: nobody pays for them."""
    return connections_open_on(as_of).exclude(Exists(_paid_for_on(as_of)))


def contract_covering(connection: Connection, day):
    """The provider's contract `connection` was provided under on `day`, if its term covers
    that day; else None."""
    period = (
        ConnectionPeriod.objects.filter(
            connection=connection,
            since__lte=day,
            contract__term_start__lte=day,
            contract__term_end__gte=day,
        )
        .filter(Q(until__isnull=True) | Q(until__gte=day))
        .select_related("contract")
        .first()
    )
    return period.contract if period else None


# --- what is due (the "Terminy" page) -----------------------------------------------------

DUE_HORIZON = datetime.timedelta(days=90)


def _count_per_contract(queryset, field: str):
    """How many rows of `queryset` name the outer contract in `field` (a subquery)."""
    return Coalesce(
        Subquery(
            queryset.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def _ending(contracts, in_use, day):
    """Contracts ending within 90 days of `day`, and those already ended while records still
    rely on them; each with `in_use`, the number of those records."""
    return (
        contracts.annotate(in_use=in_use)
        .filter(Q(term_end__range=(day, day + DUE_HORIZON)) | Q(term_end__lt=day, in_use__gt=0))
        .select_related("supplier")
        .order_by("term_end", "number")
    )


def provider_contracts_ending(day):
    """Internet providers' contracts (any connection was ever provided under them) ending
    within 90 days, and ended ones still named by connections that have not ended."""
    open_connections = Connection.objects.exclude(status=Connection.Status.ENDED)
    return _ending(
        Contract.objects.filter(Exists(ConnectionPeriod.objects.filter(contract=OuterRef("pk")))),
        _count_per_contract(open_connections, "contract"),
        day,
    )


def insurance_ending(day):
    """Insurance contracts of the equipment ending within 90 days, and ended ones still named
    by equipment in use (lent, in a lab or in service)."""
    in_use = Asset.objects.filter(status__in=(AS.LENT, AS.AT_UNIT, AS.IN_SERVICE))
    # An insurance contract is one the equipment was ever insured under (its audit trail):
    # a renewal moves the assets on, the ended contract was still the insurance of its days.
    ever_insured = AssetAuditEvent.objects.filter(insurance_contract=OuterRef("pk"))
    return _ending(
        Contract.objects.filter(Exists(ever_insured)),
        _count_per_contract(in_use, "insurance_contract"),
        day,
    )


def connections_without_contract(day):
    """Open connections no provider's contract covers on `day`, for the page's list."""
    return (
        connections_without_contract_on(day)
        .select_related("participant__application", "public_unit", "contract")
        .order_by("public_unit__name", "participant__application__sequence", "pk")
    )
