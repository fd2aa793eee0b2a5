"""The PDF renderer fetches the project's own static files and data: URLs, and nothing else."""

import base64
import copy
import datetime
import io
import logging
import re

import pytest
from pypdf import PdfReader

from riskreg.report import pdf
from riskreg.report.document import pdf_bytes
from riskreg.report.models import Report
from risks.scoring import band_css
from tests.factories import (
    make_assessment,
    make_control,
    make_control_update,
    make_period,
    make_register,
    make_risk,
)

STATIC = pdf.BASE_URL + "static/"


def test_the_projects_static_files_are_served():
    response = pdf.StaticOnlyFetcher().fetch(STATIC + "css/pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_data_urls_are_served():
    fetcher = pdf.StaticOnlyFetcher()
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"
    assert fetcher.fetch("data:,hi%20there").read() == b"hi there"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/hostname",
        "http://example.com/tracker.png",
        "https://example.com/static/css/pdf.css",
        "http://riskreg.invalid/static/css/pdf.css",
        "ftp://example.com/x.css",
        pdf.BASE_URL + "etc/passwd",
        pdf.BASE_URL + "riskreg/settings.py",
        STATIC + "../riskreg/settings.py",
        STATIC + "%2e%2e/riskreg/settings.py",
        STATIC + "css/../../riskreg/settings.py",
        STATIC + "css/./pdf.css",
        STATIC + "/etc/passwd",
        STATIC + "..%2f..%2fetc/passwd",
        STATIC + "css\\..\\..\\riskreg\\settings.py",
        STATIC + "no-such-file.css",
        STATIC,
        "data:text/plain;base64",
    ],
)
def test_every_other_url_is_refused_before_anything_is_opened(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticOnlyFetcher().fetch(url)


class SpyFetcher(pdf.StaticOnlyFetcher):
    """Records every URL WeasyPrint asks for, then fetches it the project's way."""

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []

    def fetch(self, url, headers=None):
        self.asked.append(url)
        return super().fetch(url, headers)


HOSTILE = (
    'See file:///etc/passwd and http://example.com/tracker.png '
    '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://example.com/x.css"> '
    '<style>@import url(file:///etc/shadow);</style> url(../../riskreg/settings.py)'
)


@pytest.mark.django_db
def test_references_typed_into_any_text_fetch_nothing_and_appear_as_text():
    register = make_register(name="Corporate risk register")
    period = make_period(start=datetime.date(2040, 1, 1))
    risk = make_risk(register, title="HOSTILE", description=HOSTILE, appetite=HOSTILE)
    make_assessment(risk, period, commentary=HOSTILE, state="approved")
    make_control_update(make_control(risk, title="file:///etc/hosts", is_key=True), period,
                        note=HOSTILE)
    report = Report.objects.create(
        register=register, period=period, meeting_date=datetime.date(2040, 4, 1),
        summary_purpose=HOSTILE, contact_unit="OFFICIAL <b>file:///etc/passwd</b>",
    )
    report.noted_risks.add(risk)
    report.appendix_b_risks.add(risk)

    spy = SpyFetcher()
    data = pdf_bytes(Report.objects.get(pk=report.pk), fetcher=spy)

    band_colours = "data:text/css;base64," + base64.b64encode(band_css().encode()).decode()
    assert spy.asked == [
        STATIC + "css/riskreg.css", band_colours, STATIC + "css/heatmap.css",
        STATIC + "css/report.css", STATIC + "css/pdf.css",
    ]
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    assert "See file:///etc/passwd and http://example.com/tracker.png" in text
    assert '<img src="file:///etc/passwd">' in text
    assert "@import url(file:///etc/shadow);" in text
    assert "file:///etc/hosts" in text
    assert "OFFICIAL <b>file:///etc/passwd</b>" in text
    # Nothing from the files named came into the PDF.
    assert "root:" not in text


@pytest.mark.django_db
def test_rendering_logs_no_warning_about_the_page_css(caplog):
    """The PDF loads the page CSS; WeasyPrint would warn about its browser-only properties."""
    register = make_register(name="Corporate risk register")
    period = make_period(start=datetime.date(2040, 1, 1))
    make_assessment(make_risk(register), period, state="approved")
    report = Report.objects.create(
        register=register, period=period, meeting_date=datetime.date(2040, 4, 1)
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf_bytes(report, use_cache=False)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_the_cache_key_changes_with_each_stylesheet_the_pdf_loads(monkeypatch, tmp_path):
    before = pdf._cache_key("<html></html>")
    for name in pdf.STYLESHEETS:
        changed = tmp_path / name.replace("/", "-")
        changed.write_text("/* changed */")
        found = pdf.finders.find
        with monkeypatch.context() as patch:
            patch.setattr(
                pdf.finders, "find", lambda path, n=name, f=found, c=changed: str(c) if path == n else f(path)
            )
            assert pdf._cache_key("<html></html>") != before, name
    assert pdf._cache_key("<html></html>") == before


def test_the_pdf_links_the_band_colours_where_the_pages_do_and_its_fetcher_serves_them(settings):
    hrefs = pdf.stylesheet_hrefs()
    assert hrefs[0] == "/static/css/riskreg.css" and hrefs[2:] == [
        f"/static/{name}" for name in pdf.STYLESHEETS[1:]
    ]
    assert pdf.StaticOnlyFetcher().fetch(hrefs[1]).read().decode() == band_css()

    bands = copy.deepcopy(settings.RISK_BANDS)
    bands[1]["fill"] = "#abcdef"
    settings.RISK_BANDS = bands
    assert b"#abcdef" in pdf.StaticOnlyFetcher().fetch(pdf.stylesheet_hrefs()[1]).read()
