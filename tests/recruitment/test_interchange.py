"""import_applications and export_ranking exactly as FORMATS.md says."""

import copy
import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from lebork_einclusion.pesel import make_pesel
from recruitment.domain import ALWAYS_REQUIRED
from recruitment.models import Application, Call, HouseholdMember

ALWAYS = list(ALWAYS_REQUIRED)
pytestmark = pytest.mark.django_db


def member(born, serial, role="applicant", **extra):
    return {
        "first_name": "Anna",
        "last_name": "Przykładowa",
        "pesel": make_pesel(born, serial, True),
        "role": role,
        "disability": extra.pop("disability", "none"),
        "school_scholarship": extra.pop("school_scholarship", False),
        "foster_child": False,
        "family_home_child": False,
        "documents": extra.pop("documents", []),
    }


def app(number, members, documents=None, **extra):
    household = {
        "social_assistance": extra.pop("social_assistance", True),
        "family_benefits": False,
        "alimony_fund": False,
        "foster_family": False,
        "family_childrens_home": False,
    }
    return {
        "number": number,
        "received_on": extra.pop("received_on", "2012-08-20"),
        "channel": extra.pop("channel", "in_person"),
        "postmarked_on": extra.pop("postmarked_on", None),
        "address": {
            "street": extra.pop("street", f"ul. Krzywoustego {number[-3:]}"),
            "building": "5",
            "flat": "3",
            "postal_code": "84-300",
            "city": extra.pop("city", "Lębork"),
        },
        "has_computer": extra.pop("has_computer", False),
        "has_internet": False,
        "monthly_net_income_pln": "1450.00",
        "household": household,
        "members": members,
        "documents": documents
        if documents is not None
        else [*ALWAYS, "mops_social_assistance_certificate"],
    }


ADULT = datetime.date(1980, 4, 1)
KID = datetime.date(2004, 6, 1)


@pytest.fixture
def sample():
    return {
        "call": {
            "code": "2099",
            "deadline": "2012-09-05",
            "places": 2,
            "average_salary_pln": "3399.52",
        },
        "applications": [
            app("2099/001", [member(ADULT, 1), member(KID, 2, "child")]),  # 20
            app(
                "2099/002", [member(ADULT, 3), member(KID, 4, "child"), member(KID, 5, "child")]
            ),  # 30
            app(
                "2099/003", [member(ADULT, 6), member(KID, 7, "child")], received_on="2012-08-10"
            ),  # 20, earlier
            app("2099/004", [member(ADULT, 8)], has_computer=True),
            app("2099/005", [member(ADULT, 9)], documents=ALWAYS[1:]),
            app(
                "2099/006",
                [member(ADULT, 10)],
                channel="post",
                postmarked_on="2012-09-06",
                received_on="2012-09-07",
            ),
        ],
    }


def write(tmp_path, data):
    path = tmp_path / "applications.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def export(fmt="json", **kwargs):
    out = io.StringIO()
    call_command("export_ranking", call="2099", format=fmt, stdout=out, **kwargs)
    return out.getvalue()


def test_import_then_export_reproduces_the_rules(tmp_path, sample):
    out = io.StringIO()
    call_command("import_applications", write(tmp_path, sample), call="2099", stdout=out)
    assert "Imported 6 application(s)" in out.getvalue()
    assert Call.objects.get(code="2099").opens_on == datetime.date(2012, 8, 10)
    result = json.loads(export())
    assert (result["call"], result["places"]) == ("2099", 2)
    rows = [
        (a["number"], a["status"], a["rank"], a["points"], a["reasons"], a["tie"])
        for a in result["applications"]
    ]
    assert rows == [
        ("2099/002", "main", 1, 30, [], False),
        ("2099/003", "main", 2, 20, [], True),
        ("2099/001", "reserve", 3, 20, [], True),
        ("2099/004", "ineligible", None, 10, ["has_computer"], False),
        ("2099/005", "rejected", None, 0, ["missing_document:participation_declaration"], False),
        ("2099/006", "rejected", None, 0, ["late"], False),
    ]
    first = result["applications"][0]
    assert first["breakdown"] == [{"criterion": "1", "pesel": None, "points": 30}]
    assert first["warnings"] == []


def test_the_same_address_and_uncredited_criteria_are_warnings(tmp_path, sample):
    sample["applications"][0]["address"]["street"] = "ul. Wspólna"
    sample["applications"][1]["address"]["street"] = "ul. Wspólna"
    sample["applications"][2]["members"][1]["disability"] = "light"
    call_command("import_applications", write(tmp_path, sample), call="2099", stdout=io.StringIO())
    warnings = {a["number"]: a["warnings"] for a in json.loads(export())["applications"]}
    assert warnings["2099/001"] == ["same_address_as:2099/002"]
    assert warnings["2099/002"] == ["same_address_as:2099/001"]
    assert warnings["2099/003"] == ["criterion_not_credited:5"]


