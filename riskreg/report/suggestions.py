"""What the compose page suggests the report discusses, from the quarter's data (issue 14).

Section 1 always discusses the risks that are not on track and those not rated; of the
on-track ones the team chooses. Appendix B's risks are chosen too. A choice copied from the
last report is no reason to discuss a risk again, so each risk says why it might be: its band
or RAG status changed, it is not on track, it is new, retired or not rated.
"""

from dataclasses import dataclass, field

from risks.models import Assessment, Progress

from .models import Report


@dataclass
class Suggestion:
    """One risk of the quarter and why the data suggests discussing it (empty: no reason)."""

    assessment: Assessment
    reasons: list[str] = field(default_factory=list)
    # Chosen in the last report and still chosen: copied, not chosen afresh.
    noted_carried: bool = False
    appendix_b_carried: bool = False

    @property
    def risk_id(self) -> int:
        return self.assessment.risk_id

    @property
    def always_in_section_1(self) -> bool:
        a = self.assessment
        return not a.retired and a.progress != Progress.ON_TRACK

    @property
    def choosable(self) -> bool:
        return not self.assessment.retired


def _reasons(a: Assessment, before: Assessment | None) -> list[str]:
    found = []
    if before is None:
        found.append("New this quarter")
    if a.retired:
        found.append("Retired this quarter")
        return found
    if a.not_rated or not a.progress:
        found.append("Not rated")
    elif a.progress != Progress.ON_TRACK:
        found.append(f"Not on track: {a.get_progress_display()}")
    if before is not None:
        was, now = before.band, a.band
        if was and now and was.key != now.key:
            found.append(f"Band changed from {was.label} to {now.label}")
        if before.rag and a.rag and before.rag != a.rag:
            found.append(f"RAG changed from {before.rag_label.lower()} to {a.rag_label.lower()}")
    return found


def suggestions(report: Report) -> list[Suggestion]:
    """Each risk of the report's quarter, in ref order, with why it might be discussed and
    which of its choices were carried over from the last report: six queries."""
    period, register = report.period, report.register
    rows = list(Assessment.objects.of_register(register).shown(period, None).order_by("ref"))
    previous = period.previous()
    before = {}
    if previous is not None:
        before = {
            a.risk_id: a
            for a in Assessment.objects.of_register(register).shown(previous, None)
            if not a.retired
        }
    source = report.copied_from
    carried_noted = carried_b = set()
    if source is not None:
        carried_noted = set(source.noted_risks.values_list("pk", flat=True))
        carried_b = set(source.appendix_b_risks.values_list("pk", flat=True))
    found = []
    for a in rows:
        s = Suggestion(a, _reasons(a, before.get(a.risk_id)))
        s.noted_carried = a.risk_id in carried_noted
        s.appendix_b_carried = a.risk_id in carried_b
        found.append(s)
    return found
