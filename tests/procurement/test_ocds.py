"""The OCDS 1.1 release package: valid against the published schema shipped in the repository,
with the tender, awards, contracts and parties the register holds."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from procurement import ocds
from procurement.ocds_schema import codelist, validation_errors
from procurement.services import contracts

from .conftest import day


@pytest.fixture
def package(db):
    return ocds.release_package(ocds.export_queryset(), uri="https://example.org/ocds.json")


def by_tender_id(package):
    return {release["tender"]["id"]: release for release in package["releases"]}


def test_the_demo_package_passes_the_published_schema(package):
    assert validation_errors(package) == []
    assert package["version"] == "1.1"
    assert package["publisher"]["name"] == "Gmina Miasto Lębork"
    assert len(package["releases"]) == 8 + 7  # the project's, then the durability period's


def test_the_check_finds_what_is_wrong(db):
    """The structural test is not a rubber stamp: each of these breaks it."""
    good = ocds.release_package(ocds.export_queryset(), uri="https://example.org/ocds.json")
    broken = copy.deepcopy(good)
    del broken["releases"][0]["ocid"]
    broken["releases"][1]["tender"]["status"] = "open"
    broken["releases"][2]["date"] = "2012-11-20"
    broken["releases"][3]["parties"][0]["roles"] = ["customer"]
    broken["releases"][4]["contracts"][0]["awardID"] = "nope"
    broken["uri"] = "no uri"
    problems = "\n".join(validation_errors(broken))
    assert "releases/0: 'ocid' is a required property" in problems
    assert "releases/1/tender/status" in problems
    assert "releases/2/date" in problems
    assert "'customer' is not in codelist partyRole" in problems
    assert "has no award" in problems
    assert "uri: 'no uri' is not a 'uri'" in problems


def test_a_contract_signed_procedure_has_tender_award_contract_and_parties(package):
    release = by_tender_id(package)["408664-2012"]
    assert release["tag"] == ["tender", "award", "contract"]
    assert release["tender"]["procurementMethod"] == "open"
    assert release["tender"]["mainProcurementCategory"] == "goods"
    assert release["tender"]["tenderPeriod"]["startDate"] == "2012-10-19T00:00:00+02:00"
    assert release["tender"]["tenderPeriod"]["endDate"] == "2012-10-29T10:00:00+01:00"
    assert release["tender"]["numberOfTenderers"] == 2
    award = release["awards"][0]
    assert award["suppliers"] == [{"id": "PL-NIP-1753590892", "name": "MAXTO Sp. z o.o. S.K.A."}]
    assert award["value"] == {"amount": 389420.0, "currency": "PLN"}
    contract = release["contracts"][0]
    assert contract["id"] == "RZP.272.14.2012"
    assert contract["awardID"] == award["id"]
    assert contract["dateSigned"] == "2012-11-14T00:00:00+01:00"
    roles = {party["name"]: party["roles"] for party in release["parties"]}
    assert roles["Gmina Miasto Lębork"] == ["buyer", "procuringEntity"]
    assert roles["MAXTO Sp. z o.o. S.K.A."] == ["supplier", "tenderer"]
    assert roles["Komputer-Serwis Przykładowy Sp. z o.o."] == ["tenderer"]


def test_the_annulment_and_the_reannouncement_are_linked_processes(package):
    releases = by_tender_id(package)
    annulled, again = releases["235583-2012"], releases["460720-2012"]
    assert annulled["tag"] == ["tenderCancellation"]
    assert annulled["tender"]["status"] == "cancelled"
    cancellation = next(
        d for d in annulled["tender"]["documents"] if d["documentType"] == "cancellationDetails"
    )
    assert cancellation["description"].startswith("Art. 93 ust. 1 pkt 7")
    assert "awards" not in annulled
    assert again["relatedProcesses"] == [
        {
            "id": "1",
            "relationship": ["unsuccessfulProcess"],
            "title": annulled["tender"]["title"],
            "scheme": "ocid",
            "identifier": annulled["ocid"],
        }
    ]
    assert again["ocid"] != annulled["ocid"]


def test_a_request_for_quotation_is_a_limited_method(package):
    release = by_tender_id(package)["ZO.1.2012"]
    assert release["tender"]["procurementMethod"] == "limited"
    assert release["tender"]["procurementMethodDetails"] == "Zapytanie ofertowe"


def test_a_procedure_in_preparation_is_a_planning_release(procedure):
    package = ocds.release_package(ocds.export_queryset(), uri="https://example.org/ocds.json")
    assert validation_errors(package) == []
    release = by_tender_id(package)["RZP.271.99.2024"]
    assert release["tag"] == ["planning"]
    assert release["tender"]["status"] == "planning"
    assert "tenderers" not in release["tender"]


def test_an_amended_contract_gets_a_new_release_id_and_its_amendment(contract, finance):
    first = by_tender_id(ocds.release_package(ocds.export_queryset(), uri="https://example.org/x"))[
        "900001-2024"
    ]
    contracts.do_amend_contract(
        contract,
        number="1/2024",
        signed_on=day("2024-05-01"),
        description="Przedłużenie terminu.",
        new_term_end=day("2025-01-31"),
        actor=finance,
    )
    package = ocds.release_package(ocds.export_queryset(), uri="https://example.org/x")
    assert validation_errors(package) == []
    second = by_tender_id(package)["900001-2024"]
    assert second["id"] != first["id"]
    assert second["tag"] == ["tender", "award", "contract", "contractAmendment"]
    assert second["contracts"][0]["amendments"][0]["rationale"] == "Przedłużenie terminu."
    assert second["contracts"][0]["period"]["endDate"].startswith("2025-01-31")


def test_every_code_we_use_is_in_its_codelist(package):
    roles = {role for r in package["releases"] for p in r["parties"] for role in p["roles"]}
    assert roles <= codelist("partyRole")
    tags = {tag for r in package["releases"] for tag in r["tag"]}
    assert tags <= codelist("releaseTag")


def test_the_command_writes_a_valid_package(db, tmp_path):
    target = tmp_path / "ocds.json"
    call_command(
        "export_ocds",
        output=str(target),
        validate=True,
        uri="https://bip.example/ocds.json",
        stderr=io.StringIO(),
    )
    package = json.loads(target.read_text(encoding="utf-8"))
    assert package["uri"] == "https://bip.example/ocds.json"
    assert validation_errors(package) == []
    assert "MAXTO Sp. z o.o. S.K.A." in target.read_text(encoding="utf-8")  # UTF-8, not \u escapes


def test_the_command_prints_to_standard_output_by_default(db):
    out = io.StringIO()
    call_command("export_ocds", stdout=out)
    package = json.loads(out.getvalue())
    assert package["uri"].startswith("urn:lebork-einclusion:ocds:")
    assert validation_errors(package) == []


def test_the_download_button_serves_the_same_package(finance_client):
    page = finance_client.get(reverse("procurement:procedure_list")).content.decode()
    url = reverse("procurement:ocds_export")
    assert f'href="{url}"' in page
    response = finance_client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="ocds-release-package.json"'
    package = json.loads(response.content)
    assert package["uri"] == "http://testserver/procurement/ocds.json"
    assert validation_errors(package) == []


def test_the_ocid_prefix_comes_from_the_settings(settings, procedure):
    settings.OCDS_PREFIX = "ocds-lbrk01"
    assert ocds.ocid(procedure) == f"ocds-lbrk01-{procedure.pk}"
