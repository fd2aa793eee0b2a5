"""risks/views/manage.py: the Planning & Risk Team keeps risks, posts and their holders, pillars
and registers in GOV.UK pages (issue 16); bad input gets a message and changes nothing; every
list costs a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from risks.manage import pillar_digest, post_digest, register_digest, risk_digest, save_risk
from risks.models import Assessment, Pillar, Post, Register, ReportingPeriod, Risk, RiskLead
from risks.services import close_period, open_period
from tests.factories import make_post, make_register, make_risk, make_user
from tests.queries import SIGNED_IN

AROUND = SIGNED_IN

Q4 = {
    "name": "2021/22 Q4", "slug": "2021-22-q4", "start": datetime.date(2022, 1, 1),
    "end": datetime.date(2022, 3, 31), "deadline": datetime.date(2022, 3, 4),
}


def url(name, *args):
    return reverse(f"manage:{name}", args=args)


def risk_data(risk: Risk, **changes) -> dict:
    """The risk's form as its page would post it, unchanged but for `changes`."""
    data = {
        "ref": risk.ref, "title": risk.title, "description": risk.description,
        "description_agreed": "yes" if risk.description_agreed else "no",
        "horizon": risk.horizon, "owner": risk.owner_id,
        "target_likelihood": risk.target_likelihood or "", "target_impact": risk.target_impact or "",
        "pillars": list(risk.pillars.values_list("pk", flat=True)), "was": risk_digest(risk),
    }
    leads = risk.ordered_leads()
    for i in range(max(3, len(leads) + 2)):
        data[f"lead_{i}"] = leads[i].pk if i < len(leads) else ""
    data.update(changes)
    return data


def snapshot(period) -> list[tuple]:
    """Every update of the period with its record of its risk and pillars."""
    return [
        (*(getattr(a, name) for name in ("risk_id", "state", *Assessment.DEFINITION_FIELDS)),
         sorted(a.pillars.values_list("pk", flat=True)))
        for a in Assessment.objects.filter(period=period).order_by("risk_id")
    ]


@pytest.fixture
def team(client, planner):
    client.force_login(planner)
    return client


# Risks -------------------------------------------------------------------------------------------


def test_the_team_adds_a_risk_to_the_open_quarter(team, planner, q3, seed):
    corporate = Register.objects.get(slug="corporate")
    owner, lead_a, lead_b = (Post.objects.get(name=n) for n in (
        "Deputy Commissioner", "Director of HR", "Director of Finance"))
    pillar = Pillar.objects.order_by("order").first()
    page = team.get(url("risk-new") + "?register=corporate").text
    assert "Add a risk" in page and 'name="lead_0"' in page
    response = team.post(url("risk-new"), {
        "register": corporate.pk, "ref": "12", "title": "FRAUD", "description": "Fraud rises.",
        "description_agreed": "yes", "horizon": "long", "owner": owner.pk,
        "target_likelihood": "2", "target_impact": "3", "pillars": [pillar.pk],
        "lead_0": lead_b.pk, "lead_1": "", "lead_2": lead_a.pk,
    }, follow=True)
    risk = Risk.objects.get(register=corporate, ref=12)
    assert response.redirect_chain[-1][0] == risk.get_absolute_url()
    assert "Risk 12 FRAUD added to Corporate risk register" in response.text
    assert [p.name for p in risk.ordered_leads()] == ["Director of Finance", "Director of HR"]
    draft = Assessment.objects.get(risk=risk, period=q3)
    assert (draft.state, draft.title, draft.lead_names) == (
        "draft", "FRAUD", ["Director of Finance", "Director of HR"])
    assert list(draft.pillars.all()) == [pillar]
    record = Risk.history.filter(id=risk.pk).latest("history_date")
    assert (record.history_user, record.history_change_reason) == (planner, "Added")
    assert RiskLead.history.filter(risk_id=risk.pk, history_user=planner).count() == 2


