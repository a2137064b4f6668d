"""Background files of monitoring: a month's visit protocols as one PDF (the page polls
core:generated_file and offers the download)."""

import datetime

from lebork_einclusion.background import run_generation, task

from . import papers, visits
from .visit_rules import month_bounds


@task()
def month_protocols(file_id: str, month: str) -> None:
    first, last = month_bounds(datetime.date.fromisoformat(month))

    def build(progress):
        found = visits.with_details(visits.visits_between(first, last))
        return papers.visits_pdf(found, progress=progress)

    run_generation(file_id, build)
