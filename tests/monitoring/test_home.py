"""The home page: each role's work first, every count equal to the rows of the list it opens."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from lebork_einclusion import roles
from monitoring import todo

pytestmark = pytest.mark.django_db


def _open_home(client, settings, day):
    settings.DEMO_TODAY = day
    response = client.get("/")
    assert response.status_code == 200
    return response.context["blocks"]


def _rows_of(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    if "page" in response.context:
        return response.context["page"].paginator.count
    return len(response.context["claims"])  # the claims of one agreement: one page


def _assert_counts_match_lists(client, blocks):
    items = [item for block in blocks for item in block.items]
    assert items
    for item in items:
        assert item.count == _rows_of(client, item.url), item.code
    return {item.code: item.count for item in items}


def _demo_user(client, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


# The demo's days on which each role has work waiting.
@pytest.mark.parametrize(
    ("username", "day", "codes"),
    [
        ("komisja1", datetime.date(2012, 9, 10), {"applications_to_verify", "applications_mine"}),
        (
            "koordynator",
            datetime.date(2015, 10, 1),
            {
                "exclusions_to_decide",
                "agreements_to_decide",
                "notes_to_return",
                "follow_ups_overdue",
            },
        ),
        (
            "monitoring",
            datetime.date(2013, 4, 10),
            {"visits_today", "visits_week", "visits_overdue", "follow_ups_mine"},
        ),
        ("asystent", datetime.date(2012, 11, 20), {"sessions_today", "attendance_missing"}),
        ("finanse", datetime.date(2012, 11, 20), {"procedures_step_due", "contracts_ending"}),
        ("finanse", datetime.date(2019, 6, 30), {"expenditures_unclaimed", "claims_to_correct"}),
    ],
)
def test_each_count_is_the_rows_of_the_list_it_opens(client, settings, username, day, codes):
    _demo_user(client, username)
    blocks = _open_home(client, settings, day)
    counts = _assert_counts_match_lists(client, blocks)
    assert codes <= set(counts)


def test_a_person_with_several_roles_sees_a_block_per_role(client, settings, make_user):
    user = make_user(roles.COORDINATOR)
    user.groups.add(Group.objects.get_or_create(name=roles.FINANCE)[0])
    client.force_login(user)
    blocks = _open_home(client, settings, datetime.date(2013, 4, 10))
    assert [block.role for block in blocks] == [roles.COORDINATOR, roles.FINANCE]
    _assert_counts_match_lists(client, blocks)


def test_the_auditor_has_no_to_dos_and_the_indicators_are_a_link(client, settings, make_user):
    client.force_login(make_user(roles.AUDITOR))
    settings.DEMO_TODAY = datetime.date(2013, 4, 10)
    response = client.get("/")
    assert response.context["blocks"] == []
    page = response.content.decode()
    assert "Nothing is waiting for you." in page or "Nic na Ciebie nie czeka." in page
    assert 'href="/monitoring/indicators/"' in page
    assert "indicator-meter" not in page  # the cards moved to the indicators page


def test_the_officers_visits_are_their_own(client, settings, make_user):
    """Another monitoring officer has none of the demo officer's visits."""
    client.force_login(make_user(roles.MONITORING))
    blocks = _open_home(client, settings, datetime.date(2013, 4, 10))
    counts = _assert_counts_match_lists(client, blocks)
    assert counts["visits_today"] == counts["visits_week"] == counts["visits_overdue"] == 0


def test_the_home_page_of_every_role_takes_a_bounded_number_of_queries(
    client, settings, make_user, django_assert_max_num_queries
):
    user = make_user(roles.COORDINATOR)
    for role in roles.ROLES:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    client.force_login(user)
    settings.DEMO_TODAY = datetime.date(2013, 4, 10)
    # session, user, roles, the project, the call, one count per to-do (18), the funding
    # agreement (read by each of finance's to-dos: the finance officer's and the coordinator's),
    # the notices
    with django_assert_max_num_queries(32):
        response = client.get("/")
    assert len(response.context["blocks"]) == 5


def test_every_to_do_is_declared_once_for_a_known_role_and_list():
    from django.urls import reverse

    assert len({t.code for t in todo.TODOS}) == len(todo.TODOS)
    for item in todo.TODOS:
        assert item.role in roles.ROLES
        assert reverse(item.url_name)
        # The role may open the list its to-do links to.
        assert item.role in roles.ACCESS[item.url_name].view


def test_the_verification_a_member_has_begun_is_theirs(client, settings, make_user):
    from lebork_einclusion import clock
    from recruitment.models import ApplicationDocument
    from recruitment.queries import current_call

    member, other = make_user(roles.COMMITTEE), make_user(roles.COMMITTEE)
    documents = ApplicationDocument.objects.filter(application__call=current_call()).order_by(
        "application__sequence", "pk"
    )
    application = documents[0].application
    first, second = documents.filter(application=application)[:2]
    ApplicationDocument.objects.filter(pk=first.pk).update(
        verified_at=clock.now(), verified_by=member
    )
    ApplicationDocument.objects.filter(pk=second.pk).update(verified_at=None, verified_by=None)

    client.force_login(member)
    counts = _assert_counts_match_lists(client, _open_home(client, settings, clock.today()))
    assert counts["applications_mine"] == 1
    assert counts["applications_to_verify"] >= 1
    client.force_login(other)
    counts = _assert_counts_match_lists(client, _open_home(client, settings, clock.today()))
    assert counts["applications_mine"] == 0


def test_a_procedure_waiting_for_its_award_is_a_step_due(client, settings):
    from procurement.models import Procedure

    Procedure.objects.filter(pk=Procedure.objects.order_by("pk").first().pk).update(
        status=Procedure.Status.OFFERS_OPENED
    )
    _demo_user(client, "finanse")
    counts = _assert_counts_match_lists(
        client, _open_home(client, settings, datetime.date(2013, 4, 10))
    )
    assert counts["procedures_step_due"] == 1
