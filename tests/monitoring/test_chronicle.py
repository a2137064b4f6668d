"""The project's chronicle: the seed's 51 entries and the apps' milestones, each told once; the
public page and its RSS/Atom feeds show nothing personal and nothing unpublished."""

import datetime

import pytest
from defusedxml import ElementTree as ET
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lebork_einclusion import roles
from monitoring import chronicle
from monitoring.models import ChronicleEntry
from monitoring.services.chronicle import do_save_chronicle_entry
from monitoring.services.visits import CheckInput, do_record_visit
from procurement.models import ProcedureEvent
from tests.helpers import messages_of

from .conftest import monitoring_state

D = datetime.date
ATOM = "{http://www.w3.org/2005/Atom}"


def entry_data(**changes):
    data = {
        "date": "2013-11-05",
        "end_date": "",
        "precision": "day",
        "kind": "article",
        "title": "„Komputery w każdym domu”",
        "source": "Głos Pomorza",
        "link": "https://www.gp24.pl/artykul",
        "description": "",
        "published": "on",
        "editorial_note": "",
    }
    data.update(changes)
    return data


def test_the_demo_holds_the_51_entries_of_the_project_page(db):
    notes = ChronicleEntry.objects.values_list("editorial_note", flat=True)
    numbers = sorted(int(n.split("wpis nr ")[1].split(".")[0]) for n in notes if "wpis nr " in n)
    assert numbers == list(range(1, 52))


def test_the_doubtful_dates_of_the_project_page_are_read_as_decided(db):
    training = ChronicleEntry.objects.get(title__startswith="Realizacja szkoleń komputerowych")
    assert (training.date, training.end_date) == (D(2012, 11, 19), D(2012, 12, 7))
    assert "12.12.2012" in training.description
    assert "12.11.2012" in training.editorial_note
    labs_open = ChronicleEntry.objects.get(title="„Sale komputerowe dostępne w szkołach”")
    assert labs_open.date == D(2013, 1, 15)
    assert "15.01.2012" in labs_open.editorial_note
    last = ChronicleEntry.objects.get(title__contains="Lęborczanie wezmą udział")
    assert not last.title.startswith("19.")


def test_every_milestone_is_shown_once_in_the_public_chronicle(db):
    items = chronicle.chronicle(public=True)
    milestones = {m.key for m in chronicle.milestones()}
    covered = {key for e in ChronicleEntry.objects.all() for key in e.covers}
    shown = {i.key for i in items if i.is_milestone}
    assert covered <= milestones
    assert shown == milestones - covered
    assert len(items) == 51 + len(milestones - covered)
    # The equipment tender is told by the project page's entry, not twice.
    announcement = ProcedureEvent.objects.get(
        kind="announced", procedure__announcement_number="408664-2012"
    )
    assert f"procurement.event:{announcement.pk}" not in shown
    titles = [i.title for i in items]
    assert sum("408664-2012" in t for t in titles) == 0
    assert "Ogłoszenie przetargu na dostawę sprzętu komputerowego i jego serwis" in titles


def test_milestones_no_entry_tells_of_are_read_from_the_apps(db):
    items = chronicle.chronicle(public=True)
    award = next(i for i in items if i.title.startswith("Wybór wykonawcy: Dostawa sprzętu"))
    assert award.date == D(2012, 11, 6)
    assert award.title.endswith("MAXTO Sp. z o.o. S.K.A.")


