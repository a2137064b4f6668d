"""Lending's papers: one agreement (with its declaration and handover protocol) warm, and all the
agreements of the demo call in one file, each against bare WeasyPrint rendering the same HTML
in the same run (the gap is our overhead: queries, templates, the static-only fetcher, fonts);
the batch is made by the pool of PDF workers (EINCLUSION_PDF_WORKERS) and compared with
sequential bare WeasyPrint; the peak memory of the batch (its largest process: the parent or a
worker) against that of a process printing one agreement, each in a fresh process; and the
joining of the parts with pypdf and with pikepdf (when importable: PYTHONPATH=<a pikepdf>).

Run: DATABASE_URL=... .venv/bin/python bench/lending_pdfs.py [--repeat N] [--smoke]
`--smoke` (tests/core/test_bench_smoke.py): once, and the batch of the call's first 3 agreements.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

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


class RssSampler:
    """This process's peak RSS, sampled every 10 ms from /proc/self/statm (the kernel's
    high-water marks, ru_maxrss and VmHWM, were seen to carry the peak of the process that
    started the probe)."""

    def __init__(self):
        self.peak = 0
        self.stop = threading.Event()
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        with open("/proc/self/statm") as statm:
            self.peak = max(self.peak, int(statm.read().split()[1]) * self.page)

    def _run(self) -> None:
        while not self.stop.wait(0.01):
            self._sample()

    def mb(self) -> float:
        self.stop.set()
        self.thread.join()
        self._sample()
        return self.peak / 1048576


def children_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# The agreements whose equipment was handed over: in force or, once the demo has lived past the
# durability period (load_demo at today makes the closure of 02.01.2019), ended or handed over
# for ownership. papers.call_agreements prints the open ones by default, none after the
# closure; it prints these when asked by their statuses.
HANDED_OVER = (
    LoanAgreement.Status.ACTIVE,
    LoanAgreement.Status.ENDED,
    LoanAgreement.Status.TRANSFERRED,
)


def call_agreements(call, smoke: bool):
    """papers.call_agreements (its query, its order) on the call's agreements handed over,
    whatever the demo's day; the first three of them with --smoke."""
    agreements = papers.call_agreements(call.pk, HANDED_OVER)
    return agreements[:3] if smoke else agreements


def first_agreement():
    """The demo's first agreement handed over (the one printed alone)."""
    return LoanAgreement.objects.filter(status__in=HANDED_OVER).order_by("number").first()


def probe(kind: str, smoke: bool, folder: str = "") -> None:
    """One measurement in this fresh process; prints a JSON line."""
    call = Call.objects.filter(code="2012").first()
    sampler = RssSampler()
    start = time.perf_counter()
    if kind == "one":
        papers.agreement_pdf(first_agreement())
    elif kind == "bare-batch":  # the former way: every laid-out document kept until the end
        agreements = list(call_agreements(call, smoke))
        documents = [
            bare(packet_html(a, items=sorted(a.items.all(), key=lambda i: i.asset.serial_number)))
            for a in agreements
        ]
        pages = [page for document in documents for page in document.pages]
        documents[0].copy(pages).write_pdf()
    elif kind == "batch":
        papers.call_agreements_file(call_agreements(call, smoke), Path(folder))
    elif kind == "join-pypdf":
        from lebork_einclusion.pdf import join_pdfs

        parts = sorted(p for p in Path(folder).glob("agreement-*.pdf"))
        join_pdfs(parts, Path(folder) / "joined-pypdf.pdf")
    elif kind == "join-pikepdf":
        import pikepdf

        parts = sorted(p for p in Path(folder).glob("agreement-*.pdf"))
        sources = []
        with pikepdf.Pdf.new() as joined:
            for part in parts:
                sources.append(pikepdf.Pdf.open(part))  # open until the joined file is saved
                joined.pages.extend(sources[-1].pages)
            joined.save(Path(folder) / "joined-pikepdf.pdf")
        for source in sources:
            source.close()
    seconds = time.perf_counter() - start
    print(
        json.dumps({"seconds": seconds, "self": sampler.mb(), "children": children_peak_rss_mb()})
    )


