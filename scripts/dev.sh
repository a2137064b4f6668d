#!/usr/bin/env bash
# The project's two commands (and their shared preparation), called by the Makefile:
#   scripts/dev.sh run       - prepare, load the demo, serve on http://127.0.0.1:${PORT:-8000}
#                              with the task worker
#   scripts/dev.sh test      - prepare, ruff, the whole pytest suite (arguments go to pytest),
#                              on every core (pytest-xdist; EINCLUSION_TEST_WORKERS=1 for one)
#   scripts/dev.sh test-fast - the same without the browser tests (tests/browser)
#   scripts/dev.sh db-start  - start this checkout's PostgreSQL cluster, leave it running and
#                              print its DATABASE_URL
#   scripts/dev.sh db-stop   - stop it
#   scripts/dev.sh clean-db  - stop it and remove its data (`make clean-db`)
# DATABASE_URL set by the caller: use that PostgreSQL; otherwise a cluster owned by the project
# (own socket directory, port EINCLUSION_PG_PORT or 54329) is created, started, and stopped on
# exit. Where it lives:
#   - as an ordinary user: var/postgres in the checkout, its socket in var/run, or in
#     /tmp/einclusion-<id> when the checkout's path is long or contains a space;
#   - as root: the cluster runs as the `postgres` system user, who may not be allowed into the
#     checkout (a home directory of mode 700, a `mktemp -d` folder), so its data and socket live
#     in /var/lib/einclusion/<id>/{data,run}, owned by postgres; a var/postgres left by an
#     earlier run that postgres can still use is kept.
# <id> is the first 12 hex digits of the SHA-256 of the checkout's path, so the next run finds
# the same cluster. Every PostgreSQL program run as postgres starts in `/`: the checkout's folder
# modes never matter, and nothing changes them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
VAR="$ROOT/var"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PGPORT="${EINCLUSION_PG_PORT:-54329}"
PGUSER_NAME="einclusion"
PGDB_NAME="einclusion"
CHECKOUT_ID="$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
SYSTEM_DIR="/var/lib/einclusion"
STATE_DIR="$SYSTEM_DIR/$CHECKOUT_ID"
PGDATA=""
PGSOCK=""
PG_BINDIR=""
BASE_PY=""
WEB_PORT="${PORT:-8000}"
STARTED_CLUSTER=0
CHILD_PIDS=()

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

as_root() { [ "$(id -u)" -eq 0 ]; }
owner_of() { stat -c %U "$1"; }

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
    die "missing system packages ($*): install them with sudo apt-get install $*"
  fi
}

# --- Checks made before any long step: each problem is one line saying what and how to fix it.

check_writable() {
  local dir
  for dir in "$ROOT" "$VAR"; do
    if [ -e "$dir" ] && [ ! -w "$dir" ]; then
      die "cannot write in $dir (it belongs to $(owner_of "$dir"), you are $(id -un)): run the command as $(owner_of "$dir"), or clone the project into a folder of yours"
    fi
  done
}

find_python() {
  local candidate
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  die "Python 3.11 is needed and was not found (Debian 12: sudo apt-get install python3 python3-venv)"
}

check_python() {
  if [ -x "$PY" ]; then
    "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null \
      || die ".venv does not run Python 3.11: remove it (rm -rf .venv) and run the command again"
    BASE_PY="$PY"
  elif [ -e "$VENV" ] || [ -L "$VENV" ]; then
    die ".venv exists but its Python cannot be run by $(id -un): remove it (rm -rf .venv) and run the command again"
  else
    BASE_PY="$(find_python)"
  fi
}