def test_the_public_page_shows_the_chronicle_without_login(client, db):
    response = client.get(reverse("monitoring:public_chronicle"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kronika projektu" in page
    assert "„Rozdają komputery rodzinom”" in page
    assert "czerwiec 2012" in page  # a month-only entry
    assert "październik – grudzień 2013" in page
    assert "Wybór wykonawcy: Dostawa sprzętu komputerowego i jego serwis" in page


def test_the_public_page_shows_nothing_personal_or_internal(client, coordinator):
    hidden = do_save_chronicle_entry(
        None,
        {
            "date": D(2013, 11, 5),
            "kind": "activity",
            "title": "Szkic wpisu, jeszcze nie do publikacji",
            "published": False,
        },
        actor=coordinator,
    )
    response = client.get(reverse("monitoring:public_chronicle"))
    page = response.content.decode()
    assert hidden.title not in page
    assert "Strona projektu, „Informacje z realizacji projektu”" not in page  # editorial notes
    for event in ProcedureEvent.objects.select_related("actor").exclude(actor=None)[:3]:
        assert event.actor.last_name not in page  # who recorded a procurement step
    assert "Anna Koordynatorska" not in page


def test_an_unpublished_entry_does_not_hide_the_milestone_it_tells_of(coordinator, db):
    entry = ChronicleEntry.objects.get(title__startswith="Podpisanie umowy na dostawę sprzętu")
    ChronicleEntry.objects.filter(pk=entry.pk).update(published=False)
    keys = {i.key for i in chronicle.chronicle(public=True)}
    assert entry.covers[0] in keys


def test_the_rss_feed_parses_and_lists_the_newest_first(client, db):
    response = client.get(reverse("monitoring:chronicle_rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title").startswith("Kronika projektu")
    items = channel.findall("item")
    assert len(items) == 50
    # The newest milestone: the last round of visits, the household promoted in 2014 visited
    # on 31.07.2018 (monitoring's demo).
    assert items[0].findtext("title") == "Wizyty monitorujące w domach beneficjentów"
    assert items[0].findtext("pubDate").startswith("Tue, 31 Jul 2018")
    guids = [i.findtext("guid") for i in items]
    assert len(set(guids)) == len(guids)
    assert all(i.findtext("link").startswith("http://testserver/public/chronicle/") for i in items)


def test_the_atom_feed_parses(client, db):
    response = client.get(reverse("monitoring:chronicle_atom"))
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    assert entries[0].findtext(f"{ATOM}updated").startswith("2018-07-31")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert all(ids) and len(set(ids)) == len(ids)
    assert all(e.findtext(f"{ATOM}title") for e in entries)


def test_the_office_adds_an_entry_on_the_page(officer_client):
    response = officer_client.post(reverse("monitoring:chronicle_new"), entry_data())
    entry = ChronicleEntry.objects.get(title="„Komputery w każdym domu”")
    assert response.status_code == 302
    assert entry.created_by == officer_client.user
    assert entry.link == "https://www.gp24.pl/artykul"


def test_an_entry_can_tell_of_a_milestone_no_other_entry_tells_of(officer_client):
    award = ProcedureEvent.objects.get(kind="awarded", procedure__reference="RZP.271.1.2012")
    key = f"procurement.event:{award.pk}"
    officer_client.post(reverse("monitoring:chronicle_new"), entry_data(covers=[key]))
    assert ChronicleEntry.objects.get(title="„Komputery w każdym domu”").covers == [key]
    assert key not in {i.key for i in chronicle.chronicle(public=True)}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_date": "2013-11-01"}, "Koniec nie może być wcześniej niż początek."),
        ({"link": "javascript:alert(1)"}, "Wpisz poprawny URL."),
        ({"title": ""}, "To pole jest wymagane."),
        ({"kind": "gossip"}, "Wybierz poprawną wartość."),
        (
            {"date": "2012-08-13", "title": "Artykuł dotyczący projektu"},
            "Wpis o tym tytule z tą datą już istnieje.",
        ),
    ],
)
def test_a_bad_entry_is_refused_and_nothing_saved(officer_client, changes, message):
    before = monitoring_state()
    response = officer_client.post(reverse("monitoring:chronicle_new"), entry_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert monitoring_state() == before


def test_a_milestone_another_entry_tells_of_is_refused(coordinator, db):
    taken = ChronicleEntry.objects.get(title__startswith="Podpisanie umowy na dostawę sprzętu")
    before = monitoring_state()
    with pytest.raises(ValidationError) as caught:
        do_save_chronicle_entry(
            None,
            {
                "date": D(2013, 11, 5),
                "kind": "activity",
                "title": "Drugi wpis o tej samej umowie",
                "covers": taken.covers,
            },
            actor=coordinator,
        )
    assert messages_of(caught.value) == (f"Ten kamień milowy opisuje już inny wpis: {taken}.")
    assert monitoring_state() == before


def test_an_unknown_milestone_is_refused(coordinator, db):
    before = monitoring_state()
    with pytest.raises(ValidationError) as caught:
        do_save_chronicle_entry(
            None,
            {
                "date": D(2013, 11, 5),
                "kind": "activity",
                "title": "Wpis o czymś, czego nie ma",
                "covers": ["procurement.event:999999"],
            },
            actor=coordinator,
        )
    assert messages_of(caught.value) == "Wybierz kamienie milowe z listy."
    assert monitoring_state() == before


def test_the_auditor_reads_the_office_chronicle_and_may_not_write(client_as):
    client = client_as(roles.AUDITOR)
    page = client.get(reverse("monitoring:chronicle")).content.decode()
    assert "Notatka redakcyjna:" in page
    before = monitoring_state()
    assert client.post(reverse("monitoring:chronicle_new"), entry_data()).status_code == 403
    assert monitoring_state() == before


def test_the_chronicle_pages_keep_their_queries_whatever_the_number_of_entries(
    officer_client, django_assert_max_num_queries
):
    client = Client()  # anonymous

    # Training's figures (six queries) and the visits' monthly rounds (one) are milestones too.
    def measure():
        with django_assert_max_num_queries(21):
            officer_client.get(reverse("monitoring:chronicle"))
        with django_assert_max_num_queries(15):
            client.get(reverse("monitoring:public_chronicle"))
        with django_assert_max_num_queries(15):
            client.get(reverse("monitoring:chronicle_rss"))

    measure()
    ChronicleEntry.objects.bulk_create(
        ChronicleEntry(
            date=D(2014, 1, 1) + datetime.timedelta(days=n), kind="article", title=f"Artykuł {n}"
        )
        for n in range(100)
    )
    measure()


def test_training_modules_and_visit_rounds_are_milestones_told_by_the_seed_s_entries(db):
    found = {item.key: item for item in chronicle.milestones()}
    modules = [item for key, item in found.items() if key.startswith("training.module:")]
    assert [m.title for m in modules] == [
        "Przeprowadzono moduł szkoleniowy 1: Podstawy obsługi komputera i Internetu",
        "Przeprowadzono moduł szkoleniowy 2: Szkolenie e-learningowe: sprawne korzystanie z "
        "komputera i Internetu",
    ]
    assert modules[0].date == D(2012, 11, 19) and modules[0].end_date == D(2012, 12, 7)
    assert "zrealizowane godziny: 96" in modules[0].description
    march = found["monitoring.visits:2013-03"]
    assert march.when == "marzec 2013"
    assert march.description == ("Przeprowadzone wizyty: 68, odwiedzone gospodarstwa domowe: 68.")
    entry_19 = ChronicleEntry.objects.get(title__startswith="Realizacja szkoleń komputerowych")
    entry_39 = ChronicleEntry.objects.get(title__startswith="Przeprowadzenie wizyt monitorujących")
    entry_49 = ChronicleEntry.objects.get(title__startswith="Przeprowadzenie szkoleń e-learning")
    assert entry_19.covers == [modules[0].key]
    assert entry_39.covers == ["monitoring.visits:2013-03"]
    assert entry_49.covers == [modules[1].key]
    public_keys = {i.key for i in chronicle.chronicle(public=True)}
    assert not {modules[0].key, modules[1].key, march.key} & public_keys


def test_a_later_round_of_visits_is_a_milestone_of_its_own(officer, household):
    import uuid

    from django.utils import timezone

    do_record_visit(
        household,
        key=uuid.uuid4(),
        actor=officer,
        visited_at=timezone.make_aware(datetime.datetime(2014, 1, 13, 10)),
        outcome="nobody_home",
    )
    # January 2014 has no visit in the demo (its rounds are in the spring).
    assert "monitoring.visits:2014-01" not in {m.key for m in chronicle.milestones()}
    from lending.services import lent_assets

    do_record_visit(
        household,
        key=uuid.uuid4(),
        actor=officer,
        visited_at=timezone.make_aware(datetime.datetime(2014, 1, 20, 10)),
        outcome="made",
        checks=[CheckInput(a.serial_number, "present") for a in lent_assets(household)],
        connection_working=True,
        not_sold=True,
        not_lent=True,
        lawful_use=True,
    )
    public = {i.key: i for i in chronicle.chronicle(public=True)}
    assert public["monitoring.visits:2014-01"].title == "Wizyty monitorujące w domach beneficjentów"
