"""The indicators counted from the days each record holds on (lending.queries' *_SPANS, one
statement for many days) against the former way, one ORM query per day (kept here as the
reference), on the demo made untidy at random: annexes (two, the same day, signed before the
handover), agreements ended early (transfers, resignations), outages open and closed, contract
periods cut (gaps nobody paid for), suspended and ended connections, households leaving, assets
damaged, serviced, returned, written off, placed in labs (two events the same day), visits
cancelled and made early. And the monthly series against live_indicators on those data."""

import datetime
import random

import pytest
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DateField,
    Exists,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from lebork_einclusion.models import Project, PublicUnit
from lending import queries
from lending.models import (
    AgreementAnnex,
    Asset,
    AssetEvent,
    Connection,
    ConnectionPeriod,
    LoanAgreement,
    Outage,
    Participant,
)
from monitoring import indicators, series
from monitoring.models import PlannedVisit

D = datetime.date
DAY = datetime.timedelta(days=1)

# --- the former way: one query per day ----------------------------------------------------------


def ref_participants_on(as_of):
    return Participant.objects.filter(joined_on__lte=as_of).filter(
        Q(ended_on__gt=as_of) | Q(ended_on__isnull=True, status=Participant.Status.ACTIVE)
    )


def ref_agreements_in_force_on(as_of):
    signed = AgreementAnnex.objects.filter(
        agreement=OuterRef("pk"), status=AgreementAnnex.Status.SIGNED
    )
    end_then = Coalesce(
        Subquery(
            signed.filter(signed_on__lte=as_of).order_by("-signed_on", "-pk").values("new_end")[:1]
        ),
        Subquery(signed.order_by("signed_on", "pk").values("previous_end")[:1]),
        "ends_on",
        output_field=DateField(),
    )
    return (
        LoanAgreement.objects.filter(handed_over_on__lte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
        .alias(end_then=end_then)
        .filter(end_then__gte=as_of)
    )


def ref_connections_working_on(as_of):
    paid = ConnectionPeriod.objects.filter(
        connection=OuterRef("pk"),
        since__lte=as_of,
        contract__term_start__lte=as_of,
        contract__term_end__gte=as_of,
    ).filter(Q(until__isnull=True) | Q(until__gte=as_of))
    open_outage = Outage.objects.filter(connection=OuterRef("pk"), started_on__lte=as_of).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)
    )
    return (
        Connection.objects.filter(installed_on__lte=as_of)
        .exclude(
            status__in=(Connection.Status.ENDED, Connection.Status.SUSPENDED),
            status_since__lte=as_of,
        )
        .filter(Exists(paid))
        .exclude(Exists(open_outage))
    )


def ref_households_connected(as_of):
    return (
        ref_participants_on(as_of)
        .filter(Exists(ref_agreements_in_force_on(as_of).filter(participant=OuterRef("pk"))))
        .filter(Exists(ref_connections_working_on(as_of).filter(participant=OuterRef("pk"))))
        .count()
    )


HOLDER = indicators.HOLDER_EVENTS
CONDITION = indicators.CONDITION_EVENTS


