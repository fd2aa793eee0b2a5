"""The report as a document: the HTML both the preview and the PDF show, frozen once published.

A draft is rendered from the live data every time. A published report is rendered once and
its HTML kept in `Report.snapshot` (both the full and the public version), so it reads the
same forever: later edits to risks, controls or the action plan, which belong to no period,
cannot change a paper the Audit Panel has already received.
"""

import re
from dataclasses import dataclass, replace

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import pdf
from .data import ReportDocument, build
from .models import Report
from .text import COMPUTED_CLOSE, COMPUTED_OPEN, plain

SNAPSHOT_FORMAT = 1
VARIANTS = {False: "full", True: "public"}


@dataclass(frozen=True)
class Rendered:
    body: SafeString
    title: str
    author: str
    created: str
    modified: str
    frozen: bool


def render_body(doc: ReportDocument) -> str:
    return render_to_string("riskreg/report/document.html", {"doc": doc})


_MARKED = re.compile(f"{COMPUTED_OPEN}([^{COMPUTED_OPEN}{COMPUTED_CLOSE}]*){COMPUTED_CLOSE}")
_TITLE = re.compile(r'<h1 class="rr-report__title">(.*?)</h1>', re.DOTALL)


def for_preview(html: str) -> str:
    """The document as the preview page shows it: computed words in an element of their own
    (the marks come from data.build(preview=True); typed text has had any removed), and the
    paper's title a level-2 heading, the page's own <h1> being the only one."""
    html = plain(_MARKED.sub(r'<span class="rr-computed">\1</span>', html))
    return _TITLE.sub(
        r'<p class="rr-report__title" role="heading" aria-level="2">\1</p>', html, count=1
    )


def _from_snapshot(snapshot: dict, public: bool) -> Rendered:
    variant = VARIANTS[public]
    return Rendered(
        # The snapshot holds HTML this module rendered from escaped templates; it is not
        # editable anywhere (editable=False, no form or admin field writes it).
        body=mark_safe(snapshot["body"][variant]),  # noqa: S308
        title=snapshot["title"][variant],
        author=snapshot["author"],
        created=snapshot["created"],
        modified=snapshot["modified"],
        frozen=True,
    )


def freeze(report: Report) -> dict:
    """Render both versions of a published report and keep them; the first freeze wins."""
    if report.snapshot is not None:
        return report.snapshot
    doc = build(report)
    snapshot = {"format": SNAPSHOT_FORMAT, "body": {}, "title": {}}
    for public, variant in VARIANTS.items():
        doc.public = public
        snapshot["body"][variant] = render_body(doc)
        snapshot["title"][variant] = doc.title
    snapshot.update(author=report.author, created=doc.created, modified=doc.modified)
    stored = Report.objects.filter(pk=report.pk, snapshot__isnull=True).update(snapshot=snapshot)
    if not stored:  # frozen meanwhile by another request: theirs is the record
        snapshot = Report.objects.values_list("snapshot", flat=True).get(pk=report.pk)
    report.snapshot = snapshot
    return snapshot


def render(
    report: Report, *, public: bool = False, preview: bool = False
) -> tuple[Rendered, ReportDocument | None]:
    """The report's HTML, and (for a draft) the data it came from, for the preview's notes.

    `preview`: as the preview page shows it (for_preview); otherwise as the PDF prints it.
    """
    if report.is_published and report.snapshot is not None:
        rendered = _from_snapshot(report.snapshot, public)
        if preview:
            body = mark_safe(for_preview(rendered.body))  # noqa: S308 - our own HTML, see above
            rendered = replace(rendered, body=body)
        return rendered, None
    doc = build(report, public=public, preview=preview)
    html = render_body(doc)
    rendered = Rendered(
        # Rendered by our autoescaping templates; for_preview adds only fixed elements.
        body=mark_safe(for_preview(html) if preview else html),  # noqa: S308
        title=doc.title,
        author=report.author,
        created=doc.created,
        modified=doc.modified,
        frozen=False,
    )
    return rendered, doc


def pdf_bytes(
    report: Report, *, public: bool = False, fetcher=None, use_cache: bool = True
) -> bytes:
    rendered, _ = render(report, public=public)
    return pdf.render_pdf(
        body=rendered.body, title=rendered.title, author=rendered.author,
        created=rendered.created, modified=rendered.modified,
        fetcher=fetcher, use_cache=use_cache,
    )
