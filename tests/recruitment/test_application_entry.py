"""Registering and editing an application in the browser form: bad input changes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.models import PersonalDataAccess
from lebork_einclusion.pesel import make_pesel
from recruitment.models import Application, Call, HouseholdMember

ADULT = make_pesel(datetime.date(1980, 4, 1), 501, True)
CHILD = make_pesel(datetime.date(2004, 6, 1), 502, False)
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def call(db):
    return Call.objects.get(code="2012")


@pytest.fixture
def office(client_as, settings):
    """The assistant, with the interface in English so the tests read the source messages."""
    client = client_as(roles.ASSISTANT)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(
    members=None,
    documents=(
        "participation_declaration",
        "application_form_with_id",
        "income_statement",
        "recommendation",
        "no_public_funds_statement",
        "mops_social_assistance_certificate",
    ),
    version=None,
    **fields,
):
    data = {
        "channel": "in_person",
        "received_on": "2012-08-20",
        "postmarked_on": "",
        "street": "ul. Nowa",
        "building": "7",
        "flat": "2",
        "postal_code": "84-300",
        "city": "Lębork",
        "phone": "",
        "monthly_net_income": "1450.00",
        "social_assistance": "on",
    }
    if version is not None:
        data["version"] = version
    data.update(fields)
    members = (
        members
        if members is not None
        else [
            {
                "first_name": "Anna",
                "last_name": "Nowakowska",
                "pesel": ADULT,
                "role": "applicant",
                "disability": "none",
            },
            {
                "first_name": "Jan",
                "last_name": "Nowakowski",
                "pesel": CHILD,
                "role": "child",
                "disability": "none",
            },
        ]
    )
    data.update(
        {
            "members-TOTAL_FORMS": str(len(members)),
            "members-INITIAL_FORMS": "0",
            "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "20",
        }
    )
    for index, member in enumerate(members):
        for key, value in member.items():
            data[f"members-{index}-{key}"] = value
    for doc in documents:
        data[f"received_{doc}"] = "on"
    return {key: value for key, value in data.items() if value is not False}


def new_url(call):
    return reverse("recruitment:application_new") + f"?call={call.pk}"


def test_it_registers_an_application_with_the_next_number_and_scores_it(office, call):
    response = office.post(new_url(call), form_data())
    application = Application.objects.get(call=call, members__pesel=ADULT)
    assert response.status_code == 302
    assert application.number == "2012/080"
    assert application.members.count() == 2
    assert application.documents.count() == 6
    # Documents handed in are not verified yet: nothing is credited until the committee checks.
    assert application.evaluation.status == "rejected"
    assert application.evaluation.warnings == ["criterion_not_credited:1"]


def test_it_stores_a_scan_under_a_random_name(office, call):
    data = form_data()
    data["scan_recommendation"] = SimpleUploadedFile(
        "rekomendacja Nowakowska.pdf", PDF, "application/pdf"
    )
    office.post(new_url(call), data)
    document = Application.objects.get(members__pesel=ADULT).documents.get(
        doc_type="recommendation"
    )
    assert document.scan.name.startswith("recruitment/scans/")
    assert "Nowakowska" not in document.scan.name


BAD_INPUT = [
    (
        "a PESEL with a wrong checksum",
        {
            "members": [
                {
                    "first_name": "A",
                    "last_name": "B",
                    "pesel": "44051401358",
                    "role": "applicant",
                    "disability": "none",
                }
            ]
        },
        "Wrong checksum",
    ),
    (
        "a PESEL with an impossible date",
        {
            "members": [
                {
                    "first_name": "A",
                    "last_name": "B",
                    "pesel": "44053201353",
                    "role": "applicant",
                    "disability": "none",
                }
            ]
        },
        "invalid birth date",
    ),
    (
        "a member listed twice",
        {
            "members": [
                {
                    "first_name": "A",
                    "last_name": "B",
                    "pesel": ADULT,
                    "role": "applicant",
                    "disability": "none",
                },
                {
                    "first_name": "A",
                    "last_name": "B",
                    "pesel": ADULT,
                    "role": "other",
                    "disability": "none",
                },
            ]
        },
        "",
    ),
    (
        "no applicant",
        {
            "members": [
                {
                    "first_name": "A",
                    "last_name": "B",
                    "pesel": ADULT,
                    "role": "spouse",
                    "disability": "none",
                }
            ]
        },
        "Mark one member as the applicant",
    ),
    (
        "two applicants",
        {
            "members": [
                {
                    "first_name": "A",
                    "last_name": "B",
                    "pesel": ADULT,
                    "role": "applicant",
                    "disability": "none",
                },
                {
                    "first_name": "C",
                    "last_name": "D",
                    "pesel": make_pesel(datetime.date(1979, 1, 1), 503, False),
                    "role": "applicant",
                    "disability": "none",
                },
            ]
        },
        "Only one member can be the applicant",
    ),
    (
        "a minor as the applicant",
        {
            "members": [
                {
                    "first_name": "A",
                    "last_name": "B",
                    "pesel": CHILD,
                    "role": "applicant",
                    "disability": "none",
                }
            ]
        },
        "must be an adult",
    ),
    (
        "a postmark before the call opened",
        {"channel": "post", "postmarked_on": "2012-08-01", "received_on": "2012-08-07"},
        "before the call opened",
    ),
    ("a postmark on an in-person application", {"postmarked_on": "2012-08-19"}, "no postmark"),
    ("a post application without its postmark", {"channel": "post"}, "needs its postmark"),
    (
        "a postmark after the letter arrived",
        {"channel": "post", "postmarked_on": "2012-08-22", "received_on": "2012-08-20"},
        "cannot be later than the date",
    ),
    (
        "a postmark after the deadline, not confirmed",
        {"channel": "post", "postmarked_on": "2012-09-06", "received_on": "2012-09-08"},
        "after the deadline",
    ),
    ("an address outside Lębork, not confirmed", {"city": "Łeba"}, "not in Lębork"),
    ("a negative income", {"monthly_net_income": "-1"}, "cannot be negative"),
    ("an absurd income", {"monthly_net_income": "250000"}, "typing error"),
    ("a received date in the future", {"received_on": "2099-01-01"}, "in the future"),
    (
        "a scan that is not a PDF or image",
        {"scan_recommendation": ("r.pdf", b"MZ\x90\x00binary")},
        "not allowed",
    ),
]


@pytest.mark.parametrize(
    ("changes", "message"), [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(office, call, changes, message, settings):
    changes = dict(changes)
    members = changes.pop("members", None)
    data = form_data(members=members, **changes)
    for key, value in list(data.items()):
        if isinstance(value, tuple):
            data[key] = SimpleUploadedFile(value[0], value[1])
    before = (Application.objects.count(), HouseholdMember.objects.count())
    response = office.post(new_url(call), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The form has errors" in page
    assert message in page
    assert (Application.objects.count(), HouseholdMember.objects.count()) == before


def test_an_oversized_scan_is_refused(office, call, settings):
    settings.SCAN_MAX_BYTES = 100
    data = form_data()
    data["scan_recommendation"] = SimpleUploadedFile("r.pdf", PDF + b"x" * 200)
    response = office.post(new_url(call), data)
    assert "too large" in response.content.decode()
    assert not Application.objects.filter(members__pesel=ADULT).exists()


def test_a_late_application_is_registered_once_confirmed_and_rejected_formally(office, call):
    data = form_data(
        channel="post", postmarked_on="2012-09-06", received_on="2012-09-08", confirm_late="on"
    )
    office.post(new_url(call), data)
    application = Application.objects.get(members__pesel=ADULT)
    assert application.evaluation.status == "rejected"
    assert "late" in application.evaluation.reasons


def test_the_polish_interface_explains_in_polish(client_as, call):
    client = client_as(roles.ASSISTANT)
    response = client.post(new_url(call), form_data(monthly_net_income="-1"))
    page = response.content.decode()
    assert "Formularz zawiera błędy" in page
    assert "Dochód nie może być ujemny." in page


def test_editing_keeps_members_and_records_the_change(office, call):
    application = Application.objects.get(number="2012/001")
    members = [
        {
            "id": m.pk,
            "first_name": m.first_name,
            "last_name": m.last_name,
            "pesel": m.pesel,
            "role": m.role,
            "disability": m.disability,
            "school_scholarship": "on" if m.school_scholarship else "",
            "foster_child": "",
            "family_home_child": "",
        }
        for m in application.members.all()
    ]
    data = form_data(
        members=members,
        version=application.version,
        documents=[d.doc_type for d in application.documents.all()],
        street="ul. Zmieniona",
        postal_code=application.postal_code,
        social_assistance="on" if application.social_assistance else "",
        family_benefits="on" if application.family_benefits else "",
        alimony_fund="on" if application.alimony_fund else "",
        monthly_net_income=str(application.monthly_net_income),
        received_on=application.received_on.isoformat(),
        channel=application.channel,
        postmarked_on=application.postmarked_on.isoformat() if application.postmarked_on else "",
    )
    data["members-INITIAL_FORMS"] = str(len(members))
    member_ids = sorted(m["id"] for m in members)
    response = office.post(reverse("recruitment:application_edit", args=[application.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.street == "ul. Zmieniona"
    assert application.version == 2
    assert sorted(application.members.values_list("pk", flat=True)) == member_ids


def test_viewing_an_application_is_logged_as_access_to_personal_data(office):
    application = Application.objects.get(number="2012/001")
    office.get(reverse("recruitment:application_detail", args=[application.pk]))
    entry = PersonalDataAccess.objects.get(
        object_type="recruitment.application", object_id=str(application.pk)
    )
    assert entry.user == office.user
    assert entry.view_name == "recruitment:application_detail"
    assert entry.kinds == "disability,income,pesel"


def test_each_disabled_member_brings_a_certificate_of_their_own(office, call, settings):
    """Criteria 3-5: the certificate is ticked on the person's row and proves that person only;
    the application page shows it per person and lists the certificate still missing."""
    members = [
        {
            "first_name": "Anna",
            "last_name": "Nowakowska",
            "pesel": ADULT,
            "role": "applicant",
            "disability": "severe",
            "has_disability_certificate": "on",
        },
        {
            "first_name": "Jan",
            "last_name": "Nowakowski",
            "pesel": CHILD,
            "role": "child",
            "disability": "light",
        },
    ]
    response = office.post(new_url(call), form_data(members=members))
    assert response.status_code == 302
    application = Application.objects.get(call=call, members__pesel=ADULT)
    certificate = application.documents.get(doc_type="disability_certificate")
    assert certificate.member.pesel == ADULT
    assert application.documents.filter(member__isnull=False).count() == 1
    page = office.get(response["Location"]).content.decode()
    assert "Disability certificate: <strong>Anna Nowakowska</strong>" in page
    assert "Disability certificate: Jan Nowakowski" in page  # not handed in
    # Unticking it on an edit removes that person's certificate only.
    members[0].pop("has_disability_certificate")
    data = form_data(members=members, version=application.version)
    data["members-INITIAL_FORMS"] = "2"
    for index, member in enumerate(application.members.order_by("pk")):
        data[f"members-{index}-id"] = member.pk
    edit = reverse("recruitment:application_edit", args=[application.pk])
    assert office.post(edit, data).status_code == 302
    assert not application.documents.filter(doc_type="disability_certificate").exists()