def test_the_team_changes_a_risk_for_the_open_quarter_only(team, planner, q3, risk1):
    q2 = q3.previous()
    before_q2 = snapshot(q2)
    pillars = list(Pillar.objects.order_by("-order")[:2])
    new_lead = Post.objects.get(name="Director of HR")
    data = risk_data(risk1, title="SERIOUS VIOLENCE", target_likelihood="1", target_impact="1",
                     pillars=[p.pk for p in pillars], description_agreed="no")
    data["lead_0"], data["lead_1"] = new_lead.pk, risk1.ordered_leads()[0].pk
    response = team.post(url("risk-edit", risk1.pk), data, follow=True)
    assert "Risk 1 saved for 2021/22 Q3 onward." in response.text
    risk1.refresh_from_db()
    assert (risk1.title, risk1.target_likelihood, risk1.description_agreed) == (
        "SERIOUS VIOLENCE", 1, False)
    assert risk1.ordered_leads()[0] == new_lead
    record = Assessment.objects.get(risk=risk1, period=q3)
    assert (record.title, record.target_likelihood, record.lead_names[0]) == (
        "SERIOUS VIOLENCE", 1, "Director of HR")
    assert set(record.pillars.all()) == set(pillars)
    assert snapshot(q2) == before_q2
    last = Risk.history.filter(id=risk1.pk).latest("history_date")
    assert (last.history_user, last.history_change_reason) == (planner, "Changed")
    # One record for the whole change, pillars included.
    assert Risk.history.filter(id=risk1.pk, history_user=planner).count() == 1


def test_a_second_quarter_edit_changes_the_open_quarter_and_not_the_closed_one(
    team, planner, q3, risk1
):
    """The seed's next quarter closed, the one after opened: an edit through the pages is
    the open quarter's, and the closed quarters keep what they recorded."""
    close_period(period=q3, by=planner, incomplete=True)
    q4 = open_period(**Q4, by=planner)
    q2 = ReportingPeriod.objects.get(slug="2021-22-q2")
    before = {p.slug: snapshot(p) for p in (q2, q3)}
    response = team.post(url("risk-edit", risk1.pk), risk_data(risk1, title="KNIFE CRIME"))
    assert response.status_code == 302
    assert Assessment.objects.get(risk=risk1, period=q4).title == "KNIFE CRIME"
    assert {p.slug: snapshot(p) for p in (q2, q3)} == before
    # Retiring through the confirmation page: Q4 records it, Q3 still shows it active.
    response = team.post(url("risk-retire", risk1.pk), {"was": risk_digest(Risk.objects.get(pk=risk1.pk))},
                         follow=True)
    assert "Risk 1 KNIFE CRIME retired from 2021/22 Q4 onward." in response.text
    assert Assessment.objects.get(risk=risk1, period=q4).retired
    assert not Assessment.objects.get(risk=risk1, period=q3).retired
    assert {p.slug: snapshot(p) for p in (q2, q3)} == before
    # And reinstated.
    response = team.post(url("risk-reinstate", risk1.pk), {"was": risk_digest(Risk.objects.get(pk=risk1.pk))})
    assert response.status_code == 302
    assert not Assessment.objects.get(risk=risk1, period=q4).retired


def test_with_no_quarter_open_only_the_risk_changes(team, seed, risk1):
    q2 = ReportingPeriod.objects.get(slug="2021-22-q2")
    before = snapshot(q2)
    page = team.get(url("risk-edit", risk1.pk)).text
    assert "No reporting period is open" in page
    assert team.post(url("risk-edit", risk1.pk), risk_data(risk1, title="X")).status_code == 302
    assert snapshot(q2) == before
    # Retiring needs a quarter to record it in: refused with the reason, nothing written.
    assert "open one first" in team.get(url("risk-retire", risk1.pk)).text
    response = team.post(url("risk-retire", risk1.pk), {"was": risk_digest(Risk.objects.get(pk=risk1.pk))})
    assert response.status_code == 400 and "No reporting period is open" in response.text
    assert Risk.objects.get(pk=risk1.pk).is_active


BAD_RISK_INPUT = [
    ({"ref": "2"}, "Corporate risk register already has risk 2 (NEW SYSTEMS): choose another number"),
    ({"ref": "0"}, "The risk number must be 1 or more"),
    ({"ref": "99999999999999999999"}, "The risk number must be 32767 or less"),
    ({"ref": "١٢"}, "Enter the risk number as a whole number"),
    ({"title": "   "}, "Enter the risk&#x27;s title"),
    ({"title": "x" * 201}, "Title must be 200 characters or fewer"),
    ({"target_likelihood": "5"}, "Choose a target likelihood from Low to Very High"),
    ({"target_impact": "99999999999999999999999"}, "Choose a target impact from Low to Very High"),
    ({"target_impact": ""}, "Set both the target likelihood and impact, or neither"),
    ({"horizon": "forever"}, "Choose short-term or long-term"),
    ({"owner": "99999999999999999999999"}, "Choose the owner from the list of posts"),
    ({"owner": ""}, "Choose the post that owns the risk"),
    ({"pillars": ["nope"]}, "Choose pillars from the list"),
    ({"lead_1": "lead"}, "Choose working leads from the list of posts"),
    ({"description_agreed": "maybe"}, "Say whether the description is agreed"),
]


