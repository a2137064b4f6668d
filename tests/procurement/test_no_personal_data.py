"""Procurement pages hold no PESEL: no number shaped like one appears on any of them."""

import re

from django.urls import reverse

from procurement.models import Contract, Procedure, Supplier

PESEL_SHAPE = re.compile(r"(?<!\d)\d{11}(?!\d)")


def test_no_procurement_page_shows_an_eleven_digit_number(finance_client):
    pages = [
        reverse("procurement:procedure_list"),
        reverse("procurement:supplier_list"),
        reverse("procurement:contract_list"),
        *(p.get_absolute_url() for p in Procedure.objects.all()),
        *(s.get_absolute_url() for s in Supplier.objects.all()),
        *(c.get_absolute_url() for c in Contract.objects.all()),
    ]
    for url in pages:
        content = finance_client.get(url).content.decode()
        text = re.sub(r"<[^>]+>", " ", content)
        assert not PESEL_SHAPE.search(text), url
