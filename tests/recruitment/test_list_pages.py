"""The application list and the ranking: filters, export, and a constant number of queries."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from lebork_einclusion import roles
from lebork_einclusion.pesel import make_pesel
from recruitment.models import Application, ApplicationDocument, Call, HouseholdMember
from recruitment.services import evaluation
from recruitment.views.lists import LIST_HEAD

# Session, user, roles, call, filtered page, count, evaluation etc.: the same whatever the size.
LIST_QUERIES = 14  # + the latest version and its entries (each household's standing)
# The ranking, for a committee member: session, user, roles, call, versions, the latest one's
# entries, every list's first rows (one query), the longer lists' sizes (one query), the tied
# numbers, the session's save, and the request's savepoints. The coordinator's approval form
# adds its meetings and the applications still to verify; a committee member gets no form.
RANKING_QUERIES = 14
RANKING_QUERIES_APPROVER = RANKING_QUERIES + 2


@pytest.fixture
def call(db):
    return Call.objects.get(code="2012")


@pytest.fixture
def reader(client_as, settings):
    client = client_as(roles.COMMITTEE)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def add_applications(call, count):
    """Bulk-add eligible applications, as a bigger call would have."""
    start = Application.objects.filter(call=call).count() + 1
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            number=f"2012/{n:03d}",
            sequence=n,
            channel="in_person",
            received_on=datetime.date(2012, 8, 20),
            street=f"ul. Dodatkowa {n}",
            building="1",
            postal_code="84-300",
            monthly_net_income=1000,
            social_assistance=True,
        )
        for n in range(start, start + count)
    )
    HouseholdMember.objects.bulk_create(
        HouseholdMember(
            application=a,
            first_name="Jan",
            last_name=f"Zapasowy{a.sequence}",
            pesel=make_pesel(
                datetime.date(1970, 1, 1) + datetime.timedelta(days=a.sequence),
                a.sequence % 1000,
                False,
            ),
            role="applicant",
        )
        for a in applications
    )
    now = datetime.datetime(2012, 9, 14, tzinfo=datetime.UTC)
    ApplicationDocument.objects.bulk_create(
        ApplicationDocument(application=a, doc_type=doc, verified_at=now)
        for a in applications
        for doc in [
            "participation_declaration",
            "application_form_with_id",
            "income_statement",
            "recommendation",
            "no_public_funds_statement",
            "mops_social_assistance_certificate",
        ]
    )
    evaluation.recompute(call)


def list_url(call, **params):
    query = "&".join(f"{k}={v}" for k, v in {"call": call.pk, **params}.items())
    return reverse("recruitment:application_list") + "?" + query


@pytest.mark.parametrize("extra", [0, 120])
def test_the_list_page_needs_the_same_queries_whatever_the_size(
    reader, call, extra, django_assert_max_num_queries
):
    add_applications(call, extra)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = reader.get(list_url(call, sort="-points", warnings="any"))
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 120])
def test_the_ranking_page_needs_the_same_queries_whatever_the_size(
    reader, call, extra, django_assert_max_num_queries
):
    add_applications(call, extra)
    reader.get(reverse("recruitment:ranking", args=[call.pk]))
    with django_assert_max_num_queries(RANKING_QUERIES):
        response = reader.get(reverse("recruitment:ranking", args=[call.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"reserve list ({3 + extra})" in page
    assert page.count('href="/recruitment/applications/') <= 75 + 4 * LIST_HEAD + 50  # bounded


def test_the_approval_form_is_made_for_those_who_may_approve_only(
    reader, client_as, call, django_assert_max_num_queries
):
    url = reverse("recruitment:ranking", args=[call.pk])
    response = reader.get(url)
    assert response.context["form"] is None
    assert 'id="id_confirm"' not in response.content.decode()
    coordinator = client_as(roles.COORDINATOR)
    coordinator.get(url)
    with django_assert_max_num_queries(RANKING_QUERIES_APPROVER):
        response = coordinator.get(url)
    page = response.content.decode()
    assert response.context["form"] is not None
    assert 'id="id_confirm"' in page
    # The newest meeting is offered first and chosen by default, each meeting once.
    newest = call.meetings.order_by("-held_on").first()
    assert f'<option value="{newest.pk}" selected>' in page
    choices = page.split('name="meeting"')[1].split("</select>")[0]
    assert choices.count("<option value=") == call.meetings.count() + 1  # and the empty one


def test_the_ranking_page_shows_each_list_as_the_stored_outcomes_rank_it(reader, call):
    """The page's lists (their first rows, in order, with their places) and the tie at the line
    are those of evaluation.current_outcomes, the exports' reading of the ranking."""
    add_applications(call, 30)
    # Some of the added tie with each other at the main list's line (equal points and date).
    response = reader.get(reverse("recruitment:ranking", args=[call.pk]))
    outcomes = evaluation.current_outcomes(call)
    for code, _label, rows, total, _beyond in response.context["groups"]:
        expected = [o for o in outcomes if o.status == code]
        assert total == len(expected)
        shown = [(row["application"].number, row["evaluation"].rank) for row in rows]
        assert shown == [(o.number, o.rank) for o in expected[: len(rows)]], code
        assert all(row["url"].endswith(f"/{row['application'].pk}/") for row in rows)
    line = [o for o in outcomes if o.status == "main"][-1].points
    tied = [o.number for o in outcomes if o.tie and o.points == line and not o.reasons]
    assert response.context["ties"] == tied
    assert tied, "the demo call has a tie at the line"


