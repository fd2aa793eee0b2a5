"""Section 1 of the report, "Corporate risk update": the team's numbered paragraphs around
the computed ones (the risk position, the quarter's record) and the risks to note, each with
its commentary (or "No update since …" where it is last quarter's, unchanged) and, where
progress is not on track, the owner's reasons.
"""

from collections.abc import Callable
from dataclasses import dataclass

from risks.models import Assessment, Progress
from risks.text import Block, blocks

from .text import Numbered, Numberer, fill
from .words import (
    NOTED_GROUPS,
    Figures,
    no_update_words,
    reasons_already_said,
    reasons_lead,
    risk_name,
)


@dataclass
class Part:
    """One element of section 1: a heading, a sub-heading or a numbered paragraph."""

    kind: str  # "heading", "subheading", "numbered"
    text: str = ""
    item: Numbered | None = None


@dataclass
class Words:
    """How this rendering writes: the filled-in figures, the team's prose, the risks whose
    unchanged commentary the team chose to print again, and `mark`, which marks computed
    words in the preview and leaves them as they are in the PDF."""

    tokens: dict[str, str]
    prose: dict[str, str]
    reprinted: set[int]
    mark: Callable[[str], str]
    typed: Callable[[str], str]
    named_score_changes: str = ""

    def filled(self, name: str) -> str:
        return fill(self.prose[name], self.tokens)


def _noted_item(numberer: Numberer, a: Assessment, words: Words) -> Numbered:
    where = f"risk {a.ref} – {a.get_horizon_display().lower()}"
    commentary = words.typed(a.commentary)
    if a.commentary_carried and a.risk_id not in words.reprinted:
        # Last quarter's words are not this quarter's news (issue 14).
        found, commentary = [Block("p", words.mark(no_update_words(a)))], ""
    else:
        found = blocks(commentary)
    reasons = words.typed(a.reasons).strip()
    if a.progress and a.progress != Progress.ON_TRACK and reasons and not reasons_already_said(
        a, commentary
    ):
        why = blocks(reasons)
        lead = words.mark(reasons_lead(a))
        if why[0].kind == "p":
            why[0] = Block("p", f"{lead} {why[0].text}")
        else:
            why.insert(0, Block("p", lead))
        found += why
    if not a.progress:
        # Not rated (risk 10): its name stands as a heading, the commentary below it.
        return Numbered(numberer.next(), found, lead=f"{risk_name(a.title)} ({where})",
                        lead_alone=True)
    return Numbered(numberer.next(), found, lead=f"{risk_name(a.title)} ({where}):")


def section1(figures: Figures, words: Words, noted_on_track, others, unscored, record=()):
    numberer = Numberer(1)
    mark = words.mark
    parts = [Part("heading", "Corporate risk update")]
    parts += [Part("numbered", item=n) for n in numberer.paragraphs(words.filled("introduction"))]

    parts.append(Part("heading", "Risk position update"))
    notes = blocks(words.filled("position_notes"))
    opening = mark(figures.position_sentence)
    # Which risks' scores moved, named, unless the team's text places the older, unnamed
    # {score_changes} itself (as October 2021 did, continuing it in its own words).
    placed = any("{score_changes}" in text.lower() for text in words.prose.values())
    if words.named_score_changes and not placed:
        opening = f"{opening} {mark(words.named_score_changes)}"
    if notes and notes[0].kind == "p":
        opening = f"{opening} {notes.pop(0).text}"
    parts.append(Part("numbered", item=Numbered(numberer.next(), [Block("p", opening), *notes])))
    if record:
        parts.append(Part("numbered", item=Numbered(
            numberer.next(), [Block("p", mark(" ".join(record)))]
        )))

    def noted(rows):
        return [Part("numbered", item=_noted_item(numberer, a, words)) for a in rows]

    if noted_on_track:
        parts.append(Part("subheading", f"'{Progress.ON_TRACK.label}' risks to note are:"))
        parts += noted(noted_on_track)
    for progress in NOTED_GROUPS[1:]:
        group = [a for a in others if a.progress == progress]
        if group:
            parts.append(Part("subheading", f"'{progress.label}' risks to note are:"))
            parts += noted(group)
    if unscored:
        if not others:
            parts.append(Part("subheading", "Risks still to be finalised:"))
        parts += noted(unscored)
    parts += [Part("numbered", item=n) for n in numberer.paragraphs(words.filled("further_notes"))]

    maturity = numberer.paragraphs(words.filled("maturity"))
    if maturity:
        parts.append(Part("heading", "Risk maturity action plan"))
        parts += [Part("numbered", item=n) for n in maturity]
    return parts
