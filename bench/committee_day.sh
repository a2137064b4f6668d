#!/usr/bin/env bash
# The committee-day load test (issue 9): gunicorn on this machine, locust driving 20 committee
# members, the coordinator and the monitoring officer (bench/committee_day.py), then the check
# for lost updates against the audit trail (bench/committee_day_db.py check).
#
#   make bench-deps                       # locust, into .venv (requirements-bench.txt)
#   export DATABASE_URL=postgres://...    # a database of its own: the demo is loaded into it
#   bench/committee_day.sh [DURATION]     # default 10m; e.g. 3m
#
# Figures: var/bench/committee_day/report.txt (and locust's CSV files beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10m}"
PY="${PY:-.venv/bin/python}"
LOCUST="${LOCUST:-.venv/bin/locust}"
PORT="${BENCH_PORT:-8765}"
OUT="var/bench/committee_day"
: "${DATABASE_URL:?set DATABASE_URL to a database for the load test (the demo is loaded into it)}"
[ -x "$LOCUST" ] || { echo "locust is not installed: make bench-deps" >&2; exit 2; }
mkdir -p "$OUT"
export DJANGO_DEBUG=0 BENCH_PLAN="$OUT/plan.json" BENCH_OUTCOMES="$OUT/outcomes.jsonl"

echo "==> migrate and load the demo"
"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py load_demo --quiet-logins >/dev/null
"$PY" bench/committee_day_db.py prepare "$BENCH_PLAN"

echo "==> gunicorn on 127.0.0.1:$PORT"
GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS="${GUNICORN_WORKERS:-3}" \
  .venv/bin/gunicorn --config deploy/gunicorn.conf.py --access-logfile "$OUT/access.log" \
  --error-logfile "$OUT/gunicorn.log" lebork_einclusion.wsgi:application 2>"$OUT/server.log" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break
  sleep 0.2
done

echo "==> locust for $DURATION"
"$LOCUST" -f bench/committee_day.py --headless --host "http://127.0.0.1:$PORT" \
  --users 22 --spawn-rate 2 --run-time "$DURATION" --stop-timeout 90 \
  --csv "$OUT/locust" --only-summary --loglevel WARNING >"$OUT/locust.txt" 2>&1 || true

kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; trap - EXIT

echo "==> report"
"$PY" bench/committee_day_report.py "$OUT" "$DURATION" | tee "$OUT/report.txt"