def test_the_ranking_page_shows_the_first_of_each_list_and_counts_the_rest(
    reader, call, monkeypatch
):
    """Beyond the main list, each list shows its first rows (the ineligible in registration
    order, as they keep no stored place) and its size, counted up to a bound."""
    add_applications(call, 40)
    # Five of the added applications become ineligible: a computer at home (§4.2.3).
    added = Application.objects.filter(call=call, number__gt="2012/079").order_by("-sequence")
    for application in added[:5]:
        application.has_computer = True
        application.save()
        evaluation.reassess(application)
    response = reader.get(reverse("recruitment:ranking", args=[call.pk]))
    groups = {
        code: (rows, total) for code, _label, rows, total, _beyond in response.context["groups"]
    }
    rows, total = groups["reserve"]
    assert (len(rows), total) == (LIST_HEAD, 38)  # 3 + 40 - 5
    assert "reserve list (38)" in response.content.decode()
    ranks = [row["evaluation"].rank for row in rows]
    assert ranks == list(range(76, 76 + LIST_HEAD))
    rows, total = groups["ineligible"]
    assert total == 5
    ineligible = [row["evaluation"].sequence for row in rows]
    assert ineligible == sorted(ineligible) and len(ineligible) == 5
    monkeypatch.setattr("recruitment.views.lists.RANKING_COUNTED", 30)
    page = reader.get(reverse("recruitment:ranking", args=[call.pk])).content.decode()
    assert "reserve list (more than 30)" in page


def rows_of(response):
    """The evaluations listed on the page (one per application)."""
    return list(response.context["page"].object_list)


def test_filters_by_status_criterion_points_and_warnings(reader, call):
    assert len(rows_of(reader.get(list_url(call, status="rejected")))) == 1
    reserve = rows_of(reader.get(list_url(call, status="reserve")))
    assert {e.status for e in reserve} == {"reserve"} and len(reserve) == 3
    credited = rows_of(reader.get(list_url(call, criterion="4")))
    assert credited and all("4" in e.criteria for e in credited)
    ranged = rows_of(reader.get(list_url(call, points_min=40, points_max=60)))
    assert ranged and all(40 <= e.points <= 60 for e in ranged)
    same_address = rows_of(reader.get(list_url(call, warnings="same_address_as")))
    assert sorted(e.application.number for e in same_address) == [
        "2012/009",
        "2012/026",
        "2012/050",
        "2012/057",
    ]


def test_search_by_number_or_surname_and_sort(reader, call):
    application = Application.objects.get(number="2012/033")
    surname = application.members.get(role="applicant").last_name
    found = rows_of(reader.get(list_url(call, q=surname[:5])))
    assert application in [e.application for e in found]
    assert [e.application.number for e in rows_of(reader.get(list_url(call, q="2012/033")))] == [
        "2012/033"
    ]
    by_points = [e.points for e in rows_of(reader.get(list_url(call, sort="-points")))]
    assert by_points == sorted(by_points, reverse=True)


def test_not_yet_verified_shows_only_applications_with_documents_to_check(reader, call):
    Application.objects.get(number="2012/007").documents.filter(doc_type="recommendation").update(
        verified_at=None
    )
    assert [e.application.number for e in rows_of(reader.get(list_url(call, pending="on")))] == [
        "2012/007"
    ]


def test_the_export_holds_what_is_shown(reader, call):
    response = reader.get(
        reverse("recruitment:application_export") + f"?call={call.pk}&status=reserve"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3
    assert {row[4] for row in rows} == {"reserve list"}
    pesels = set(HouseholdMember.objects.values_list("pesel", flat=True))
    assert not any(str(value) in pesels for row in rows for value in row)


def test_the_list_shows_each_households_standing_on_the_approved_version(reader, call):
    """Issue 15: beside its live place, a household that left the project or was promoted says
    so (the demo's resignation of 2013 and exclusion of 2014, each with its promotion from the
    reserve list, version 3)."""
    version = call.versions.order_by("-number").first()
    left = list(version.entries.filter(status="left"))
    promoted = list(version.entries.exclude(status="left").exclude(note=""))
    assert (len(left), len(promoted)) == (2, 2)
    for entry in left + promoted:
        page = reader.get(list_url(call, q=entry.application.number)).content.decode()
        assert 'class="small text-body-secondary standing">' in page
        assert escape(entry.note[:40]) in page
