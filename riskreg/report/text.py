"""The report's words: figures written as words, {tokens} filled in, numbered paragraphs.

The team's prose is plain text; risks.text.blocks() reads its paragraphs and lists, and
templates escape every line, so nothing a user types can become an element, a link or a
reference the PDF renderer would fetch.
"""

import re
from dataclasses import dataclass, field

from risks.text import Block, blocks

# Numbers in words ----------------------------------------------------------------------------

_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """British English words for 0–999 ("twenty-one", "one hundred and five"); digits beyond.

    The report's figures are counts of risks, so they stay small; a count of thousands reads
    better as "1,200" than as words.
    """
    if n < 0:
        raise ValueError(f"Cannot write a negative count in words: {n}")
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return _TENS[tens] + (f"-{_UNITS[units]}" if units else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = f"{_UNITS[hundreds]} hundred"
        return f"{head} and {number_words(rest)}" if rest else head
    return f"{n:,}"


def count_noun(n: int, singular: str, plural: str | None = None) -> str:
    """ "one risk", "two risks"."""
    noun = singular if n == 1 else (plural or f"{singular}s")
    return f"{number_words(n)} {noun}"


def is_are(n: int) -> str:
    return "is" if n == 1 else "are"


def has_have(n: int) -> str:
    return "has" if n == 1 else "have"


def join_words(parts: list[str], separator: str = ", ") -> str:
    """ "a", "a and b", "a, b and c" (no Oxford comma, as the report writes lists).

    The separator between the earlier items may differ: "On track; Limited; Slipped and No
    progress" is joined with "; ".
    """
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return separator.join(parts[:-1]) + " and " + parts[-1]


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


# Tokens --------------------------------------------------------------------------------------

TOKEN = re.compile(r"\{(\w+)\}")

# Where a sentence begins: the start of the text or of a paragraph, after ". ", "? " or "! ",
# or after a bullet marker. A single line break does not end a sentence (text boxes wrap lines
# by hand); a sentence ends at ".", "?" or "!" before a space, or where its paragraph or list
# item ends.
_BREAK = r"[.!?]\s+|\n[ \t]*\n\s*|^[ \t]*[-•*–][ \t]+"
_SENTENCE_START = re.compile(rf"(?:\A\s*|{_BREAK})\Z", re.MULTILINE)
_SENTENCE_BREAK = re.compile(_BREAK, re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?](?=\s|\Z)|(?=\n[ \t]*\n)|(?=\n[ \t]*[-•*–][ \t])|\Z")
_EMPTY_BULLET = re.compile(r"^[ \t]*[-•*–][ \t]*(?:\n|\Z)", re.MULTILINE)


def _without_sentence(text: str, match: re.Match) -> str:
    """The text less the sentence that holds `match`, the space after it included."""
    head, tail = text[: match.start()], text[match.end():]
    cut = 0
    for brk in _SENTENCE_BREAK.finditer(head):
        cut = brk.end()
    tail = tail[_SENTENCE_END.search(tail).end():]
    kept = head[:cut]
    if not kept or kept[-1].isspace():
        tail = tail.lstrip(" \t")
    return _EMPTY_BULLET.sub("", kept + tail)


def fill(text: str, values: dict[str, str]) -> str:
    """Replace {name} with its value; {Name} gives the value with a capital first letter.

    A value that opens a sentence takes a capital first letter too, so "{score_changes} …" at
    the start of a paragraph reads "One long-term risk …". A name whose value is empty (no
    score changed this quarter) takes its whole sentence out with it: the words the team wrote
    around it belong to what it would have said.
    Unknown names are left as typed (the form refuses them, so only old text can hold one).
    """
    while True:
        empty = next((m for m in TOKEN.finditer(text) if values.get(m[1].lower()) == ""), None)
        if empty is None:
            break
        text = _without_sentence(text, empty)

    def replace(match: re.Match) -> str:
        name = match[1]
        value = values.get(name.lower())
        if value is None:
            return match[0]
        starts = name[:1].isupper() or _SENTENCE_START.search(match.string, 0, match.start())
        return value[:1].upper() + value[1:] if starts else value

    return TOKEN.sub(replace, text)


def unknown_tokens(text: str, known: set[str]) -> list[str]:
    return sorted({m[1] for m in TOKEN.finditer(text) if m[1].lower() not in known})


# Numbered paragraphs -------------------------------------------------------------------------


@dataclass
class Numbered:
    """A numbered paragraph of section 1 ("1.4") and what follows it before the next number."""

    number: str
    blocks: list[Block] = field(default_factory=list)
    lead: str = ""  # bold words that open the paragraph ("Violent Crime (risk 1 – short-term):")
    lead_alone: bool = False  # the lead stands as a heading, the text starts below it


class Numberer:
    """Hands out "1.1", "1.2" … across the parts of section 1, in order."""

    def __init__(self, section: int = 1):
        self.section = section
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"{self.section}.{self.count}"

    def paragraphs(self, text: str) -> list[Numbered]:
        """Each paragraph takes a number; a list belongs to the paragraph before it."""
        numbered: list[Numbered] = []
        for block in blocks(text):
            if block.kind == "p" or not numbered:
                numbered.append(Numbered(self.next()))
            numbered[-1].blocks.append(block)
        return numbered
