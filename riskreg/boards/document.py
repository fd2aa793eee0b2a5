"""A board summary as a document: the same HTML on its page and in its PDF, kept once published.

A draft is rendered from the period's approved updates every time (rows.build). Publishing
keeps the HTML and the PDF's bytes on the summary (services.publish_summary): what the board
received never changes, whatever later happens to its rules, its registers or the risks.
The PDF is the Audit Panel report's (riskreg/report/pdf.py): its page, stylesheets, running
marking and DRAFT, and its fetcher, which serves only the project's own static files.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ..report import pdf
from .models import BoardSummary
from .rows import SummaryData, build


@dataclass(frozen=True)
class Rendered:
    body: SafeString
    title: str
    created: str
    modified: str
    frozen: bool
    data: SummaryData | None = None


def render_body(data: SummaryData) -> str:
    summary = data.summary
    return render_to_string(
        "riskreg/boards/summary_document.html",
        {"data": data, "summary": summary, "board": summary.board,
         "draft": not summary.is_published},
    )


def _dates(summary: BoardSummary) -> tuple[str, str]:
    # The summary's own dates, never "now": the same data gives the same bytes.
    created = summary.created_at.date().isoformat() if summary.created_at else ""
    return created, summary.meeting_date.isoformat()


def render(summary: BoardSummary) -> Rendered:
    if summary.is_published and summary.snapshot is not None:
        snap = summary.snapshot
        return Rendered(
            # Our own HTML, rendered by an autoescaping template at publishing; no form or
            # admin field writes it (editable=False).
            body=mark_safe(snap["body"]),  # noqa: S308
            title=snap["title"], created=snap["created"], modified=snap["modified"], frozen=True,
        )
    data = build(summary)
    created, modified = _dates(summary)
    return Rendered(
        body=mark_safe(render_body(data)),  # noqa: S308 - rendered by an autoescaping template
        title=summary.title, created=created, modified=modified, frozen=False, data=data,
    )


def render_pdf(rendered: Rendered, *, use_cache: bool = True, fetcher=None) -> bytes:
    return pdf.render_pdf(
        body=rendered.body, title=rendered.title, author="", created=rendered.created,
        modified=rendered.modified, fetcher=fetcher, use_cache=use_cache,
    )


def snapshot_of(rendered: Rendered) -> dict:
    return {"format": 1, "body": str(rendered.body), "title": rendered.title,
            "created": rendered.created, "modified": rendered.modified}


def pdf_bytes(summary: BoardSummary, *, fetcher=None) -> bytes:
    """A published summary's PDF is the file kept when it was published; a draft's is
    rendered (reading never writes)."""
    if summary.is_published and summary.pdf is not None and fetcher is None:
        return bytes(summary.pdf)
    return render_pdf(render(summary), fetcher=fetcher)
