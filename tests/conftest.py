"""Shared fixtures: the test database starts from the demo data; clients logged in per role."""

import os

import pytest

from lebork_einclusion import roles

from .factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; our ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    # Argon2 is deliberately slow; tests that log in hundreds of users use a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run at once, inside the request (the database worker is not running).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Uploads of the test run go to a temporary folder, never into var/media.
    import tempfile

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="einclusion-media-")


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
