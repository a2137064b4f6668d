"""Photos and the signature of a visit: checked by content, re-encoded without metadata.

A phone's photo carries EXIF: the GPS position of the household's home, the time, the device.
None of it is kept: the picture is decoded, turned upright (the EXIF orientation applied),
scaled down and encoded again as a plain JPEG with no EXIF, XMP or ICC block. Only the pixels
are stored, with a small thumbnail for the page and the printed protocol.
"""

import base64
import binascii
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_MAX_BYTES = 12 * 1024 * 1024  # a phone's camera makes 2-8 MB
PHOTO_MAX_PIXELS = 50_000_000  # refuse "decompression bombs" before decoding them
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


def _open(data: bytes, name: str) -> Image.Image:
    try:
        picture = Image.open(io.BytesIO(data))
        if picture.format not in ACCEPTED:
            raise UnidentifiedImageError
        if picture.width * picture.height > PHOTO_MAX_PIXELS:
            raise ValidationError(
                _("%(name)s: the picture is too large (%(pixels)d megapixels).")
                % {"name": name, "pixels": picture.width * picture.height // 1_000_000},
                code="too_large",
            )
        picture.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": name}, code="not_image"
        ) from None
    return picture


def _jpeg(picture: Image.Image, side: int, quality: int) -> tuple[bytes, int, int]:
    copy = picture.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    # A new image from the pixels alone: nothing of the original's info travels with it.
    clean = Image.new("RGB", copy.size)
    clean.paste(copy)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=quality, optimize=True, exif=b"")
    return out.getvalue(), clean.width, clean.height


def clean_photo(upload) -> CleanImage:
    """A photo from the phone: refused when it is not a picture or too large; otherwise upright,
    at most PHOTO_MAX_SIDE pixels, as a JPEG with no metadata, and its thumbnail."""
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
    picture = _open(data, name)
    picture = ImageOps.exif_transpose(picture)
    if picture.mode not in ("RGB", "L"):
        background = Image.new("RGB", picture.size, "white")
        rgba = picture.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        picture = background
    image, width, height = _jpeg(picture, PHOTO_MAX_SIDE, 82)
    thumbnail, _w, _h = _jpeg(picture, THUMB_SIDE, 70)
    return CleanImage(image, thumbnail, width, height)


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