def test_csv_and_xlsx_carry_the_same_rows(tmp_path, sample):
    call_command("import_applications", write(tmp_path, sample), call="2099", stdout=io.StringIO())
    rows = list(csv.reader(io.StringIO(export("csv"))))
    assert rows[0] == [
        "number",
        "status",
        "rank",
        "points",
        "tie",
        "reasons",
        "warnings",
        "breakdown",
    ]
    assert rows[1] == ["2099/002", "main", "1", "30", "false", "", "", "1::30"]
    target = tmp_path / "ranking.xlsx"
    call_command("export_ranking", call="2099", format="xlsx", output=target)
    sheet = load_workbook(target).active
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))][:4] == [
        "2099/002",
        "main",
        1,
        30,
    ]


def test_a_file_with_one_bad_application_imports_nothing_and_lists_every_problem(tmp_path, sample):
    bad = copy.deepcopy(sample)
    bad["applications"][1]["members"][0]["pesel"] = "44051401358"  # checksum
    bad["applications"][2]["channel"] = "in_person"
    bad["applications"][2]["postmarked_on"] = "2012-08-09"  # postmark on an in-person application
    bad["applications"][3]["monthly_net_income_pln"] = "-5"
    bad["applications"][4]["members"].append(dict(bad["applications"][4]["members"][0]))  # twice
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_applications", write(tmp_path, bad), call="2099", stderr=err)
    problems = err.getvalue()
    assert "2099/002: members[0].pesel:" in problems
    assert "2099/003: postmarked_on:" in problems
    assert "2099/004: monthly_net_income:" in problems
    assert "2099/005: members[1].pesel:" in problems
    assert "2099/005: members:" in problems  # two applicants
    assert not Call.objects.filter(code="2099").exists()
    assert not HouseholdMember.objects.filter(application__number__startswith="2099/").exists()


def test_reimporting_a_number_needs_update(tmp_path, sample):
    path = write(tmp_path, sample)
    call_command("import_applications", path, call="2099", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("import_applications", path, call="2099", stderr=io.StringIO())
    sample["applications"][0]["members"].append(member(KID, 11, "child"))
    call_command(
        "import_applications",
        write(tmp_path, sample),
        call="2099",
        update=True,
        stdout=io.StringIO(),
    )
    assert Application.objects.get(number="2099/001").members.count() == 3
    assert Application.objects.filter(call__code="2099").count() == 6


def test_the_file_must_be_for_the_call_asked(tmp_path, sample):
    with pytest.raises(CommandError):
        call_command(
            "import_applications", write(tmp_path, sample), call="2100", stderr=io.StringIO()
        )
    assert not Call.objects.filter(code__in=["2099", "2100"]).exists()


def test_a_persons_certificate_credits_that_person_only(tmp_path, sample):
    """FORMATS.md: one disability certificate per disabled member, listed on the member."""
    data = copy.deepcopy(sample)
    data["applications"] = [
        app(
            "2099/001",
            [
                member(ADULT, 1, disability="severe", documents=["disability_certificate"]),
                member(ADULT, 2, "spouse", disability="severe"),  # no certificate of their own
            ],
        )
    ]
    call_command("import_applications", write(tmp_path, data), call="2099", stdout=io.StringIO())
    (row,) = json.loads(export())["applications"]
    pesels = [m["pesel"] for m in data["applications"][0]["members"]]
    assert row["breakdown"] == [
        {"criterion": "1", "pesel": None, "points": 20},
        {"criterion": "4", "pesel": pesels[0], "points": 20},
    ]
    assert row["warnings"] == ["criterion_not_credited:4"]
    document = Application.objects.get(number="2099/001").documents.get(
        doc_type="disability_certificate"
    )
    assert document.member.pesel == pesels[0]


def test_a_persons_certificate_on_the_application_is_refused(tmp_path, sample):
    data = copy.deepcopy(sample)
    data["applications"][0]["documents"].append("disability_certificate")
    data["applications"][1]["members"][0]["documents"] = ["recommendation"]
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_applications", write(tmp_path, data), call="2099", stderr=err)
    problems = err.getvalue()
    assert "2099/001: documents: Dokument disability_certificate jest dokumentem osoby" in problems
    assert (
        "2099/002: members[0].documents: Dokument recommendation dotyczy całego gospodarstwa"
        in problems
    )
    assert not Call.objects.filter(code="2099").exists()
