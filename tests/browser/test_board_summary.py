"""Issue 17: a board's secretariat starts its meeting's summary, adds a risk with a reason,
publishes it and downloads its PDF, all in Chromium; each page without WCAG violations (axe)."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from risks.models import Board, Post, Register
from tests.factories import make_user

from .conftest import open_page
from .test_accessibility import axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def secretary():
    call_command("loaddata", "corporate_2021_10", verbosity=0)
    post = Post.objects.create(name="RAB secretariat")
    board = Board.objects.create(name="Risk and Assurance Board", slug="rab", min_score=8)
    board.registers.add(Register.objects.get(slug="corporate"))
    board.secretariat.add(post)
    return make_user("secretary", first_name="Sam", last_name="Secretary", posts=[post])


def test_the_secretariat_produces_a_board_summary_pdf(chromium, live_server, secretary, tmp_path):
    signed = open_page(chromium, live_server, secretary)
    page = signed.page
    page.goto("/boards/")
    page.click("a:has-text('Risk and Assurance Board')")
    expect(page.locator("h1")).to_have_text("Risk and Assurance Board")
    found = {"board": axe(page, live_server)}
    page.select_option("select[name='period']", label="2021/22 Q2")
    page.fill("input[name='meeting_day']", "15")
    page.fill("input[name='meeting_month']", "11")
    page.fill("input[name='meeting_year']", "2021")
    page.check("input[name='protective_marking'][value='OFFICIAL-SENSITIVE']")
    page.click("button:has-text('Start the summary')")
    expect(page.locator("h1")).to_contain_text("15 November 2021")
    expect(page.locator("#summary-document")).to_contain_text("STANDARDS")
    found["summary"] = axe(page, live_server)

    page.click("a:has-text('Edit the summary')")
    expect(page.locator("h1")).to_have_text("Edit the summary")
    found["edit"] = axe(page, live_server)
    page.select_option("select[name='risk']", label="Corporate risk register: risk 7, TECHNOLOGY")
    page.check("input[name='action'][value='add']")
    page.fill("textarea[name='reason']", "Legacy infrastructure to discuss.")
    page.click("button:has-text('Record the choice')")
    expect(page.locator("#summary-document")).to_contain_text(
        "Added by the secretariat: Legacy infrastructure to discuss."
    )

    page.click("a:has-text('Back to the summary')")
    page.click("a:has-text('Check and publish')")
    expect(page.locator("h1")).to_have_text("Check before you publish")
    found["publish"] = axe(page, live_server)
    page.check("input[name='confirm']")
    page.click("button:has-text('Publish the summary')")
    expect(page.locator(".govuk-tag")).to_contain_text("Published")

    with page.expect_download() as download_info:
        page.click("a.govuk-button:has-text('Download the PDF')")
    download = download_info.value
    assert download.suggested_filename == "rab-summary-2021-11-15-OFFICIAL-SENSITIVE.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1
    for words in ("OFFICIAL-SENSITIVE", "Significant risks: 2021/22 Q2", "TECHNOLOGY",
                  "Legacy infrastructure to discuss."):
        assert words in text
    assert "DRAFT" not in text
    assert signed.csp_errors == []
    assert {name: v for name, v in found.items() if v} == {}  # WCAG 2.2 AA, as every page
    signed.close()
