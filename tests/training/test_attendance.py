"""Attendance: the phone page (one tap per trainee, saved at once; the whole form without
JavaScript), the desk page (the signed sheet typed in, its scan attached and the session
locked), and corrections of a locked session with their reason kept in the history."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pghistory.models import Events

from training.models import Attendance, AttendanceCorrection, Trainee, TrainingSession
from training.services import attendance as attendance_services
from training.services import trainees as trainee_services

from .conftest import SCAN, mark_all


def test_the_phone_page_offers_three_large_choices_per_trainee(
    assistant_client, trainees, sessions
):
    response = assistant_client.get(reverse("training:session_attendance", args=[sessions[0].pk]))
    page = response.content.decode()
    for trainee in trainees:
        assert trainee.full_name in page
        for status in ("present", "absent", "excused"):
            assert f'name="status_{trainee.pk}" value="{status}"' in page
    assert page.count("btn-attendance") == 3 * len(trainees)
    assert "js/attendance.js" in page
    assert "Obecni: 0, nieobecni: 0, usprawiedliwieni: 0, nie wpisano: 3." in page


def test_one_tap_is_saved_at_once_and_answers_with_the_counts(assistant_client, trainees, sessions):
    session = sessions[0]
    response = assistant_client.post(
        reverse("training:session_attendance", args=[session.pk]),
        {f"status_{trainees[1].pk}": "absent", f"reason_{trainees[1].pk}": ""},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "changed": 1,
        "counts": {"present": 0, "absent": 1, "excused": 0, "unmarked": 2},
    }
    mark = Attendance.objects.get(session=session, trainee=trainees[1])
    assert (mark.status, mark.recorded_by) == ("absent", assistant_client.user)


def test_a_tap_sent_again_with_its_key_is_saved_once(assistant_client, trainees, sessions):
    """The phone's queue sends a tap again when its answer was lost: the key makes the second
    sending an answer "done", and a later value under the same key changes nothing."""
    session, trainee = sessions[0], trainees[1]
    url = reverse("training:session_attendance", args=[session.pk])

    def tap(status):
        return assistant_client.post(
            url,
            {"form_key": "tap-key-0123456789ab", f"status_{trainee.pk}": status},
            HTTP_ACCEPT="application/json",
        )

    assert tap("absent").json()["ok"] is True
    assert tap("present").json() == {"ok": True, "again": True}
    assert Attendance.objects.get(session=session, trainee=trainee).status == "absent"


def test_an_excused_tap_needs_its_reason_and_keeps_it(assistant_client, trainees, sessions):
    session = sessions[0]
    url = reverse("training:session_attendance", args=[session.pk])
    refused = assistant_client.post(
        url, {f"status_{trainees[0].pk}": "excused"}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["error"] == (
        f"{trainees[0].full_name}: podaj powód usprawiedliwienia nieobecności."
    )
    saved = assistant_client.post(
        url,
        {f"status_{trainees[0].pk}": "excused", f"reason_{trainees[0].pk}": "choroba"},
        HTTP_ACCEPT="application/json",
    )
    assert saved.json()["ok"] is True
    mark = Attendance.objects.get(session=session, trainee=trainees[0])
    assert (mark.status, mark.reason) == ("excused", "choroba")


def test_changing_a_tap_updates_the_mark_and_drops_an_old_reason(
    assistant_client, trainees, sessions
):
    session = sessions[0]
    url = reverse("training:session_attendance", args=[session.pk])
    for status, reason in (("excused", "choroba"), ("present", "choroba")):
        assistant_client.post(
            url,
            {f"status_{trainees[0].pk}": status, f"reason_{trainees[0].pk}": reason},
            HTTP_ACCEPT="application/json",
        )
    mark = Attendance.objects.get(session=session, trainee=trainees[0])
    assert (mark.status, mark.reason) == ("present", "")
    assert Attendance.objects.filter(session=session).count() == 1


def test_without_javascript_the_whole_form_is_saved(assistant_client, trainees, sessions):
    session = sessions[0]
    data = {f"status_{t.pk}": "present" for t in trainees}
    data[f"status_{trainees[2].pk}"] = "absent"
    response = assistant_client.post(
        reverse("training:session_attendance", args=[session.pk]), data, follow=True
    )
    assert "Obecność została zapisana." in response.content.decode()
    assert dict(Attendance.objects.filter(session=session).values_list("trainee_id", "status")) == {
        trainees[0].pk: "present",
        trainees[1].pk: "present",
        trainees[2].pk: "absent",
    }


def test_the_phone_page_uses_a_constant_number_of_queries(
    assistant_client,
    group,
    trainees,
    sessions,
    households,
    coordinator,
    django_assert_max_num_queries,
):
    url = reverse("training:session_attendance", args=[sessions[0].pk])
    with django_assert_max_num_queries(12) as small:
        assistant_client.get(url)
    group.capacity = 20
    group.save()
    from .conftest import applicant_of

    trainee_services.do_add_members(
        group, [applicant_of(p) for p in households[3:19]], actor=coordinator
    )
    mark_all(sessions[0], list(group.trainees.all()), coordinator)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = assistant_client.get(url)
    assert response.content.decode().count("btn-attendance") == 3 * 19


def test_the_desk_page_presets_present_and_attaches_the_scan_which_locks_the_session(
    assistant_client, trainees, sessions
):
    session = sessions[0]
    url = reverse("training:session_desk", args=[session.pk])
    page = assistant_client.get(url).content.decode()
    for trainee in trainees:
        assert (
            f'name="status_{trainee.pk}" value="present" id="id_status_{trainee.pk}_0" checked'
            in page
        )
    data = {f"status_{t.pk}": "present" for t in trainees}
    data[f"status_{trainees[0].pk}"] = "excused"
    data[f"reason_{trainees[0].pk}"] = "opieka nad chorym dzieckiem"
    data["scan"] = SimpleUploadedFile("lista.pdf", SCAN, "application/pdf")
    response = assistant_client.post(url, data, follow=True)
    assert (
        "Obecność została zapisana, a podpisana lista dołączona: zajęcia są zablokowane."
        in response.content.decode()
    )
    session.refresh_from_db()
    assert session.locked
    assert session.sheet_scan.name.endswith(".pdf")
    assert session.sheet_attached_by == assistant_client.user
    assert Attendance.objects.get(session=session, trainee=trainees[0]).reason == (
        "opieka nad chorym dzieckiem"
    )
    assert "Podpisaną listę dołączył(a) Piotr Notujący" in response.content.decode()


def test_the_scan_is_served_only_as_an_attachment(assistant_client, trainees, sessions):
    session = sessions[0]
    mark_all(session, trainees, assistant_client.user)
    attendance_services.do_attach_sheet(
        session, SimpleUploadedFile("x.pdf", SCAN), actor=assistant_client.user
    )
    response = assistant_client.get(reverse("training:session_scan", args=[session.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == SCAN


def test_a_correction_of_a_locked_session_is_recorded_with_its_reason(
    assistant_client, trainees, sessions
):
    session = sessions[0]
    mark_all(session, trainees, assistant_client.user)
    attendance_services.do_record_attendance(
        session, {trainees[1].pk: ("absent", "")}, actor=assistant_client.user
    )
    attendance_services.do_attach_sheet(
        session, SimpleUploadedFile("x.pdf", SCAN), actor=assistant_client.user
    )
    data = {f"status_{t.pk}": "present" for t in trainees}
    data[f"status_{trainees[1].pk}"] = "excused"
    data[f"reason_{trainees[1].pk}"] = "zwolnienie lekarskie"
    data["correction_reason"] = "Zwolnienie lekarskie dostarczone 15.03.2024."
    response = assistant_client.post(
        reverse("training:session_desk", args=[session.pk]), data, follow=True
    )
    page = response.content.decode()
    assert "Zapisano 1 korektę." in page
    correction = AttendanceCorrection.objects.get(attendance__session=session)
    assert (correction.previous_status, correction.new_status, correction.new_reason) == (
        "absent",
        "excused",
        "zwolnienie lekarskie",
    )
    assert correction.reason == "Zwolnienie lekarskie dostarczone 15.03.2024."
    assert correction.corrected_by == assistant_client.user
    assert "Zwolnienie lekarskie dostarczone 15.03.2024." in page
    mark = Attendance.objects.get(session=session, trainee=trainees[1])
    assert mark.status == "excused"
    # The audit trail keeps both states of the mark.
    statuses = list(
        Events.objects.references(mark)
        .filter(pgh_model="training.AttendanceEvent")
        .order_by("pgh_created_at")
        .values_list("pgh_data__status", flat=True)
    )
    assert statuses[-2:] == ["absent", "excused"]
    trainee_page = assistant_client.get(reverse("training:trainee_detail", args=[trainees[1].pk]))
    assert "Zwolnienie lekarskie dostarczone 15.03.2024." in trainee_page.content.decode()


def test_a_correction_that_changes_nothing_records_nothing(assistant_client, trainees, sessions):
    session = sessions[0]
    mark_all(session, trainees, assistant_client.user)
    attendance_services.do_attach_sheet(
        session, SimpleUploadedFile("x.pdf", SCAN), actor=assistant_client.user
    )
    data = {f"status_{t.pk}": "present" for t in trainees}
    response = assistant_client.post(
        reverse("training:session_desk", args=[session.pk]), data, follow=True
    )
    assert "Nic się nie zmieniło." in response.content.decode()
    assert not AttendanceCorrection.objects.filter(attendance__session=session).exists()


def test_the_trainees_page_shows_the_attendance(assistant_client, trainees, sessions):
    mark_all(sessions[0], trainees, assistant_client.user)
    attendance_services.do_record_attendance(
        sessions[1], {trainees[0].pk: ("absent", "")}, actor=assistant_client.user
    )
    page = assistant_client.get(
        reverse("training:trainee_detail", args=[trainees[0].pk])
    ).content.decode()
    assert page.count('class="badge text-bg-success">obecny<') == 1
    assert page.count('class="badge text-bg-danger">nieobecny<') == 1
    assert "2 h z 6 h" in page


def test_a_session_without_attendance_can_be_removed_from_the_schedule(
    assistant_client, group, sessions
):
    response = assistant_client.post(
        reverse("training:session_delete", args=[sessions[2].pk]), follow=True
    )
    assert "Zajęcia usunięto z harmonogramu." in response.content.decode()
    assert not TrainingSession.objects.filter(pk=sessions[2].pk).exists()


def test_a_session_that_took_place_stays(assistant_client, trainees, sessions):
    mark_all(sessions[0], trainees, assistant_client.user)
    response = assistant_client.post(
        reverse("training:session_delete", args=[sessions[0].pk]), follow=True
    )
    assert "Dla tych zajęć zapisano obecność" in response.content.decode()
    assert TrainingSession.objects.filter(pk=sessions[0].pk).exists()


def test_the_choices_agree_with_the_trainees_sex_on_the_phone_and_desk_pages(
    assistant_client, trainees, sessions
):
    woman, man = trainees[0], trainees[1]
    Trainee.objects.filter(pk=woman.pk).update(sex="F")
    Trainee.objects.filter(pk=man.pk).update(sex="M")
    expected = {
        woman: ("obecna", "nieobecna", "usprawiedliwiona"),
        man: ("obecny", "nieobecny", "usprawiedliwiony"),
    }
    for name in ("training:session_attendance", "training:session_desk"):
        page = " ".join(
            assistant_client.get(reverse(name, args=[sessions[0].pk])).content.decode().split()
        )
        for trainee, words in expected.items():
            for index, word in enumerate(words):
                assert f'for="id_status_{trainee.pk}_{index}">{word}</label>' in page, (name, word)
