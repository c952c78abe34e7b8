"""The renderer: WeasyPrint may read the project's static files and data: URIs and nothing else — no
network, no file system — and its output is tagged PDF/UA with a title and a language."""

import base64
import io
import socket
import subprocess
import urllib.request

import pytest
from pypdf import PdfReader

from scr_portal.documents.engine import FetchRefused, RestrictedFetcher, base_url, render_pdf

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Fetch test</title>
<link rel="stylesheet" href="css/print.css">
<link rel="stylesheet" href="https://example.com/evil.css">
<link rel="stylesheet" href="file:///etc/passwd">
<style>@import url("http://169.254.169.254/latest/meta-data/");
body { background: url(ftp://example.com/x.png) }</style>
</head><body>
<p>Visible text.</p>
<img src="https://example.com/tracker.png" alt="">
<img src="file:///etc/passwd" alt="">
<img src="/etc/passwd" alt="">
<img src="../../../../etc/passwd" alt="">
<img src="../../../../../../../../etc/hostname.png" alt="">
<object data="file:///etc/shadow"></object>
<iframe src="http://example.com/"></iframe>
<img src="data:image/png;base64,{png}" alt="A dot">
</body></html>"""
# A 1×1 transparent PNG.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d605a40000000049454e44ae426082"
    )
).decode()


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket or a URL fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def test_the_fetcher_serves_only_static_files_and_data_uris_and_fetches_nothing_else(no_network):
    fetcher = RestrictedFetcher()
    rendered = render_pdf(PAGE.replace("{png}", PNG), fetcher=fetcher)
    stylesheet, *fonts, image = fetcher.served
    assert (stylesheet, image) == (f"{base_url()}css/print.css", f"data:image/png;base64,{PNG}")
    # The project's own fonts (static/fonts), so a document lays out the same on every machine.
    assert fonts and all(font.startswith(f"{base_url()}fonts/LiberationSans-") for font in fonts), fonts
    refused = " ".join(fetcher.refused)
    for url in (
        "https://example.com/evil.css",
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/tracker.png",
        "ftp://example.com/x.png",
    ):
        assert url in refused
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.data)).pages)
    assert "Visible text." in text
    assert "root:" not in text and "/bin/" not in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.com/a.css",
        "http://documents.invalid/static/css/print.css",  # right host, wrong scheme
        "https://documents.invalid/etc/passwd",
        "https://documents.invalid/static/../../../../etc/passwd",
        "https://documents.invalid/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "https://documents.invalid/static/css/missing.css",
        "https://documents.invalid/static/js/init.mjs",  # not a type a document needs
        "https://evil.example/static/css/print.css",
    ],
)
def test_each_kind_of_url_outside_the_static_files_is_refused(url, no_network):
    with pytest.raises(FetchRefused):
        RestrictedFetcher()(url)


def test_a_static_stylesheet_is_served_from_the_project():
    result = RestrictedFetcher()(f"{base_url()}css/print.css")
    assert result["mime_type"] == "text/css"
    assert b"@page" in result["string"]


def test_output_is_tagged_pdf_ua_with_title_and_language(tmp_path):
    rendered = render_pdf(
        '<!DOCTYPE html><html lang="en-GB"><head><title>Tagged letter</title></head><body><h1>Heading</h1>'
        "<p>Body text.</p></body></html>"
    )
    path = tmp_path / "letter.pdf"
    path.write_bytes(rendered.data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "Title:           Tagged letter" in info
    reader = PdfReader(str(path))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])  # PDF/UA: the title, not the file name
    assert "/StructTreeRoot" in catalog
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()
