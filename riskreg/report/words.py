"""The report's computed words: figures, score changes, risks named as section 1 names them,
what the quarter's record says, and the sentences that stand in for words not written this
quarter ("No update since 2021/22 Q3"). Pure functions of the data handed to them: the
queries are data.py's.
"""

from dataclasses import dataclass, field

from risks.changes import Arrivals
from risks.models import Assessment, Horizon, Progress, Rag, ScoreChangeSource

from .text import capfirst, count_noun, has_have, is_are, join_words, number_words

# Names the team may write in braces in the prose ("information on {appendix_b_count} of the
# risks"): the report fills in the figure, in words, so no figure is ever typed in.
TOKENS = {
    "risk_count": "how many risks the report covers",
    "green_count": "how many risks are green",
    "amber_count": "how many risks are amber",
    "red_count": "how many risks are red",
    "appendix_b_count": "how many risks Appendix B sets out",
    "benchmark": "the risk maturity self-assessment benchmark, as a sentence (for 1.11)",
    "score_changes": (
        "how many risks' scores fell or rose since the last quarter, by horizon, without naming "
        "them, and whether controls or a re-assessment moved them; when no score changed, its "
        "whole sentence is left out. Without it, the risk position update names each risk "
        "whose score changed, and why, in sentences of its own"
    ),
    "progress_options": (
        "the options for progress towards the target score, counted and listed (\"four "
        "possible options: On track; Limited; Slipped and No progress\")"
    ),
}

# The order of the groups of risks to note; RAG words as the report writes them.
NOTED_GROUPS = [Progress.ON_TRACK, Progress.LIMITED, Progress.SLIPPED, Progress.NO_PROGRESS]
RAG_ARTICLES = {Rag.GREEN: "a", Rag.AMBER: "an", Rag.RED: "a"}
PROGRESS_OPTIONS = [label for _, label in Progress.choices]


def progress_options_words() -> str:
    """ "four possible options: On track; Limited; Slipped and No progress" (paragraph 1.2)."""
    return (
        f"{count_noun(len(PROGRESS_OPTIONS), 'possible option')}: "
        f"{join_words(PROGRESS_OPTIONS, separator='; ')}"
    )


@dataclass(frozen=True)
class ScoreChange:
    """A risk whose score this period differs from its last approved score before it."""

    ref: int
    horizon: str
    before: int
    after: int
    source: str  # ScoreChangeSource, or "" when the owner gave no reason
    title: str = field(default="", compare=False)  # for the sentences that name the risk

    @property
    def direction(self) -> str:
        return "decrease" if self.after < self.before else "increase"


# Why a score moved, as the report says it, by direction: the first words join the sentence
# when every risk moved for the same reason; the second list each reason's risks.
_CAUSES = {
    "decrease": {
        ScoreChangeSource.REASSESSMENT: (", but this is due to a reassessment of score",
                                         "due to a reassessment of score"),
        ScoreChangeSource.CONTROLS: (" as a result of controls being implemented",
                                     "as a result of controls being implemented"),
    },
    "increase": {
        ScoreChangeSource.REASSESSMENT: (" due to a reassessment of score",
                                         "due to a reassessment of score"),
        ScoreChangeSource.CONTROLS: (" as a result of changes to controls",
                                     "as a result of changes to controls"),
    },
}
_NO_CAUSE = ("", "with no reason recorded")


def _which_risks(changes: list[ScoreChange]) -> str:
    """ "one long-term risk", "two short-term risks", "three risks (one short-term and two
    long-term)"."""
    by_horizon = [
        (label.lower(), n) for value, label in Horizon.choices
        if (n := sum(1 for c in changes if c.horizon == value))
    ]
    if len(by_horizon) == 1:
        label, n = by_horizon[0]
        return count_noun(n, f"{label} risk")
    parts = [f"{number_words(n)} {label}" for label, n in by_horizon]
    return f"{count_noun(len(changes), 'risk')} ({join_words(parts)})"


