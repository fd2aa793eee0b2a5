"""The register's columns in a spreadsheet: the headings the export writes and the template
offers, the other headings the import understands (people arrive with their own), and how a
cell's words become a value (levels by word or number, trends by word or arrow).

One list serves export and import, so that an exported register imports back unchanged.
"""

import re
from dataclasses import dataclass

from risks.models import Horizon, Progress, Trend
from risks.scoring import SCALE_ABBREVIATIONS, Scale


@dataclass(frozen=True)
class Column:
    key: str  # the field it fills
    heading: str  # as the export writes it
    aliases: tuple[str, ...] = ()
    guidance: str = ""


# What the import reads, in the template's order. Risk definition first, then the update.
COLUMNS = [
    Column("ref", "Ref", ("risk ref", "reference", "risk reference", "no", "number", "risk no",
                          "risk number", "risk id", "id", "#"),
           "The risk's number in the register (1, 2, ...). Required."),
    Column("title", "Title", ("risk", "risk title", "name", "risk name"),
           "For example VIOLENT CRIME. Required for a new risk."),
    Column("description", "Description", ("risk description", "details"), ""),
    Column("description_agreed", "Description agreed", ("agreed",), "Yes or No (default Yes)."),
    Column("horizon", "Horizon", ("term", "time horizon", "short or long term"),
           "Short-term or Long-term. Required for a new risk."),
    Column("owner", "Owner", ("risk owner", "owner post", "owned by"),
           "The owner's post, exactly as the service names it. Required for a new risk."),
    Column("leads", "Leads", ("lead", "working leads", "working lead", "risk leads", "lead posts"),
           "Posts, separated by semicolons or new lines."),
    Column("pillars", "Pillars", ("pillar", "strategic objectives", "strategic objective",
                                  "met direction pillars", "objectives"),
           "Pillar names, separated by semicolons or new lines."),
    Column("appetite", "Appetite", ("risk appetite",), ""),
    Column("target_likelihood", "Target likelihood", ("target l", "tl", "target likelihood score"),
           "Low, Medium, High, Very High (or 1 to 4, or L, M, H, VH)."),
    Column("target_impact", "Target impact", ("target i", "ti", "target impact score"),
           "As the likelihood."),
    Column("target", "Target", ("target position", "target score position"),
           'Both at once, as "L v M" or "1 v 2" (instead of the two columns above).'),
    Column("likelihood", "Likelihood", ("l", "current likelihood", "likelihood current"),
           "This quarter's likelihood, as the target's."),
    Column("impact", "Impact", ("i", "current impact", "impact current"),
           "This quarter's impact."),
    Column("position", "Position", ("current position", "current", "current score position"),
           'Both at once, as "M v H" (instead of the two columns above).'),
    Column("trend", "Trend", ("direction of travel", "direction"),
           "Improving, Stable or Worsening (or the arrows)."),
    Column("progress", "Progress", ("progress towards target", "progress to target"),
           "On track, Limited, Slipped or No progress."),
    Column("commentary", "Commentary", ("comment", "comments", "update", "commentary update"), ""),
    Column("reasons", "Reasons", ("reasons not on track", "why not on track",
                                  "reasons progress not on track"),
           "Why progress is not on track."),
    Column("not_rated_reason", "Not rated because", ("not rated reason", "why not rated",
                                                     "not rated"),
           "Leave empty unless the risk is not rated this quarter."),
]
BY_KEY = {c.key: c for c in COLUMNS}
# The template offers the separate columns, not the combined ones.
TEMPLATE_COLUMNS = [c for c in COLUMNS if c.key not in ("target", "position")]
# What an export writes beside them and the import passes over: derived, or the workflow's.
DERIVED = ("Score", "Band", "Target score", "Target band", "RAG", "Status", "Quarter")


