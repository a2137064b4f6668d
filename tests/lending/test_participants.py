import datetime

import pytest
from django.core.exceptions import ValidationError

from lebork_einclusion import roles
from lending.models import Participant
from lending.services.participation import do_enrol
from recruitment.models import Call
from recruitment.queries import latest_version


@pytest.fixture
def version(db):
    """The latest version of the demo lists (3: the resignation of 2013 and the exclusion of 2014,
    each promoted from the reserve)."""
    return latest_version(Call.objects.get(code="2012"))


def test_the_demo_main_list_takes_part(version):
    assert (version.number, version.kind) == (3, "promotion")
    main = set(version.entries.filter(status="main").values_list("application_id", flat=True))
    assert len(main) == 75
    assert set(Participant.objects.active().values_list("application_id", flat=True)) == main
    participant = Participant.objects.select_related("signatory").first()
    assert participant.signatory.role == "applicant"
    assert participant.signatory.application_id == participant.application_id


def test_an_applicant_not_on_the_main_list_cannot_take_part(version, make_user):
    reserve = version.entries.filter(status="reserve").first().application
    with pytest.raises(
        ValidationError, match="nie znajduje się na zatwierdzonej liście podstawowej"
    ):
        do_enrol(reserve, datetime.date(2012, 11, 14), actor=make_user(roles.COORDINATOR))
    assert not Participant.objects.filter(application=reserve).exists()


def test_a_household_takes_part_once(version, make_user):
    participant = Participant.objects.first()
    with pytest.raises(ValidationError, match="już uczestniczy w projekcie"):
        do_enrol(
            participant.application, datetime.date(2012, 11, 14), actor=make_user(roles.COORDINATOR)
        )
    assert Participant.objects.filter(application=participant.application).count() == 1
