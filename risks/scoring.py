"""The risk scales and score bands. Bands are configured once, in settings.RISK_BANDS."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models


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
    key: str
    label: str
    low: int
    high: int


def bands() -> list[Band]:
    return [Band(*row) for row in settings.RISK_BANDS]


def band_for(score: int | None) -> Band | None:
    if score is None:
        return None
    for band in bands():
        if band.low <= score <= band.high:
            return band
    raise ValueError(f"No band holds the score {score}; check settings.RISK_BANDS.")


def position_label(likelihood: int | None, impact: int | None) -> str:
    """The seed's notation: "M v H" is likelihood Medium v impact High."""
    if likelihood is None or impact is None:
        return ""
    return f"{SCALE_ABBREVIATIONS[likelihood]} v {SCALE_ABBREVIATIONS[impact]}"


def position_words(likelihood: int | None, impact: int | None) -> str:
    if likelihood is None or impact is None:
        return "Not scored"
    return f"likelihood {Scale(likelihood).label}, impact {Scale(impact).label}"
