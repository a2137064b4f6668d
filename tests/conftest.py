"""Shared fixtures: the test database starts from the demo data; clients logged in per role."""

import io
import os

import pytest
from django.core.management import call_command

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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo once; every `db` test runs inside a transaction rolled back afterwards."""
    with django_db_blocker.unblock():
        call_command("load_demo", quiet_logins=True, stdout=io.StringIO())


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