def test_bad_input_to_a_risk_gets_a_message_and_changes_nothing(team, q3, risk1):
    before = (risk_digest(risk1), snapshot(q3), Risk.history.count())
    for changes, message in BAD_RISK_INPUT:
        response = team.post(url("risk-edit", risk1.pk), risk_data(risk1, **changes))
        assert response.status_code == 400, changes
        assert "govuk-error-summary" in response.text and message in response.text, changes
        assert (risk_digest(risk1), snapshot(q3), Risk.history.count()) == before


def test_a_post_is_a_working_lead_once(team, q3, risk1):
    lead = risk1.ordered_leads()[0]
    before = risk_digest(risk1)
    response = team.post(url("risk-edit", risk1.pk), risk_data(risk1, lead_2=lead.pk))
    assert response.status_code == 400
    assert "Inclusion &amp; Engagement is already a working lead: choose each post once" in response.text
    assert risk_digest(risk1) == before


def test_a_new_risk_with_a_taken_number_is_refused(team, q3, risk1):
    count = Risk.objects.count()
    data = risk_data(risk1, register=risk1.register_id, was="")
    response = team.post(url("risk-new"), data)
    assert response.status_code == 400 and "already has risk 1 (VIOLENT CRIME)" in response.text
    assert Risk.objects.count() == count


def test_a_change_made_meanwhile_is_not_overwritten(team, planner, q3, risk1):
    opened = risk_data(risk1, title="MINE")
    save_risk(risk=risk1, fields={"title": "THEIRS"}, leads=risk1.ordered_leads(),
              pillars=list(risk1.pillars.all()), by=planner)
    response = team.post(url("risk-edit", risk1.pk), opened)
    assert response.status_code == 409
    assert "Someone changed this risk after you opened this page" in response.text
    assert "THEIRS" in response.text and 'value="MINE"' in response.text
    assert Risk.objects.get(pk=risk1.pk).title == "THEIRS"


def test_retiring_a_retired_risk_is_refused(team, q3, risk1):
    assert team.post(url("risk-retire", risk1.pk), {}).status_code == 302
    history = Risk.history.count()
    assert "This risk is already retired" in team.get(url("risk-retire", risk1.pk)).text
    response = team.post(url("risk-retire", risk1.pk), {})
    assert response.status_code == 400 and "Risk 1 is already retired." in response.text
    assert Risk.history.count() == history


def test_a_confirmation_opened_before_a_change_is_refused(team, planner, q3, risk1):
    opened = risk_digest(risk1)
    save_risk(risk=risk1, fields={"title": "THEIRS"}, leads=risk1.ordered_leads(),
              pillars=list(risk1.pillars.all()), by=planner)
    response = team.post(url("risk-retire", risk1.pk), {"was": opened})
    assert response.status_code == 409 and "Someone changed this risk" in response.text
    assert Risk.objects.get(pk=risk1.pk).is_active


def test_nobody_but_the_team_changes_a_risk(client, q3, risk1, owner, lead, panel, outsider):
    before = risk_digest(risk1)
    for person in (owner, lead, panel, outsider):
        client.force_login(person)
        for name in ("risks", "risk-new"):
            assert client.get(url(name)).status_code == 403
        for name in ("risk-edit", "risk-retire", "risk-reinstate"):
            assert client.get(url(name, risk1.pk)).status_code == 403
            response = client.post(url(name, risk1.pk), risk_data(risk1, title="NOT YOURS"))
            assert response.status_code == 403
    assert risk_digest(risk1) == before


# Posts ------------------------------------------------------------------------------------------


def test_the_team_changes_who_holds_a_post(team, planner, q3, risk1):
    post = risk1.owner
    newcomer = make_user("newcomer")
    response = team.post(url("post-edit", post.pk), {
        "name": "AC Frontline", "holders": [newcomer.pk], "was": post_digest(post),
    }, follow=True)
    assert "AC Frontline saved." in response.text
    post.refresh_from_db()
    assert list(post.holders.all()) == [newcomer]
    # The open quarter names the owner as it is called now; the closed one as it was.
    assert Assessment.objects.get(risk=risk1, period=q3).owner_name == "AC Frontline"
    assert Assessment.objects.get(risk=risk1, period=q3.previous()).owner_name == "AC Frontline Policing"
    record = Post.history.filter(id=post.pk).latest("history_date")
    assert record.history_user == planner
    assert [h.user_id for h in record.holders.all()] == [newcomer.pk]
    history = team.get(url("post-edit", post.pk)).text.split('id="history"', 1)[1]
    assert "Holders added: newcomer" in history and "Name: “AC Frontline Policing” → “AC Frontline”" in history
    # The newcomer may now update the risk.
    team.force_login(newcomer)
    assert team.get(reverse("quarterly:update", args=[risk1.pk])).status_code == 200


