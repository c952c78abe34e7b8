"""HTML to PDF with WeasyPrint, locked down.

The URL fetcher reads only this project's own static files (found by the staticfiles finders, so the
same CSS the site serves) and `data:` URIs. Anything else — http(s), file:///etc/passwd, a path that
climbs out of the static folders, another scheme — is refused and recorded, and WeasyPrint leaves the
resource out. Case data cannot reach the network or the file system through a document.

Output is tagged PDF/UA-1 (WeasyPrint's `pdf/ua-1` variant), with the language from `<html lang>` and the
title from `<title>`, so screen readers can read the letters the board sends."""

from __future__ import annotations

import base64
import contextlib
import gc
import io
import logging
import mimetypes
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

logger = logging.getLogger(__name__)

# Documents resolve relative URLs against this base; only its static path is served by the fetcher.
BASE_HOST = "documents.invalid"
PDF_VARIANT = "pdf/ua-1"
MAX_RESOURCE_BYTES = 5 * 1024 * 1024
ALLOWED_STATIC_SUFFIXES = frozenset(
    {".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".woff", ".woff2", ".ttf"}
)


class FetchRefused(ValueError):
    pass


def base_url() -> str:
    return f"https://{BASE_HOST}{settings.STATIC_URL}"


@dataclass
class RestrictedFetcher:
    """A WeasyPrint url_fetcher that serves static files and data: URIs, and refuses everything else.
    `refused` lists what a document asked for and did not get (the tests read it)."""

    refused: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)

    def __call__(self, url: str, timeout=10, ssl_context=None, http_headers=None) -> dict:
        try:
            result = self._fetch(url)
        except FetchRefused as refusal:
            self.refused.append(url)
            logger.warning("Document asked for a resource it may not have: %s (%s)", url[:200], refusal)
            raise
        self.served.append(url)
        return result

    def _fetch(self, url: str) -> dict:
        if url.startswith("data:"):
            return _data_uri(url)
        parsed = urllib.parse.urlsplit(url)
        static_prefix = settings.STATIC_URL
        if (
            parsed.scheme != "https"
            or parsed.netloc != BASE_HOST
            or not parsed.path.startswith(static_prefix)
        ):
            raise FetchRefused("only the portal's static files may be used in documents")
        relative = urllib.parse.unquote(parsed.path[len(static_prefix) :])
        if not relative or "\x00" in relative or Path(relative).suffix.lower() not in ALLOWED_STATIC_SUFFIXES:
            raise FetchRefused("not a static file a document may use")
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            raise FetchRefused("path outside the static folders") from None
        if not found:
            raise FetchRefused("no such static file")
        path = Path(found).resolve()
        if not any(path.is_relative_to(Path(root).resolve()) for root in _static_roots()):
            raise FetchRefused("path outside the static folders")
        data = path.read_bytes()
        if len(data) > MAX_RESOURCE_BYTES:
            raise FetchRefused("resource too large")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return {"string": data, "mime_type": mime_type, "redirected_url": url}


def _static_roots() -> list[str]:
    roots = [str(root if isinstance(root, str | Path) else root[1]) for root in settings.STATICFILES_DIRS]
    roots.extend(str(Path(app_static)) for app_static in _app_static_dirs())
    return roots


def _app_static_dirs() -> list[Path]:
    from django.apps import apps

    return [Path(config.path) / "static" for config in apps.get_app_configs()]


def _data_uri(url: str) -> dict:
    header, _, payload = url[5:].partition(",")
    if len(payload) > MAX_RESOURCE_BYTES * 2:
        raise FetchRefused("resource too large")
    parts = header.split(";")
    mime_type = parts[0] or "text/plain"
    if ";base64" in f";{header}":
        try:
            data = base64.b64decode(payload, validate=False)
        except ValueError:
            raise FetchRefused("unreadable data URI") from None
    else:
        data = urllib.parse.unquote_to_bytes(payload)
    return {"string": data, "mime_type": mime_type, "redirected_url": url}


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    seconds: float
    refused: tuple[str, ...]


@contextlib.contextmanager
def cyclic_gc_paused():
    """Pause Python's cyclic garbage collector for one render. WeasyPrint builds hundreds of thousands of
    long-lived objects (boxes, styles, line boxes), and the collector kept walking them: a quarter of the
    time of a 500-row chronology went on collections that freed nothing (docs/benchmarks.md). Reference
    counting still frees everything that is not a cycle, and peak memory measured the same; the cycles
    left are collected as usual once the collector runs again.

    Drop the layout inside the block. The collector's first run afterwards is a young-generation one: with
    the layout gone it frees the layout's cycles in one pass (about 0.25 s for 500 rows), whereas a layout
    still referenced is walked whole, survives into an older generation, and is freed by a later, costlier
    collection (0.15 s every render and another second every third or so)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _layout(html: str, fetcher: RestrictedFetcher):
    from weasyprint import HTML  # imported here: it is heavy, and only workers and commands render

    return HTML(string=html, base_url=base_url(), url_fetcher=fetcher).render(pdf_tags=True)


def render_pdf(html: str, *, fetcher: RestrictedFetcher | None = None) -> RenderedPdf:
    """Render a complete HTML document (with <html lang> and <title>) to tagged PDF/UA-1."""
    fetcher = fetcher or RestrictedFetcher()
    started = time.perf_counter()
    output = io.BytesIO()
    with cyclic_gc_paused():
        document = _layout(html, fetcher)
        document.write_pdf(output, pdf_variant=PDF_VARIANT)
        pages = len(document.pages)
        del document  # before the collector runs again (cyclic_gc_paused)
    return RenderedPdf(
        data=output.getvalue(),
        pages=pages,
        seconds=time.perf_counter() - started,
        refused=tuple(fetcher.refused),
    )


def _numbered(html: str, first_page: int, total: int) -> str:
    """The part's pages numbered as pages of the whole document: WeasyPrint's `counter(pages)` counts only
    this part's, so the total is written in, and the first page's counter starts after the parts before.
    """
    style = (
        f"<style>@page :first {{ counter-increment: page {first_page}; }} "
        f'@page {{ @bottom-right {{ content: "Page " counter(page) " of {total}"; }} }}</style>'
    )
    return html.replace("</head>", f"{style}</head>", 1)


def render_pdf_parts(part_html: Callable[[int], str], parts: int) -> RenderedPdf:
    """Render a long document part by part and join the parts into one tagged PDF, so memory is bounded
    by the largest part, not the whole document (a 3,000-row chronology laid out at once took about a
    gigabyte). `part_html(index)` is the complete HTML of one part. A first pass lays each part out only to
    count its pages (the footer's "Page X of Y" needs the total before the first part is drawn); the
    second lays it out again with its page numbers and draws it. Each part's layout is dropped before the
    next, and the cyclic collector runs between parts to give its memory back for the next."""
    from . import join

    fetcher = RestrictedFetcher()
    started = time.perf_counter()
    counts = []
    for index in range(parts):
        with cyclic_gc_paused():
            counts.append(len(_layout(_numbered(part_html(index), 1, 0), fetcher).pages))
        gc.collect()
    total, data = sum(counts), []
    for index in range(parts):
        output = io.BytesIO()
        with cyclic_gc_paused():
            html = _numbered(part_html(index), sum(counts[:index]) + 1, total)
            _layout(html, fetcher).write_pdf(output, pdf_variant=PDF_VARIANT)
        data.append(output.getvalue())
        gc.collect()
    return RenderedPdf(
        data=join.join_tagged(data),
        pages=total,
        seconds=time.perf_counter() - started,
        refused=tuple(fetcher.refused),
    )
