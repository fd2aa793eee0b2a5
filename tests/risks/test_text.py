"""Free text as paragraphs and lists: one rule for the report's prose, commentary and plan updates."""

from risks.text import Block, blocks


def test_prose_paragraphs_and_lists():
    text = "First para\nwraps here.\n\nThe Panel is asked to:\n- Note one.\n- Note two.\n\nLast."
    assert blocks(text) == [
        Block("p", "First para wraps here."),
        Block("p", "The Panel is asked to:"),
        Block("ul", items=("Note one.", "Note two.")),
        Block("p", "Last."),
    ]
    assert blocks("\r\n  \r\n") == []


def test_prose_keeps_markup_as_text():
    # Structure only: the templates escape every line, so markup stays visible as typed.
    assert blocks('<img src="file:///etc/passwd">') == [Block("p", '<img src="file:///etc/passwd">')]


def test_text_blocks_splits_paragraphs_and_both_kinds_of_bullet():
    assert blocks("Intro:\n• One\n• Two\nAfter.\n- Three") == [
        Block("p", "Intro:"),
        Block("ul", items=("One", "Two")),
        Block("p", "After."),
        Block("ul", items=("Three",)),
    ]
    assert blocks("") == []
