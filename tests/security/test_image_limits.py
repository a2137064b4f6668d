"""Issue 12, item 8: eight 7000x7000 PNG photos (1.1 MB in one request) took the server from
480 to 925 MB for 6.8 s. Every photo's pixel count is read from its header before anything is
decoded: over PHOTO_MAX_MEGAPIXELS one photo is refused, over PHOTO_MAX_MEGAPIXELS_PER_VISIT the
visit's photos together; a JPEG is decoded at a reduced scale (draft). Memory is measured in a
fresh process (bench/photo_memory.py: peak RSS before and after)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.monitoring import conftest as monitoring
from tests.monitoring.conftest import stored_files, visit_data, visit_state

# The monitoring tests' fixtures: a monitoring officer's phone and a planned visit.
officer, officer_phone, planned = monitoring.officer, monitoring.officer_phone, monitoring.planned

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from photo_memory import big_png  # noqa: E402


def _measure(kind: str) -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "photo_memory.py"), kind],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lebork_einclusion.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_eight_7000px_pngs_are_refused_from_their_headers_and_memory_stays_flat():
    figures = _measure("bomb")
    assert figures["request_mb"] < 1.2
    assert figures["accepted"] == 0
    assert len(figures["refused"]) == 8
    assert "(49 megapikseli)" in figures["refused"][0]
    # Before the fix: +453 MB and 6-8 s on this machine; now nothing is decoded.
    assert figures["maxrss_after_mb"] - figures["maxrss_before_mb"] < 20, figures
    assert figures["seconds"] < 1, figures


def test_a_phones_jpegs_are_decoded_at_a_reduced_scale():
    figures = _measure("phone")
    assert figures["accepted"] == 8
    # Eight 12-megapixel JPEGs, each decoded at half size (3 MP): +31 MB; in full: +119 MB.
    assert figures["maxrss_after_mb"] - figures["maxrss_before_mb"] < 70, figures


def _post_photos(client, planned, photos):
    data = visit_data(planned.participant, planned=planned, photos=photos)
    address = reverse("monitoring:visit_new", args=[planned.participant.pk])
    return client.post(f"{address}?planned={planned.pk}", data)


def _errors(response) -> str:
    return " ".join(str(e["message"]) for e in response.context["errors"])


def test_the_visit_form_refuses_the_eight_bombs_and_saves_nothing(officer_phone, planned):
    bomb = big_png(7000, 7000)
    before = visit_state()
    response = _post_photos(
        officer_phone,
        planned,
        [SimpleUploadedFile(f"foto-{i}.png", bomb, "image/png") for i in range(8)],
    )
    assert "foto-7.png: zdjęcie jest za duże (49 megapikseli)." in _errors(response)
    assert visit_state() == before
    assert stored_files() == before["files"]


def test_photos_each_under_the_limit_but_too_many_pixels_together_are_refused(
    officer_phone, planned
):
    picture = big_png(4500, 4500)  # 20.25 MP: under the 24 a photo may have
    before = visit_state()
    response = _post_photos(
        officer_phone,
        planned,
        [SimpleUploadedFile(f"foto-{i}.png", picture, "image/png") for i in range(3)],
    )
    assert "Zdjęcia razem są za duże (61 megapikseli" in _errors(response)
    assert visit_state() == before


def test_the_limits_are_settings(settings):
    from monitoring import photos

    settings.PHOTO_MAX_MEGAPIXELS = 1
    upload = SimpleUploadedFile("foto.png", big_png(1200, 1000), "image/png")
    with pytest.raises(Exception, match=r"za duże \(1 megapikseli\)"):
        photos.clean_photo(upload)
