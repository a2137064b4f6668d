"""Shared fixtures: the test database starts from the demo data; clients logged in per role."""

import datetime
import os

import pytest
import time_machine
from hypothesis import HealthCheck, settings

from lebork_einclusion import roles

from . import clock
from .factories import UserFactory

# Property tests check rules, not speed: on a loaded machine (two workers, other jobs) input
# generation and examples take longer, which must not fail the suite.
settings.register_profile(
    "suite", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("suite")

# Playwright's sync API runs an event loop in the test thread; our ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_addoption(parser):
    parser.addoption(
        "--at",
        default=os.environ.get(clock.ENVIRONMENT_VARIABLE) or None,
        metavar="MOMENT",
        help=(
            "run every test at this moment (ISO 8601 with an offset, e.g. 2026-12-06T23:30:00Z, "
            f"or one of {', '.join(clock.MOMENTS)}); also {clock.ENVIRONMENT_VARIABLE} "
            "(tests/clock.py)"
        ),
    )


# The session's demo database is loaded this long before the --at moment: its records are
# made before the tests run, on the same day (UTC and Warsaw) for every moment of clock.MOMENTS.
DEMO_LOADED_BEFORE = datetime.timedelta(minutes=5)


def pytest_configure(config):
    from django.conf import settings

    config.addinivalue_line(
        "markers",
        "every_hour: run the test at each moment of tests/clock.py MOMENTS (UTC night, DST nights)",
    )
    config.addinivalue_line(
        "markers",
        "real_clock: the test runs subprocesses (web servers, Chromium) on the machine's real "
        "clock: skipped under --at, where the demo database is dated by the moment",
    )
    moment = config.getoption("at")
    try:
        config.einclusion_at = clock.parse_moment(moment) if moment else None
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    if config.einclusion_at is not None:
        # From here on (the demo database of the session included) the clocks run from just
        # before the moment; every test then starts at the moment itself (clock_moment below).
        config.einclusion_travel = time_machine.travel(
            config.einclusion_at - DEMO_LOADED_BEFORE, tick=True
        )
        config.einclusion_travel.start()

    # Argon2 is deliberately slow; tests that log in hundreds of users use a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run at once, inside the request (the database worker is not running).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Uploads of the test run go to a temporary folder, never into var/media.
    import tempfile

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="einclusion-media-")
    settings.EINCLUSION_JOB_ROOT = tempfile.mkdtemp(prefix="einclusion-jobs-")


_demo_database = None


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """The test database is a copy of the demo database (tests/demo_db.py: migrated and loaded
    once, then cloned in a second); every `db` test runs inside a transaction rolled back
    afterwards, and every transactional test is followed by a fresh copy."""
    global _demo_database
    from django.db import connections

    from .demo_db import DemoDatabase

    test_name = connections["default"].creation._get_test_db_name()
    with django_db_blocker.unblock():
        _demo_database = DemoDatabase(test_name, rebuild=request.config.getvalue("create_db"))
    yield
    with django_db_blocker.unblock():
        _demo_database.drop()
    _demo_database = None


TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (
        marker.kwargs.get("transaction")
        or marker.kwargs.get("reset_sequences")
        or marker.kwargs.get("serialized_rollback")
    ):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with pytest-django emptying the database: the next test finds
    the demo again, copied from the template (in a second, where load_demo took 25)."""
    result = yield
    if _demo_database is not None and _is_transactional(item):
        _demo_database.restore()
    return result


@pytest.fixture
def make_user(db):
    def _make(role: str | None = None, **kwargs):
        return UserFactory(role=role, **kwargs)

    return _make


@pytest.fixture
def client_as(client, make_user):
    """client_as("coordinator") -> a test client logged in as a new user with that role."""

    def _login(role: str | None):
        user = make_user(role)
        client.force_login(user)
        client.user = user
        return client

    return _login


@pytest.fixture
def coordinator_client(client_as):
    return client_as(roles.COORDINATOR)


@pytest.fixture(autouse=True)
def office_language():
    """Every test starts in the office's language (Polish), whatever an earlier request of the
    same thread activated: messages of services are then the ones users read."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


def pytest_unconfigure(config):
    travel = getattr(config, "einclusion_travel", None)
    if travel is not None:
        travel.stop()


def pytest_report_header(config):
    if getattr(config, "einclusion_at", None) is not None:
        return f"every test starts at {config.einclusion_at.isoformat()} (--at, tests/clock.py)"
    return None


def pytest_collection_modifyitems(config, items):
    if getattr(config, "einclusion_at", None) is None:
        return
    skip = pytest.mark.skip(reason="--at: its subprocesses keep the real time (tests/clock.py)")
    for item in items:
        if item.get_closest_marker("real_clock") or item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("every_hour"):
        metafunc.parametrize(
            "clock_moment", list(clock.MOMENTS.values()), ids=list(clock.MOMENTS), indirect=True
        )


@pytest.fixture(autouse=True)
def clock_moment(request):
    """The moment the test starts at (the clocks then tick): a moment of clock.MOMENTS for a
    test marked `every_hour`, else the `--at` moment, else None (real time)."""
    moment = getattr(request, "param", None) or request.config.einclusion_at
    if moment is None:
        yield None
        return
    with time_machine.travel(moment, tick=True):
        yield moment