check_web_port() {
  # The port runserver will listen on, tried now rather than after the long steps.
  if ! [[ "$WEB_PORT" =~ ^[0-9]{1,5}$ ]] || [ $((10#$WEB_PORT)) -lt 1 ] || [ $((10#$WEB_PORT)) -gt 65535 ]; then
    die "PORT=$WEB_PORT is not a port number: choose one from 1024 to 65535, e.g. PORT=8001 make run"
  fi
  WEB_PORT=$((10#$WEB_PORT))
  local problem
  problem="$("$BASE_PY" - "$WEB_PORT" <<'PYEOF'
import errno
import socket
import sys

sock = socket.socket()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver does
try:
    sock.bind(("127.0.0.1", int(sys.argv[1])))
except OSError as exc:
    print("in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc)))
finally:
    sock.close()
PYEOF
)"
  local other=$((WEB_PORT >= 1024 && WEB_PORT < 65535 ? WEB_PORT + 1 : 8001))
  if [ "$problem" = "in use" ]; then
    die "port $WEB_PORT on 127.0.0.1 is already in use (another make run?): stop that program or choose another port, e.g. PORT=$other make run"
  elif [ -n "$problem" ]; then
    die "cannot listen on 127.0.0.1:$WEB_PORT ($problem): choose another port, e.g. PORT=$other make run"
  fi
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

check_postgres() {
  if ! PG_BINDIR="$(find_pg_bindir)"; then
    as_root || die "PostgreSQL's server programs (initdb, pg_ctl) are not installed: sudo apt-get install postgresql, or set DATABASE_URL to an existing database"
    apt_install postgresql
    PG_BINDIR="$(find_pg_bindir)" || die "PostgreSQL's server programs not found after installing postgresql: look under /usr/lib/postgresql"
  fi
  if as_root; then
    id postgres >/dev/null 2>&1 || die "the postgres system user is missing: sudo apt-get install postgresql"
  fi
  locate_cluster
  check_cluster_ownership
}

# --- Where this checkout's cluster lives (see the top of this file).

checkout_socket_dir() {
  # Unix socket paths are limited to ~107 bytes and cannot be written in a URL with a space.
  local dir="$VAR/run"
  if [ ${#dir} -gt 80 ] || [[ "$dir" =~ [[:space:]] ]]; then
    dir="/tmp/einclusion-$CHECKOUT_ID"
  fi
  echo "$dir"
}

# The cluster's processes may not run as root: as root, they run as the `postgres` system user,
# from `/` so that the caller's current folder (perhaps closed to postgres) is never needed.
pg_run() { run_as postgres "$@"; }

run_as() {
  # $1: the system user root runs the command as (an ordinary user runs it as itself).
  local user="$1"
  shift
  if as_root; then (cd / && runuser -u "$user" -- "$@"); else "$@"; fi
}

legacy_cluster_usable() {
  # A var/postgres of an earlier run as root: kept when postgres owns it and can still reach it.
  local legacy="$VAR/postgres"
  [ -f "$legacy/PG_VERSION" ] && [ "$(owner_of "$legacy")" = postgres ] \
    && pg_run test -w "$legacy" -a -r "$legacy/PG_VERSION" 2>/dev/null
}

locate_cluster() {
  if as_root && ! legacy_cluster_usable; then
    PGDATA="$STATE_DIR/data"
    PGSOCK="$STATE_DIR/run"
  else
    PGDATA="$VAR/postgres"
    PGSOCK="$(checkout_socket_dir)"
  fi
}

check_cluster_ownership() {
  # (A var/postgres kept as root is postgres's by the test that kept it.)
  local dir
  for dir in "$PGDATA" "$PGSOCK"; do
    [ -e "$dir" ] || continue
    if as_root && [ "$PGDATA" = "$STATE_DIR/data" ] && [ "$(owner_of "$dir")" != postgres ]; then
      die "$dir belongs to $(owner_of "$dir"), not postgres: remove this checkout's database with make clean-db, or give it back with chown -R postgres: $STATE_DIR"
    elif ! as_root && [ "$(owner_of "$dir")" != "$(id -un)" ]; then
      die "$dir belongs to $(owner_of "$dir") (an earlier run as root?): run the command as root, or remove it with: sudo make clean-db"
    fi
  done
  if [ -d "$PGDATA" ] && [ ! -f "$PGDATA/PG_VERSION" ] && [ -n "$(ls -A "$PGDATA" 2>/dev/null)" ]; then
    die "$PGDATA holds a half-made cluster (an interrupted first run?): remove it with make clean-db and run the command again"
  fi
}

start_cluster() {
  if as_root && [ "$PGDATA" = "$STATE_DIR/data" ]; then
    install -d -m 755 "$SYSTEM_DIR"
    install -d -m 755 -o postgres -g postgres "$STATE_DIR" "$PGSOCK"
    install -d -m 700 -o postgres -g postgres "$PGDATA"
    # Which checkout this directory serves, for whoever finds it in /var/lib/einclusion.
    printf '%s\n' "$ROOT" > "$STATE_DIR/checkout"
  elif as_root; then
    mkdir -p "$PGSOCK"
    chown postgres "$PGSOCK"
  else
    mkdir -p "$VAR" "$PGSOCK" "$PGDATA"
    chmod 700 "$PGDATA"
  fi
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    say "Initialising the project's PostgreSQL cluster in $PGDATA"
    local nosync=()
    if [ "${EINCLUSION_PG_FSYNC:-on}" = off ]; then nosync=(--no-sync); fi
    pg_run "$PG_BINDIR/initdb" -D "$PGDATA" -U "$PGUSER_NAME" --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 "${nosync[@]}" >/dev/null
    pg_run tee -a "$PGDATA/postgresql.conf" >/dev/null <<CONF
# eInclusion Office: a private cluster, reachable only through its own socket directory.
listen_addresses = ''
port = $PGPORT
unix_socket_directories = '$PGSOCK'
fsync = ${EINCLUSION_PG_FSYNC:-on}
CONF
  fi
  if pg_run "$PG_BINDIR/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    say "The project's PostgreSQL cluster is already running ($PGDATA)"
    PGPORT="$(pg_run sed -n "s/^port = \([0-9]*\).*/\1/p" "$PGDATA/postgresql.conf" | tail -n 1)"
  else
    # The port and the socket directory may have changed since the cluster was made.
    pg_run sed -i -e "s|^unix_socket_directories = .*|unix_socket_directories = '$PGSOCK'|" \
      -e "s|^port = .*|port = $PGPORT|" "$PGDATA/postgresql.conf"
    say "Starting the project's PostgreSQL cluster in $PGDATA (port $PGPORT, socket in $PGSOCK)"
    pg_run "$PG_BINDIR/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start >/dev/null \
      || { pg_run tail -n 20 "$PGDATA/server.log" >&2; die "PostgreSQL did not start (its log is above, the whole of it in $PGDATA/server.log)"; }
    STARTED_CLUSTER=1
  fi
  if ! "$PG_BINDIR/psql" -h "$PGSOCK" -p "$PGPORT" -U "$PGUSER_NAME" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$PGDB_NAME'" | grep -q 1; then
    "$PG_BINDIR/createdb" -h "$PGSOCK" -p "$PGPORT" -U "$PGUSER_NAME" "$PGDB_NAME"
  fi
  export DATABASE_URL="postgres://$PGUSER_NAME@/$PGDB_NAME?host=$PGSOCK&port=$PGPORT"
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

# --- The commands.

ensure_venv() {
  if [ ! -x "$PY" ]; then
    say "Creating the virtual environment in .venv"
    "$BASE_PY" -m venv "$VENV" || die "could not create .venv (Debian: sudo apt-get install python3-venv)"
  fi
  local stamp="$VENV/.requirements.sha256"
  local want
  want="$(sha256sum requirements.lock | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    [ -w "$VENV" ] || die "the dependencies in .venv are out of date and $(id -un) cannot write in it: run the command as $(owner_of "$VENV"), or remove .venv"
    say "Installing the pinned dependencies (requirements.lock)"
    "$PY" -m pip install -q --disable-pip-version-check --upgrade pip
    "$PY" -m pip install -q --disable-pip-version-check -r requirements.lock
    echo "$want" > "$stamp"
  fi
}

ensure_system_packages() {
  # WeasyPrint needs Pango; msgfmt compiles the translations; the browser tests drive chromium.
  # Installed as root; otherwise named before any long step.
  local missing=()
  ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
  command -v msgfmt >/dev/null || missing+=(gettext)
  if [ "$1" = test ]; then command -v chromium >/dev/null || missing+=(chromium); fi  # not test-fast
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
}

prepare() {
  # $1: run (also checks the web port) or test.
  check_writable
  check_python
  if [ "$1" = run ]; then check_web_port; fi
  if [ -z "${DATABASE_URL:-}" ]; then check_postgres; fi
  ensure_system_packages "$1"
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

# The day `make run` opens the demo on: the first working day after the durability period,
# the day of the closure (README, "The demo day").
DEMO_DAY=2019-01-02

cmd_run() {
  prepare run
  export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
  # The demo opens on a working day of the project (README, "The demo day"); an empty value
  # (EINCLUSION_DEMO_TODAY= make run) opens it on the real today.
  export EINCLUSION_DEMO_TODAY="${EINCLUSION_DEMO_TODAY-$DEMO_DAY}"
  say "Migrating the database"
  "$PY" manage.py migrate --no-input -v 0
  say "Loading the demo data"
  "$PY" manage.py load_demo
  say "Clearing expired background-generated files"
  "$PY" manage.py clear_generated_files
  say "Running the daily job (ends what expired, plans visits; see README)"
  "$PY" manage.py run_daily
  say "Starting the background task worker"
  mkdir -p "$VAR"
  "$PY" manage.py db_worker --interval 1 >"$VAR/worker.log" 2>&1 &
  CHILD_PIDS+=($!)
  say "Serving on http://127.0.0.1:$WEB_PORT/ (Ctrl-C stops the server, the worker and the database)"
  "$PY" manage.py runserver "127.0.0.1:$WEB_PORT" &
  CHILD_PIDS+=($!)
  wait "${CHILD_PIDS[-1]}"
}

cmd_test() {
  # $1: test (everything) or test-fast (no browser tests); the other arguments go to pytest.
  # The test database is a copy of a template database with the demo loaded, built on the first
  # run and reused while the migrations and demo sources stay the same (tests/demo_db.py).
  local mode="$1"
  shift
  prepare "$mode"
  local only=()
  if [ "$mode" = test-fast ]; then only=(--ignore=tests/browser); fi
  say "ruff check"
  "$VENV/bin/ruff" check .
  say "ruff format --check"
  "$VENV/bin/ruff" format --check .
  say "lint-imports (layers and public surfaces: pyproject.toml's [tool.importlinter])"
  "$VENV/bin/lint-imports"
  say "pip-audit (known vulnerabilities in requirements.lock)"
  scripts/audit_dependencies.sh
  say "pytest"
  "$PY" -m pytest -n "${EINCLUSION_TEST_WORKERS:-auto}" "${only[@]}" "$@"
}

cmd_backup() {
  prepare backup
  export_pg_bindir
  "$PY" manage.py backup "$@"
}

cmd_restore() {
  prepare restore
  export_pg_bindir
  "$PY" manage.py restore "$@"
}

export_pg_bindir() {
  # manage.py backup/restore use the same PostgreSQL programs the cluster runs with.
  local bindir
  if bindir="$(find_pg_bindir)"; then export EINCLUSION_PG_BINDIR="$bindir"; fi
}

cmd_db_start() {
  # This checkout's cluster alone (no .venv needed), left running; whatever DATABASE_URL says.
  check_writable
  check_postgres
  start_cluster
  echo "DATABASE_URL=$DATABASE_URL"
}

stop_cluster_in() {
  # $1: a data directory; its cluster, when running, is stopped by the user who owns it.
  local data="$1" owner
  [ -n "$PG_BINDIR" ] && [ -f "$data/PG_VERSION" ] || return 1
  owner="$(owner_of "$data")"
  run_as "$owner" "$PG_BINDIR/pg_ctl" -D "$data" status >/dev/null 2>&1 || return 1
  say "Stopping the project's PostgreSQL cluster in $data"
  run_as "$owner" "$PG_BINDIR/pg_ctl" -D "$data" -m fast -w stop >/dev/null
}

cmd_db_stop() {
  PG_BINDIR="$(find_pg_bindir)" || PG_BINDIR=""
  locate_cluster
  stop_cluster_in "$PGDATA" || say "The project's PostgreSQL cluster is not running"
}

cmd_clean_db() {
  # Stops and removes every cluster of this checkout: /var/lib/einclusion/<id> (root) and
  # var/postgres (an ordinary user's, or an earlier root run's), with their socket directories.
  PG_BINDIR="$(find_pg_bindir)" || PG_BINDIR=""
  local places=("$VAR/postgres" "$VAR/run" "/tmp/einclusion-$CHECKOUT_ID")
  if as_root; then places=("$STATE_DIR" "${places[@]}"); fi
  local place
  if ! as_root; then
    for place in "${places[@]}"; do
      if [ -e "$place" ] && [ "$(owner_of "$place")" != "$(id -un)" ]; then
        die "$place belongs to $(owner_of "$place"): remove this checkout's database as root, with sudo make clean-db"
      fi
    done
  fi
  stop_cluster_in "$STATE_DIR/data" || true
  stop_cluster_in "$VAR/postgres" || true
  for place in "${places[@]}"; do
    if [ -e "$place" ]; then
      say "Removing $place"
      rm -rf "$place"
    fi
  done
  if as_root && [ -d "$SYSTEM_DIR" ]; then rmdir --ignore-fail-on-non-empty "$SYSTEM_DIR"; fi
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test | test-fast) cmd_test "$@" ;;
  backup) shift; cmd_backup "$@" ;;
  restore) shift; cmd_restore "$@" ;;
  db-start) shift; cmd_db_start ;;
  db-stop) shift; cmd_db_stop ;;
  clean-db) shift; cmd_clean_db ;;
  *) echo "usage: scripts/dev.sh run|test|test-fast|backup|restore|db-start|db-stop|clean-db [args]" >&2; exit 2 ;;
esac
