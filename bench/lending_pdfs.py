"""Lending's papers: one agreement (with its declaration and handover protocol) warm, and all the
agreements of the demo call in one file, each against bare WeasyPrint rendering the same HTML
in the same run (the gap is our overhead: queries, templates, the static-only fetcher, fonts);
and the peak memory of the batch.

Run: DATABASE_URL=... .venv/bin/python bench/lending_pdfs.py [--repeat N] [--smoke]
`--smoke` (tests/core/test_bench_smoke.py): once, and the batch of the call's first 3 agreements.
"""

import argparse
import resource
import statistics
import time

from _django import setup

setup()

import weasyprint  # noqa: E402
from django.conf import settings  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402

from lending import papers  # noqa: E402
from lending.models import LoanAgreement  # noqa: E402
from recruitment.models import Call  # noqa: E402

STATIC_BASE = (settings.BASE_DIR / "static").as_uri() + "/"


def median_seconds(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def packet_html(agreement, **context) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(papers.PACKET, papers.agreement_context(agreement, **context))
    # Bare WeasyPrint reads the static files from disk with its default fetcher.
    return html.replace("/static/", "")


def bare(html: str) -> weasyprint.Document:
    return weasyprint.HTML(string=html, base_url=STATIC_BASE).render()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="tiny: the test suite runs it")
    args = parser.parse_args()
    if args.smoke:
        args.repeat = 1
        # call_agreements_pdf as it is, on the first three of the call's agreements.
        every = papers.call_agreements
        papers.call_agreements = lambda call_id: every(call_id)[:3]
    call = Call.objects.filter(code="2012").first()
    agreement = LoanAgreement.objects.filter(status="active").order_by("number").first()
    if call is None or agreement is None:
        raise SystemExit("Load the demo first: .venv/bin/python manage.py load_demo")

    # One agreement, warm (fonts and caches loaded by a first run of each).
    papers.agreement_pdf(agreement)
    html = packet_html(agreement)
    bare(html).write_pdf()
    ours_one = median_seconds(lambda: papers.agreement_pdf(agreement), args.repeat)
    bare_one = median_seconds(lambda: bare(html).write_pdf(), args.repeat)
    size_one = len(papers.agreement_pdf(agreement))

    # All the call's agreements in one file.
    agreements = list(papers.call_agreements(call.pk))
    htmls = [
        packet_html(a, items=sorted(a.items.all(), key=lambda item: item.asset.serial_number))
        for a in agreements
    ]
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    batch = papers.call_agreements_pdf(call.pk)
    ours_all = time.perf_counter() - start
    rss_after = peak_rss_mb()

    def bare_batch():
        documents = [bare(h) for h in htmls]
        pages = [page for document in documents for page in document.pages]
        return documents[0].copy(pages).write_pdf()

    start = time.perf_counter()
    bare_batch()
    bare_all = time.perf_counter() - start

    print(f"one agreement with declaration and protocol, warm, median of {args.repeat}:")
    print(
        f"  ours (queries, template, render_pdf): {ours_one * 1000:8.1f} ms  ({size_one / 1024:.0f} KiB)"
    )
    print(f"  bare WeasyPrint, same HTML:           {bare_one * 1000:8.1f} ms")
    print(f"  ratio ours / bare:                    {ours_one / bare_one:8.2f}x")
    print(f"all {len(agreements)} agreements of call {call.code} in one PDF:")
    print(
        f"  ours (call_agreements_pdf):           {ours_all:8.2f} s   ({len(batch) / 1048576:.1f} MiB)"
    )
    print(f"  bare WeasyPrint, same HTML:           {bare_all:8.2f} s")
    print(f"  ratio ours / bare:                    {ours_all / bare_all:8.2f}x")
    print(f"  per agreement (ours):                 {ours_all / len(agreements) * 1000:8.1f} ms")
    print(
        f"  peak memory of the process (RSS):     {rss_after:8.1f} MiB (before the batch: {rss_before:.1f} MiB)"
    )


if __name__ == "__main__":
    main()
