"""Free text people type, as structure, never as markup: paragraphs and bulleted lists.

One rule for every such text, wherever it is shown: the report's prose, a risk's commentary,
an action plan item's update. Templates (templates/includes/text_blocks.html) escape every
line, so nothing typed can become an element, a link or a reference the PDF renderer would
fetch.
"""

import re
from dataclasses import dataclass

# The hint under every text box read this way.
TEXT_HELP = "Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list."

_BULLET = re.compile(r"^\s*[-•*–]\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Block:
    """A paragraph ("p", its text) or a bulleted list ("ul", its items)."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()


def blocks(text: str) -> list[Block]:
    """Paragraphs are separated by a blank line; lines starting "- " or "• " are list items.

    Other lines of one paragraph are joined with a space, so a text box that wraps lines by
    hand still gives one paragraph. A line that is not an item ends the list before it.
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
