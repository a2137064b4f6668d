"""The demo: the labs' hours of January-October 2013, the reports, the snapshots, the chronicle;
loading it again adds nothing."""

import datetime
import io

from django.core.management import call_command

from monitoring.models import (
    ChronicleEntry,
    IndicatorSnapshot,
    IndicatorValue,
    LabReport,
    LabSchedule,
    LabSlot,
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
