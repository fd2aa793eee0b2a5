"""Pages of the hierarchy: a register's own risks or its whole branch, the filters by
register and branch, escalation in the browser's forms, and constant query counts."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from risks.models import Escalation, Register, ReportingPeriod, Risk
from tests.factories import (
    make_assessment,
    make_planner,
    make_post,
    make_register,
    make_risk,
    make_user,
)
from tests.queries import SIGNED_IN

pytestmark = pytest.mark.django_db

# Every page: SIGNED_IN. Then the branch page's own: the register (with whether registers sit beneath
# it and its waiting proposals), the periods, the pillars, the branch's registers, the page of
# rows with its count (2), the heat maps and alignment (1).
BRANCH_PAGE_QUERIES = SIGNED_IN + 7


def build(units_per_group: int, groups: int, depth: int, risks_per_register: int):
    """corporate → `groups` business groups → `units_per_group` units each, then `depth`
    more levels under the first unit; every register with its risks, all in one open quarter."""
    period = ReportingPeriod.objects.create(
        name="2021/22 Q3", slug="2021-22-q3", start=datetime.date(2021, 10, 1),
        end=datetime.date(2021, 12, 31), deadline=datetime.date(2021, 12, 3))
    owner = make_post("Owner")
    corporate = make_register("corporate", name="Corporate", kind="corporate")
    registers = [corporate]
    for g in range(groups):
        group = make_register(f"group-{g}", kind="business_group", parent=corporate)
        registers.append(group)
        for u in range(units_per_group):
            registers.append(make_register(f"unit-{g}-{u}", kind="unit", parent=group))
    below = registers[2]
    for d in range(depth):
        below = make_register(f"deep-{d}", kind="unit", parent=below)
        registers.append(below)
    for register in registers:
        for _ in range(risks_per_register):
            make_assessment(make_risk(register, owner=owner), period, state="approved")
    return period


@pytest.mark.parametrize("size", [(2, 1, 0, 2), (4, 3, 4, 5)], ids=["small", "large"])
def test_the_branch_page_costs_the_same_queries_whatever_the_depth_and_size(
    client, size, django_assert_num_queries
):
    build(*size)
    client.force_login(make_planner())
    url = reverse("risks:register", args=["corporate"]) + "?scope=branch"
    with django_assert_num_queries(BRANCH_PAGE_QUERIES):
        page = client.get(url)
    assert page.status_code == 200
    total = (1 + size[1] * (1 + size[0]) + size[2]) * size[3]
    assert f"{total} risks" in page.text


def test_a_register_shows_its_own_risks_or_its_whole_branch(client):
    period = build(2, 1, 0, 1)
    client.force_login(make_planner())
    group = Register.objects.get(slug="group-0")
    own = client.get(group.get_absolute_url())
    assert "1 risk in" in own.text and 'id="scope-branch"' in own.text
    branch = client.get(group.get_absolute_url() + "?scope=branch")
    assert "3 risks in" in branch.text and "This view rolls up 3 registers" in branch.text
    assert 'data-cell="register">Unit-0-1' in branch.text
    # The heat maps' links keep the branch.
    assert "?scope=branch&amp;period=" in branch.text or "scope=branch&amp;" in branch.text
    assert period.slug in branch.text


def test_my_risks_and_the_review_queue_filter_by_register_and_branch(client):
    build(2, 1, 0, 1)
    person = make_user("person", posts=[Risk.objects.first().owner])
    client.force_login(person)
    mine = reverse("risks:my-risks")
    # Two links a risk: the risk and its update.
    assert client.get(mine).text.count('href="/risks/') == 2 * 4
    assert client.get(mine + "?register=group-0").text.count('href="/risks/') == 2 * 1
    assert client.get(mine + "?register=group-0&scope=branch").text.count('href="/risks/') == 2 * 3
    assert client.get(mine + "?register=nowhere").status_code == 404
    client.force_login(make_planner())
    review = reverse("quarterly:review") + "?register=unit-0-0"
    assert client.get(review).status_code == 200


def test_escalation_through_the_pages_with_the_error_summary(client):
    build(1, 1, 0, 1)
    lead = make_post("Group lead")
    group = Register.objects.get(slug="group-0")
    Register.objects.filter(pk=group.pk).update(lead_post=lead)
    risk = Risk.objects.get(register__slug="unit-0-0")
    owner = make_user("riskowner", posts=[risk.owner])
    client.force_login(owner)
    url = reverse("risks:escalate", args=[risk.pk])
    page = client.get(url)
    assert page.status_code == 200 and f"Escalate to {group.name}" in page.text
    refused = client.post(url, {"to": f"up-{group.pk}", "reason": ""})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.text
    assert "Say why the risk should move" in refused.text
    assert client.post(url, {"to": "up-999999", "reason": "x"}).status_code == 400
    assert not Escalation.objects.exists()
    done = client.post(url, {"to": f"up-{group.pk}", "reason": "Rising."})
    escalation = Escalation.objects.get()
    assert done.status_code == 302 and done["Location"] == escalation.get_absolute_url()
    # The owner may read it but not decide it; the group's lead decides.
    assert client.post(escalation.get_absolute_url(),
                       {"decision": "accept", "reason": "ok"}).status_code == 403
    client.force_login(make_user("grouplead", posts=[lead]))
    listing = client.get(reverse("risks:escalations"))
    assert f'data-escalation="{escalation.pk}"' in listing.text
    bad = client.post(escalation.get_absolute_url(), {"decision": "maybe", "reason": ""})
    assert bad.status_code == 400 and "Choose whether to accept or decline" in bad.text
    ok = client.post(escalation.get_absolute_url(), {"decision": "accept", "reason": "Agreed."})
    assert ok.status_code == 302
    escalation.refresh_from_db()
    assert escalation.state == "accepted"
    source = client.get(risk.get_absolute_url()).text
    assert "Escalated to" in source and escalation.result_risk.get_absolute_url() in source
    arrived = client.get(escalation.result_risk.get_absolute_url()).text
    assert "Escalated from" in arrived and risk.get_absolute_url() in arrived


def test_the_example_organisation_never_reaches_the_october_2021_paper(seed):
    from django.contrib.auth import get_user_model

    from riskreg.report.data import build as build_report
    from riskreg.report.document import render_body
    from riskreg.report.models import Report

    call_command("loaddata", "report_2021_10", verbosity=0)
    before = render_body(build_report(Report.objects.get(pk=1)))
    for username in ("bcu", "lead"):
        get_user_model().objects.create_user(username=username)
    call_command("loaddata", "example_organisation", verbosity=0)
    assert Register.objects.filter(is_example=True).count() == 4
    assert Escalation.objects.get().state == "accepted"
    after = render_body(build_report(Report.objects.get(pk=1)))
    assert after == before
    assert "(example)" not in after and "North BCU" not in after


def test_the_paper_names_a_quarters_escalations_and_the_next_quarter_does_not(q3, planner):
    from riskreg.report.data import build as build_report
    from riskreg.report.document import render_body
    from riskreg.report.services import create_report
    from risks.escalations import decide_escalation, propose_escalation
    from risks.services import close_period, open_period

    corporate = Register.objects.get(slug="corporate")
    group = make_register("flp", name="Frontline Policing", kind="business_group",
                          parent=corporate)
    example = make_register("flp-example", name="Example group", kind="business_group",
                            parent=corporate, is_example=True)
    for register, reason in ((group, "A force-wide pattern."), (example, "Made up.")):
        risk = make_risk(register, title="KNIFE CRIME")
        up = propose_escalation(risk=risk, to_register=corporate, direction="up", reason="x",
                                by=planner)
        decide_escalation(escalation=up, accept=True, reason=reason, by=planner)
    report = create_report(register=corporate, period=q3, meeting_date=datetime.date(2022, 1, 24),
                           by=planner)
    text = render_body(build_report(report))
    assert ("Frontline Policing risk 1 (Knife Crime) was escalated to the register this "
            "quarter, as risk 12. The reason given: A force-wide pattern.") in text
    assert "Made up" not in text
    close_period(period=q3, by=planner, incomplete=True)
    assert "A force-wide pattern" in render_body(build_report(report))
    q4 = open_period(name="2021/22 Q4", slug="2021-22-q4", start=datetime.date(2022, 1, 1),
                     end=datetime.date(2022, 3, 31), deadline=datetime.date(2022, 3, 4),
                     by=planner)
    later = create_report(register=corporate, period=q4, meeting_date=datetime.date(2022, 4, 25),
                          by=planner)
    assert "was escalated" not in render_body(build_report(later))
