"""What the edit (compose) page shows beside the form: each section's state (copied and still
to check), what its figures read as now, and which risks the data suggests discussing."""

from dataclasses import dataclass, field

from django import forms

from .data import build
from .forms import PROSE, SECTIONS
from .models import Report
from .services import CONTINUATIONS
from .suggestions import Suggestion, suggestions
from .text import TOKEN, capfirst
from .words import score_change_sentences


@dataclass
class Section:
    """One field of the form, and for prose what the editor says beside it."""

    field: forms.BoundField
    prose: bool = False
    copied: bool = False  # copied from the last report and not yet edited or confirmed
    confirmed: bool = False  # its "checked" box is ticked in the form as posted
    opening: str = ""  # the computed sentence this section's text continues
    not_copied: bool = False  # left behind by the copy: it explained the last report's figures
    tokens: list[tuple[str, str]] = field(default_factory=list)  # ({name}, what it gives now)


def _posted_confirmed(form) -> set[str]:
    return set(form.data.getlist("confirmed")) if form.is_bound else set()


def compose_context(report: Report, form) -> dict:
    """The edit page's context beside `form`: sections, suggestions, the token example."""
    doc = build(report)
    waiting = set(report.unchecked_sections())
    confirmed = _posted_confirmed(form)
    position = doc.figures.position_sentence
    placed = any("{score_changes}" in getattr(report, name).lower() for name in PROSE)
    if not placed and (named := score_change_sentences(doc.score_changes)):
        position = f"{position} {named}"
    opening = {"summary_notes": doc.figures.summary_sentence, "position_notes": position}
    sections = []
    for title, names in SECTIONS:
        entries = []
        for name in names:
            entry = Section(form[name], prose=name in PROSE)
            if entry.prose:
                text = getattr(report, name)
                entry.copied = name in waiting
                entry.confirmed = name in confirmed
                entry.opening = opening.get(name, "")
                entry.not_copied = bool(
                    report.copied_from_id and name in CONTINUATIONS and not text.strip()
                )
                used = dict.fromkeys(m[1].lower() for m in TOKEN.finditer(text))
                entry.tokens = [(f"{{{n}}}", doc.tokens[n]) for n in used if doc.tokens.get(n)]
            entries.append(entry)
        sections.append((title, entries))

    found = suggestions(report)
    _label_choices(form, found, report)
    green = doc.tokens.get("green_count", "")
    return {
        "sections": sections,
        "suggestions": [s for s in found if s.reasons],
        "carried_choices": [s for s in found if s.noted_carried or s.appendix_b_carried],
        "unchecked_count": len(waiting),
        "appetite_sections": [report.section_label(n) for n in doc.appetite_unpromised],
        "without_appetite": doc.without_appetite,
        "token_example": (
            "{green_count} of our risks are on track.",
            f"{capfirst(green)} of our risks are on track.",
        ),
    }


def _label_choices(form, found: list[Suggestion], report: Report) -> None:
    """Each risk's checkbox says why the data suggests it, and whether the choice was
    carried over from the last report rather than made for this one."""
    by_risk = {s.risk_id: s for s in found}
    source = "carried over: chosen in the last report"

    def labeller(carried_attr: str):
        def label(risk) -> str:
            text = f"Risk {risk.ref}: {risk.title}"
            s = by_risk.get(risk.pk)
            if s is None:
                return text
            notes = [r.lower() if i else r for i, r in enumerate(s.reasons)]
            if getattr(s, carried_attr):
                notes.append(source)
            return f"{text} ({'; '.join(notes)})" if notes else text
        return label

    form.fields["noted_risks"].label_from_instance = labeller("noted_carried")
    form.fields["appendix_b_risks"].label_from_instance = labeller("appendix_b_carried")
