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
    if text.startswith(COMPUTED_OPEN):
        return COMPUTED_OPEN + capfirst(text[1:])
    return text[:1].upper() + text[1:]


# Computed words, in the preview only, travel between these two marks (characters of Unicode's
# private use area, which no one types): document.py turns each marked run into an element of
# its own once the HTML is escaped, so the team can tell the data's words from their own.
COMPUTED_OPEN, COMPUTED_CLOSE = "\ue000", "\ue001"


def computed(words: str) -> str:
    """The words marked as computed; empty stays empty (fill() takes out its sentence)."""
    return f"{COMPUTED_OPEN}{words}{COMPUTED_CLOSE}" if words else words


def plain(text: str) -> str:
    """Typed text without the marks, so that nothing typed can pass for computed."""
    return text.replace(COMPUTED_OPEN, "").replace(COMPUTED_CLOSE, "")


def without_sentences_holding(text: str, names: set[str]) -> str:
    """The text less every sentence that holds one of the names in braces."""
    return _without_empty_sentences(text, dict.fromkeys(names, ""))


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
# What, after a line left blank by a removal, makes that line an empty bullet.
_EMPTY_BULLET_REST = re.compile(r"[-•*–][ \t]*(?:\n|\Z)")
_SPACES = re.compile(r"\s*")
_BLANKS = re.compile(r"[ \t]*")


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


@dataclass
class _Break:
    """A sentence break in the kept text, and the line it ends on, should that line be emptied."""

    start: int
    end: int
    greedy: bool  # a full stop's or a blank line's: it takes in any whitespace that follows
    line_start: int = 0
    line: str = "words"  # up to `end`: "blank" ([ \t]*), "bullet" ([ \t]*-[ \t]*) or "words"

    def ends_line_with(self, spaces: str) -> None:
        """Note the line the break ends on, now that `spaces` are its last characters."""
        if "\n" in spaces:
            last = spaces[spaces.rindex("\n") + 1:]
            self.line_start = self.end - len(last)
            self.line = "blank" if not last.strip(" \t") else "words"
        elif self.line == "blank" and spaces.strip(" \t"):
            self.line = "words"


class _Kept:
    """What a removal keeps, as spans of `source`, with the sentence breaks found in it.

    Each character of the source is scanned once: a removal only ever shortens the end of
    the kept text, and the breaks before it stay as they were found.
    """

    def __init__(self, source: str):
        self.source = source
        self.spans: list[list[int]] = []
        self.length = 0
        self.breaks: list[_Break] = []

    def _last_char(self) -> str:
        start, end = self.spans[-1]
        return self.source[end - 1]

    def extend(self, start: int, end: int) -> None:
        """Keep source[start:end], finding its breaks as a scan of the whole text would."""
        if start == end:
            return
        source = self.source
        top = self.breaks[-1] if self.breaks else None
        covered = top is not None and top.end == self.length  # the kept text ends on a break
        spaces = _SPACES.match(source, start, end).end()
        if covered and top.greedy and spaces > start:
            top.end += spaces - start
            top.ends_line_with(source[start:spaces])
            offset = self.length - start
            found = _SENTENCE_BREAK.finditer(source, spaces, end)
        else:
            # What the kept text ends with decides whether a line starts here; a bare line
            # break left by a removed empty bullet may open a blank line with what follows.
            if not self.length:
                context = ""
            elif covered:
                context = "\n" if self._last_char() == "\n" else " "
            else:
                context = "\n"
            offset = self.length - len(context)
            found = _SENTENCE_BREAK.finditer(context + source[start:end], 1 if covered else 0)
        for brk in found:
            entry = _Break(offset + brk.start(), offset + brk.end(), greedy=brk[0][0] in ".!?\n")
            if not entry.greedy:
                entry.line_start, entry.line = entry.start, "bullet"
            entry.ends_line_with(brk[0])
            self.breaks.append(entry)
        self.spans.append([start, end])
        self.length += end - start

    def truncate(self, length: int) -> None:
        while self.spans and self.length - (self.spans[-1][1] - self.spans[-1][0]) >= length:
            start, end = self.spans.pop()
            self.length -= end - start
        if self.length > length:
            self.spans[-1][1] -= self.length - length
            self.length = length
        while self.breaks and self.breaks[-1].start >= length:
            self.breaks.pop()
        if self.breaks and self.breaks[-1].end > length:
            top = self.breaks[-1]
            top.end, top.line_start, top.line = length, length, "blank"

    def text(self, rest_from: int) -> str:
        return "".join(self.source[a:b] for a, b in self.spans) + self.source[rest_from:]


def _without_empty_sentences(text: str, values: dict[str, str]) -> str:
    """The text less every sentence that holds a name whose value is empty.

    As if each such sentence were taken out in turn, first to last, by _without_sentence():
    the first also takes out every empty bullet the text holds, and each later one only the
    bullet it empties. Linear in the length of the text, however many names it holds.
    """
    first = next((m for m in TOKEN.finditer(text) if values.get(m[1].lower()) == ""), None)
    if first is None:
        return text
    source = _without_sentence(text, first)
    kept = _Kept(source)
    rest = 0  # the text is now kept.text() followed by source[rest:]
    for token in TOKEN.finditer(source):
        if token.start() < rest or values.get(token[1].lower()) != "":
            continue
        kept.extend(rest, token.start())
        top = kept.breaks[-1] if kept.breaks else _Break(0, 0, greedy=False, line="blank")
        end = _SENTENCE_END.search(source, token.end()).end()
        rest = _BLANKS.match(source, end).end()
        kept.truncate(top.end)
        if top.line == "bullet" and (rest == len(source) or source[rest] == "\n"):
            kept.truncate(top.line_start)
            rest = min(rest + 1, len(source))
        elif top.line == "blank" and (bare := _EMPTY_BULLET_REST.match(source, rest)):
            kept.truncate(top.line_start)
            rest = bare.end()
    return kept.text(rest)


def _opens_sentence(text: str, start: int) -> bool:
    """Whether text[start] begins a sentence, looking back no further than the break can be."""
    spaces = start
    while spaces and text[spaces - 1].isspace():
        spaces -= 1
    if not spaces:
        return True
    window = spaces - 1  # a full stop or a bullet marker, and a marker's indent
    while window and text[window - 1] in " \t":
        window -= 1
    return _SENTENCE_START.search(text, window, start) is not None


def fill(text: str, values: dict[str, str]) -> str:
    """Replace {name} with its value; {Name} gives the value with a capital first letter.

    A value that opens a sentence takes a capital first letter too, so "{score_changes} …" at
    the start of a paragraph reads "One long-term risk …". A name whose value is empty (no
    score changed this quarter) takes its whole sentence out with it: the words the team wrote
    around it belong to what it would have said.
    Unknown names are left as typed (the form refuses them, so only old text can hold one).
    """
    text = _without_empty_sentences(text, values)

    def replace(match: re.Match) -> str:
        name = match[1]
        value = values.get(name.lower())
        if value is None:
            return match[0]
        starts = name[:1].isupper() or _opens_sentence(match.string, match.start())
        return capfirst(value) if starts else value

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
