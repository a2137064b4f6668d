"""Trainees: people of participating households put in groups (or someone not yet a member,
with the reason); the trainee list and the trainee's page."""

from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.models import PersonalDataAccess
from lebork_einclusion.pesel import age_on, sex
from training.models import ELearningEnrolment, Trainee, TrainingModule

from .conftest import applicant_of


def test_members_are_added_with_sex_and_age_read_from_their_pesel(group, trainees, module):
    for trainee in trainees:
        assert trainee.sex == sex(trainee.member.pesel)
        assert trainee.age == age_on(trainee.member.pesel, module.starts_on)
        assert trainee.participant.application_id == trainee.member.application_id
        assert not ELearningEnrolment.objects.filter(trainee=trainee).exists()


def test_the_add_page_offers_people_not_yet_in_the_module(
    assistant_client, group, trainees, households
):
    response = assistant_client.get(reverse("training:group_add_members", args=[group.pk]))
    offered = {m.pk for m in response.context["candidates"]}
    assert not offered & {t.member_id for t in trainees}
    response = assistant_client.get(
        reverse("training:group_add_members", args=[group.pk]),
        {"q": households[4].application.number},
    )
    assert {m.application_id for m in response.context["candidates"]} == {
        households[4].application_id
    }


def test_chosen_members_are_added_through_the_page(assistant_client, group, households):
    chosen = [applicant_of(p) for p in households[10:12]]
    response = assistant_client.post(
        reverse("training:group_add_members", args=[group.pk]),
        {"members": [m.pk for m in chosen]},
        follow=True,
    )
    assert "Do grupy dodano 2 osoby." in response.content.decode()
    assert set(group.trainees.values_list("member_id", flat=True)) == {m.pk for m in chosen}


def test_someone_not_yet_a_member_is_added_with_the_reason(assistant_client, group, households):
    response = assistant_client.post(
        reverse("training:group_add_newcomer", args=[group.pk]),
        {
            "participant": households[2].pk,
            "first_name": "Kamil",
            "last_name": "Nowy",
            "pesel": "91050300134",
            "reason": "Dorosły syn wprowadził się w lutym 2024.",
        },
        follow=True,
    )
    trainee = Trainee.objects.get(group=group, pesel="91050300134")
    assert "Kamil Nowy – dodano do grupy." in response.content.decode()
    assert (trainee.member, trainee.participant, trainee.sex) == (None, households[2], "M")
    assert trainee.reason == "Dorosły syn wprowadził się w lutym 2024."
    page = assistant_client.get(reverse("training:trainee_detail", args=[trainee.pk]))
    assert "Dorosły syn wprowadził się w lutym 2024." in page.content.decode()
    assert (
        "spoza składu gospodarstwa"
        in assistant_client.get(reverse("training:group_detail", args=[group.pk])).content.decode()
    )


def test_the_newcomer_form_carries_the_information_clause(assistant_client, group):
    page = assistant_client.get(
        reverse("training:group_add_newcomer", args=[group.pk])
    ).content.decode()
    assert "Informacja o przetwarzaniu danych osobowych" in page or "gdpr-clause" in page


def test_a_trainee_without_attendance_is_taken_out(assistant_client, trainees):
    response = assistant_client.post(
        reverse("training:trainee_remove", args=[trainees[0].pk]), follow=True
    )
    assert f"{trainees[0].full_name} – wypisano z grupy." in response.content.decode()
    assert not Trainee.objects.filter(pk=trainees[0].pk).exists()


def test_the_trainee_list_filters_by_module_group_and_name(assistant_client):
    module = TrainingModule.objects.get(number=1, project_id=1)
    group = module.groups.order_by("pk")[1]
    response = assistant_client.get(
        reverse("training:trainee_list"), {"module": module.pk, "group": group.pk}
    )
    assert response.context["page"].paginator.count == group.trainees.count()
    trainee = group.trainees.select_related("member").first()
    response = assistant_client.get(
        reverse("training:trainee_list"), {"q": trainee.member.last_name, "module": module.pk}
    )
    assert trainee in list(response.context["page"])


def test_the_trainee_list_uses_a_constant_number_of_queries(
    assistant_client, group, trainees, households, coordinator, django_assert_max_num_queries
):
    url = reverse("training:trainee_list")
    with django_assert_max_num_queries(14) as few:
        assistant_client.get(url, {"module": group.module_id})
    from training.services import trainees as trainee_services

    group.capacity = 30
    group.save()
    trainee_services.do_add_members(
        group, [applicant_of(p) for p in households[3:25]], actor=coordinator
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = assistant_client.get(url, {"module": group.module_id})
    assert response.context["page"].paginator.count == 25
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = assistant_client.get(url)
    assert response.context["page"].paginator.count == Trainee.objects.count()
    assert len(response.context["rows"]) == 50


def test_the_trainee_page_shows_the_pesel_and_logs_the_access(client_as):
    client = client_as(roles.MONITORING)
    trainee = Trainee.objects.filter(module__number=1).select_related("member").first()
    response = client.get(reverse("training:trainee_detail", args=[trainee.pk]))
    assert trainee.member.pesel in response.content.decode()
    assert PersonalDataAccess.objects.filter(
        user=client.user,
        object_type="training.trainee",
        object_id=str(trainee.pk),
        view_name="training:trainee_detail",
    ).exists()


def test_the_finance_officer_does_not_see_trainees(client_as):
    client = client_as(roles.FINANCE)
    trainee = Trainee.objects.first()
    assert client.get(reverse("training:trainee_detail", args=[trainee.pk])).status_code == 403


def test_the_trainee_page_links_the_household_to_lending(assistant_client):
    trainee = Trainee.objects.filter(module__number=1).first()
    page = assistant_client.get(
        reverse("training:trainee_detail", args=[trainee.pk])
    ).content.decode()
    assert reverse("lending:participant_detail", args=[trainee.participant_id]) in page