def normalise_heading(text: str) -> str:
    text = text.strip().lower().replace("&", " and ")
    text = re.sub(r"[^\w#]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


HEADINGS = {}
for _column in COLUMNS:
    for _name in (_column.heading, _column.key.replace("_", " "), *_column.aliases):
        HEADINGS[normalise_heading(_name)] = _column.key
IGNORED = {normalise_heading(name) for name in DERIVED}


class CellError(ValueError):
    pass


LEVELS = {}
for _value, _label in Scale.choices:
    LEVELS[str(_value)] = _value
    LEVELS[_label.lower()] = _value
    LEVELS[SCALE_ABBREVIATIONS[_value].lower()] = _value
LEVELS.update({"med": 2, "medium high": None, "v high": 4, "very-high": 4, "v": 4})
LEVELS = {k: v for k, v in LEVELS.items() if v is not None}
LEVEL_WORDS = "Low, Medium, High or Very High (or 1 to 4)"


def level(text: str) -> int | None:
    words = text.strip().lower()
    if not words:
        return None
    if words.endswith(".0") and words[:-2].isdigit():  # a number Excel kept as 2.0
        words = words[:-2]
    if words in LEVELS:
        return LEVELS[words]
    raise CellError(f"“{text[:40]}” is not a level: use {LEVEL_WORDS}")


def position(text: str) -> tuple[int | None, int | None]:
    """ "M v H", "2 v 3", "Medium v High", "2x3": likelihood and impact."""
    words = text.strip()
    if not words:
        return None, None
    parts = re.split(r"\s*(?:\bv\b|\bvs\b|x|×|/)\s*", words, flags=re.IGNORECASE)
    if len(parts) != 2:
        raise CellError(f"“{text[:40]}” is not a position: write it as “M v H” or “2 v 3”")
    return level(parts[0]), level(parts[1])


def _choice(table: dict[str, str], what: str, words_for: str):
    def parse(text: str) -> str:
        words = re.sub(r"[\s_-]+", " ", text.strip().lower())
        if not words:
            return ""
        if words in table:
            return table[words]
        raise CellError(f"“{text[:40]}” is not a {what}: use {words_for}")
    return parse


def _table(choices, extra: dict[str, str]) -> dict[str, str]:
    found = {}
    for value, label in choices:
        found[value.replace("_", " ")] = value
        found[label.lower().replace("-", " ")] = value
    found.update(extra)
    return found


horizon = _choice(
    _table(Horizon.choices, {"short term": "short", "long term": "long", "st": "short",
                             "lt": "long"}),
    "horizon", "Short-term or Long-term",
)
trend = _choice(
    _table(Trend.choices, {"↓": "improving", "↔": "stable", "↑": "worsening",
                           "↓ improving": "improving", "↔ stable": "stable",
                           "↑ worsening": "worsening", "down": "improving",
                           "decreasing": "improving", "static": "stable", "no change": "stable",
                           "up": "worsening", "increasing": "worsening"}),
    "trend", "Improving, Stable or Worsening",
)
progress = _choice(
    _table(Progress.choices, {"ontrack": "on_track", "none": "no_progress"}),
    "progress", "On track, Limited, Slipped or No progress",
)
YES = {"yes", "y", "true", "1", "agreed"}
NO = {"no", "n", "false", "0", "not agreed"}


def yes_no(text: str) -> bool | None:
    words = text.strip().lower()
    if not words:
        return None
    if words in YES:
        return True
    if words in NO:
        return False
    raise CellError(f"“{text[:40]}” is not Yes or No")


def names(text: str) -> list[str]:
    """Post or pillar names, one a line or separated by semicolons (names hold commas)."""
    return [n.strip() for n in re.split(r"[;\n]", text) if n.strip()]


REF = re.compile(r"(?:risk\s*|r\s*)?0*(\d{1,5})", re.IGNORECASE)


def ref(text: str) -> int:
    words = text.strip()
    if words.endswith(".0"):
        words = words[:-2]
    match = REF.fullmatch(words)
    if not match or not 1 <= int(match.group(1)) <= 32767:
        raise CellError(f"“{text[:40]}” is not a risk number (1 to 32767)")
    return int(match.group(1))


def level_word(value: int | None) -> str:
    return Scale(value).label if value else ""
