"""Numbers written as words, the way the Audit Panel report writes its figures ("eight", "two")."""

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
