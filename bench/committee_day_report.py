"""The committee-day report: locust's figures by page and the lost-update check.

  python bench/committee_day_report.py var/bench/committee_day 10m

Prints requests per second, p50/p95/p99 (ms) per page, the errors, and the result of
committee_day_db.py check; exits 1 on any error or lost update.
"""

import csv
import sys
from pathlib import Path

from _django import setup


def main(out: str, duration: str) -> int:
    folder = Path(out)
    rows = list(csv.DictReader((folder / "locust_stats.csv").open()))
    failures = list(csv.DictReader((folder / "locust_failures.csv").open()))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(f"committee day: {duration}, 20 committee members, 1 coordinator, 1 monitoring officer")
    print(
        f"requests {total['Request Count']}, errors {total['Failure Count']}, "
        f"{float(total['Requests/s']):.2f} requests/s"
    )
    print(f"{'page':<22}{'requests':>9}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>7}")
    for row in sorted(rows, key=lambda r: r["Name"]):
        if row["Name"] == "Aggregated":
            continue
        print(
            f"{row['Name']:<22}{row['Request Count']:>9}{float(row['Requests/s']):>8.2f}"
            f"{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
            f"{float(row['Max Response Time']):>7.0f}"
        )
    print(
        f"{'all':<22}{total['Request Count']:>9}{float(total['Requests/s']):>8.2f}"
        f"{total['50%']:>7}{total['95%']:>7}{total['99%']:>7}"
        f"{float(total['Max Response Time']):>7.0f}"
    )
    for failure in failures:
        print(
            f"ERROR {failure['Method']} {failure['Name']}: {failure['Error']} x{failure['Occurrences']}"
        )
    setup()
    from committee_day_db import check

    lost = check(str(folder / "plan.json"), str(folder / "outcomes.jsonl"))
    return 1 if lost or int(total["Failure Count"]) else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
