"""Every app's binding papers answer through lebork_einclusion.archive.paper_response: the
committee protocol and the letters of a decided version, a recorded visit's protocol, an issued
certificate made before their services archived them (the demo's) are stored on their first
opening and served byte for byte after."""

import hashlib

import pytest
from django.urls import reverse

from lebork_einclusion import archive, clock, roles
from lebork_einclusion.models import ArchivedPaper
from tests.url_samples import SAMPLES

PAPERS = [
    ("recruitment:protocol_pdf", "recruitment.protocol"),
    ("recruitment:letters_pdf", "recruitment.letters"),
    ("monitoring:visit_pdf", "monitoring.visit"),
    ("training:trainee_certificate_pdf", "training.certificate"),
]


@pytest.mark.parametrize(("url_name", "kind"), PAPERS)
def test_a_binding_paper_is_stored_once_and_served_as_stored(client_as, url_name, kind):
    client = client_as(roles.COORDINATOR)
    kwargs = SAMPLES[url_name]()
    if kind == "training.certificate":
        # Issued before issues were archived (the demo is loaded so): stored on first opening.
        from training.models import Trainee
        from training.services.trainees import do_issue_certificate

        trainee = Trainee.objects.select_related("module").get(pk=kwargs["pk"])
        with archive.suspended():
            do_issue_certificate(trainee, clock.today(), actor=client.user)
    url = reverse(url_name, kwargs=kwargs)
    first = client.get(url)
    assert first["Content-Type"] == "application/pdf"
    (paper,) = ArchivedPaper.objects.filter(kind=kind)
    assert hashlib.sha256(first.content).hexdigest() == paper.sha256
    second = client.get(url)
    assert second.content == first.content
    assert second["X-Content-SHA256"] == paper.sha256
    assert ArchivedPaper.objects.filter(kind=kind).count() == 1
