"""Example data never reaches the October 2021 paper: with the example register, its appetite,
tolerance and key risk indicators loaded, the paper says exactly what it said (issue 18)."""

import pytest
from django.core.management import call_command

from riskreg.report.data import build
from riskreg.report.document import render_body
from riskreg.report.models import Report

pytestmark = pytest.mark.django_db


def october_html(public: bool = False) -> str:
    report = Report.objects.select_related("period", "register").get(pk=1)
    return render_body(build(report, public=public))


def test_the_october_2021_paper_is_identical_with_the_example_indicators_loaded():
    call_command("loaddata", "corporate_2021_10", "report_2021_10", verbosity=0)
    before, before_public = october_html(), october_html(public=True)
    call_command("loaddata", "example_indicators", verbosity=0)
    assert october_html() == before
    assert october_html(public=True) == before_public
    for words in ("example data", "Roads Policing Unit", "Knife crime offences near", "in breach"):
        assert words not in before
