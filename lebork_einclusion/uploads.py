"""Uploaded files (scans of documents, photos, attachments): checked by content, stored under
random names outside static, served only through permission-checked views (SECURITY.md).

The uploader's file name counts for nothing: a file is stored with the extension of the type its
content shows (a PDF named `skan.hta` is stored as `.pdf`) and served as that type only, judged
again from its content when it is served, always as an attachment that the browser must not
sniff. SVG and HTML are never among the accepted types.
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Kind -> (label, magic bytes at the start of the file, extension used for storage).
KINDS = {
    "pdf": ("PDF", (b"%PDF-",), ".pdf"),
    "jpeg": ("JPEG", (b"\xff\xd8\xff",), ".jpg"),
    "png": ("PNG", (b"\x89PNG\r\n\x1a\n",), ".png"),
    "xlsx": ("XLSX", (b"PK\x03\x04",), ".xlsx"),
}
SCAN_KINDS = ("pdf", "jpeg", "png")
# The only types a stored file is ever served as; anything else goes out as opaque bytes.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UNKNOWN_TYPE = ("application/octet-stream", ".bin")
STORED_EXTENSIONS = frozenset(ext for _label, _magics, ext in KINDS.values())


def kind_of(head: bytes) -> str | None:
    """The kind of a file judged by its first bytes, or None."""
    for kind, (_label, magics, _ext) in KINDS.items():
        if any(head.startswith(magic) for magic in magics):
            return kind
    return None


def sniff(upload) -> str | None:
    """The kind of an uploaded file judged by its first bytes, or None."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    return kind_of(head)


def validate_upload(upload, kinds=SCAN_KINDS, max_bytes: int | None = None) -> str:
    """Refuse a file of another type (by content, not name) or over the size limit."""
    max_bytes = max_bytes or settings.SCAN_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
            code="too_large",
            params={
                "size": f"{upload.size / 1_048_576:.1f}",
                "limit": f"{max_bytes / 1_048_576:.0f}",
            },
        )
    kind = sniff(upload)
    if kind not in kinds:
        raise ValidationError(
            _("This file type is not allowed. Allowed: %(kinds)s."),
            code="wrong_type",
            params={"kinds": ", ".join(KINDS[k][0] for k in kinds)},
        )
    # Stored under the type its content shows, never under the extension the uploader chose.
    upload.name = f"upload{KINDS[kind][2]}"
    return kind


@deconstructible
class PrivatePath:
    """upload_to for private files: a random name under a folder, nothing personal in it."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename):
        # Only the extensions of the accepted types; anything else is stored as opaque bytes
        # (validate_upload has already renamed an upload after its content).
        extension = os.path.splitext(filename)[1].lower()
        extension = {".jpeg": ".jpg"}.get(extension, extension)
        if extension not in STORED_EXTENSIONS:
            extension = UNKNOWN_TYPE[1]
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, PrivatePath) and other.folder == self.folder


def file_response(field_file, download_stem: str) -> FileResponse:
    """Serve a stored private file as an attachment that the browser must not sniff or cache.

    The type is judged again from the content (whatever the stored name says): the response's
    Content-Type and the download name's extension are those of the detected type, or
    application/octet-stream and `.bin` for anything else. `download_stem` is the name
    without an extension. Every view serving a FileField answers through here."""
    handle = field_file.open("rb")
    head = handle.read(16)
    handle.seek(0)
    kind = kind_of(head)
    if kind is None:
        content_type, extension = UNKNOWN_TYPE
    else:
        content_type, extension = CONTENT_TYPES[kind], KINDS[kind][2]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{download_stem}{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def delete_on_commit(*files) -> None:
    """Delete stored files once the transaction commits: a rolled-back write keeps them.

    Removing a file is not transactional; deleting it at once would leave a row naming a file
    that no longer exists whenever the write fails later (or a test rolls back)."""
    stored = [(f.storage, f.name) for f in files if f]

    def delete():
        for storage, name in stored:
            storage.delete(name)

    transaction.on_commit(delete)
