"""riskreg/report/access.py and ReportQuerySet.visible_to: owners and leads read the public
version of their registers' current published papers, never Appendix B, never a draft (issue 15)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from riskreg.report.models import Report
from risks.models import Post
from tests.factories import make_register, make_risk, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(seed):
    call_command("loaddata", "report_2021_10", verbosity=0)
    return Report.objects.get(pk=1)


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_an_owner_reads_the_public_version_only(client, october):
    owner = make_user("olive", posts=[Post.objects.get(name="AC Frontline Policing")])
    client.force_login(owner)
    listing = client.get(reverse("reports:list")).text
    assert october.get_absolute_url() in listing
    assert f'href="{october.get_pdf_url()}" download' not in listing  # no full version link
    assert "public version" in listing

    # Asking for the full version gives the public one: its name and its text say so.
    response = client.get(october.get_pdf_url())
    assert response.status_code == 200
    assert "-public-" in response["Content-Disposition"]
    text = text_of(response.content)
    assert "Non restricted paper" in text and "OFFICIAL-SENSITIVE" not in text
    assert "(not included in this version)" in text
    assert "Overall assessment of progress towards the target score" not in text
    preview = client.get(october.get_absolute_url()).text
    assert "Show the full report" not in preview


def test_someone_with_no_risk_in_the_register_sees_no_report(client, october):
    elsewhere = make_risk(make_register("elsewhere"))
    stranger = make_user("stranger", posts=[elsewhere.owner])
    client.force_login(stranger)
    assert october.get_absolute_url() not in client.get(reverse("reports:list")).text
    assert client.get(october.get_absolute_url()).status_code == 404
    assert client.get(october.get_pdf_url()).status_code == 404


def test_an_owner_never_sees_a_draft_or_a_withdrawn_paper(client, october, planner):
    from riskreg.report.services import withdraw_report

    owner = make_user("olive", posts=[Post.objects.get(name="AC Frontline Policing")])
    client.force_login(owner)
    withdraw_report(report=october, reason="Sent to the wrong meeting.", by=planner)
    assert client.get(october.get_absolute_url()).status_code == 404
    assert "No report on your registers has been published yet." in client.get(
        reverse("reports:list")
    ).text
