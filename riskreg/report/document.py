"""The report as a document: the HTML both the preview and the PDF show, frozen once published.

A draft is rendered from the live data every time. A published report is rendered once and
its HTML kept in `Report.snapshot` (both the full and the public version), so it reads the
same forever: later edits to risks, controls or the action plan, which belong to no period,
cannot change a paper the Audit Panel has already received. Its two PDFs are kept too
(ReportFile), as the bytes the Panel received: a later stylesheet or renderer cannot change
them either.
"""

import hashlib
import re
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import pdf
from .data import ReportDocument, build
from .models import Report, ReportFile
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


@dataclass(frozen=True)
class Paper:
    """What the file says about itself: its marking (the highest of what it holds), the
    seed's "Non restricted paper" where that is true, and DRAFT until it is published."""

    marking: str
    handling: str
    draft: bool

    @classmethod
    def of(cls, report: Report, *, public: bool) -> "Paper":
        return cls(
            marking=report.marking(public=public),
            handling=report.handling(public=public),
            draft=not report.is_published,
        )


def render_body(doc: ReportDocument) -> str:
    return render_to_string(
        "riskreg/report/document.html",
        {"doc": doc, "paper": Paper.of(doc.report, public=doc.public)},
    )


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


def _render_pdf(report: Report, *, public: bool, fetcher=None, use_cache: bool = True) -> bytes:
    rendered, _ = render(report, public=public)
    return pdf.render_pdf(
        body=rendered.body, title=rendered.title, author=rendered.author,
        created=rendered.created, modified=rendered.modified,
        fetcher=fetcher, use_cache=use_cache,
    )


def _keep(report: Report, public: bool) -> None:
    data = _render_pdf(report, public=public, use_cache=False)
    try:
        with transaction.atomic():
            ReportFile.objects.create(
                report=report, variant=VARIANTS[public], data=data,
                sha256=hashlib.sha256(data).hexdigest(),
            )
    except IntegrityError:  # kept meanwhile by another request: theirs is the record
        pass


def keep_files(report: Report) -> None:
    """Render a published report's two PDFs once and keep them (publishing calls this)."""
    freeze(report)
    have = set(ReportFile.objects.filter(report=report).values_list("variant", flat=True))
    for public, variant in VARIANTS.items():
        if variant not in have:
            _keep(report, public)


def kept_file(report: Report, *, public: bool) -> bytes | None:
    data = (
        ReportFile.objects.filter(report=report, variant=VARIANTS[public])
        .values_list("data", flat=True).first()
    )
    return bytes(data) if data is not None else None


def pdf_bytes(
    report: Report, *, public: bool = False, fetcher=None, use_cache: bool = True
) -> bytes:
    """The report as a PDF. A published report's is the file kept when it was published; a
    draft's, or one published before files were kept (the seed's), is rendered: reading
    never writes. A caller's own fetcher always renders."""
    if report.is_published and fetcher is None:
        kept = kept_file(report, public=public)
        if kept is not None:
            return kept
    return _render_pdf(report, public=public, fetcher=fetcher, use_cache=use_cache)
