"""python manage.py audit_panel_report --period 2021-22-q2 --output report.pdf [--public]"""

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader


@pytest.fixture
def october(seed):
    call_command("loaddata", "report_2021_10", verbosity=0)


def text_of(path) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_the_command_writes_the_periods_report(october, tmp_path):
    full, public = tmp_path / "report.pdf", tmp_path / "public.pdf"
    err = io.StringIO()
    call_command("audit_panel_report", "--period", "2021-22-q2", "--output", str(full), stderr=err)
    call_command("audit_panel_report", "--period", "2021-22-q2", "--output", str(public),
                 "--public", stderr=err)
    assert full.read_bytes().startswith(b"%PDF-")
    assert "OFFICIAL-SENSITIVE" in text_of(full)
    assert "OFFICIAL-SENSITIVE" not in text_of(public)
    assert "Wrote" in err.getvalue()


def test_an_unknown_period_is_named_with_the_known_ones(october, tmp_path):
    with pytest.raises(CommandError, match="No reporting period '2099-q1'.*2021-22-q2"):
        call_command("audit_panel_report", "--period", "2099-q1", "--output", str(tmp_path / "x"))


def test_a_period_without_a_report_says_so(seed, tmp_path):
    with pytest.raises(CommandError, match="There is no report for 2021/22 Q2"):
        call_command("audit_panel_report", "--period", "2021-22-q2",
                     "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
