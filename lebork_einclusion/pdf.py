"""The one way to make a PDF: a Django template rendered by WeasyPrint, offline.

The URL fetcher serves the project's own static files and nothing else: no network, no
file:// outside static, no redirects (SECURITY.md, ASVS 1.3.6). Templates extend
print/base.html (A4, the programme's header, "Strona X z Y" footer, a bundled font), and user
data is escaped by the template engine exactly as in HTML pages.
"""

import logging
import mimetypes
import multiprocessing
import os
import pickle
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connections
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfWriter
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger("einclusion.pdf")

# Relative URLs in print templates resolve against this base; it never reaches a network.
BASE_URL = "https://print.einclusion.invalid/"
_STATIC_PREFIX = BASE_URL.rstrip("/") + settings.STATIC_URL


class StaticOnlyFetcher(URLFetcher):
    """Answers /static/... from the project's static files; refuses every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith(_STATIC_PREFIX):
            relative = url[len(_STATIC_PREFIX) :].split("?")[0].split("#")[0]
            path = finders.find(relative) if ".." not in relative else None
            if path:
                self.served.append(relative)
                content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                with open(path, "rb") as handle:
                    return URLFetcherResponse(url, handle.read(), {"Content-Type": content_type})
        self.refused.append(url)
        logger.warning("PDF rendering refused to fetch a resource outside static files")
        raise ValueError("Only the project's static files may be used in a PDF.")


def html_to_pdf(html: str, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    fetcher = fetcher or StaticOnlyFetcher()
    # A FontConfiguration makes WeasyPrint use the bundled @font-face fonts (static/fonts).
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(font_config=FontConfiguration())


def render_pdf(
    template_name: str,
    context: dict,
    fetcher: StaticOnlyFetcher | None = None,
    language: str | None = None,
) -> bytes:
    """Render a print template (extending print/base.html) to PDF bytes.

    Papers are printed in the office's language (Polish) whatever the user's screen language,
    unless a language is asked for.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return html_to_pdf(html, fetcher=fetcher)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class EmptyBatch(ValueError):
    """A batch with no document: there is nothing to print (and no empty file is made)."""

    def __init__(self):
        super().__init__(_("There is nothing to print: the list of documents is empty."))


class BatchInterrupted(RuntimeError):
    """A worker process died in the middle of a batch (killed, out of memory)."""

    def __init__(self):
        super().__init__(
            _(
                "A process making the papers stopped before the end. The documents made so far "
                "are kept: try again and only the rest will be made."
            )
        )


def render_pdf_many(
    template_name: str,
    contexts: Iterable[dict],
    total: int,
    progress: Callable[..., None] | None = None,
    language: str | None = None,
    fetcher: StaticOnlyFetcher | None = None,
) -> bytes:
    """One PDF made of many documents from one print template (all the agreements of a call,
    all the certificates of a group), as bytes: render_pdf_files() in a scratch folder. Each
    document keeps its own page numbering ("Strona X z Y" counts its own pages)."""
    with tempfile.TemporaryDirectory(prefix="pdf-batch-") as folder:
        path = render_pdf_files(
            template_name,
            ((str(index), context) for index, context in enumerate(contexts)),
            total,
            Path(folder),
            progress=progress,
            language=language,
            fetcher=fetcher,
        )
        return path.read_bytes()


def _refuse_queries(execute, sql, params, many, context):
    raise RuntimeError("A PDF worker process renders prepared HTML: it never queries.")


# In a PDF worker process: one font configuration and one image cache for every document it
# lays out, so the bundled fonts are registered and the programme's logos decoded once per
# worker, not once per document (a tenth of each agreement's layout time). Only documents
# drawing on static files alone share the image cache: one that brings its own files (a
# visit's photos, a scanned sheet) gets a cache of its own, so no document can ever be
# given another's picture.
_worker_fonts: FontConfiguration | None = None
_worker_images: dict | None = None


def _start_worker(scratch: str | None = None) -> None:
    """In each forked worker: a guard on the parent's database connections, which are not
    this process's to use (a query here would share the parent's socket); the worker's fonts
    and image cache. WeasyPrint copies the fonts into a temporary folder it removes only when
    the configuration is collected, which a pool's worker never is: the copies go to the
    pool's scratch folder, which the parent removes."""
    global _worker_fonts, _worker_images
    for wrapper in connections.all(initialized_only=True):
        wrapper.execute_wrappers.append(_refuse_queries)
    if scratch:
        tempfile.tempdir = scratch
    _worker_fonts = FontConfiguration()
    _worker_images = {}


def _render_part(html: str, path: str, fetcher: StaticOnlyFetcher | None = None) -> None:
    """Lay out one document and write it to its own file (under a temporary name first: a
    process killed while writing leaves no part that looks finished)."""
    scratch = path + ".tmp"
    shared = _worker_images is not None and (fetcher is None or type(fetcher) is StaticOnlyFetcher)
    images = _worker_images if shared else {}
    document = weasyprint.HTML(
        string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticOnlyFetcher()
    )
    document.write_pdf(scratch, font_config=_worker_fonts or FontConfiguration(), cache=images)
    os.replace(scratch, path)


def _render_part_pickled(html: str, path: str, fetcher: bytes | None) -> None:
    """_render_part with the fetcher as pickled in the parent when the document was sent: the
    parent goes on adding the next documents' files to the same fetcher while the pool's
    feeder thread sends this one, so the fetcher must not be pickled there."""
    _render_part(html, path, pickle.loads(fetcher) if fetcher else None)  # noqa: S301 - ours


