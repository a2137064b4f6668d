"""Crawl every page of the demo as one role: the URL list of the role x URL matrix
(tests/url_samples.py), what each response says in plain text (PDF, XLSX and JSON included), the
log records it wrote and the personal-data access rows it left.

Used by the security tests (tests/core/test_crawl_*.py) and the accessibility crawler
(tests/browser/test_every_page.py). It knows no app: a new URL with a role-table entry and a
sample is crawled without any change here.
"""

import copy
import io
import json
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from logging.config import dictConfig

from django.conf import settings
from django.urls import reverse

from lebork_einclusion import gdpr, roles

from . import htmlforms
from .url_samples import SAMPLES, all_url_names

# Content types of files (downloads), as opposed to pages a person reads in the browser.
FILE_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats",
    "application/json",
    "application/zip",
    "text/csv",
    "text/plain",
    "application/octet-stream",
)
PAGE_TYPES = ("text/html",)


def urls_for(role: str | None) -> list[tuple[str, str]]:
    """(URL name, URL) of every page the role may open (GET), public pages included; anonymous
    (None) gets the public pages. Samples are built once per name."""
    found = []
    for name, _has_args in all_url_names():
        rule = roles.ACCESS[name]
        if not (rule.public or (role and role in rule.view)):
            continue
        found.append((name, reverse(name, kwargs=SAMPLES[name]() if name in SAMPLES else {})))
    return found


def demo_pesels() -> set[str]:
    """Every PESEL the database holds, from every model declared in the GDPR registry with a
    PESEL field (every app declares its own: lebork_einclusion/gdpr.py)."""
    found = set()
    for source in gdpr.sources():
        names = [name for name, kind in source.fields.items() if kind == gdpr.PESEL]
        for name in names:
            found |= set(
                source.model_class._default_manager.exclude(**{name: ""}).values_list(
                    name, flat=True
                )
            )
    return {value for value in found if value and value.isdigit() and len(value) == 11}


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text_of(content_type: str, body: bytes) -> str:
    """What a person reads in the response: the HTML source, the text of every PDF page, every
    cell of every sheet of an XLSX file, or the decoded text of anything else."""
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        if not body.startswith(b"%PDF"):
            return ""
        try:
            reader = PdfReader(io.BytesIO(body))
            return "\n".join(page.extract_text() or "" for page in reader.pages)
        except Exception:  # a stand-in scan of the samples (b"%PDF-1.4 test")
            return body.decode("latin-1")
    if content_type.startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells.extend(str(value) for value in row if value is not None)
        return "\n".join(cells)
    if content_type.startswith("application/json"):
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body.decode("utf-8", "replace")


@dataclass
class Fetched:
    name: str
    url: str
    status: int
    content_type: str
    text: str
    location: str = ""
    headers: dict = field(default_factory=dict)
    access_rows: list = field(default_factory=list)  # (view_name, object_type, object_id, kinds)

    @property
    def is_page(self) -> bool:
        return self.status == 200 and self.content_type.startswith(PAGE_TYPES)


@dataclass
class Crawl:
    role: str | None
    fetched: list[Fetched]
    records: list[logging.LogRecord]  # every record of every logger, before any filter
    output: str  # what the configured handlers wrote (their filters and formatter applied)

    def pages(self) -> list[Fetched]:
        return [f for f in self.fetched if f.is_page]


class _Keep(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        # A copy, as the record is before any handler's filter rewrites it in place.
        self.records.append(copy.copy(record))


@contextmanager
def captured_logs():
    """Every log record of every logger at DEBUG, through the handlers and filters of
    settings.LOGGING (their output goes to one buffer): yields (records, stream)."""
    stream = io.StringIO()
    config = {**settings.LOGGING}
    config["handlers"] = {
        name: {**handler, "class": "logging.StreamHandler", "stream": stream}
        for name, handler in settings.LOGGING["handlers"].items()
    }
    config["root"] = {**config["root"], "level": "DEBUG"}
    config["loggers"] = {
        name: {**logger, "level": "DEBUG"} for name, logger in config["loggers"].items()
    }
    dictConfig(config)
    keeper = _Keep()
    root = logging.getLogger()
    root.handlers.insert(0, keeper)  # first: it sees each record before the configured filters
    try:
        yield keeper.records, stream
    finally:
        root.removeHandler(keeper)
        dictConfig(settings.LOGGING)


def last_access_row() -> int:
    from lebork_einclusion.models import PersonalDataAccess

    return PersonalDataAccess.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def access_rows_since(last: int) -> list[tuple]:
    """(view_name, object_type, object_id, kinds) of the access rows written after `last`."""
    from lebork_einclusion.models import PersonalDataAccess

    return list(
        PersonalDataAccess.objects.filter(pk__gt=last)
        .order_by("pk")
        .values_list("view_name", "object_type", "object_id", "kinds")
    )


def fetch(client, name: str, url: str) -> Fetched:
    last = last_access_row()
    response = client.get(url)
    content_type = response.get("Content-Type", "")
    return Fetched(
        name=name,
        url=url,
        status=response.status_code,
        content_type=content_type,
        text=text_of(content_type, body_of(response)) if response.status_code == 200 else "",
        location=response.get("Location", ""),
        headers=dict(response.headers.items()),
        access_rows=access_rows_since(last),
    )


def crawl(client, role: str | None, urls=None) -> Crawl:
    """GET every URL with `client` (logged in as `role`), capturing every log record."""
    urls = urls if urls is not None else urls_for(role)
    with captured_logs() as (records, stream):
        fetched = [fetch(client, name, url) for name, url in urls]
    return Crawl(role=role, fetched=fetched, records=records, output=stream.getvalue())


# --- HTML: links and forms (tests/htmlforms.py, shared with the load test in bench/) ---------------

forms_of = htmlforms.forms_of
urls_in = htmlforms.urls_in
ELEVEN_DIGITS = re.compile(r"(?<!\d)\d{11}(?!\d)")
