"""The risk scales and score bands. Bands are configured once, in settings.RISK_BANDS."""

import hashlib
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver


class Scale(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"
    VERY_HIGH = 4, "Very High"


SCALE_ABBREVIATIONS = {1: "L", 2: "M", 3: "H", 4: "VH"}
SCALE_RANGE = range(1, 5)
# Every score a position can have (likelihood x impact).
ALL_SCORES = sorted({lik * imp for lik in SCALE_RANGE for imp in SCALE_RANGE})


@dataclass(frozen=True)
class Band:
    """A score band and its colours (settings.RISK_BANDS says what each is for)."""

    key: str
    label: str
    low: int
    high: int
    fill: str
    bar: str
    tag: str


@cache
def _bands() -> tuple[Band, ...]:
    return tuple(Band(**row) for row in settings.RISK_BANDS)


def bands() -> list[Band]:
    """settings.RISK_BANDS as Bands, made once (every score on a page asks for its band)."""
    return list(_bands())


@receiver(setting_changed, dispatch_uid="risks.scoring.bands_changed")
def _bands_changed(setting, **kwargs) -> None:
    if setting == "RISK_BANDS":
        _bands.cache_clear()


def band_for(score: int | None) -> Band | None:
    if score is None:
        return None
    for band in bands():
        if band.low <= score <= band.high:
            return band
    raise ValueError(f"No band holds the score {score}; check settings.RISK_BANDS.")


# What settings.RISK_BANDS may put into class names, CSS and GOV.UK tags.
_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")
GOVUK_TAG_COLOURS = frozenset(
    {"grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red", "orange",
     "yellow"}
)
TEXT_COLOUR = "#0b0c0c"  # GOV.UK's text colour


def band_css() -> str:
    """The .rr-band--<key> rules of every band: linked by every page (riskreg's bands.css
    view) and by the PDF, so neither restates a colour."""
    rules = ["/* Score band colours, made from settings.RISK_BANDS by risks.scoring.band_css(). */"]
    for band in bands():
        if not (_KEY.match(band.key) and _COLOUR.match(band.fill) and _COLOUR.match(band.bar)
                and band.tag in GOVUK_TAG_COLOURS):
            raise ImproperlyConfigured(
                f"settings.RISK_BANDS: band {band.key!r} needs a key of lower-case letters, digits "
                f"and _, fill and bar as #rrggbb, and a GOV.UK tag colour ({band.tag!r})."
            )
        rules.append(
            f".rr-band--{band.key} {{ background-color: {band.fill}; color: {TEXT_COLOUR}; "
            f"box-shadow: inset 0 -4px 0 {band.bar}; }}"
        )
    return "\n".join(rules) + "\n"


def band_css_version() -> str:
    """Changes whenever band_css() does: it names the stylesheet's address, so browsers may
    keep the stylesheet for good."""
    return hashlib.sha256(band_css().encode()).hexdigest()[:16]


def position_label(likelihood: int | None, impact: int | None) -> str:
    """The seed's notation: "M v H" is likelihood Medium v impact High."""
    if likelihood is None or impact is None:
        return ""
    return f"{SCALE_ABBREVIATIONS[likelihood]} v {SCALE_ABBREVIATIONS[impact]}"


def position_words(likelihood: int | None, impact: int | None) -> str:
    if likelihood is None or impact is None:
        return "Not scored"
    return f"likelihood {Scale(likelihood).label}, impact {Scale(impact).label}"