def test_a_post_is_added_once_whatever_its_case(team, seed):
    count = Post.objects.count()
    response = team.post(url("post-new"), {"name": "director of hr"})
    assert response.status_code == 400 and "There is already a post called Director of HR" in response.text
    response = team.post(url("post-new"), {"name": "Director of Audit", "holders": ["99999999999999999999"]})
    assert response.status_code == 400 and "Choose holders from the list of people" in response.text
    assert Post.objects.count() == count
    assert team.post(url("post-new"), {"name": "Director of Audit"}).status_code == 302
    assert Post.objects.count() == count + 1


def test_a_post_that_owns_risks_is_never_deleted(team, q3, risk1):
    post = risk1.owner
    page = team.get(url("post-delete", post.pk)).text
    assert "AC Frontline Policing cannot be deleted" in page and "owns risk 1 VIOLENT CRIME" in page
    assert "Delete the post</button>" not in page
    response = team.post(url("post-delete", post.pk))
    assert response.status_code == 400 and "it owns risk 1 VIOLENT CRIME" in response.text
    assert Post.objects.filter(pk=post.pk).exists()
    # A lead that past quarters never recorded as an owner is still in use while it leads.
    lead = risk1.ordered_leads()[0]
    assert team.post(url("post-delete", lead.pk)).status_code == 400


def test_an_unused_post_is_deleted_after_confirming(team, planner, seed):
    post = make_post("Temporary post")
    post.holders.add(make_user("temp"))
    assert "Are you sure you want to delete Temporary post?" in team.get(url("post-delete", post.pk)).text
    response = team.post(url("post-delete", post.pk), follow=True)
    assert "Temporary post deleted." in response.text
    assert not Post.objects.filter(pk=post.pk).exists()
    assert Post.history.filter(id=post.pk, history_type="-").get().history_user == planner


# Pillars and registers ---------------------------------------------------------------------------


def test_the_team_adds_and_renames_a_pillar(team, planner, seed):
    assert team.post(url("pillar-new"), {"name": "Value for money", "order": "8"}).status_code == 302
    pillar = Pillar.objects.get(name="Value for money")
    response = team.post(url("pillar-edit", pillar.pk), {
        "name": "Value for money and efficiency", "order": "9", "was": pillar_digest(pillar),
    }, follow=True)
    assert "Pillar “Value for money and efficiency” saved." in response.text
    assert Pillar.history.filter(id=pillar.pk, history_user=planner).count() == 2


def test_a_pillar_a_closed_quarter_recorded_keeps_its_name(team, q3, risk1):
    pillar = risk1.pillars.first()
    response = team.post(url("pillar-edit", pillar.pk), {
        "name": "Renamed", "order": pillar.order, "was": pillar_digest(pillar)})
    assert response.status_code == 400
    assert "2021/22 Q2 is closed and recorded risks under this pillar" in response.text
    assert Pillar.objects.get(pk=pillar.pk).name == pillar.name


def test_a_register_a_closed_quarter_recorded_keeps_its_name(team, seed):
    corporate = Register.objects.get(slug="corporate")
    response = team.post(url("register-edit", corporate.pk), {
        "name": "Renamed", "parent": "", "description": "Kept by the team.", "kind": "corporate",
        "was": register_digest(corporate)})
    assert response.status_code == 400 and "its name cannot change" in response.text
    assert team.post(url("register-edit", corporate.pk), {
        "name": corporate.name, "parent": "", "description": "Kept by the team.", "kind": "corporate",
        "was": register_digest(corporate)}).status_code == 302


def test_bad_pillars_are_refused(team, seed):
    count = Pillar.objects.count()
    for data, message in [
        ({"name": "", "order": "1"}, "Enter the pillar&#x27;s name"),
        ({"name": "Value", "order": "-1"}, "The position must be 0 or more"),
        ({"name": "Value", "order": "1e3"}, "Enter the position as a whole number"),
        ({"name": Pillar.objects.first().name.upper(), "order": "1"},
         "There is already a pillar with this name"),
    ]:
        response = team.post(url("pillar-new"), data)
        assert response.status_code == 400 and message in response.text, data
    assert Pillar.objects.count() == count


