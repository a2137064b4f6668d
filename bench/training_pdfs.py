"""Training's batch papers on the demo: the sign-in sheets of all module 1 sessions (8 groups)
as one PDF, and all certificates of module 1 as one PDF, both as the module's batch makes them
(signed sheets and issued certificates copied from their stored files, the rest rendered by the
pool of PDF workers): time, peak memory, queries, pages.

Run: DATABASE_URL=... .venv/bin/python bench/training_pdfs.py [--repeat N] [--smoke]
`--smoke` (tests/core/test_bench_smoke.py): two sessions' sheets and three certificates, once.
Time is the median of N runs; peak memory is measured in a separate run with tracemalloc
(Python allocations of the render, which is what grows with the number of pages) and as the
process's peak resident size.
"""

import argparse
import resource
import statistics
import time
import tracemalloc
from io import BytesIO

from _django import setup

setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from training import papers  # noqa: E402
from training.models import Trainee, TrainingModule, TrainingSession  # noqa: E402


def measure(name, build, repeat):
    build()  # warm up: fonts, templates, caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        content = build()
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        build()
    tracemalloc.start()
    build()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pages = len(PdfReader(BytesIO(content)).pages)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{name}:")
    print(f"  pages:                  {pages:8d}")
    print(f"  size:                   {len(content) / 1024:8.0f} KiB")
    print(f"  time (median of {repeat}):    {statistics.median(times):8.2f} s")
    print(f"  time per page:          {statistics.median(times) / pages * 1000:8.1f} ms")
    print(f"  peak Python memory:     {peak / 1_048_576:8.1f} MiB")
    print(f"  process peak RSS so far:{rss:8.0f} MiB")
    print(f"  queries:                {len(queries.captured_queries):8d}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny: the test suite runs it")
    args = parser.parse_args()
    if args.smoke:
        args.repeat = 1
    module = TrainingModule.objects.filter(number=1).order_by("pk").first()
    if module is None:
        raise SystemExit("Load the demo first: .venv/bin/python manage.py load_demo")
    sessions = TrainingSession.objects.filter(group__module=module)
    print(
        f"module 1: {module.groups.count()} groups, {sessions.count()} sessions, "
        f"{Trainee.objects.filter(module=module).count()} trainees"
    )
    if args.smoke:
        first = TrainingSession.objects.filter(
            pk__in=sessions.order_by("pk").values_list("pk", flat=True)[:2]
        )
        trainees = papers.batch_trainees(Trainee.objects.filter(module=module))[0][:3]
        measure(
            "sign-in sheets of 2 sessions, one PDF", lambda: papers.sign_in_sheets_pdf(first), 1
        )
        measure("3 certificates of module 1, one PDF", lambda: papers.certificates_pdf(trainees), 1)
        return
    measure(
        "sign-in sheets of all 8 groups' sessions, one PDF",
        lambda: papers.sheets_batch_pdf(sessions),
        args.repeat,
    )
    measure(
        "all certificates of module 1, one PDF",
        lambda: papers.certificates_batch_pdf(Trainee.objects.filter(module=module)),
        args.repeat,
    )


if __name__ == "__main__":
    main()
