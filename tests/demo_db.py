"""The demo database of the test run, built once and cloned (issue 13, part 5).

Migrating and loading the demo takes about a minute; cloning a PostgreSQL database takes about a
second. So the migrated database with the demo loaded is kept as a template database,
`einclusion_tpl_<checkout>_<key>`, and every test session (every pytest-xdist worker) gets its own
copy with `CREATE DATABASE ... TEMPLATE`. The key is a hash of what makes the demo: every app's
migrations, its `demo.py`, the project modules those import directly and its `demo_data/` files,
the load_demo command, the checkout's path and today's date (the demo's records carry the time
they were made). A change to any of them builds a new template on the next run, and the old ones
of the checkout are dropped; `pytest --create-db` rebuilds it in any case.

The files the demo uploads live next to it, in var/test-demo/<template>/media (written last: a
template without them is built again), and are copied into the session's MEDIA_ROOT.

Transactional tests (the browser tests, `transaction=True`) end with the database emptied by
pytest-django; the database is then dropped and cloned again (tests/conftest.py), so every test
starts from the demo.

The demo is loaded as it stood on 31.12.2018 (TEMPLATE_DEMO_DAY, the office's today while it
loads): every durability year lived, the closure of 02.01.2019 not made, so the tests find the
agreements in force they decide on; the tests run at the real today.

Two xdist workers starting together build the template once: building and cloning happen under
a PostgreSQL advisory lock.
"""

import ast
import contextlib
import datetime
import hashlib
import io
import shutil
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
LOAD_DEMO = ROOT / "lebork_einclusion" / "management" / "commands" / "load_demo.py"
TEMPLATE_PREFIX = "einclusion_tpl_"
TEMPLATE_DEMO_DAY = datetime.date(2018, 12, 31)  # the office's today while the demo loads


def _checkout_id() -> str:
    return hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]


def _project_imports(path: Path, package: str) -> set[Path]:
    """The project's source files a module imports directly (`from . import x`, `from app.y
    import z`, `import app.y`)."""
    found = set()
    apps = set(settings.PROJECT_APPS)
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.ImportFrom):
            base = package if node.level else (node.module or "")
            if node.level and node.module:
                base = f"{package}.{node.module}"
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            if name.split(".")[0] not in apps:
                continue
            candidate = ROOT.joinpath(*name.split("."))
            for file in (candidate.with_suffix(".py"), candidate / "__init__.py"):
                if file.is_file():
                    found.add(file)
    return found


def source_files() -> list[Path]:
    files = {LOAD_DEMO}
    for app in settings.PROJECT_APPS:
        app_dir = ROOT / app
        files.update(app_dir.glob("migrations/*.py"))
        demo = app_dir / "demo.py"
        if demo.is_file():
            files.add(demo)
            files.update(_project_imports(demo, app))
        files.update(app_dir.glob("demo_data/*"))  # the tables a demo.py reads
    return sorted(files)


def template_name() -> str:
    digest = hashlib.sha256()
    digest.update(str(ROOT).encode())
    digest.update(datetime.date.today().isoformat().encode())
    for file in source_files():
        digest.update(str(file.relative_to(ROOT)).encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return f"{TEMPLATE_PREFIX}{_checkout_id()}_{digest.hexdigest()[:16]}"


def _media_dir(template: str) -> Path:
    return ROOT / "var" / "test-demo" / template / "media"


def _admin_connection() -> psycopg.Connection:
    """A connection to the server's `postgres` database, for creating and dropping databases."""
    from lebork_einclusion.backups import _libpq_params

    return psycopg.connect(**_libpq_params("postgres"), autocommit=True)


@contextlib.contextmanager
def _locked(admin: psycopg.Connection):
    key = int(hashlib.sha256(f"{TEMPLATE_PREFIX}{_checkout_id()}".encode()).hexdigest()[:15], 16)
    admin.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        admin.execute("SELECT pg_advisory_unlock(%s)", [key])


def _exists(admin: psycopg.Connection, name: str) -> bool:
    row = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def _drop(admin: psycopg.Connection, name: str) -> None:
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _use(name: str) -> None:
    """Point Django's default connection at the database `name` (closing what is open)."""
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


def _build(admin: psycopg.Connection, template: str) -> None:
    """Migrate a new database and load the demo into it; its uploads go to the media folder."""
    for (stale,) in admin.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s",
        [f"{TEMPLATE_PREFIX}{_checkout_id()}_%"],
    ).fetchall():
        _drop(admin, stale)
    shutil.rmtree(ROOT / "var" / "test-demo", ignore_errors=True)
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)))
    previous = settings.DATABASES["default"]["NAME"]
    media_root = Path(settings.MEDIA_ROOT)
    shutil.rmtree(media_root, ignore_errors=True)
    media_root.mkdir(parents=True)
    try:
        _use(template)
        call_command("migrate", interactive=False, verbosity=0)
        # The demo as it stood on the durability end: every year lived, the closure (dated
        # 02.01.2019, the demo day of `make run`) not yet made, so the agreements are still
        # there to decide (tests make their own decisions; test_indicators_through_durability
        # runs the demo's closure itself).
        with override_settings(DEMO_TODAY=TEMPLATE_DEMO_DAY):
            call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
    finally:
        _use(previous)
    media = _media_dir(template)
    shutil.copytree(media_root, media.with_name("media.partial"))
    media.with_name("media.partial").rename(media)


def _copy_media(template: str) -> None:
    shutil.copytree(_media_dir(template), settings.MEDIA_ROOT, dirs_exist_ok=True)


def _clone(admin: psycopg.Connection, template: str, name: str) -> None:
    _drop(admin, name)
    admin.execute(
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)
        )
    )


class DemoDatabase:
    """This session's copy of the demo database (one per xdist worker)."""

    def __init__(self, test_name: str, rebuild: bool = False):
        self.test_name = test_name
        self.original_name = settings.DATABASES["default"]["NAME"]
        self.template = template_name()
        with _admin_connection() as admin, _locked(admin):
            usable = _exists(admin, self.template) and _media_dir(self.template).is_dir()
            if rebuild or not usable:
                _build(admin, self.template)
            _clone(admin, self.template, test_name)
        _copy_media(self.template)
        _use(test_name)

    def restore(self) -> None:
        """The demo again, as the template holds it (after a transactional test emptied it)."""
        connections.close_all()
        with _admin_connection() as admin, _locked(admin):
            _clone(admin, self.template, self.test_name)
        _copy_media(self.template)

    def drop(self) -> None:
        connections.close_all()
        with _admin_connection() as admin:
            _drop(admin, self.test_name)
        _use(self.original_name)
