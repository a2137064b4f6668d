import pytest
from django.db import ProgrammingError, transaction
from django.test import RequestFactory

from lebork_einclusion import roles
from lebork_einclusion.access import record_personal_data_access
from lebork_einclusion.models import PersonalDataAccess, PublicUnit


def test_it_records_who_saw_which_record_and_not_the_data(make_user):
    user = make_user(roles.COMMITTEE)
    request = RequestFactory().get("/x/")
    request.user = user
    unit = PublicUnit.objects.first()
    record_personal_data_access(request, unit, kinds=("pesel", "disability"))
    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.object_type, entry.object_id) == (
        user,
        "core.publicunit",
        str(unit.pk),
    )
    assert entry.kinds == "disability,pesel"


def test_access_log_rows_cannot_be_changed_or_deleted(make_user):
    PersonalDataAccess.objects.create(view_name="x", object_type="y", kinds="pesel")
    with pytest.raises(ProgrammingError), transaction.atomic():
        PersonalDataAccess.objects.update(view_name="forged")
    with pytest.raises(ProgrammingError), transaction.atomic():
        PersonalDataAccess.objects.all().delete()
    assert PersonalDataAccess.objects.get().view_name == "x"