def run_probe(kind: str, smoke: bool, folder: str = "") -> dict | None:
    args = [sys.executable, __file__, "--probe", kind, "--folder", folder]
    if smoke:
        args.append("--smoke")
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    if result.returncode:
        print(f"  ({kind}: {result.stderr.strip().splitlines()[-1:]})")
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def print_targets(figures) -> None:
    """Each target beside its figure: the table bench/README.md keeps."""
    print(f"\n| {'target':<52} | {'goal':>8} | {'measured':>8} | met |")
    print(f"|{'-' * 54}|{'-' * 9}:|{'-' * 9}:|-----|")
    for label, goal, measured in figures:
        print(
            f"| {label:<52} | ≤ {goal:<6g} | {measured:8.2f} | {'yes' if measured <= goal else 'no':<3} |"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="tiny: the test suite runs it")
    parser.add_argument("--probe", default="", help=argparse.SUPPRESS)
    parser.add_argument("--folder", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe, args.smoke, args.folder)
        return
    if args.smoke:
        args.repeat = 1
    call = Call.objects.filter(code="2012").first()
    agreement = first_agreement()
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
    # call_agreements_file on the call's agreements handed over (the first three with --smoke).
    agreements = list(call_agreements(call, args.smoke))
    htmls = [
        packet_html(a, items=sorted(a.items.all(), key=lambda item: item.asset.serial_number))
        for a in agreements
    ]
    with tempfile.TemporaryDirectory(prefix="bench-agreements-") as folder:
        start = time.perf_counter()
        batch = papers.call_agreements_file(call_agreements(call, args.smoke), Path(folder))
        ours_all = time.perf_counter() - start
        batch_size = batch.stat().st_size

    def bare_batch():
        documents = [bare(h) for h in htmls]
        pages = [page for document in documents for page in document.pages]
        return documents[0].copy(pages).write_pdf()

    start = time.perf_counter()
    bare_batch()
    bare_all = time.perf_counter() - start

    # Memory and joining, each in a fresh process (peak RSS is a process's high-water mark).
    one = run_probe("one", args.smoke)
    before = run_probe("bare-batch", args.smoke)
    with tempfile.TemporaryDirectory(prefix="bench-agreements-") as folder:
        whole = run_probe("batch", args.smoke, folder)
        joins = {
            kind: run_probe(f"join-{kind}", args.smoke, folder) for kind in ("pypdf", "pikepdf")
        }

    workers = settings.EINCLUSION_PDF_WORKERS
    print(f"one agreement with declaration and protocol, warm, median of {args.repeat}:")
    print(
        f"  ours (queries, template, render_pdf): {ours_one * 1000:8.1f} ms  ({size_one / 1024:.0f} KiB)"
    )
    print(f"  bare WeasyPrint, same HTML:           {bare_one * 1000:8.1f} ms")
    print(f"  ratio ours / bare:                    {ours_one / bare_one:8.2f}x")
    print(f"all {len(agreements)} agreements of call {call.code} in one PDF:")
    print(
        f"  ours ({workers} PDF workers, call_agreements_file): {ours_all:8.2f} s   ({batch_size / 1048576:.1f} MiB)"
    )
    print(f"  bare WeasyPrint, sequential, same HTML: {bare_all:8.2f} s")
    print(f"  ratio ours / bare:                    {ours_all / bare_all:8.2f}x")
    print(f"  per agreement (ours):                 {ours_all / len(agreements) * 1000:8.1f} ms")
    figures = [
        (
            f"{len(agreements)} agreements: ours / sequential bare WeasyPrint",
            0.55,
            ours_all / bare_all,
        )
    ]
    if one and whole:
        batch_peak = max(whole["self"], whole["children"])
        print(f"  peak memory (RSS), one agreement in a fresh process: {one['self']:8.1f} MiB")
        print(
            f"  peak memory (RSS), the batch: parent {whole['self']:.1f} MiB, largest worker "
            f"{whole['children']:.1f} MiB"
        )
        figures.append(("peak memory: batch / one document", 2.0, batch_peak / one["self"]))
    if before:
        print(
            f"  peak memory (RSS), all in memory as before (bare WeasyPrint): {before['self']:8.1f} MiB"
        )
    for kind, joined in joins.items():
        if joined:
            print(
                f"  joining the parts with {kind:<8} {joined['seconds']:8.2f} s, peak RSS {joined['self']:.1f} MiB"
            )
        else:
            print(f"  joining the parts with {kind:<8} not measured ({kind} not importable)")
    print_targets(figures)
    print(
        f"(load average while it ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; other work shares the machine)"
    )


if __name__ == "__main__":
    main()
