"""A save re-assesses one application and re-ranks the call from stored assessments: the
result must be exactly what assessing every application again gives."""

import datetime

import pytest

from recruitment.models import Application, Call, Evaluation
from recruitment.services import evaluation

COLUMNS = (
    "application_id",
    "status",
    "rank",
    "position",
    "points",
    "tie",
    "reasons",
    "warnings",
    "criteria",
    "breakdown",
    "not_credited",
    "formal",
    "own_reasons",
    "pesels",
    "address",
    "sequence",
    "submitted_on",
)


def snapshot(call):
    return sorted(Evaluation.objects.filter(call=call).values_list(*COLUMNS))


@pytest.fixture
def call(db):
    return Call.objects.get(code="2012")


@pytest.mark.parametrize(
    "change",
    [
        "credit a criterion",
        "withdraw a document",
        "move to another town",
        "share another application's member",
    ],
)
def test_rerank_after_one_change_equals_a_full_recompute(call, change):
    application = Application.objects.get(number="2012/020")
    if change == "credit a criterion":
        application.social_assistance = True
        application.save()
        application.documents.update_or_create(
            doc_type="mops_social_assistance_certificate",
            defaults={"verified_at": "2012-09-14T10:00:00Z"},
        )
    elif change == "withdraw a document":
        application.documents.filter(doc_type="recommendation").delete()
    elif change == "move to another town":
        application.city = "Łeba"
        application.save()
    else:
        earlier = Application.objects.get(number="2012/003").members.first()
        member = (
            application.members.exclude(role="applicant").first() or application.members.first()
        )
        member.pesel = earlier.pesel
        member.save()
    evaluation.reassess(application)
    incremental = snapshot(call)
    evaluation.recompute(call)
    assert incremental == snapshot(call)


# Lock the call, read and re-assess the application, store it, refresh those sharing a PESEL
# or the address (two queries), rank: the same whatever the call's size or sharing.
SAVE_QUERIES = 19


@pytest.mark.parametrize("extra", [0, 120])
def test_a_save_needs_the_same_queries_whatever_the_size(
    call, extra, django_assert_max_num_queries
):
    from tests.recruitment.test_list_pages import add_applications

    add_applications(call, extra)
    application = Application.objects.get(number="2012/020")
    # Ten later applications share its applicant's PESEL: duplicates, looked at in one query.
    pesel = application.members.get(role="applicant").pesel
    for later in Application.objects.filter(call=call, sequence__gt=application.sequence)[:10]:
        later.members.filter(role="applicant").update(pesel=pesel)
    evaluation.recompute(call)
    application.social_assistance = not application.social_assistance
    application.save()
    with django_assert_max_num_queries(SAVE_QUERIES):
        evaluation.reassess(application)
    incremental = snapshot(call)
    evaluation.recompute(call)
    assert incremental == snapshot(call)


def test_moving_on_the_reserve_list_renumbers_no_one(call):
    """Only the main list's places are stored: an application climbing from the end of a long
    reserve list past the rows with fewer points writes at most its own row (its tie flag), not
    every row it passes, and its place read back is the one the lists give."""
    from tests.recruitment.test_list_pages import add_applications

    add_applications(call, 120)
    evaluation.recompute(call)
    reserve = Evaluation.objects.filter(call=call, status="reserve").order_by(
        *evaluation.RANKING_ORDER
    )
    first, last = reserve.first(), reserve.last()
    assert reserve.count() > 100 and first.points > last.points
    assert not Evaluation.objects.filter(call=call, status="reserve", rank__isnull=False).exists()
    main = snapshot(call)
    # The first reserve row's points, but submitted after every other: still on the reserve
    # list, ahead of every row with fewer points.
    Evaluation.objects.filter(pk=last.pk).update(
        points=first.points, submitted_on=first.submitted_on + datetime.timedelta(days=365)
    )
    assert evaluation.rank_in_database(call) <= 1
    moved = Evaluation.objects.get(pk=last.pk)
    assert moved.status == "reserve" and moved.rank is None
    ahead = Evaluation.objects.filter(
        evaluation.ELIGIBLE, call=call, points__gte=first.points
    ).count()
    evaluation.fill_places(call, [moved])
    assert moved.rank == ahead
    by_number = {o.number: o for o in evaluation.current_outcomes(call)}
    assert by_number[moved.application.number].rank == ahead
    # The main list is untouched.
    assert [row for row in snapshot(call) if row[1] == "main"] == [
        row for row in main if row[1] == "main"
    ]
