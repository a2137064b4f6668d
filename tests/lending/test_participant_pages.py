from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.models import PersonalDataAccess
from lending.models import Participant


def test_the_list_shows_participants_in_a_constant_number_of_queries(
    client_as, django_assert_max_num_queries
):
    client = client_as(roles.ASSISTANT)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("lending:participant_list"))
    assert response.context["page"].paginator.count == 77  # 75 + the resigned + the excluded
    assert "2012/001" in response.content.decode() or "2012/002" in response.content.decode()


def test_the_list_filters_by_status_and_number(client_as):
    client = client_as(roles.ASSISTANT)
    participant = Participant.objects.select_related("application").first()
    response = client.get(
        reverse("lending:participant_list"), {"q": participant.application.number}
    )
    assert list(response.context["page"]) == [participant]
    response = client.get(reverse("lending:participant_list"), {"status": "excluded"})
    assert response.context["page"].paginator.count == 1  # the exclusion of 2014
    assert [p.status for p in response.context["page"]] == ["excluded"]


def test_the_participant_page_is_logged_as_access_to_personal_data(client_as):
    client = client_as(roles.MONITORING)
    participant = Participant.objects.first()
    response = client.get(reverse("lending:participant_detail", args=[participant.pk]))
    assert participant.signatory.pesel in response.content.decode()
    assert PersonalDataAccess.objects.filter(
        user=client.user,
        object_id=str(participant.application_id),
        view_name="lending:participant_detail",
    ).exists()
