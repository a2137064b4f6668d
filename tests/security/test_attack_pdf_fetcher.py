"""Standing attack: server-side requests through the PDF renderer (issue 12).

WeasyPrint fetches every URL a document names: images, stylesheets, @import, fonts, objects.
The project's fetcher (lebork_einclusion/pdf.py, StaticOnlyFetcher) serves its own static files
and refuses everything else. Each payload of a manual attack is put in every place of a document
that makes WeasyPrint fetch: nothing is served, every attempt is refused, and no socket is opened
nor any host name looked up while rendering.
"""

import socket

import pytest

from lebork_einclusion.pdf import StaticOnlyFetcher, html_to_pdf

HUGE_DATA = "data:image/png;base64," + "iVBORw0KGgo" * 800_000  # about 8.8 MB

PAYLOADS = {
    "file-passwd": "file:///etc/passwd",
    "file-environ": "file:///proc/self/environ",
    "file-settings": "file:///work/lebork_einclusion/settings.py",
    "loopback": "http://127.0.0.1:8000/admin/",
    "localhost-https": "https://localhost/",
    "loopback-ipv6": "http://[::1]/",
    "loopback-hex": "http://0x7f000001/",
    "cloud-metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "outside-host": "https://evil.example/x.png",
    "protocol-relative": "//evil.example/x.png",
    "data-css": "data:text/css,body{background:url(http://169.254.169.254/)}",
    "data-huge": HUGE_DATA,
    "gopher": "gopher://127.0.0.1:6379/_FLUSHALL",
    "ftp": "ftp://127.0.0.1/secret.txt",
    "relative-escape": "static/../../../etc/passwd",
    "absolute-escape": "/static/../../lebork_einclusion/settings.py",
    "encoded-escape": "/static/%2e%2e/%2e%2e/etc/passwd",
    "print-host-escape": "https://print.einclusion.invalid/static/../../manage.py",
    "lookalike-host": "https://print.einclusion.invalid.evil.example/static/css/print.css",
    "unc-path": "\\\\evil.example\\share\\x.png",
}


def _document(url: str) -> str:
    """Every place of an HTML document that makes WeasyPrint fetch a URL."""
    return (
        f'<html><head><link rel="stylesheet" href="{url}">'
        f'<style>@import url("{url}"); @font-face {{ font-family: X; src: url("{url}"); }}'
        f'body {{ background-image: url("{url}"); font-family: X; }}'
        f'li {{ list-style-image: url("{url}"); }}</style></head>'
        f'<body><img src="{url}"><object data="{url}"></object><embed src="{url}">'
        f"<ul><li>x</li></ul><p>tekst</p></body></html>"
    )


@pytest.fixture
def no_network(monkeypatch):
    """Records (and blocks) every connection and every name lookup."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network used while rendering a PDF")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


@pytest.mark.parametrize("url", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_the_pdf_fetcher_serves_nothing_but_static_files(no_network, url):
    fetcher = StaticOnlyFetcher()
    pdf = html_to_pdf(_document(url), fetcher)
    assert pdf.startswith(b"%PDF-")
    assert fetcher.served == []
    assert fetcher.refused, "WeasyPrint fetched the payload without the project's fetcher"
    assert no_network == []


def test_the_static_files_themselves_are_still_served(no_network):
    fetcher = StaticOnlyFetcher()
    html_to_pdf('<link rel="stylesheet" href="/static/css/print.css"><p>tekst</p>', fetcher)
    assert "css/print.css" in fetcher.served
    assert fetcher.refused == []
    assert no_network == []
