"""The OCDS export on a large register: time, queries and size of the release package.

Run: DATABASE_URL=... .venv/bin/python bench/ocds_export.py [--procedures N] [--repeat R]
     [--smoke]  (tests/core/test_bench_smoke.py: 20 procedures, once)
Adds N signed procedures (two offers and a contract each) inside a transaction that is rolled
back at the end, so the database is left as it was.
"""

import argparse
import datetime
import json
import statistics
import time
from decimal import Decimal

from _django import setup

setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from procurement import ocds  # noqa: E402
from procurement.models import (  # noqa: E402
    Contract,
    Offer,
    Procedure,
    ProcedureEvent,
    Supplier,
)


def nip(seed: int) -> str:
    number = 100_000_000 + (seed * 7_919) % 900_000_000
    while True:
        digits = [int(c) for c in str(number)]
        check = sum(d * w for d, w in zip(digits, (6, 5, 7, 2, 3, 4, 5, 6, 7), strict=True)) % 11
        if check != 10:
            return f"{number}{check}"
        number += 1


def add_register(n: int):
    day = datetime.date(2013, 3, 1)
    deadline = timezone.make_aware(datetime.datetime(2013, 3, 11, 10))
    suppliers = Supplier.objects.bulk_create(
        Supplier(name=f"Bench {i}", nip=nip(50_000 + i), street="x", postal_code="84-300", city="L")
        for i in range(2 * n)
    )
    procedures = Procedure.objects.bulk_create(
        Procedure(
            subject=f"Bench procedure {i}",
            kind="supplies",
            procedure_type="open_tender",
            estimated_value_net=Decimal("1000"),
            estimated_value_gross=Decimal("1230"),
            announcement_number=f"{800000 + i}-2013",
            announcement_date=day,
            offers_deadline=deadline,
            offers_opened_on=day,
            award_date=day,
            status="contract_signed",
        )
        for i in range(n)
    )
    offers = Offer.objects.bulk_create(
        Offer(
            procedure=p,
            bidder=suppliers[2 * i + k],
            received_at=deadline,
            price=Decimal(1000 + k),
        )
        for i, p in enumerate(procedures)
        for k in (0, 1)
    )
    for i, p in enumerate(procedures):
        p.winning_offer = offers[2 * i]
    Procedure.objects.bulk_update(procedures, ["winning_offer"])
    Contract.objects.bulk_create(
        Contract(
            number=f"BENCH/{i}",
            procedure=p,
            supplier=suppliers[2 * i],
            signed_on=day,
            value_net=Decimal("813"),
            value_gross=Decimal("1000"),
            scope="x",
            term_start=day,
            term_end=day,
        )
        for i, p in enumerate(procedures)
    )
    ProcedureEvent.objects.bulk_create(
        ProcedureEvent(procedure=p, kind=kind, status="contract_signed", date=day)
        for p in procedures
        for kind in ("created", "announced", "offers_opened", "awarded", "contract_signed")
    )


def measure(repeat: int):
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            package = ocds.release_package(ocds.export_queryset(), uri="https://example.org/x")
            text = json.dumps(package, ensure_ascii=False)
            times.append(time.perf_counter() - start)
    return statistics.median(times), len(queries), len(package["releases"]), len(text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--procedures", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny: the test suite runs it")
    args = parser.parse_args()
    if args.smoke:
        args.procedures, args.repeat = 20, 1
    with transaction.atomic():
        seconds, queries, releases, size = measure(args.repeat)
        print(f"as loaded:   {releases:5d} releases {seconds * 1000:8.1f} ms {queries:3d} queries")
        add_register(args.procedures)
        seconds, queries, releases, size = measure(args.repeat)
        print(
            f"+{args.procedures} signed: {releases:5d} releases {seconds * 1000:8.1f} ms "
            f"{queries:3d} queries {size / 1_048_576:.1f} MB of JSON"
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
