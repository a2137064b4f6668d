"""The one way to make a PDF: a Django template rendered by WeasyPrint, offline.

The URL fetcher serves the project's own static files and nothing else: no network, no
file:// outside static, no redirects (SECURITY.md, ASVS 1.3.6). Templates extend
print/base.html (A4, the programme's header, "Strona X z Y" footer, a bundled font), and user
data is escaped by the template engine exactly as in HTML pages.
"""

import logging
import mimetypes
from collections.abc import Callable, Iterable

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
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


def render_pdf_many(
    template_name: str,
    contexts: Iterable[dict],
    total: int,
    progress: Callable[[int, int], None] | None = None,
    language: str | None = None,
    fetcher: StaticOnlyFetcher | None = None,
) -> bytes:
    """One PDF made of many documents from one print template (all the agreements of a call,
    all the certificates of a group). Each document keeps its own page numbering ("Strona X
    z Y" counts its own pages); progress(done, total) is called after each one is laid out."""
    fetcher = fetcher or StaticOnlyFetcher()
    fonts = FontConfiguration()
    documents = []
    with translation.override(language or settings.LANGUAGE_CODE):
        for done, context in enumerate(contexts, start=1):
            html = render_to_string(template_name, context)
            document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
            documents.append(document.render(font_config=fonts))
            if progress:
                progress(done, total)
    if not documents:
        raise ValueError("No documents to print.")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
