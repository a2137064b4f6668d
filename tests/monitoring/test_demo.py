"""The demo: the labs' hours of January-October 2013, the reports, the snapshots, the chronicle;
loading it again adds nothing."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from lending.models import DamageClaim, ExclusionProposal, Outage, ParticipationEnd, ServiceRecord
from monitoring.models import (
    AssetCheck,
    ChronicleEntry,
    FollowUp,
    IndicatorSnapshot,
    IndicatorValue,
    LabReport,
    LabSchedule,
    LabSlot,
    MonitoringVisit,
    PlannedVisit,
    VisitPhoto,
)

D = datetime.date


def counts():
    return (
        LabSchedule.objects.count(),
        LabSlot.objects.count(),
        LabReport.objects.count(),
        IndicatorSnapshot.objects.count(),
        IndicatorValue.objects.count(),
        ChronicleEntry.objects.count(),
        MonitoringVisit.objects.count(),
        PlannedVisit.objects.count(),
        FollowUp.objects.count(),
        VisitPhoto.objects.count(),
        ExclusionProposal.objects.count(),
        Outage.objects.count(),
    )


def test_the_demo_has_ten_months_of_hours_for_the_seven_units(db):
    months = sorted(set(LabSchedule.objects.values_list("month", flat=True)))
    assert months == [D(2013, m, 1) for m in range(1, 11)]
    assert LabSchedule.objects.count() == 70
    assert not LabSlot.objects.filter(day__lt=D(2013, 1, 15)).exists()  # the labs opened then
    assert not LabSlot.objects.filter(day=D(2013, 5, 3)).exists()  # a public holiday


def test_some_days_have_two_slots(db):
    wednesday = LabSlot.objects.filter(schedule__unit__short_name="SP5", day=D(2013, 3, 6))
    assert wednesday.count() == 2


def test_the_demo_has_two_snapshots_and_reports(db):
    assert sorted(IndicatorSnapshot.objects.values_list("as_of", flat=True)) == [
        D(2012, 12, 31),
        D(2013, 12, 31),
    ]
    assert LabReport.objects.count() == 9
    assert ChronicleEntry.objects.count() == 51


def test_loading_the_demo_again_adds_nothing(db):
    before = counts()
    call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
    assert counts() == before


def _before(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def test_the_march_2013_round_visits_most_households(db):
    march = MonitoringVisit.objects.filter(visited_at__lt=_before(D(2013, 4, 1)))
    made = march.filter(outcome="made")
    assert made.count() == 68
    assert all(
        D(2013, 3, 1) <= timezone.localtime(v.visited_at).date() <= D(2013, 3, 31) for v in march
    )
    assert march.filter(outcome="nobody_home").count() == 1
    assert set(made.values_list("officer__username", flat=True)) == {"monitoring"}
    assert not PlannedVisit.objects.filter(status="done", visit__isnull=True).exists()


def test_the_visits_go_on_every_year_to_2018(db):
    """After March 2013: the six households left for April and the control visit at the
    neighbour's (7), the household promoted in February 2013 in June (1); then one visit a
    year: 76 in 2014 (the household promoted after the exclusion too), 75 in 2015-2017, 74 in
    2018 (one household not at home at two tries)."""
    made = MonitoringVisit.objects.filter(outcome="made")
    per_year = {
        year: made.filter(
            visited_at__gte=_before(D(year, 1, 1)), visited_at__lt=_before(D(year + 1, 1, 1))
        ).count()
        for year in range(2013, 2019)
    }
    assert per_year == {2013: 68 + 7 + 1, 2014: 76, 2015: 75, 2016: 75, 2017: 75, 2018: 74}
    assert MonitoringVisit.objects.filter(outcome="nobody_home").count() == 3
    assert not made.filter(visited_at__gte=_before(D(2019, 1, 1))).exists()


def test_the_demo_findings_went_to_lending(db):
    in_2013 = {"visit__visited_at__lt": _before(D(2014, 1, 1))}
    monitor = AssetCheck.objects.get(state="damaged", **in_2013)
    assert monitor.action == "service" and "Monitor" in monitor.note
    assert ServiceRecord.objects.get(pk=monitor.service_record_id).completed_on == D(2013, 3, 21)
    assert monitor.visit.photos.count() == 2 and monitor.visit.signature
    outage_visit = MonitoringVisit.objects.get(
        connection_working=False, visited_at__lt=_before(D(2014, 1, 1))
    )
    assert Outage.objects.get(pk=outage_visit.outage_id).ended_on == D(2013, 3, 15)
    # 2015: a damaged set repaired under the warranty; 2016: a connection down, fixed.
    later = AssetCheck.objects.get(state="damaged", visit__visited_at__year=2015)
    assert ServiceRecord.objects.get(pk=later.service_record_id).completed_on
    down = MonitoringVisit.objects.get(connection_working=False, visited_at__year=2016)
    assert Outage.objects.get(pk=down.outage_id).ended_on


def test_the_neighbour_is_warned_in_2013_and_excluded_in_2014(db):
    first, second = MonitoringVisit.objects.filter(not_lent=False).order_by("visited_at")
    assert first.participant_id == second.participant_id
    # 2013: the set is missing, the router in place; the control visit of 05.04.2013 finds it
    # back and the coordinator rejects the proposal on 15.04.2013 (a written warning).
    assert sorted(first.checks.values_list("state", flat=True)) == ["missing", "present"]
    assert not DamageClaim.objects.filter(asset__in=[c.asset for c in first.checks.all()])
    proposal = ExclusionProposal.objects.get(pk=first.exclusion_proposal_id)
    assert (proposal.status, proposal.decided_on) == ("rejected", D(2013, 4, 15))
    assert not FollowUp.objects.filter(visit=first, status="open").exists()
    control = MonitoringVisit.objects.get(
        participant=first.participant, visited_at__date=D(2013, 4, 5)
    )
    assert control.planned.origin == "officer" and control.not_lent
    # 2014: lent out again: the proposal is accepted, the household excluded, its place goes
    # to the first on the reserve list (an agreement, the returned set, its own visits).
    proposal = ExclusionProposal.objects.get(pk=second.exclusion_proposal_id)
    assert proposal.status == "accepted"
    end = ParticipationEnd.objects.get(exclusion_proposal=proposal)
    assert end.participant.status == "excluded" and end.promoted is not None
    assert end.promoted.visits.filter(outcome="made").count() == 5  # 2014-2018
    assert not PlannedVisit.objects.filter(participant=end.participant, status="planned")


def test_the_demo_plan_has_a_moved_visit_and_one_overdue(db):
    moved = PlannedVisit.objects.get(due_on=D(2013, 4, 22))
    assert moved.is_moved and "w szpitalu" in moved.note and moved.status == "done"
    # 02.01.2019 (the demo day): one visit overdue, the household not reached in 2018.
    overdue = PlannedVisit.objects.filter(status="planned", due_on__lt=D(2019, 1, 2))
    assert overdue.count() == 1
    assert overdue.get().due_on.year == 2018
