"""Papers archived as signed: the exact PDF of a paper at the moment it became binding, stored
once (with its SHA-256, the moment and who), served byte for byte ever after.

Every app's PDF view answers through `paper_response(request, obj, kind, render, filename,
binding=...)`:

- an archived paper is served from its stored file, never rendered again (a later change of
  an address or a name cannot alter what was signed);
- a binding paper not archived yet (signed before archiving existed, or while the demo was
  loading) is rendered once, stored and served from the store;
- a draft is rendered live with "PROJEKT" across every page (`draft` in the print context,
  the watermark of print/base.html) and stored nowhere.

The services call `store_on_commit(obj, kind, render, actor=...)` at the moment a paper becomes
binding; the PDF is made after the commit (it prints the committed state; a rolled-back
signature stores nothing), and `store` keeps the first file if two arrive.

`render(draft: bool) -> bytes` renders the paper; `kind` names it ("lending.agreement").
"""

import contextlib
import contextvars
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from . import clock
from .models import ArchivedPaper
from .pdf import pdf_response
from .records import locked, service
from .uploads import SCAN_KINDS, delete_on_commit, validate_upload

_suspended = contextvars.ContextVar("archive_suspended", default=False)


@contextlib.contextmanager
def suspended():
    """Store nothing at binding moments (loading the demo: hundreds of papers nobody opens);
    such papers are archived on their first opening instead (paper_response)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def find(obj, kind: str) -> ArchivedPaper | None:
    return ArchivedPaper.objects.filter(
        kind=kind, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).first()


def found_for(objects, kind: str) -> dict[int, ArchivedPaper]:
    """The archived papers of `kind` of several records of one model, by the record's pk (one
    query: for batches that copy a paper already archived instead of rendering it again)."""
    objects = list(objects)
    if not objects:
        return {}
    papers = ArchivedPaper.objects.filter(
        kind=kind,
        content_type=ContentType.objects.get_for_model(objects[0]),
        object_id__in=[obj.pk for obj in objects],
    )
    return {paper.object_id: paper for paper in papers}


def papers_of(obj) -> list[ArchivedPaper]:
    """Every archived paper of a record, oldest first, each with its `label`."""
    papers = list(
        ArchivedPaper.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).order_by("archived_at", "pk")
    )
    for paper in papers:
        paper.label = label_of(paper.kind)
    return papers


def store(obj, kind: str, render, *, actor) -> ArchivedPaper:
    """Archive the paper as it is now, once: an archived paper is returned unchanged."""
    existing = find(obj, kind)
    if existing is not None:
        return existing
    content = render(False)
    paper = ArchivedPaper(
        kind=kind,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        sha256=sha256_of(content),
        archived_at=clock.now(),
        archived_by=actor if getattr(actor, "pk", None) else None,
    )
    paper.file.save("paper.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            paper.save()
    except IntegrityError:
        # Someone archived it at the same moment: theirs is the paper; drop our copy.
        paper.file.storage.delete(paper.file.name)
        return find(obj, kind)
    return paper


def store_on_commit(obj, kind: str, render, *, actor) -> None:
    """Archive the paper once the binding step has committed (see the module's doc)."""
    if _suspended.get():
        return
    transaction.on_commit(lambda: store(obj, kind, render, actor=actor))


def enqueue_on_commit(task, *args) -> None:
    """Queue a background task that archives a batch of papers once the binding step has
    committed (the request renders none of them; a rolled-back step queues nothing); nothing
    while archiving is suspended. A queue that fails is logged and does not fail the committed
    step: its papers are then stored on their first opening."""
    if _suspended.get():
        return
    transaction.on_commit(lambda: task.enqueue(*args), robust=True)


def stored_bytes(paper: ArchivedPaper) -> bytes:
    with paper.file.open("rb") as handle:
        return handle.read()


def paper_response(request, obj, kind: str, render, filename: str, *, binding: bool):
    """The paper's PDF: the archived file when there is one (or when it is binding: archived
    now), else a live draft marked "PROJEKT"."""
    paper = find(obj, kind)
    if paper is None and binding:
        paper = store(obj, kind, render, actor=request.user)
    if paper is None:
        return pdf_response(render(True), filename)
    response = pdf_response(stored_bytes(paper), filename)
    response["X-Content-SHA256"] = paper.sha256
    return response


@service
def do_attach_scan(paper: ArchivedPaper, upload, *, actor) -> ArchivedPaper:
    """The scan of the signed paper, beside the archived PDF (checked by its content)."""
    paper = locked(paper)
    try:
        validate_upload(upload, SCAN_KINDS)
    except ValidationError as error:
        raise ValidationError({"scan": error.messages}) from None
    if paper.scan:
        delete_on_commit(paper.scan)
    paper.scan.save(upload.name, upload, save=False)
    paper.scan_uploaded_at, paper.scan_uploaded_by = clock.now(), actor
    paper.save(update_fields=["scan", "scan_uploaded_at", "scan_uploaded_by"])
    return paper


# The papers of the apps above the core that need no label of their own (an app may register
# its kinds with register_kind instead).
_LABELS: dict[str, str] = {
    "recruitment.protocol": gettext_lazy("committee protocol"),
    "recruitment.letters": gettext_lazy("letters to the applicants"),
    "monitoring.visit": gettext_lazy("monitoring visit protocol"),
    "training.certificate": gettext_lazy("training certificate"),
}


def register_kind(kind: str, label) -> str:
    """Name a kind of paper for the screens (each app registers its own)."""
    _LABELS[kind] = label
    return kind


def label_of(kind: str) -> str:
    return str(_LABELS.get(kind, kind))
