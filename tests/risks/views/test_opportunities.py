"""Opportunities' pages (issue 18, item 4): the register's own section and benefit heat map,
the opportunity, its quarterly update, the review, /manage/, my opportunities; readers see
approved positions only; never counted with risks; bad input changes nothing; fixed queries."""

import re

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from riskreg.report.data import build
from riskreg.report.document import render_body
from riskreg.report.models import Report
from risks.models import (
    Opportunity,
    OpportunityAction,
    OpportunityActionUpdate,
    OpportunityAssessment,
    Post,
    Register,
    ReportingPeriod,
)
from risks.opportunity_services import opportunity_digest, save_opportunity
from risks.services import open_period
from tests.factories import Q3, make_planner
from tests.queries import SIGNED_IN

EXAMPLE = "example-opportunities"


@pytest.fixture
def example(seed):
    call_command("loaddata", "example_opportunities", verbosity=0)
    return Register.objects.get(slug=EXAMPLE)


@pytest.fixture
def q3_example(example, planner):
    """The example loaded, then 2021/22 Q3 opened: each opportunity carried forward."""
    return open_period(**Q3, by=planner)


def opp(ref=1) -> Opportunity:
    return Opportunity.objects.get(register__slug=EXAMPLE, ref=ref)


def update_data(a: OpportunityAssessment, **overrides) -> dict:
    data = {"likelihood": "3", "benefit": "4", "trend": "improving", "progress": "on_track",
            "commentary": "Three BCUs now.", "version": a.version}
    for action_id in OpportunityActionUpdate.objects.filter(
            period=a.period, action__opportunity=a.opportunity).values_list("action_id", flat=True):
        data[f"action_{action_id}"] = "in_progress"
    data.update(overrides)
    return data


def snapshot() -> list:
    rows = OpportunityAssessment.objects.order_by("pk").values_list(
        "pk", "version", "state", "likelihood", "benefit", "commentary")
    return [*rows, *OpportunityActionUpdate.objects.order_by("pk").values_list("pk", "status"),
            *Opportunity.objects.order_by("pk").values_list("pk", "ref", "title")]


# The register's section and its heat map ---------------------------------------------------------


def test_the_register_shows_its_opportunities_and_their_own_heat_map(client, example, planner):
    client.force_login(planner)
    html = client.get(f"/registers/{EXAMPLE}/?period=2021-22-q2").text
    section = html.split('<section class="rr-opportunities"', 1)[1].split("</section>", 1)[0]
    assert "Opportunities in 2021/22 Q2" in section
    assert "Mobile data for response officers" in section
    assert "M v H" in section  # opportunity 1: likelihood Medium v benefit High
    assert "data-example-data" in html  # the register is labelled as example data
    # Its own table with caption and headers, a band in words in every cell, benefit colours.
    heat = section.split('id="opportunity-heatmap"', 1)[1]
    assert "<caption" in heat and "Benefit: Very high" in heat and "Likelihood: Low" in heat
    cells = re.findall(r'<td class="govuk-table__cell rr-heatmap__cell ([^"]+)"', heat)
    assert len(cells) == 16
    assert all(c.startswith("rr-benefit--") for c in cells)
    assert "rr-band--" not in heat
    assert heat.count('class="rr-heatmap__band"') == 16
    assert "O1<span" in heat and "T O1" in heat


def test_opportunities_are_never_counted_with_risks(client, seed, planner, panel):
    """Pages and the October paper say the same of risks with an opportunity in the register."""
    corporate = Register.objects.get(slug="corporate")
    call_command("loaddata", "report_2021_10", verbosity=0)
    report = Report.objects.select_related("period", "register").get(pk=1)
    pages = ["/registers/corporate/?period=2021-22-q2", "/heatmaps/?period=2021-22-q2",
             "/dashboard/?period=2021-22-q2", "/registers/corporate/compare/?to=2021-22-q2"]

    def read():
        seen = {}
        for user in (planner, panel):
            client.force_login(user)
            for page in pages:
                text = client.get(page).text
                # Everything but the opportunities' own section, and the page's CSRF token.
                text = re.sub(r'<section class="rr-opportunities".*?</section>', "", text, flags=re.S)
                text = re.sub(r"[A-Za-z0-9]{64}", "TOKEN", text)
                seen[(user.username, page)] = [line for line in text.splitlines() if line.strip()]
        return seen, render_body(build(report))

    before, paper_before = read()
    # An opportunity in the corporate register itself, approved in 2021/22 Q2.
    opportunity = Opportunity.objects.create(
        register=corporate, ref=1, title="VIOLENT CRIME PREVENTION FUND",
        owner=Post.objects.get(name="AC Frontline Policing"), target_likelihood=4,
        target_benefit=4,
    )
    # A closed quarter refuses rows through the models: loaddata's raw path writes the example.
    OpportunityAssessment.objects.model._base_manager.bulk_create([OpportunityAssessment(
        opportunity=opportunity, period=ReportingPeriod.objects.get(slug="2021-22-q2"),
        likelihood=4, benefit=4, trend="improving", progress="on_track", commentary="Funded.",
        state="approved", reviewed_at=timezone.now(), ref=1, title=opportunity.title,
        owner_name="AC Frontline Policing", target_likelihood=4, target_benefit=4,
    )])
    after, paper_after = read()
    assert after == before
    assert paper_after == paper_before
    assert "VIOLENT CRIME PREVENTION FUND" not in paper_after
    client.force_login(planner)
    assert "VIOLENT CRIME PREVENTION FUND" in client.get(pages[0]).text  # its own section


