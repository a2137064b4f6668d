#!/usr/bin/env bash
# Refresh the translation catalogues: one for the core and shared templates (locale/),
# one per app (<app>/locale/), so that work on different apps never edits the same file.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
# makemessages needs the settings, not a database.
export DATABASE_URL="${DATABASE_URL:-postgres://localhost/unused}"
APPS=(recruitment procurement lending training monitoring)
ignores=(--ignore=.venv --ignore=var --ignore=static/vendor --ignore=tests --ignore=bench)
for app in "${APPS[@]}"; do ignores+=("--ignore=$app"); done
cd "$ROOT"
"$PY" manage.py makemessages -l pl -l en --no-obsolete "${ignores[@]}"
for app in "${APPS[@]}"; do
  mkdir -p "$ROOT/$app/locale"
  (cd "$ROOT/$app" && "$PY" "$ROOT/manage.py" makemessages -l pl -l en --no-obsolete)
done
