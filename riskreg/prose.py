"""The team's prose as structure, never as markup: paragraphs, bulleted lists, numbered paragraphs.

Text typed in the browser is kept as plain text; templates escape every line, so nothing a
user types can become an element, a link or a reference the PDF renderer would fetch.
"""

import re
from dataclasses import dataclass, field

_BULLET = re.compile(r"^\s*[-•*–]\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
TOKEN = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Block:
    """A paragraph ("p", its text) or a bulleted list ("ul", its items)."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass
class Numbered:
    """A numbered paragraph of section 1 ("1.4") and what follows it before the next number."""

    number: str
    blocks: list[Block] = field(default_factory=list)
    lead: str = ""  # bold words that open the paragraph ("Violent Crime (risk 1 – short-term):")
    lead_alone: bool = False  # the lead stands as a heading, the text starts below it


def blocks(text: str) -> list[Block]:
    """Paragraphs are separated by a blank line; lines starting "- " or "• " are list items.

    Other lines of one paragraph are joined with a space, so a text box that wraps lines by
    hand still gives one paragraph.
    """
    found: list[Block] = []
    for chunk in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").strip()):
        words: list[str] = []
        bullets: list[str] = []
        for raw in chunk.split("\n"):
            line = raw.strip()
            if not line:
                continue
            if match := _BULLET.match(line):
                if words:
                    found.append(Block("p", " ".join(words)))
                    words = []
                bullets.append(line[match.end():].strip())
            else:
                if bullets:
                    found.append(Block("ul", items=tuple(bullets)))
                    bullets = []
                words.append(line)
        if words:
            found.append(Block("p", " ".join(words)))
        if bullets:
            found.append(Block("ul", items=tuple(bullets)))
    return found


def paragraphs(text: str) -> list[str]:
    return [b.text for b in blocks(text) if b.kind == "p"]


def fill(text: str, values: dict[str, str]) -> str:
    """Replace {name} with its value; {Name} gives the value with a capital first letter.

    Unknown names are left as typed (the form refuses them, so only old text can hold one).
    """

    def replace(match: re.Match) -> str:
        name = match[1]
        value = values.get(name.lower())
        if value is None:
            return match[0]
        return value[:1].upper() + value[1:] if name[:1].isupper() else value

    return TOKEN.sub(replace, text)


def unknown_tokens(text: str, known: set[str]) -> list[str]:
    return sorted({m[1] for m in TOKEN.finditer(text) if m[1].lower() not in known})


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
