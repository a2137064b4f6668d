#!/usr/bin/env bash
# The project's two commands (and their shared preparation), called by the Makefile:
#   scripts/dev.sh run    - prepare, load the demo, serve on http://127.0.0.1:8000 with the task worker
#   scripts/dev.sh test   - prepare, ruff, the whole pytest suite (arguments go to pytest)
# DATABASE_URL set by the caller: use that PostgreSQL; otherwise a cluster owned by the project
# under var/postgres (own socket directory and port) is created, started, and stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VAR="$ROOT/var"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PGDATA="$VAR/postgres"
PGPORT="${EINCLUSION_PG_PORT:-54329}"
PGUSER_NAME="einclusion"
PGDB_NAME="einclusion"
STARTED_CLUSTER=0
CHILD_PIDS=()

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

as_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
  # Installs Debian packages when running as root; otherwise says exactly what is missing.
  if as_root && command -v apt-get >/dev/null; then
    say "Installing Debian packages: $*"
    if [ ! -f "$VAR/.apt-updated" ]; then
      apt-get update -qq
      mkdir -p "$VAR" && touch "$VAR/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    die "missing system packages. Install them with: sudo apt-get install $*"
  fi
}

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      command -v "$candidate"; return
    fi
  done
  die "Python 3.11 is needed (Debian 12: apt-get install python3 python3-venv)."
}

ensure_venv() {
  if [ ! -x "$PY" ]; then
    say "Creating the virtual environment in .venv"
    "$(find_python)" -m venv "$VENV" || die "could not create .venv (Debian: apt-get install python3-venv)"
  fi
  local stamp="$VENV/.requirements.sha256"
  local want
  want="$(sha256sum requirements.lock | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing the pinned dependencies (requirements.lock)"
    "$PY" -m pip install -q --disable-pip-version-check --upgrade pip
    "$PY" -m pip install -q --disable-pip-version-check -r requirements.lock
    echo "$want" > "$stamp"
  fi
  # WeasyPrint needs Pango; msgfmt compiles the translations.
  local missing=()
  ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
  command -v msgfmt >/dev/null || missing+=(gettext)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
}

find_pg_bindir() {
  local dir
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"; return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

# The cluster's processes may not run as root: as root, they run as the `postgres` system user.
pg_run() {
  if as_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

socket_dir() {
  # Unix socket paths are limited to ~107 bytes: fall back to /tmp for deep checkouts.
  local dir="$VAR/run"
  if [ ${#dir} -gt 80 ]; then
    dir="/tmp/einclusion-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
  fi
  echo "$dir"
}

start_cluster() {
  local bindir
  if ! bindir="$(find_pg_bindir)"; then
    apt_install postgresql
    bindir="$(find_pg_bindir)" || die "PostgreSQL server binaries not found after installing postgresql"
  fi
  local sock
  sock="$(socket_dir)"
  mkdir -p "$VAR" "$sock"
  if as_root; then
    id postgres >/dev/null 2>&1 || die "the postgres system user is missing (apt-get install postgresql)"
    chown postgres "$sock"
  fi
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    say "Initialising the project's PostgreSQL cluster in var/postgres"
    mkdir -p "$PGDATA"
    if as_root; then chown postgres "$PGDATA"; fi
    chmod 700 "$PGDATA"
    pg_run "$bindir/initdb" -D "$PGDATA" -U "$PGUSER_NAME" --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >/dev/null
    cat >> "$PGDATA/postgresql.conf" <<EOF
# eInclusion Office: a private cluster, reachable only through its own socket directory.
listen_addresses = ''
port = $PGPORT
unix_socket_directories = '$sock'
fsync = ${EINCLUSION_PG_FSYNC:-on}
EOF
  fi
  # The socket directory may differ between checkouts of the same var/ (never in practice).
  sed -i "s|^unix_socket_directories = .*|unix_socket_directories = '$sock'|" "$PGDATA/postgresql.conf"
  if pg_run "$bindir/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    say "The project's PostgreSQL cluster is already running"
  else
    say "Starting the project's PostgreSQL cluster (port $PGPORT, socket in $sock)"
    pg_run "$bindir/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start >/dev/null \
      || { tail -n 20 "$PGDATA/server.log" >&2; die "PostgreSQL did not start (log above)"; }
    STARTED_CLUSTER=1
    PG_BINDIR="$bindir"
  fi
  if ! "$bindir/psql" -h "$sock" -p "$PGPORT" -U "$PGUSER_NAME" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$PGDB_NAME'" | grep -q 1; then
    "$bindir/createdb" -h "$sock" -p "$PGPORT" -U "$PGUSER_NAME" "$PGDB_NAME"
  fi
  export DATABASE_URL="postgres://$PGUSER_NAME@/$PGDB_NAME?host=$sock&port=$PGPORT"
}

stop_cluster() {
  if [ "$STARTED_CLUSTER" = 1 ]; then
    say "Stopping the project's PostgreSQL cluster"
    pg_run "$PG_BINDIR/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || true
    STARTED_CLUSTER=0
  fi
}

cleanup() {
  local pid
  for pid in "${CHILD_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${CHILD_PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  stop_cluster
}

prepare() {
  ensure_venv
  if [ -z "${DATABASE_URL:-}" ]; then
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    start_cluster
  else
    say "Using the PostgreSQL database given by DATABASE_URL"
  fi
  say "Compiling translations"
  "$PY" manage.py compilemessages --ignore=.venv --ignore=var -v 0
}

ensure_chromium() {
  if ! command -v chromium >/dev/null; then
    apt_install chromium
  fi
}

cmd_run() {
  prepare
  export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
  say "Migrating the database"
  "$PY" manage.py migrate --no-input -v 0
  say "Loading the demo data"
  "$PY" manage.py load_demo
  say "Starting the background task worker"
  "$PY" manage.py db_worker --interval 1 >"$VAR/worker.log" 2>&1 &
  CHILD_PIDS+=($!)
  say "Serving on http://127.0.0.1:8000/ (Ctrl-C stops the server, the worker and the database)"
  "$PY" manage.py runserver 127.0.0.1:8000 &
  CHILD_PIDS+=($!)
  wait "${CHILD_PIDS[-1]}"
}

cmd_test() {
  prepare
  ensure_chromium
  say "ruff check"
  "$VENV/bin/ruff" check .
  say "ruff format --check"
  "$VENV/bin/ruff" format --check .
  say "pip-audit (known vulnerabilities in requirements.lock)"
  scripts/audit_dependencies.sh
  say "pytest"
  "$PY" -m pytest "$@"
}

cmd_backup() {
  prepare
  export_pg_bindir
  "$PY" manage.py backup "$@"
}

cmd_restore() {
  prepare
  export_pg_bindir
  "$PY" manage.py restore "$@"
}

export_pg_bindir() {
  # manage.py backup/restore use the same PostgreSQL programs the cluster runs with.
  local bindir
  if bindir="$(find_pg_bindir)"; then export EINCLUSION_PG_BINDIR="$bindir"; fi
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  backup) shift; cmd_backup "$@" ;;
  restore) shift; cmd_restore "$@" ;;
  *) echo "usage: scripts/dev.sh run|test|backup|restore [args]" >&2; exit 2 ;;
esac