def test_the_team_adds_a_register_under_another(team, planner, seed):
    corporate = Register.objects.get(slug="corporate")
    response = team.post(url("register-new"), {"name": "North BCU", "slug": "north-bcu",
                                               "parent": corporate.pk, "description": "",
                                               "kind": "unit"})
    assert response.status_code == 302
    north = Register.objects.get(slug="north-bcu")
    assert north.parent == corporate
    # The address stays; a register cannot sit under itself or beneath itself.
    response = team.post(url("register-edit", corporate.pk), {
        "name": corporate.name, "parent": north.pk, "description": "", "kind": "corporate",
        "was": register_digest(corporate),
    })
    assert response.status_code == 400 and "cannot sit under itself" in response.text
    assert Register.objects.get(pk=corporate.pk).parent is None
    response = team.post(url("register-new"), {"name": "Again", "slug": "north-bcu", "description": "", "kind": "unit"})
    assert response.status_code == 400 and "There is already a register at /registers/north-bcu/" in response.text
    response = team.post(url("register-new"), {"name": "Bad", "slug": "North BCU!", "description": ""})
    assert response.status_code == 400 and "Use only lower case letters, numbers and hyphens" in response.text
    assert Register.objects.count() == 2


# Lists: a fixed number of queries ----------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 30])
def test_the_lists_cost_the_same_whatever_their_length(
    client, db, planner, django_assert_num_queries, n
):
    register = make_register("corporate")
    for i in range(n):
        owner = make_post(f"Owner {i}")
        owner.holders.add(make_user(f"holder{i}"))
        risk = make_risk(register, owner=owner, ref=i + 1, leads=[make_post(f"Lead {i}")])
        risk.pillars.add(Pillar.objects.create(name=f"Pillar {i}", order=i))
        make_register(f"local-{i}", parent=register)
    client.force_login(planner)
    # Risks: the registers, the count and the page of rows, and whether a quarter is open.
    # Posts: the count, the page with its counts, and the holders. Pillars, registers: one.
    for name, queries in (("risks", 4), ("posts", 3), ("pillars", 1), ("registers", 1)):
        with django_assert_num_queries(AROUND + queries):
            response = client.get(url(name))
        assert response.status_code == 200, name
    assert "Owner 2" in client.get(url("posts")).text


def test_the_risk_list_names_each_register(team, q3, risk1):
    other = make_register("north", name="North BCU")
    make_risk(other, ref=1, title="STREET ROBBERY")
    page = team.get(url("risks")).text
    assert "STREET ROBBERY" not in page or "VIOLENT CRIME" not in page
    assert "STREET ROBBERY" in team.get(url("risks") + "?register=north").text
    assert team.get(url("risks") + "?register=nowhere").status_code == 404


def test_the_risks_history_shows_its_pillars_and_leads_changing(team, planner, q3, risk1):
    pillar = Pillar.objects.exclude(pk__in=risk1.pillars.all()).first()
    hr = Post.objects.get(name="Director of HR")
    data = risk_data(risk1, pillars=[pillar.pk], lead_0=hr.pk)
    assert team.post(url("risk-edit", risk1.pk), data).status_code == 302
    history = team.get(risk1.get_absolute_url()).text.split('id="history"', 1)[1]
    assert f"Pillars added: {pillar.name}" in history
    assert "Working leads: added" in history and "Director of HR (number 1)" in history
    assert "Working leads: removed" in history


def test_the_team_sets_a_registers_kind_heads_and_escalation_criteria(team, seed):
    corporate = Register.objects.get(slug="corporate")
    head = Post.objects.get(name="AC Frontline Policing")
    response = team.post(url("register-new"), {
        "name": "Frontline Policing", "slug": "flp", "parent": corporate.pk, "description": "",
        "kind": "business_group", "owner_post": head.pk, "lead_post": head.pk,
        "escalate_at_score": "12", "escalate_on_breach": "on"})
    assert response.status_code == 302
    flp = Register.objects.get(slug="flp")
    assert (flp.kind, flp.owner_post, flp.lead_post, flp.escalate_at_score,
            flp.escalate_on_breach) == ("business_group", head, head, 12, True)
    for data, message in [({"kind": "county"}, "Choose the kind of register from the list"),
                          ({"escalate_at_score": "17"}, "must be 16 or less")]:
        response = team.post(url("register-edit", flp.pk), {
            "name": flp.name, "parent": corporate.pk, "description": "", "kind": "unit",
            "was": register_digest(flp)} | data)
        assert response.status_code == 400 and message in response.text, data
    assert Register.objects.get(pk=flp.pk).kind == "business_group"