_warm = False


def _warm_up() -> None:
    """WeasyPrint's first layout in a process sets up fontconfig, Pango and the user-agent
    style sheets (a good part of a second); done once in the parent, the forked workers
    inherit it instead of each paying for it."""
    global _warm
    if not _warm:
        weasyprint.HTML(string="<p>.</p>", url_fetcher=StaticOnlyFetcher()).render()
        _warm = True


_KEY = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")


def render_pdf_files(
    template_name: str,
    documents: Iterable[tuple[str, dict | Path]],
    total: int,
    folder: Path,
    progress: Callable[..., None] | None = None,
    language: str | None = None,
    fetcher: StaticOnlyFetcher | None = None,
    workers: int | None = None,
) -> Path:
    """Many documents in one PDF file on disk, made by a pool of worker processes
    (EINCLUSION_PDF_WORKERS, one per core by default) and never all in memory.

    `documents` are (key, what) pairs in the order of the file: `what` is the context of the
    print template, or the Path of a PDF already made (a paper archived as signed: copied as
    it is, not rendered again). Each document becomes its own file `folder/<key>.pdf` as soon
    as it is laid out; a document whose file is already there (a job started again after its
    worker died) is not made again. The parts are joined into `folder/joined.pdf` in order,
    each as soon as it and those before it are made (the parent appends while the workers lay
    out the rest, instead of waiting idle and joining everything at the end).
    progress(done, total) counts the documents made, then progress(done, total, "joining")
    the parts joined. The HTML is rendered here, in the process that reads the database; the
    workers only lay it out (they never query: a forked child must not use its parent's
    connection)."""
    workers = workers or settings.EINCLUSION_PDF_WORKERS
    folder.mkdir(parents=True, exist_ok=True)
    fetcher = fetcher or StaticOnlyFetcher()
    parts: list[Path] = []
    done = 0
    pool = None
    running: set = set()
    writer = PdfWriter()
    appended = 0

    def append_ready() -> None:
        nonlocal appended
        while appended < len(parts) and parts[appended].exists():
            writer.append(str(parts[appended]))  # with its outline: headings stay bookmarks
            appended += 1

    def finished(futures) -> None:
        nonlocal done
        for future in futures:
            running.discard(future)
            try:
                future.result()
            except BrokenProcessPool as error:
                raise BatchInterrupted() from error
            done += 1
            if progress:
                progress(done, total)
        append_ready()

    try:
        with translation.override(language or settings.LANGUAGE_CODE):
            for key, what in documents:
                append_ready()
                if not _KEY.match(key):
                    raise ValueError(f"Not a key for a file: {key!r}")
                part = folder / f"{key}.pdf"
                parts.append(part)
                if part.exists():
                    done += 1
                    if progress:
                        progress(done, total)
                    continue
                if isinstance(what, Path):
                    shutil.copyfile(what, part.with_suffix(".tmp"))
                    os.replace(part.with_suffix(".tmp"), part)
                    done += 1
                    if progress:
                        progress(done, total)
                    continue
                html = render_to_string(template_name, what)
                if workers == 1:
                    _render_part(html, str(part), fetcher)
                    done += 1
                    if progress:
                        progress(done, total)
                    continue
                if pool is None:
                    _warm_up()  # before the fork: every worker starts warm
                    fonts_folder = tempfile.mkdtemp(prefix="pdf-fonts-")
                    pool = ProcessPoolExecutor(
                        max_workers=workers,
                        mp_context=multiprocessing.get_context("fork"),
                        initializer=_start_worker,
                        initargs=(fonts_folder,),
                    )
                # A few documents ahead of the workers, not the whole batch: the HTML waiting
                # in memory stays bounded.
                while len(running) >= 2 * workers:
                    finished(wait(running, return_when=FIRST_COMPLETED).done)
                # The project's fetcher is made again in the worker; one that knows files of
                # its own (monitoring's photos) goes with each document (their names, not
                # their content: the worker reads them).
                own = None if type(fetcher) is StaticOnlyFetcher else pickle.dumps(fetcher)
                running.add(pool.submit(_render_part_pickled, html, str(part), own))
        while running:
            finished(wait(running, return_when=FIRST_COMPLETED).done)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            shutil.rmtree(fonts_folder, ignore_errors=True)
    if not parts:
        raise EmptyBatch()
    return join_pdfs(parts, folder / "joined.pdf", progress, writer=writer, appended=appended)


def join_pdfs(
    parts: list[Path], target: Path, progress=None, *, writer: PdfWriter | None = None, appended=0
) -> Path:
    """The parts one after the other in one file (pypdf), written under a temporary name and
    renamed when complete: a half-written file is never taken for the result. `writer` may
    hold the first `appended` parts already."""
    writer = writer or PdfWriter()
    for index, part in enumerate(parts, start=1):
        if index > appended:
            writer.append(str(part))  # with its outline: the papers' headings stay bookmarks
        if progress:
            progress(index, len(parts), JOINING)
    scratch = target.with_suffix(".tmp")
    with open(scratch, "wb") as handle:
        writer.write(handle)
    os.replace(scratch, target)
    return target


# The stage reported to progress() while the parts are joined.
JOINING = "joining"
