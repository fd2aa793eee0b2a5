"""Rendering the Audit Panel report as a PDF with WeasyPrint, fetching nothing from outside.

The only URLs the renderer may open are the project's own static files (found exactly as
`collectstatic` would find them) and `data:` URLs. Every other reference – file://, http(s)://,
a relative path that climbs out of /static/ – is refused before anything is opened, so text a
user typed can never make the server read a file or call a host. Text is escaped by the
templates anyway; this is the second lock on the door.

WeasyPrint (Pango, through cffi) takes a second to import on a small machine: it is imported
when the first PDF is made, not by every process that starts Django (migrate, check, the
task worker, each server worker).
"""

import base64
import binascii
import hashlib
import logging
import mimetypes
import posixpath
import ssl
from functools import cache as once
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from risks.scoring import band_css

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

# The document's base URL. ".invalid" can never resolve (RFC 6761), and nothing is ever
# requested from it: the fetcher maps its /static/ paths to files on disk.
BASE_URL = "https://riskreg.invalid/"
PDF_OPTIONS = {
    # PDF/UA-1: tagged structure, document title and language, for screen readers.
    "pdf_variant": "pdf/ua-1",
    # The file identifier is a hash of the content (never random): same data, same bytes.
    "pdf_identifier": True,
}


class RefusedURL(ValueError):
    """A URL the report may not fetch."""


# URLFetcher builds an HTTPS handler, and without a context of its own that handler loads the
# system's certificate authorities (about 0.1 s, a tenth of a report's rendering) for a
# connection this fetcher never opens. This context, shared and never used, has none loaded:
# were a connection ever attempted through it, no certificate would verify.
_NO_CONNECTIONS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


@once
def _static_only_fetcher() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves the project's static files and data: URLs; refuses everything else."""

        def __init__(self):
            # Nothing below reaches urllib's handlers: fetch() never calls super().fetch().
            super().__init__(
                timeout=1, ssl_context=_NO_CONNECTIONS, allowed_protocols=("https", "data"),
                allow_redirects=False,
            )

        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return _data_url(url)
            path = static_path(url)
            body = path.read_bytes()
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    StaticOnlyFetcher.__module__ = __name__
    return StaticOnlyFetcher


def __getattr__(name: str):
    """pdf.StaticOnlyFetcher: the class, made (and WeasyPrint imported) when first asked for."""
    if name == "StaticOnlyFetcher":
        return _static_only_fetcher()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def static_path(url: str) -> Path:
    """The file behind a /static/ URL of BASE_URL, or RefusedURL."""
    base, parts = urlsplit(BASE_URL), urlsplit(url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise RefusedURL(f"Not one of the project's static files: {url}")
    static_url = urlsplit(settings.STATIC_URL).path
    raw = unquote(parts.path)
    if not raw.startswith(static_url):
        raise RefusedURL(f"Not one of the project's static files: {url}")
    relative = raw[len(static_url):]
    segments = relative.split("/")
    if (
        not relative
        or "\\" in relative
        or "\x00" in relative
        or any(s in ("", ".", "..") for s in segments)
        or posixpath.normpath(relative) != relative
    ):
        raise RefusedURL(f"Refused path: {url}")
    try:
        found = finders.find(relative)
        if not found and staticfiles_storage.exists(relative):
            found = staticfiles_storage.path(relative)
    except (SuspiciousFileOperation, NotImplementedError) as exc:
        raise RefusedURL(f"Refused path: {url}") from exc
    if not found:
        raise RefusedURL(f"No such static file: {url}")
    return Path(found)


def _data_url(url: str) -> "URLFetcherResponse":
    from weasyprint.urls import URLFetcherResponse

    header, sep, payload = url[5:].partition(",")
    if not sep:
        raise RefusedURL("Malformed data: URL")
    params = header.split(";")
    content_type = params[0] or "text/plain"
    try:
        body = (
            base64.b64decode(unquote_to_bytes(payload), validate=False)
            if "base64" in params[1:]
            else unquote_to_bytes(payload)
        )
    except (binascii.Error, ValueError) as exc:
        raise RefusedURL("Malformed data: URL") from exc
    return URLFetcherResponse(url, body, {"Content-Type": content_type})


# The preview page's own stylesheets, in its order, then the print rules. GOV.UK Frontend and
# maturity.css stay out (pdf.css says why). The template links these and the cache key hashes
# them, so both follow this list.
STYLESHEETS = ["css/riskreg.css", "css/heatmap.css", "css/report.css", "css/pdf.css"]


def stylesheet_hrefs() -> list[str]:
    """What the PDF's page links: STYLESHEETS, with the band colours (settings.RISK_BANDS)
    right after riskreg.css, where base.html links them. They come as a data: URL, which the
    fetcher serves and the page's HTML, hashed for the cache key, carries."""
    static = [f"{settings.STATIC_URL}{name}" for name in STYLESHEETS]
    bands = "data:text/css;base64," + base64.b64encode(band_css().encode()).decode("ascii")
    return [static[0], bands, *static[1:]]


class _BrowserOnlyProperties(logging.Filter):
    """The page CSS sets two properties WeasyPrint does not know, for browsers: a table's
    sideways scrolling and keeping band fills when printing (WeasyPrint scrolls nothing and
    prints every fill). It would warn about them on every render; other warnings stay."""

    PROPERTIES = frozenset({"overflow-x", "print-color-adjust"})

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            isinstance(record.msg, str) and record.msg.startswith("Ignored `%s:%s`")
            and record.args and record.args[0] in self.PROPERTIES
        )


logging.getLogger("weasyprint").addFilter(_BrowserOnlyProperties())

CACHE_SECONDS = 24 * 60 * 60


def _cache_key(html: str) -> str:
    """Everything the bytes depend on: the page, its stylesheets and the renderer's version."""
    import weasyprint

    digest = hashlib.sha256(html.encode())
    for name in STYLESHEETS:
        found = finders.find(name)
        digest.update(Path(found).read_bytes() if found else b"")
    digest.update(weasyprint.__version__.encode())
    return f"riskreg:report-pdf:{digest.hexdigest()}"


def render_pdf(*, body: SafeString, title: str, author: str, created: str, modified: str,
               fetcher: "URLFetcher | None" = None, use_cache: bool = True) -> bytes:
    """A PDF of the report body (the HTML the preview shows), with fixed metadata.

    The same HTML always gives the same bytes, so a rendered PDF is kept in the cache under
    a hash of its input: the second download of a report costs milliseconds, not a second.
    A caller's own fetcher (a test's spy) always renders.
    """
    html = render_to_string(
        "pdf/report.html",
        {"body": body, "title": title, "author": author, "created": created, "modified": modified,
         "stylesheets": stylesheet_hrefs()},
    )
    use_cache = use_cache and fetcher is None
    key = _cache_key(html) if use_cache else ""
    if use_cache and (cached := cache.get(key)) is not None:
        return cached
    from weasyprint import HTML

    fetcher = fetcher or _static_only_fetcher()()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    data = document.write_pdf(**PDF_OPTIONS)
    if use_cache:
        cache.set(key, data, CACHE_SECONDS)
    return data