# Readers see approved positions only ------------------------------------------------------------


def test_readers_see_approved_positions_only(client, q3_example, owner, panel, other_owner):
    a = OpportunityAssessment.objects.get(opportunity=opp(1), period=q3_example)
    client.force_login(owner)  # AC Frontline Policing owns opportunity 1
    response = client.post(f"/opportunities/{opp(1).pk}/update/",
                           update_data(a, commentary="DRAFT: not yet agreed", save="1"))
    assert response.status_code == 302
    assert "DRAFT: not yet agreed" in client.get(f"/opportunities/{opp(1).pk}/").text
    client.force_login(panel)
    detail = client.get(f"/opportunities/{opp(1).pk}/").text
    assert "DRAFT: not yet agreed" not in detail
    assert "Pilot on two BCUs" in detail  # 2021/22 Q2's approved commentary
    register = client.get(f"/registers/{EXAMPLE}/?period=2021-22-q3").text
    assert "as approved in 2021/22 Q2" in register and "M v H" in register
    assert "Three BCUs" not in register
    # Another owner can see neither the example register nor its opportunities.
    client.force_login(other_owner)
    assert client.get(f"/opportunities/{opp(1).pk}/").status_code == 404
    assert client.get(f"/opportunities/{opp(1).pk}/update/").status_code == 404


# The quarterly update, review and close ---------------------------------------------------------


def test_owner_updates_and_submits_the_team_approves(client, q3_example, owner, planner):
    o = opp(1)
    a = OpportunityAssessment.objects.get(opportunity=o, period=q3_example)
    client.force_login(owner)
    assert "My opportunities" in client.get("/my-risks/").text
    mine = client.get("/my-opportunities/").text
    assert "Mobile data for response officers" in mine and "Shared control room" not in mine
    response = client.post(f"/opportunities/{o.pk}/update/", update_data(a, submit="1"))
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.state, a.likelihood, a.benefit, a.commentary) == ("submitted", 3, 4, "Three BCUs now.")
    assert set(OpportunityActionUpdate.objects.filter(period=q3_example, action__opportunity=o)
               .values_list("status", flat=True)) == {"in_progress"}
    client.force_login(planner)
    queue = client.get("/review/").text
    assert "Mobile data for response officers" in queue.split('id="queue-opportunities"')[1]
    assert client.get(f"/review/opportunities/{a.pk}/").status_code == 200
    # An empty comment is refused with a message; nothing changes.
    before = snapshot()
    response = client.post(f"/review/opportunities/{a.pk}/return/", {"comment": "", "version": a.version})
    assert response.status_code == 400 and "There is a problem" in response.text
    assert snapshot() == before
    response = client.post(f"/review/opportunities/{a.pk}/approve/", {"version": a.version})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.state == "approved" and a.reviewed_by == planner


@pytest.mark.parametrize("overrides, message", [
    ({"likelihood": "9"}, "Choose a likelihood from Low to Very High"),
    ({"benefit": "0"}, "Choose a benefit from Low to Very high"),
    ({"likelihood": ""}, "Choose both the likelihood and the benefit, or neither"),
    ({"trend": "sideways"}, "Choose improving, stable or worsening"),
    ({"version": "abc"}, "not a number"),
    ({"version": "99999999999999999999999"}, "Someone saved this update"),
    ({"commentary": "x" * 5001}, "5000 characters or fewer"),
    ({"commentary": "\x00"}, ""),
    ({"action_1": "finished"}, "from the list"),
    ({"commentary": "", "submit": "1"}, "Enter the commentary"),
])
def test_bad_input_to_the_update_is_refused_and_changes_nothing(
        client, q3_example, owner, overrides, message):
    a = OpportunityAssessment.objects.get(opportunity=opp(1), period=q3_example)
    client.force_login(owner)
    before = snapshot()
    response = client.post(f"/opportunities/{opp(1).pk}/update/", update_data(a, **overrides))
    assert response.status_code == (409 if "Someone" in message else 400)
    assert message in response.text.replace("&#x27;", "'")
    assert snapshot() == before


def test_a_stale_update_is_refused_with_a_clear_message(client, q3_example, owner, lead):
    a = OpportunityAssessment.objects.get(opportunity=opp(1), period=q3_example)
    client.force_login(owner)
    client.post(f"/opportunities/{opp(1).pk}/update/", update_data(a, save="1"))
    before = snapshot()
    response = client.post(f"/opportunities/{opp(1).pk}/update/",
                           update_data(a, commentary="Mine", save="1"))  # still version 1
    assert response.status_code == 409 and "Someone saved this update" in response.text
    assert snapshot() == before