def _score_change_clause(direction: str, changes: list[ScoreChange]) -> str:
    n = len(changes)
    article = "an" if direction == "increase" else "a"
    clause = f"{_which_risks(changes)} {has_have(n)} seen {article} {direction} in score"
    sources = [s for s in [*ScoreChangeSource.values, ""] if any(c.source == s for c in changes)]
    causes = _CAUSES[direction]
    if len(sources) == 1:
        return clause + causes.get(sources[0], _NO_CAUSE)[0]
    parts = [
        f"{number_words(sum(1 for c in changes if c.source == s))} {causes.get(s, _NO_CAUSE)[1]}"
        for s in sources
    ]
    return f"{clause}: {join_words(parts)}"


def score_changes_words(changes: list[ScoreChange]) -> str:
    """ "one long-term risk has seen a decrease in score, but this is due to a reassessment of
    score": decreases first, then increases, each its own sentence, without the last full stop
    (the team's words may continue it). Empty when no score changed."""
    clauses = [
        _score_change_clause(direction, group)
        for direction in ("decrease", "increase")
        if (group := [c for c in changes if c.direction == direction])
    ]
    return ". ".join(capfirst(c) if i else c for i, c in enumerate(clauses))


def score_change_sentences(changes: list[ScoreChange]) -> str:
    """ "Risk 4 (People) has seen a decrease in score as a result of controls being
    implemented.": the risks named, one sentence for each direction and cause (decreases
    first). Empty when no score changed."""
    sentences = []
    for direction in ("decrease", "increase"):
        moved = [c for c in changes if c.direction == direction]
        for source in [*ScoreChangeSource.values, ""]:
            group = [c for c in moved if c.source == source]
            if not group:
                continue
            names = join_words([f"risk {c.ref} ({risk_name(c.title)})" for c in group])
            article = "an" if direction == "increase" else "a"
            cause = _CAUSES[direction].get(source, _NO_CAUSE)[1]
            sentences.append(
                f"{capfirst(names)} {has_have(len(group))} seen {article} {direction} in score "
                f"{cause}."
            )
    return " ".join(sentences)


@dataclass(frozen=True)
class Figures:
    """Counts of the period's approved assessments: the report's figures."""

    total: int
    approved: int
    green: int
    amber: int
    red: int
    appendix_b: int
    register_words: str = "corporate"

    def count(self, rag: str) -> int:
        return {Rag.GREEN: self.green, Rag.AMBER: self.amber, Rag.RED: self.red}[rag]

    def tokens(self) -> dict[str, str]:
        return {
            "risk_count": number_words(self.total),
            "green_count": number_words(self.green),
            "amber_count": number_words(self.amber),
            "red_count": number_words(self.red),
            "appendix_b_count": number_words(self.appendix_b),
        }

    @property
    def summary_sentence(self) -> str:
        """ "In terms of progress against our corporate risks, eight are assessed by the respective
        risk owners and working leads to be 'green' and two risks are assessed to be 'amber'." """
        parts = []
        for rag in Rag.values:
            n = self.count(rag)
            if not n:
                continue
            if not parts:
                parts.append(
                    f"{number_words(n)} {is_are(n)} assessed by the respective risk owners and "
                    f"working leads to be '{rag}'"
                )
            else:
                parts.append(f"{count_noun(n, 'risk')} {is_are(n)} assessed to be '{rag}'")
        opening = f"In terms of progress against our {self.register_words} risks, "
        if not parts:
            return opening + "none has yet been assessed."
        return opening + join_words(parts) + "."

    @property
    def position_sentence(self) -> str:
        """ "Eight risks are reporting a 'green' status and on track this quarter and two risks
        are reporting an 'amber' status." """
        parts = []
        for rag in Rag.values:
            n = self.count(rag)
            if not n:
                continue
            part = f"{count_noun(n, 'risk')} {is_are(n)} reporting {RAG_ARTICLES[rag]} '{rag}' status"
            if rag == Rag.GREEN:
                part += " and on track this quarter"
            parts.append(part)
        if not parts:
            return "No risk has reported its progress this quarter yet."
        return capfirst(join_words(parts)) + "."


def risk_name(title: str) -> str:
    """ "PUBLIC & LOCAL ENGAGEMENT" → "Public and Local Engagement", as section 1 names risks."""
    small = {"and", "of", "the", "to", "in", "for", "on", "a"}
    words = []
    for i, word in enumerate(title.replace("&", "and").split()):
        lower = word.lower()
        words.append(lower if i and lower in small else lower[:1].upper() + lower[1:])
    return " ".join(words)


