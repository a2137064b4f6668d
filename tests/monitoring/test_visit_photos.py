"""Photos and the signature of a visit: the location and every other EXIF datum are stripped
before anything is stored, photos are scaled down with a thumbnail, served only to those who
may see the visit."""

import base64
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageDraw

from lebork_einclusion import roles
from monitoring import photos
from monitoring.models import MonitoringVisit, VisitPhoto
from tests.helpers import messages_of

from .conftest import visit_data

GPS = ExifTags.IFD.GPSInfo


def phone_photo(size=(800, 600), orientation=6) -> bytes:
    """A JPEG as a phone makes it: camera make and model, time, orientation and the GPS
    position of the place (here: Lębork's town hall)."""
    picture = Image.new("RGB", size, "#336699")
    ImageDraw.Draw(picture).rectangle((0, 0, size[0] // 2, size[1] // 4), fill="#ffcc00")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Google"
    exif[ExifTags.Base.Model] = "Pixel 7"
    exif[ExifTags.Base.DateTime] = "2013:04:10 10:31:07"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(GPS)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (54.0, 32.0, 24.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (17.0, 44.0, 58.2)
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_the_test_photo_really_carries_a_location():
    original = Image.open(io.BytesIO(phone_photo()))
    assert original.getexif()[ExifTags.Base.Model] == "Pixel 7"
    assert original.getexif().get_ifd(GPS)[ExifTags.GPS.GPSLatitude] == (54.0, 32.0, 24.5)


def test_a_photo_is_stored_without_exif_or_location_and_upright(officer_phone, planned):
    data = visit_data(
        planned.participant,
        planned=planned,
        photos=[SimpleUploadedFile("IMG_0001.jpg", phone_photo(), "image/jpeg")],
    )
    officer_phone.post(reverse("monitoring:visit_new", args=[planned.participant.pk]), data)
    [photo] = VisitPhoto.objects.filter(visit__key=data["key"])
    for stored in (photo.image, photo.thumbnail):
        with stored.open("rb") as handle:
            raw = handle.read()
        picture = Image.open(io.BytesIO(raw))
        assert picture.format == "JPEG"
        assert dict(picture.getexif()) == {}
        assert not picture.getexif().get_ifd(GPS)
        assert "exif" not in picture.info and "icc_profile" not in picture.info
        assert b"Exif" not in raw and b"Pixel 7" not in raw and b"Google" not in raw
        assert b"2013:04:10" not in raw
    # The phone held it sideways (orientation 6): it is stored turned, 600 wide and 800 high.
    assert (photo.width, photo.height) == (600, 800)
    assert not photo.image.name.endswith("IMG_0001.jpg")  # no name from the phone either


def test_a_large_photo_is_scaled_down_with_a_thumbnail():
    cleaned = photos.clean_photo(
        SimpleUploadedFile("big.jpg", phone_photo((4000, 3000), orientation=1), "image/jpeg")
    )
    assert (cleaned.width, cleaned.height) == (1600, 1200)
    thumbnail = Image.open(io.BytesIO(cleaned.thumbnail))
    assert max(thumbnail.size) == photos.THUMB_SIDE


def test_a_png_with_transparency_is_stored_as_a_jpeg():
    picture = Image.new("RGBA", (300, 200), (255, 0, 0, 0))
    out = io.BytesIO()
    picture.save(out, "PNG")
    cleaned = photos.clean_photo(SimpleUploadedFile("zrzut.png", out.getvalue(), "image/png"))
    assert Image.open(io.BytesIO(cleaned.image)).format == "JPEG"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("skan.pdf", b"%PDF-1.4\n", "skan.pdf nie jest zdjęciem (JPEG, PNG lub WebP)."),
        ("zly.jpg", b"\xff\xd8\xff\xe0broken", "zly.jpg nie jest zdjęciem (JPEG, PNG lub WebP)."),
        ("obraz.gif", b"GIF89a\x01\x00\x01\x00", "obraz.gif nie jest zdjęciem"),
    ],
)
def test_what_is_not_a_photo_is_refused(name, content, message):
    with pytest.raises(ValidationError) as caught:
        photos.clean_photo(SimpleUploadedFile(name, content))
    assert message in messages_of(caught.value)


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (9000, 7000)).save(out, "PNG")  # 63 megapixels in a few kilobytes
    with pytest.raises(ValidationError) as caught:
        photos.clean_photo(SimpleUploadedFile("bomba.png", out.getvalue(), "image/png"))
    assert "zdjęcie jest za duże (63 megapikseli)" in messages_of(caught.value)


def signature_url() -> str:
    picture = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(picture).line([(20, 150), (200, 40), (380, 160), (580, 60)], "black", 4)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_the_signature_drawn_on_the_phone_is_stored(officer_phone, planned):
    data = visit_data(
        planned.participant, planned=planned, signature=signature_url(), signed_by="Anna Nowak"
    )
    officer_phone.post(reverse("monitoring:visit_new", args=[planned.participant.pk]), data)
    visit = MonitoringVisit.objects.get(key=data["key"])
    assert visit.signed_by == "Anna Nowak"
    with visit.signature.open("rb") as handle:
        picture = Image.open(io.BytesIO(handle.read()))
    assert picture.format == "PNG" and picture.size == (600, 200)
    assert picture.getpixel((20, 150)) < 128 and picture.getpixel((590, 190)) == 255


@pytest.mark.parametrize(
    "data_url",
    [
        "data:image/jpeg;base64,/9j/4AAQ",
        "data:image/png;base64,%%%",
        "data:image/png;base64," + base64.b64encode(b"not a png").decode(),
    ],
)
def test_a_signature_that_is_not_a_drawing_is_refused(data_url):
    with pytest.raises(ValidationError) as caught:
        photos.clean_signature(data_url)
    assert caught.value.messages == ["Nie udało się odczytać podpisu: złóż go ponownie."]


def test_photos_are_served_to_those_who_may_see_the_visit(client_as):
    photo = VisitPhoto.objects.order_by("pk").first()
    address = reverse("monitoring:visit_photo", args=[photo.pk])
    response = client_as(roles.AUDITOR).get(address + "?size=thumb")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert client_as(roles.FINANCE).get(address).status_code == 403
    assert client_as(roles.COMMITTEE).get(address).status_code == 403
