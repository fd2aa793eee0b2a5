"""The report as a document: the HTML both the preview and the PDF show, frozen once published.

A draft is rendered from the live data every time. A published report is rendered once and
its HTML kept in `Report.snapshot` (both the full and the public version), so it reads the
same forever: later edits to risks, controls or the action plan, which belong to no period,
cannot change a paper the Audit Panel has already received.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import pdf
from .data import ReportDocument, build
from .models import Report

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


def render(report: Report, *, public: bool = False) -> tuple[Rendered, ReportDocument | None]:
    """The report's HTML, and (for a draft) the data it came from, for the preview's notes."""
    if report.is_published and report.snapshot is not None:
        return _from_snapshot(report.snapshot, public), None
    doc = build(report, public=public)
    rendered = Rendered(
        body=mark_safe(render_body(doc)),  # noqa: S308 - rendered by our autoescaping templates
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