def test_who_may_update(client, q3_example, lead, panel, planner):
    url = f"/opportunities/{opp(1).pk}/update/"
    client.force_login(lead)  # the Head of Profession leads opportunity 1
    assert client.get(url).status_code == 200
    client.force_login(panel)
    assert client.get(url).status_code == 403
    client.force_login(planner)
    assert client.get(url).status_code == 200


def test_closing_the_quarter_needs_the_opportunities_approved(client, q3_example, planner):
    from risks.models import Assessment

    Assessment.objects.filter(period=q3_example, not_rated=False).update(
        trend="stable", progress="on_track")
    Assessment.objects.filter(period=q3_example).update(
        state="approved", reviewed_at=timezone.now(), commentary="Approved.")
    client.force_login(planner)
    response = client.post(f"/periods/{q3_example.slug}/close/", {})
    assert "3 updates are not approved yet" in response.text
    assert ReportingPeriod.objects.get(pk=q3_example.pk).is_open


# /manage/ ---------------------------------------------------------------------------------------


def test_the_team_adds_and_changes_opportunities(client, q3_example, planner):
    client.force_login(planner)
    post = Post.objects.get(name="Director of HR")
    data = {"register": q3_example and Register.objects.get(slug=EXAMPLE).pk, "ref": "4",
            "title": "Apprenticeship levy", "description": "", "owner": post.pk, "lead_0": "",
            "lead_1": "", "target_likelihood": "3", "target_benefit": "3", "is_active": "yes"}
    assert client.post("/manage/opportunities/new/", data).status_code == 302
    new = opp(4)
    assert OpportunityAssessment.objects.get(opportunity=new, period=q3_example).state == "draft"
    before = snapshot()
    refused = client.post("/manage/opportunities/new/", data)  # opportunity 4 exists
    assert refused.status_code == 400 and "already has opportunity 4" in refused.text
    refused = client.post("/manage/opportunities/new/", {**data, "ref": "5", "target_benefit": ""})
    assert refused.status_code == 400 and "Set both the target likelihood and benefit" in refused.text
    assert snapshot() == before
    edit = {**data, "title": "Apprenticeship levy fund", "was": opportunity_digest(new)}
    del edit["register"]
    assert client.post(f"/manage/opportunities/{new.pk}/", edit).status_code == 302
    assert OpportunityAssessment.objects.get(opportunity=new, period=q3_example).title == \
        "Apprenticeship levy fund"
    stale = client.post(f"/manage/opportunities/{new.pk}/", {**edit, "title": "Other"})
    assert stale.status_code == 409
    response = client.post(f"/manage/opportunities/{new.pk}/actions/new/", {
        "title": "Agree the scheme", "owner": post.pk, "due_day": "31", "due_month": "2",
        "due_year": "2022"})
    assert response.status_code == 400 and "Enter a real date" in response.text
    response = client.post(f"/manage/opportunities/{new.pk}/actions/new/", {
        "title": "Agree the scheme", "owner": post.pk, "due_day": "28", "due_month": "2",
        "due_year": "2022"})
    assert response.status_code == 302
    action = OpportunityAction.objects.get(opportunity=new)
    assert OpportunityActionUpdate.objects.get(action=action, period=q3_example).status == "not_started"
    assert "Apprenticeship levy fund" in client.get("/manage/opportunities/").text


# Query counts: the same whatever the number of opportunities ------------------------------------


def add_opportunities(n: int, planner) -> None:
    register = Register.objects.get(slug=EXAMPLE)
    post = Post.objects.get(name="AC Frontline Policing")
    start = Opportunity.objects.aggregate(m=Max("ref"))["m"]
    for i in range(n):
        o = save_opportunity(
            opportunity=None, register=register, leads=[post], by=planner,
            fields={"ref": start + i + 1, "title": f"Idea {i}", "description": "", "owner": post,
                    "target_likelihood": 2, "target_benefit": 3, "is_active": True},
        )
        OpportunityAction.objects.create(opportunity=o, title=f"Step {i}", owner=post)
    OpportunityAssessment.objects.filter(period__state="open").update(
        likelihood=2, benefit=2, trend="stable", progress="on_track", commentary="Fine.",
        state="approved", reviewed_at=timezone.now())


PAGES = {
    # page: (planner, panel, owner) queries besides SIGNED_IN
    "register": ("/registers/example-opportunities/", 7, 6, None),
    "detail": ("/opportunities/{pk}/", 4, 5, 5),
    "review": ("/review/", 6, None, None),
    "mine": ("/my-opportunities/", None, None, 2),
}


@pytest.mark.parametrize("n", [0, 25], ids=["3-opportunities", "28-opportunities"])
@pytest.mark.parametrize("page", list(PAGES))
def test_pages_keep_a_fixed_number_of_queries(
        client, q3_example, planner, panel, owner, django_assert_num_queries, n, page):
    add_opportunities(n, make_planner("adder"))
    url, *counts = PAGES[page]
    url = url.format(pk=opp(1).pk)
    for user, count in zip((planner, panel, owner), counts, strict=True):
        if count is None:
            continue
        client.force_login(user)
        with django_assert_num_queries(SIGNED_IN + count):
            assert client.get(url).status_code == 200