def register_words(name: str) -> str:
    """ "Corporate risk register" → "corporate": how the report speaks of its risks."""
    words = name.strip()
    for suffix in (" risk register", " register"):
        if words.lower().endswith(suffix):
            words = words[: -len(suffix)]
            break
    return words.lower() or "corporate"


def named_risks(rows: list[Assessment]) -> str:
    """ "risk 3 (Public and Local Engagement) and risk 5 (People)" """
    return join_words([f"risk {a.ref} ({risk_name(a.title)})" for a in rows])


def breach_sentence(rows: list[Assessment]) -> str:
    """Which risks stand above their tolerance this quarter, and by how much; "" when none
    does (and always when no tolerance is recorded, as in every quarter before issue 18)."""
    rows = [a for a in rows if a.in_breach]
    if not rows:
        return ""
    figures = "; ".join(f"risk {a.ref}: score {a.score} against {a.tolerance}" for a in rows)
    if len(rows) == 1:
        return (f"{capfirst(named_risks(rows))} is above its tolerance, the highest current "
                f"score that is acceptable for it ({figures}).")
    return (f"{capfirst(named_risks(rows))} are above their tolerance, the highest current "
            f"score that is acceptable for each ({figures}).")


def escalation_sentences(moves, register) -> list[str]:
    """The quarter's accepted escalations and de-escalations into and out of `register`, with
    the reason for each decision; none in a quarter without them (every quarter before
    issue 17, the October 2021 paper among them)."""
    sentences = []
    for e in moves:
        verb = "escalated" if e.is_up else "de-escalated"
        name = risk_name(e.risk.title)
        reason = " ".join(e.decision_reason.split()).rstrip(".")
        if e.to_register_id == register.pk:
            said = (f"{e.from_register.name} risk {e.risk.ref} ({name}) was {verb} to the "
                    f"register this quarter, as risk {e.result_risk.ref}.")
        else:
            said = f"Risk {e.risk.ref} ({name}) was {verb} to {e.to_register.name} this quarter."
        sentences.append(f"{said} The reason given: {reason}.")
    return sentences


def record_sentences(
    period, *, not_approved: list[Assessment], came: Arrivals, shown: list[Assessment] = (),
    moves=(), register=None,
) -> list[str]:
    """What the quarter's record itself says: which risks stand above their tolerance, that
    it closed before every update was approved (and which), and which risks came onto, left
    or came back to the register."""
    sentences = [breach] if (breach := breach_sentence(list(shown))) else []
    if not_approved:
        n = len(not_approved)
        sentences.append(
            f"{period.name} closed before every update was approved: the "
            f"{'update' if n == 1 else 'updates'} of {named_risks(not_approved)} "
            f"{'was' if n == 1 else 'were'} not approved, so {'it is' if n == 1 else 'they are'} "
            "left out of the figures, the heat maps and the alignment table."
        )
    for rows, done in ((came.new, "added to the register"), (came.retired, "retired"),
                       (came.reinstated, "reinstated")):
        if rows:
            n = len(rows)
            sentences.append(
                capfirst(f"{named_risks(rows)} {'was' if n == 1 else 'were'} {done} this quarter.")
            )
    if moves:
        sentences += escalation_sentences(moves, register)
    return sentences


def no_update_words(a: Assessment) -> str:
    """What section 1 prints for a commentary carried unchanged from an earlier quarter."""
    since = a.commentary_carried_from.name if a.commentary_carried_from_id else "last quarter"
    return f"No update since {since}."


def reasons_lead(a: Assessment) -> str:
    """ "Why progress is Limited:", before the owner's reasons."""
    return f"Why progress is {a.get_progress_display()}:"


def reasons_already_said(a: Assessment, printed: str) -> bool:
    """Whether the commentary printed already holds the reasons word for word (as October
    2021's commentaries of risks 4 and 7 do), so that they are not printed twice."""
    reasons = " ".join(a.reasons.split())
    return bool(reasons) and reasons in " ".join(printed.split())
