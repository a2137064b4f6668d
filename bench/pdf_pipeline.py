"""The PDF pipeline's overhead: our render_pdf() against bare WeasyPrint on the same HTML.

Run: DATABASE_URL=... .venv/bin/python bench/pdf_pipeline.py [--repeat N] [--smoke]
`--smoke` (tests/core/test_bench_smoke.py): once.
Prints the median time of each and their ratio (the gap is our overhead: fetcher, fonts).
"""

import argparse
import statistics
import time

from _django import setup

setup()

import weasyprint  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402

from lebork_einclusion.models import Project, PublicUnit  # noqa: E402
from lebork_einclusion.pdf import html_to_pdf  # noqa: E402


def median_seconds(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="tiny: the test suite runs it")
    args = parser.parse_args()
    if args.smoke:
        args.repeat = 1
    project = Project.current()
    if project is None:
        raise SystemExit("Load the demo first: .venv/bin/python manage.py load_demo")
    with translation.override("pl"):
        html = render_to_string(
            "core/pdf/project.html", {"project": project, "units": PublicUnit.objects.all()}
        )
    html_to_pdf(html)  # warm up: fonts and caches
    ours = median_seconds(lambda: html_to_pdf(html), args.repeat)

    def bare():
        # Bare WeasyPrint with its default fetcher, resolving static files from disk.
        from django.conf import settings

        base = (settings.BASE_DIR / "static").as_uri() + "/"
        weasyprint.HTML(string=html.replace("/static/", ""), base_url=base).write_pdf()

    bare()
    theirs = median_seconds(bare, args.repeat)
    print(f"project sheet PDF, median of {args.repeat}:")
    print(f"  render_pdf (static-only fetcher): {ours * 1000:8.1f} ms")
    print(f"  bare WeasyPrint:                  {theirs * 1000:8.1f} ms")
    print(f"  ratio ours / bare:                {ours / theirs:8.2f}x")


if __name__ == "__main__":
    main()
