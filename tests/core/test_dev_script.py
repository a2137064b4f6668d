"""scripts/dev.sh, the preparation behind `make run` and `make test`, from folders a new user may
clone into (issue 20): a private folder of mode 700 (as root, the cluster's `postgres` user cannot
enter it) and a path with a space. Each test copies the script into a fresh checkout folder (the
cluster's preparation needs nothing else), on a port of its own: the shared servers are never
touched."""

import glob
import hashlib
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
AS_ROOT = os.geteuid() == 0


def _pg_program(name: str) -> str | None:
    """The PostgreSQL program as scripts/dev.sh finds it: on PATH, else the newest Debian one."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    return candidates[-1] if candidates else None


PSQL = _pg_program("psql")
needs_postgres = pytest.mark.skipif(
    _pg_program("initdb") is None or PSQL is None,
    reason="PostgreSQL's server programs are not installed (dev.sh would install them as root)",
)


@pytest.fixture
def checkout():
    """make(folder_name) -> a checkout (scripts/dev.sh and .venv) inside a fresh mode-700 folder;
    afterwards its cluster is removed by `dev.sh clean-db`, then the folder."""
    made = []

    def make(name: str) -> Path:
        base = Path(tempfile.mkdtemp(prefix="einclusion-h-")).resolve()
        assert stat.S_IMODE(base.stat().st_mode) == 0o700
        path = base / name
        (path / "scripts").mkdir(parents=True)
        shutil.copy2(ROOT / "scripts" / "dev.sh", path / "scripts" / "dev.sh")
        (path / ".venv").symlink_to(sys.prefix)
        made.append((base, path))
        return path

    yield make
    for base, path in made:
        _dev(path, "clean-db")
        shutil.rmtree(base, ignore_errors=True)


def _env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PORT"}}
    return {**env, "EINCLUSION_PG_FSYNC": "off", **extra}


def _dev(path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(path / "scripts" / "dev.sh"), *args],
        cwd=path,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _database_url(result: subprocess.CompletedProcess) -> tuple[str, str]:
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("DATABASE_URL=")]
    query = parse_qs(urlsplit(lines[-1].removeprefix("DATABASE_URL=")).query)
    return query["host"][0], query["port"][0]


def _psql(host: str, port: str, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PSQL, "-h", host, "-p", port, "-U", "einclusion", "-d", "einclusion", "-tAc", sql],
        cwd="/",
        capture_output=True,
        text=True,
        timeout=20,
    )


def _expected_places(path: Path) -> tuple[Path, Path]:
    """(data directory, socket directory) the README promises for this checkout and user."""
    checkout_id = hashlib.sha256(str(path).encode()).hexdigest()[:12]
    if AS_ROOT:
        state = Path("/var/lib/einclusion") / checkout_id
        return state / "data", state / "run"
    if " " in str(path) or len(str(path / "var" / "run")) > 80:
        # The fixed name dev.sh gives the socket directory of a long or spaced path.
        return path / "var" / "postgres", Path(f"/tmp/einclusion-{checkout_id}")  # noqa: S108
    return path / "var" / "postgres", path / "var" / "run"


@needs_postgres
def test_cluster_starts_from_a_private_folder_is_found_again_and_clean_db_removes_it(checkout):
    path = checkout("einclusion")
    base_mode = path.parent.stat().st_mode

    host, port = _database_url(_dev(path, "db-start", EINCLUSION_PG_PORT="54391"))
    data, sock = _expected_places(path)
    assert (host, port) == (str(sock), "54391")
    assert (data / "PG_VERSION").is_file()
    if AS_ROOT:
        assert data.stat().st_uid == pwd.getpwnam("postgres").pw_uid
        assert not (path / "var" / "postgres").exists()
    answer = _psql(host, port, "create table kept (x int); insert into kept values (7); select 1")
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.split()[-1] == "1"

    # The next run finds the same cluster, with what was written in it.
    assert _dev(path, "db-stop").returncode == 0
    assert _psql(host, port, "select 1").returncode != 0
    assert _database_url(_dev(path, "db-start", EINCLUSION_PG_PORT="54391")) == (host, port)
    assert _psql(host, port, "select x from kept").stdout.strip() == "7"

    cleaned = _dev(path, "clean-db")
    assert cleaned.returncode == 0, cleaned.stderr
    assert not data.exists() and not sock.exists()
    assert _psql(host, port, "select 1").returncode != 0
    # Nothing changed the permissions of the user's own folder.
    assert path.parent.stat().st_mode == base_mode


@needs_postgres
def test_cluster_starts_from_a_path_with_a_space(checkout):
    path = checkout("my einclusion copy")

    host, port = _database_url(_dev(path, "db-start", EINCLUSION_PG_PORT="54392"))
    data, sock = _expected_places(path)
    assert (host, port) == (str(sock), "54392")
    assert " " not in host  # it goes into DATABASE_URL unquoted
    answer = _psql(host, port, "select 1")
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == "1"

    assert _dev(path, "clean-db").returncode == 0
    assert not data.exists()
    assert _psql(host, port, "select 1").returncode != 0


def test_run_refuses_a_taken_or_invalid_port_in_one_line_before_any_long_step(checkout):
    path = checkout("einclusion")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        number = taken.getsockname()[1]
        result = _dev(path, "run", PORT=str(number))
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"ERROR: port {number} on 127.0.0.1 is already in use (another make run?): stop that "
        f"program or choose another port, e.g. PORT={number + 1} make run"
    ]
    # Refused before anything was installed, made or started.
    assert result.stdout == ""
    assert not (path / "var").exists()

    invalid = _dev(path, "run", PORT="eighty")
    assert invalid.returncode != 0
    assert len(invalid.stderr.splitlines()) == 1
    assert "PORT=eighty is not a port number" in invalid.stderr
    assert "PORT=8001 make run" in invalid.stderr
