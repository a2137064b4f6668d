"""An object a user may not see answers 404, never 403 or an error (SECURITY.md, ASVS 8.2.2): no
hint that it exists. Every URL of every app that names an object, with an id that names nothing,
answers 404 to a role the table lets in (the object helpers of every app); objects of another
user (generated files) are tested in test_generated_files.py."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from lebork_einclusion import roles
from tests.url_samples import SAMPLES, all_url_names

OBJECT_URLS = [
    name for name, has_args in all_url_names() if has_args and not roles.ACCESS[name].public
]


def _missing(kwargs: dict) -> dict:
    """The same arguments with every object id replaced by one that exists nowhere."""
    out = {}
    for key, value in kwargs.items():
        if key in {"year", "month", "number", "fmt"}:
            out[key] = value  # not an object: a period, a version number, a format
        elif isinstance(value, uuid.UUID) or (isinstance(value, str) and len(value) == 36):
            out[key] = uuid.uuid4()
        else:
            out[key] = 987654
    return out


def test_the_list_covers_every_app():
    assert {name.split(":")[0] for name in OBJECT_URLS} >= {
        "core",
        "recruitment",
        "procurement",
        "lending",
        "training",
        "monitoring",
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_object_that_does_not_exist_answers_404_on_every_url(make_user, method):
    client = Client()
    client.force_login(make_user(roles.COORDINATOR))
    answers = {}
    for name in OBJECT_URLS:
        if method == "post" and roles.COORDINATOR not in roles.ACCESS[name].change:
            continue  # refused by the role table before any object is looked up (403 for any id)
        sample = SAMPLES[name]()
        kwargs = _missing(sample)
        if kwargs == sample:
            continue  # nothing in the URL names an object
        response = getattr(client, method)(reverse(name, kwargs=kwargs))
        if response.status_code != 404 and not (method == "get" and response.status_code == 405):
            answers[name] = response.status_code
    assert answers == {}
