"""Photos and the signature of a visit: checked by content, re-encoded without metadata.

A phone's photo carries EXIF: the GPS position of the household's home, the time, the device.
None of it is kept: the picture is decoded, turned upright (the EXIF orientation applied),
scaled down and encoded again as a plain JPEG with no EXIF, XMP or ICC block. Only the pixels
are stored, with a small thumbnail for the page and the printed protocol.

Decoding is what costs memory (4 bytes a pixel and copies of it), not the upload: eight
7000x7000 PNGs of 140 kB each once took the server from 480 to 925 MB. So the size every photo
declares in its header is read first, without decoding: a photo over PHOTO_MAX_MEGAPIXELS is
refused, and so are photos of one visit that together would decode to more than
PHOTO_MAX_MEGAPIXELS_PER_VISIT. A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) that
still gives the stored size (`draft`), so a phone's 12-megapixel photo decodes to 3.
"""

import base64
import binascii
import io
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_MAX_BYTES = 12 * 1024 * 1024  # a phone's camera makes 2-8 MB
PHOTO_MAX_SIDE = 1600  # stored size: enough to read a serial plate
THUMB_SIDE = 320
PHOTOS_PER_VISIT = 8
SIGNATURE_MAX_BYTES = 512 * 1024
ACCEPTED = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CleanImage:
    image: bytes  # JPEG, no metadata
    thumbnail: bytes  # JPEG, no metadata
    width: int
    height: int


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f}".replace(".", ",")


_NOT_A_PHOTO = (UnidentifiedImageError, OSError, SyntaxError, ValueError)


def _not_a_photo(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": name}, code="not_image"
    )


@dataclass
class _Opened:
    """A photo whose header has been read, not yet decoded."""

    name: str
    picture: Image.Image

    @property
    def pixels(self) -> int:
        """What decoding it will make: the JPEG's reduced scale, the full size otherwise."""
        return self.picture.width * self.picture.height


def _draft_size(width: int, height: int) -> tuple[int, int] | None:
    """The smallest size a JPEG may be decoded at and still give PHOTO_MAX_SIDE on its longer
    side (draft() then picks the largest of 1/8, 1/4, 1/2 that keeps at least this)."""
    longer = max(width, height)
    if longer <= PHOTO_MAX_SIDE:
        return None
    ratio = PHOTO_MAX_SIDE / longer
    return max(1, math.ceil(width * ratio)), max(1, math.ceil(height * ratio))


def _open(upload) -> _Opened:
    """Read the upload and its header only: refused when it is not a picture, too many bytes or
    declares more than PHOTO_MAX_MEGAPIXELS. Nothing is decoded here."""
    name = getattr(upload, "name", "") or _("The photo")
    size = getattr(upload, "size", None)
    if size is not None and size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(PHOTO_MAX_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is too large; the limit is %(limit)s MB.")
            % {"name": name, "limit": _megabytes(PHOTO_MAX_BYTES)},
            code="too_large",
        )
    try:
        picture = Image.open(io.BytesIO(data))  # the header only: nothing is decoded yet
        if picture.format not in ACCEPTED:
            raise UnidentifiedImageError
    except (*_NOT_A_PHOTO, Image.DecompressionBombError):
        raise _not_a_photo(name) from None
    pixels = picture.width * picture.height
    if pixels > settings.PHOTO_MAX_MEGAPIXELS * 1_000_000:
        raise ValidationError(
            _("%(name)s: the picture is too large (%(pixels)d megapixels).")
            % {"name": name, "pixels": pixels // 1_000_000},
            code="too_large",
        )
    if picture.format == "JPEG":
        size = _draft_size(picture.width, picture.height)
        if size:
            picture.draft(picture.mode, size)  # decoded at 1/2, 1/4 or 1/8 of the size
    return _Opened(name, picture)


def _jpeg(picture: Image.Image, side: int, quality: int) -> tuple[bytes, int, int]:
    copy = picture.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    # A new image from the pixels alone: nothing of the original's info travels with it.
    clean = Image.new("RGB", copy.size)
    clean.paste(copy)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=quality, optimize=True, exif=b"")
    return out.getvalue(), clean.width, clean.height


def _decode(opened: _Opened) -> CleanImage:
    picture, opened.picture = opened.picture, None  # the decoded pixels die with this call
    try:
        picture.load()
    except (*_NOT_A_PHOTO, Image.DecompressionBombError):
        raise _not_a_photo(opened.name) from None
    # Down to the stored size in place first (a square box: turning it upright afterwards
    # gives the same size), so every copy below is of the small picture.
    picture.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    picture = ImageOps.exif_transpose(picture)
    if picture.mode not in ("RGB", "L"):
        background = Image.new("RGB", picture.size, "white")
        rgba = picture.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        picture = background
    image, width, height = _jpeg(picture, PHOTO_MAX_SIDE, 82)
    thumbnail, _w, _h = _jpeg(picture, THUMB_SIDE, 70)
    return CleanImage(image, thumbnail, width, height)


def clean_photo(upload) -> CleanImage:
    """A photo from the phone: refused when it is not a picture or too large; otherwise upright,
    at most PHOTO_MAX_SIDE pixels, as a JPEG with no metadata, and its thumbnail."""
    return _decode(_open(upload))


def clean_photos(uploads) -> list[CleanImage]:
    """The photos of one visit, as clean_photo makes them; every header is read before any is
    decoded, and together they may decode to PHOTO_MAX_MEGAPIXELS_PER_VISIT at most. Refused:
    ValidationError with one message per photo refused (nothing is decoded then)."""
    opened, errors = [], []
    for upload in uploads:
        try:
            opened.append(_open(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    total = sum(o.pixels for o in opened)
    limit = settings.PHOTO_MAX_MEGAPIXELS_PER_VISIT * 1_000_000
    if total > limit:
        errors.append(
            _(
                "The photos together are too large (%(pixels)d megapixels; a visit may have "
                "%(limit)d). Send fewer photos or smaller ones."
            )
            % {"pixels": math.ceil(total / 1_000_000), "limit": limit // 1_000_000}
        )
    if errors:
        raise ValidationError(errors)
    cleaned = []
    for item in opened:
        try:
            cleaned.append(_decode(item))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_signature(data_url: str) -> bytes | None:
    """The signature drawn on the phone's screen, sent as a PNG data URL: checked and encoded
    again as a small PNG (black on white). Empty: None."""
    data_url = (data_url or "").strip()
    if not data_url:
        return None
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ValidationError(_("The signature could not be read: draw it again."))
    try:
        raw = base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(_("The signature could not be read: draw it again.")) from None
    if len(raw) > SIGNATURE_MAX_BYTES:
        raise ValidationError(_("The signature is too large: clear it and draw it again."))
    try:
        picture = Image.open(io.BytesIO(raw))
        if picture.format != "PNG" or picture.width > 2000 or picture.height > 1000:
            raise UnidentifiedImageError
        picture.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The signature could not be read: draw it again.")) from None
    rgba = picture.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    flat.convert("L").save(out, "PNG", optimize=True)
    return out.getvalue()
