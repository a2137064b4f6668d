"""The demo: the labs' hours of January-October 2013, the reports, the snapshots, the chronicle;
loading it again adds nothing."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from lending.models import DamageClaim, ExclusionProposal, Outage, ServiceRecord
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


def test_the_march_2013_round_visits_most_households(db):
    made = MonitoringVisit.objects.filter(outcome="made")
    assert made.count() == 68
    assert all(
        D(2013, 3, 1) <= timezone.localtime(v.visited_at).date() <= D(2013, 3, 31)
        for v in MonitoringVisit.objects.all()
    )
    assert MonitoringVisit.objects.filter(outcome="nobody_home").count() == 1
    assert set(made.values_list("officer__username", flat=True)) == {"monitoring"}
    assert not PlannedVisit.objects.filter(status="done", visit__isnull=True).exists()


def test_the_demo_findings_went_to_lending(db):
    monitor = AssetCheck.objects.get(state="damaged")
    assert monitor.action == "service" and "Monitor" in monitor.note
    assert ServiceRecord.objects.get(pk=monitor.service_record_id).completed_on == D(2013, 3, 21)
    assert monitor.visit.photos.count() == 2 and monitor.visit.signature
    outage_visit = MonitoringVisit.objects.get(connection_working=False)
    assert Outage.objects.get(pk=outage_visit.outage_id).ended_on == D(2013, 3, 15)
    neighbour = MonitoringVisit.objects.get(not_lent=False)
    proposal = ExclusionProposal.objects.get(pk=neighbour.exclusion_proposal_id)
    assert proposal.status == "pending"
    assert neighbour.participant.status == "active"  # proposed, never excluded
    # The set is missing; the provider's router is in place.
    assert sorted(neighbour.checks.values_list("state", flat=True)) == ["missing", "present"]
    assert not DamageClaim.objects.filter(asset__in=[c.asset for c in neighbour.checks.all()])
    assert FollowUp.objects.filter(visit=neighbour, status="open").count() == 2


def test_the_demo_plan_has_a_moved_visit_and_overdue_ones(db):
    moved = PlannedVisit.objects.get(due_on=D(2013, 4, 22))
    assert moved.is_moved and "w szpitalu" in moved.note
    overdue = PlannedVisit.objects.filter(status="planned", due_on__lt=D(2013, 4, 30))
    # Five households left for April, the moved one, and the check after the neighbour.
    assert overdue.count() == 7