def ref_units_connected(as_of):
    later = AssetEvent.objects.filter(
        asset=OuterRef("asset"), kind__in=HOLDER, date__lte=as_of
    ).filter(Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk")))
    placed = AssetEvent.objects.filter(
        public_unit=OuterRef("pk"), kind=AssetEvent.Kind.ASSIGNED, date__lte=as_of
    ).exclude(Exists(later))
    return (
        PublicUnit.objects.filter(Exists(placed))
        .filter(Exists(ref_connections_working_on(as_of).filter(public_unit=OuterRef("pk"))))
        .count()
    )


def _latest(kinds, as_of, field="kind"):
    return Subquery(
        AssetEvent.objects.filter(asset=OuterRef("pk"), kind__in=kinds, date__lte=as_of)
        .order_by("-date", "-pk")
        .values(field)[:1]
    )


def ref_equipment(as_of):
    return (
        Asset.objects.annotate(
            holder=_latest(HOLDER, as_of),
            household_then=_latest(HOLDER, as_of, "participant"),
            unit_then=_latest(HOLDER, as_of, "public_unit"),
            condition_event=_latest(CONDITION, as_of),
        )
        .filter(holder=AssetEvent.Kind.ASSIGNED)
        .aggregate(
            in_use=Count("pk"),
            households=Count("pk", filter=Q(household_then__isnull=False)),
            units=Count("pk", filter=Q(unit_then__isnull=False)),
            working=Count(
                "pk",
                filter=Q(condition_event__isnull=True)
                | Q(condition_event=AssetEvent.Kind.SERVICED),
            ),
        )
    )


def ref_visits(as_of):
    end = timezone.make_aware(datetime.datetime.combine(as_of + DAY, datetime.time.min))
    planned = PlannedVisit.objects.exclude(
        status=PlannedVisit.Status.CANCELLED, cancelled_on__lte=as_of
    )
    done = Q(status=PlannedVisit.Status.DONE, visit__visited_at__lt=end)
    figures = planned.aggregate(
        planned=Count("pk", filter=Q(due_on__lte=as_of) | done),
        done=Count("pk", filter=done),
        any=Count("pk"),
    )
    return {"planned": figures["planned"], "done": figures["done"]} if figures["any"] else None


# --- the demo made untidy ------------------------------------------------------------------------


def _between(rng, first, last):
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def untidy(seed: int):
    rng = random.Random(seed)
    last = D(2019, 3, 1)
    reporter = get_user_model().objects.order_by("pk").first()
    agreements = list(LoanAgreement.objects.exclude(handed_over_on=None).order_by("pk"))
    for index, agreement in enumerate(rng.sample(agreements, 30)):
        end = agreement.ends_on
        for k in range(rng.choice((1, 1, 2, 3))):
            signed_on = _between(rng, D(2012, 10, 1), D(2018, 6, 1))
            if k and rng.random() < 0.3:
                signed_on = AgreementAnnex.objects.filter(agreement=agreement).last().signed_on
            new_end = end + datetime.timedelta(days=rng.randrange(30, 900))
            AgreementAnnex.objects.create(
                agreement=agreement,
                number=f"ANX/{seed}/{index}/{k}",
                status="signed",
                drafted_on=signed_on - DAY,
                signed_on=signed_on,
                previous_end=end,
                new_end=new_end,
                reason="test",
                recorded_by=reporter,
            )
            end = new_end
        if rng.random() < 0.3:  # an annex never signed counts for nothing
            AgreementAnnex.objects.create(
                agreement=agreement,
                number=f"ANX/{seed}/{index}/draft",
                drafted_on=D(2015, 1, 1),
                previous_end=end,
                new_end=end + 100 * DAY,
                reason="test",
                recorded_by=reporter,
            )
    for agreement in rng.sample(agreements, 12):  # transfers, resignations
        LoanAgreement.objects.filter(pk=agreement.pk).update(
            ended_on=_between(rng, agreement.handed_over_on, D(2018, 12, 31))
        )
    for participant in rng.sample(list(Participant.objects.order_by("pk")), 10):
        Participant.objects.filter(pk=participant.pk).update(
            ended_on=_between(rng, participant.joined_on, last),
            status=rng.choice(("resigned", "excluded", "active")),
        )
    connections = list(Connection.objects.order_by("pk"))
    for connection in rng.sample(connections, 25):
        started = _between(rng, connection.installed_on, last)
        ended = None if rng.random() < 0.3 else started + rng.randrange(0, 60) * DAY
        Outage.objects.create(
            connection=connection,
            started_on=started,
            ended_on=ended,
            description="test",
            reported_by=reporter,
        )
    for connection in rng.sample(connections, 8):  # gaps: nobody paid for some days
        period = connection.periods.order_by("since").first()
        if period.until is not None and (period.until - period.since).days > 40:
            ConnectionPeriod.objects.filter(pk=period.pk).update(
                until=period.until - rng.randrange(1, 40) * DAY
            )
        else:
            period.delete()
    for connection in rng.sample(connections, 6):
        Connection.objects.filter(pk=connection.pk).update(
            status=rng.choice(("suspended", "ended")),
            status_since=_between(rng, connection.installed_on, last),
        )
    units = list(PublicUnit.objects.order_by("pk"))
    for asset in rng.sample(list(Asset.objects.order_by("pk")), 40):
        day = _between(rng, D(2013, 1, 1), last)
        for kind in rng.sample(
            ["damaged", "in_service", "serviced", "returned", "written_off", "assigned", "damaged"],
            3,
        ):
            if rng.random() < 0.5:
                day += rng.randrange(0, 200) * DAY  # else the same day: the later one counts
            AssetEvent.objects.create(
                asset=asset,
                kind=kind,
                date=day,
                public_unit=rng.choice(units) if kind == "assigned" else None,
            )
    # The demo lived to 2018 made nearly every planned visit: any plan may be cancelled here.
    for visit in rng.sample(list(PlannedVisit.objects.order_by("pk")), 60):
        PlannedVisit.objects.filter(pk=visit.pk).update(
            status="cancelled", cancelled_on=_between(rng, D(2013, 1, 1), last)
        )


DAYS = [D(2012, 11, 30), D(2013, 3, 31), D(2013, 12, 31), D(2014, 1, 1), D(2015, 6, 30)]
DAYS += [D(2016, 2, 29), D(2016, 12, 31), D(2017, 7, 15), D(2018, 12, 31), D(2019, 2, 1)]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_spans_count_as_the_former_queries_did(db, seed):
    untidy(seed)
    assert AgreementAnnex.objects.filter(status="signed").count() >= 30
    got = {
        "participants": queries.participants_per_day(DAYS),
        "households": queries.households_connected_per_day(DAYS),
        "units": queries.units_connected_per_day(DAYS),
        "equipment": queries.equipment_per_day(DAYS),
        "visits": indicators._visits_on_days(DAYS),
    }
    for index, day in enumerate(DAYS):
        expected = {
            "participants": ref_participants_on(day).count(),
            "households": ref_households_connected(day),
            "units": ref_units_connected(day),
            "equipment": ref_equipment(day),
            "visits": ref_visits(day),
        }
        assert {key: values[index] for key, values in got.items()} == expected, day
        # The records themselves, as the other pages read them.
        assert set(queries.agreements_in_force_on(day).values_list("pk", flat=True)) == set(
            ref_agreements_in_force_on(day).values_list("pk", flat=True)
        ), day
        assert set(queries.connections_working_on(day).values_list("pk", flat=True)) == set(
            ref_connections_working_on(day).values_list("pk", flat=True)
        ), day
    # The untidy data move the figures: not everything is zero or the demo's.
    assert len(set(got["households"])) > 3 and len(set(got["units"])) > 2


def test_the_series_equal_live_indicators_on_untidy_data(db):
    untidy(3)
    project = Project.current()
    every = series.indicator_series(project)
    days = every[0].days
    for index in [*range(0, len(days), 9), len(days) - 1]:
        live = indicators.live_indicators(project, as_of=days[index])
        assert [(s.values[index], s.targets[index]) for s in every] == [
            (i.value, i.target) for i in live
        ], days[index]
