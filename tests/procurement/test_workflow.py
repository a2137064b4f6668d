"""The procedure's steps through the services: each one moves the status and writes the timeline."""

from decimal import Decimal

import pghistory.models

from procurement.models import Contract, Procedure, ProcedureEvent
from procurement.services import contracts, procedures

from .conftest import at, day

S = Procedure.Status
K = ProcedureEvent.Kind


def test_a_new_procedure_is_in_preparation_with_one_event(procedure, finance):
    assert procedure.status == S.IN_PREPARATION
    event = procedure.timeline.get()
    assert event.kind == K.CREATED
    assert event.actor == finance
    assert event.date == day("2024-02-20")


def test_it_announces(announced):
    announced.refresh_from_db()
    assert announced.status == S.ANNOUNCED
    assert announced.announcement_number == "900001-2024"
    assert announced.announcement_date == day("2024-03-01")
    assert announced.offers_deadline == at("2024-03-11T10:00")
    assert announced.version == 2  # a form opened before the announcement cannot overwrite it
    event = announced.timeline.last()
    assert (event.kind, event.status, event.date) == (K.ANNOUNCED, S.ANNOUNCED, day("2024-03-01"))


def test_a_request_for_quotation_is_announced_without_a_bzp_number(finance):
    procedure = procedures.do_register_procedure(
        actor=finance,
        subject="Naklejki",
        kind=Procedure.Kind.SUPPLIES,
        procedure_type=Procedure.ProcedureType.REQUEST_FOR_QUOTATION,
        estimated_value_net=Decimal("1000"),
        estimated_value_gross=Decimal("1230"),
    )
    procedures.do_announce(
        procedure,
        announcement_number="",
        announcement_date=day("2024-03-01"),
        offers_deadline=at("2024-03-04T12:00"),
        actor=finance,
    )
    procedure.refresh_from_db()
    assert procedure.status == S.ANNOUNCED
    assert procedure.announcement_number == ""
    assert procedure.label == f"#{procedure.pk}"


def test_it_records_offers_received_on_time(offers, announced):
    assert [o.bidder.name for o in announced.offers.all()] == ["Alfa Sp. z o.o.", "Beta s.c."]
    assert announced.offers.get(bidder__name="Beta s.c.").price == Decimal("91000.00")


def test_it_opens_the_offers(opened):
    opened.refresh_from_db()
    assert opened.status == S.OFFERS_OPENED
    assert opened.offers_opened_on == day("2024-03-11")
    assert opened.timeline.last().kind == K.OFFERS_OPENED


def test_it_evaluates_and_rejects_an_offer_after_opening(opened, offers, finance):
    from procurement.forms import OfferEvaluationForm

    offer = offers[0]
    form = OfferEvaluationForm(
        {
            "score": "95.79",
            "criteria": "cena 95,79 pkt",
            "rejected": "on",
            "rejection_reason": "Brak wadium (art. 89 ust. 1 pkt 7b Pzp).",
            "version": offer.version,
        },
        instance=offer,
    )
    assert form.is_valid(), form.errors
    procedures.do_evaluate_offer(offer, form.cleaned_data, actor=finance)
    offer.refresh_from_db()
    assert offer.rejected
    assert offer.rejection_reason.startswith("Brak wadium")
    assert offer.score == Decimal("95.79")


def test_it_awards_the_cheapest_offer_when_the_price_is_the_only_criterion(awarded, offers):
    awarded.refresh_from_db()
    assert awarded.status == S.AWARDED
    assert awarded.winning_offer == offers[1]
    assert awarded.award_date == day("2024-03-15")
    event = awarded.timeline.last()
    assert event.kind == K.AWARDED
    assert "Beta s.c." in event.note
    assert "91 000,00" in event.note.replace("\xa0", " ")


def test_it_signs_the_contract_with_the_chosen_bidder(contract, awarded):
    awarded.refresh_from_db()
    assert awarded.status == S.CONTRACT_SIGNED
    assert contract.supplier.name == "Beta s.c."
    assert contract.procedure == awarded
    assert str(contract) == "RZP.272.99.2024 – Beta s.c."
    event = awarded.timeline.last()
    assert (event.kind, event.date) == (K.CONTRACT_SIGNED, day("2024-03-25"))


def test_annulment_and_reannouncement_link_both_ways(announced, finance):
    procedures.do_annul(
        announced, annulled_on=day("2024-03-05"), reason="Art. 93 ust. 1 pkt 7 Pzp.", actor=finance
    )
    fresh = procedures.do_reannounce(
        announced,
        announcement_number="900002-2024",
        announcement_date=day("2024-03-05"),
        offers_deadline=at("2024-03-15T10:00"),
        reference="RZP.271.100.2024",
        actor=finance,
    )
    announced.refresh_from_db()
    assert announced.status == S.ANNULLED
    assert announced.annulled_on == day("2024-03-05")
    assert announced.annulment_reason == "Art. 93 ust. 1 pkt 7 Pzp."
    assert fresh.reannouncement_of == announced
    assert list(announced.reannouncements.all()) == [fresh]
    assert fresh.status == S.ANNOUNCED
    assert fresh.subject == announced.subject
    assert fresh.estimated_value_gross == announced.estimated_value_gross
    assert [e.kind for e in fresh.timeline.all()] == [K.CREATED, K.ANNOUNCED]
    assert [e.kind for e in announced.timeline.all()][-2:] == [K.ANNULLED, K.REANNOUNCED]
    assert "900002-2024" in announced.timeline.last().note


def test_the_milestones_are_what_the_chronicle_reads(contract, finance):
    kinds = list(
        ProcedureEvent.objects.filter(
            procedure=contract.procedure, kind__in=ProcedureEvent.MILESTONES
        ).values_list("kind", flat=True)
    )
    assert kinds == [K.ANNOUNCED, K.AWARDED, K.CONTRACT_SIGNED]


def test_an_amendment_changes_the_contract_and_keeps_the_old_terms(contract, finance):
    amendment = contracts.do_amend_contract(
        contract,
        number="1/2024",
        signed_on=day("2024-06-01"),
        description="Przedłużenie terminu i dodatkowe 2 laptopy.",
        new_value_net=Decimal("78861.79"),
        new_value_gross=Decimal("97000.00"),
        new_term_end=day("2025-03-31"),
        actor=finance,
    )
    contract.refresh_from_db()
    assert contract.value_gross == Decimal("97000.00")
    assert contract.term_end == day("2025-03-31")
    assert contract.scope == "Dostawa 30 laptopów."  # not changed by this amendment
    assert amendment.previous_value_gross == Decimal("91000.00")
    assert amendment.previous_term_end == day("2024-12-31")
    assert contract.procedure.timeline.last().kind == K.CONTRACT_AMENDED


def test_every_step_is_in_the_audit_trail(contract):
    labels = set(
        pghistory.models.Events.objects.filter(
            pgh_obj_model="procurement.Procedure", pgh_obj_id=str(contract.procedure_id)
        ).values_list("pgh_label", flat=True)
    )
    assert {"insert", "update"} <= labels
    assert pghistory.models.Events.objects.filter(
        pgh_obj_model="procurement.Contract", pgh_obj_id=str(contract.pk)
    ).exists()


def test_contracts_are_easy_to_find_by_subject(contract):
    assert list(Contract.objects.for_subject("LAPTOPÓW")) == [contract]
    assert list(Contract.objects.for_supplier("beta")) == [contract]
    assert list(Contract.objects.in_force_on(day("2024-06-01"))) == [contract]
    assert not Contract.objects.in_force_on(day("2025-06-01")).filter(pk=contract.pk).exists()
