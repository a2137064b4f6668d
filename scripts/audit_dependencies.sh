#!/usr/bin/env bash
# pip-audit over the locked dependencies (SECURITY.md: "pip-audit over the locked dependencies
# in CI"), called by `make test`. It needs the advisory data (PyPI's vulnerability records):
# when they cannot be reached, or do not answer in time, it prints a notice and passes; a
# known vulnerability in requirements.lock fails it.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PROBE_URL="${EINCLUSION_AUDIT_PROBE_URL:-https://pypi.org/pypi/pip/json}"
TIMEOUT="${EINCLUSION_AUDIT_TIMEOUT:-120}"

notice() { printf 'NOTICE: pip-audit skipped: %s\n' "$*"; exit 0; }

if ! "$VENV/bin/python" - "$PROBE_URL" <<'PY' >/dev/null 2>&1
import sys
import urllib.request

urllib.request.urlopen(sys.argv[1], timeout=5).close()  # noqa: S310
PY
then
  notice "the advisory data ($PROBE_URL) cannot be reached from this machine."
fi

output="$(cd "$ROOT" && timeout "$TIMEOUT" "$VENV/bin/pip-audit" -r requirements.lock \
  --no-deps --disable-pip --progress-spinner off 2>&1)"
status=$?
if [ "$status" -eq 0 ]; then
  echo "pip-audit: no known vulnerabilities in requirements.lock"
  exit 0
fi
if [ "$status" -eq 124 ]; then
  notice "no answer from the advisory service within ${TIMEOUT} s."
fi
if printf '%s\n' "$output" | grep -qiE 'found [0-9]+ known vulnerabilit'; then
  printf '%s\n' "$output"
  echo "pip-audit: known vulnerabilities in requirements.lock (above): upgrade and re-lock." >&2
  exit 1
fi
notice "pip-audit could not finish ($(printf '%s\n' "$output" | tail -n 1))."
