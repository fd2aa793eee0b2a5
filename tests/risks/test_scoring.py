"""The score bands' colours live in settings.RISK_BANDS alone: the CSS of pages and PDF, the
charts' band regions and the band tags all follow them, and they keep their contrast."""

import copy
import re

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from risks.dashboard import score_figure
from risks.models import Risk
from risks.scoring import TEXT_COLOUR, band_css, band_css_version, band_for, bands


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("band", bands(), ids=lambda b: b.key)
def test_each_band_keeps_its_contrast(band):
    assert _contrast(TEXT_COLOUR, band.fill) >= 13  # WCAG AA asks 4.5:1; the fills give 13:1
    assert _contrast(band.bar, "#ffffff") >= 3  # the bar: a non-text cue, 3:1


def test_the_css_has_one_rule_per_band_in_its_colours():
    css = band_css()
    assert ".rr-band--very_high { background-color: #f4cdc6; color: #0b0c0c; " \
           "box-shadow: inset 0 -4px 0 #942514; }" in css
    assert re.findall(r"\.rr-band--(\w+) ", css) == [b.key for b in bands()]


def _changed_bands():
    changed = copy.deepcopy(settings.RISK_BANDS)
    changed[0].update(fill="#123456", bar="#654321", tag="purple")
    return changed


def test_css_chart_fills_and_tags_all_follow_settings(settings):
    before = band_css_version()
    settings.RISK_BANDS = _changed_bands()

    css = band_css()
    assert ".rr-band--low { background-color: #123456;" in css
    assert "inset 0 -4px 0 #654321;" in css
    assert band_css_version() != before

    figure = score_figure(Risk(), [])
    fills = [s["fillcolor"] for s in figure["layout"]["shapes"] if s["type"] == "rect"]
    assert fills == ["#123456", "#fff7bf", "#fcd6c3", "#f4cdc6"]

    tag = render_to_string("risks/includes/band_tag.html", {"band": band_for(2)})
    assert tag.strip() == '<strong class="govuk-tag govuk-tag--purple">Low</strong>'


@pytest.mark.parametrize("change", [
    {"fill": "red; background: url(https://example.org/)"},
    {"bar": "#12345"},
    {"key": "low x"},
    {"tag": "rainbow"},
])
def test_a_band_that_would_break_the_css_or_tags_stops_with_a_clear_error(settings, change):
    changed = copy.deepcopy(settings.RISK_BANDS)
    changed[0].update(change)
    settings.RISK_BANDS = changed
    with pytest.raises(ImproperlyConfigured, match="RISK_BANDS"):
        band_css()
