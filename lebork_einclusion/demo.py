"""Demo data of the core: the project record, the seven public units and one user per role.

Idempotent: records are matched by natural keys, so loading twice changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import roles
from .models import AccessibilityStatement, Officeholder, PrivacyNotice, Project, PublicUnit

DEMO_PASSWORD = "Lebork.demo.2012"  # noqa: S105 - printed by `make run`; demo databases only

# (username, first name, last name, role). Names of the real team are public (the project page),
# but demo logins use made-up people.
DEMO_USERS = [
    ("koordynator", "Anna", "Koordynatorska", roles.COORDINATOR),
    ("asystent", "Piotr", "Asystencki", roles.ASSISTANT),
    ("finanse", "Maria", "Rozliczeniowa", roles.FINANCE),
    ("monitoring", "Ewa", "Wizytacyjna", roles.MONITORING),
    ("komisja1", "Jan", "Komisyjny", roles.COMMITTEE),
    ("komisja2", "Barbara", "Opiniująca", roles.COMMITTEE),
    ("komisja3", "Tomasz", "Weryfikujący", roles.COMMITTEE),
    ("audytor", "Krystyna", "Kontrolna", roles.AUDITOR),
]

# The seven units of §3 (addresses are demo values).
PUBLIC_UNITS = [
    ("Szkoła Podstawowa nr 3 w Lęborku", "SP3", "primary_school", "ul. Szkolna 3"),
    ("Szkoła Podstawowa nr 5 w Lęborku", "SP5", "primary_school", "ul. Szkolna 5"),
    ("Szkoła Podstawowa nr 8 w Lęborku", "SP8", "primary_school", "ul. Szkolna 8"),
    ("Zespół Szkół nr 3 w Lęborku", "ZS3", "school_complex", "ul. Edukacyjna 3"),
    ("Gimnazjum nr 1 w Lęborku", "G1", "lower_secondary", "ul. Edukacyjna 1"),
    ("Gimnazjum nr 2 w Lęborku", "G2", "lower_secondary", "ul. Edukacyjna 2"),
    (
        "MOPS – Środowiskowy Dom Samopomocy dla Osób z Zaburzeniami Psychicznymi",
        "ŚDS",
        "welfare",
        "ul. Pomocna 1",
    ),
]

D = datetime.date
MAYOR_TITLE = ("Burmistrz Miasta Lęborka", "Burmistrza Miasta Lęborka", "Burmistrza Miasta Lęborka")
DEPUTY_TITLE = (
    "Zastępca Burmistrza Miasta Lęborka",
    "Zastępcy Burmistrza Miasta Lęborka",
    "Zastępcę Burmistrza Miasta Lęborka",
)
# (office, valid_from, valid_to, (name, genitive, accusative), (title, genitive, accusative),
# power of attorney). Made-up people (flagged as demo); the terms follow the local elections of
# 2010 and 2014. A female treasurer's title does not decline ("Skarbnik Miasta").
OFFICEHOLDERS = [
    (
        "mayor",
        D(2010, 12, 6),
        D(2014, 12, 7),
        ("Andrzej Wiśniewski", "Andrzeja Wiśniewskiego", "Andrzeja Wiśniewskiego"),
        MAYOR_TITLE,
        "",
    ),
    (
        "mayor",
        D(2014, 12, 8),
        D(2018, 11, 21),
        ("Andrzej Wiśniewski", "Andrzeja Wiśniewskiego", "Andrzeja Wiśniewskiego"),
        MAYOR_TITLE,
        "",
    ),
    (
        "deputy",
        D(2010, 12, 13),
        D(2018, 11, 21),
        ("Marek Kowalczyk", "Marka Kowalczyka", "Marka Kowalczyka"),
        DEPUTY_TITLE,
        "",
    ),
    (
        "treasurer",
        D(2005, 3, 1),
        D(2016, 6, 30),
        ("Stanisław Nowacki", "Stanisława Nowackiego", "Stanisława Nowackiego"),
        ("Skarbnik Miasta Lęborka", "Skarbnika Miasta Lęborka", "Skarbnika Miasta Lęborka"),
        "",
    ),
    (
        "treasurer",
        D(2016, 7, 1),
        D(2018, 12, 31),
        ("Grażyna Malinowska", "Grażyny Malinowskiej", "Grażynę Malinowską"),
        ("Skarbnik Miasta Lęborka", "Skarbnik Miasta Lęborka", "Skarbnik Miasta Lęborka"),
        "",
    ),
    # The mayor on leave in February 2013: the deputy signs the papers under a power of attorney.
    (
        "proxy",
        D(2013, 2, 18),
        D(2013, 2, 22),
        ("Marek Kowalczyk", "Marka Kowalczyka", "Marka Kowalczyka"),
        DEPUTY_TITLE,
        "pełnomocnictwo nr 4/2013 z dnia 15.02.2013",
    ),
]


def load_officeholders():
    for office, start, end, names, titles, authority in OFFICEHOLDERS:
        Officeholder.objects.get_or_create(
            office=office,
            valid_from=start,
            defaults={
                "valid_to": end,
                "name": names[0],
                "name_genitive": names[1],
                "name_accusative": names[2],
                "title": titles[0],
                "title_genitive": titles[1],
                "title_accusative": titles[2],
                "authority": authority,
                "is_demo": True,
            },
        )


def load(stdout=None):
    Project.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Przeciwdziałanie wykluczeniu cyfrowemu na terenie Gminy Miasto Lębork",
            "programme": "Program Operacyjny Innowacyjna Gospodarka 2007-2013",
            "priority_axis": "8. Społeczeństwo informacyjne – zwiększanie innowacyjności gospodarki",
            "measure": "8.3 Przeciwdziałanie wykluczeniu cyfrowemu – eInclusion",
            "fund": "Europejski Fundusz Rozwoju Regionalnego",
            "owner_name": "Gmina Miasto Lębork",
            "owner_address": "Urząd Miejski w Lęborku, ul. Armii Krajowej 14, 84-300 Lębork",
            "owner_name_genitive": "Gminy Miasto Lębork",
            "owner_name_instrumental": "Gminą Miasto Lębork",
            "owner_seat": "ul. Armii Krajowej 14, 84-300 Lębork",
            "start_date": datetime.date(2012, 6, 1),
            "end_date": datetime.date(2013, 12, 31),
            "durability_years": 5,
            "target_households": 75,
            "target_public_units": 7,
            "target_people_trained": 150,
            "target_training_hours": 96,
            # The Regulation's §5.7: the project office in the town office.
            "office_room": "208",
            "office_phone": "59 863 77 82",
            "office_email": "rise@um.lebork.pl",
        },
    )
    for name, short, kind, street in PUBLIC_UNITS:
        PublicUnit.objects.update_or_create(
            short_name=short,
            defaults={"name": name, "kind": kind, "street": street, "postal_code": "84-300"},
        )
    user_model = get_user_model()
    for username, first, last, role in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    load_officeholders()
    # The information clause and the accessibility statement, with their starting texts.
    for model in (PrivacyNotice, AccessibilityStatement):
        if not model.objects.filter(pk=1).exists():
            model.current().save()
    if stdout:
        stdout.write(f"core: project, {len(PUBLIC_UNITS)} public units, {len(DEMO_USERS)} users")
