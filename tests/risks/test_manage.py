"""risks/manage.py: the team's writes to the register: one history record per change, leads
in order, the open quarter's record kept in step, and a post in use never deleted."""

import pytest
from django.core.exceptions import ValidationError

from risks.locking import StaleVersion
from risks.manage import delete_post, post_uses, risk_digest, save_post, save_register, save_risk
from risks.models import Assessment, Post, Register, RiskLead
from tests.factories import make_post, make_register, make_risk, make_user


def test_leads_are_kept_in_order_and_each_move_is_recorded(db, planner):
    a, b, c = make_post("A"), make_post("B"), make_post("C")
    risk = make_risk(leads=[a, b])
    save_risk(risk=risk, fields={}, leads=[b, c], pillars=[], by=planner)
    assert risk.ordered_leads() == [b, c]
    reasons = sorted(RiskLead.history.filter(risk_id=risk.pk, history_user=planner).values_list(
        "history_change_reason", flat=True))
    assert reasons == ["Added", "Moved", "Removed"]


def test_a_post_twice_among_the_leads_is_refused(db, planner):
    a = make_post("A")
    risk = make_risk()
    with pytest.raises(ValidationError):
        save_risk(risk=risk, fields={}, leads=[a, a], pillars=[], by=planner)
    assert risk.ordered_leads() == []


def test_a_stale_digest_changes_nothing(db, planner):
    risk = make_risk(title="OLD")
    opened = risk_digest(risk)
    save_risk(risk=risk, fields={"title": "THEIRS"}, leads=[], pillars=[], by=planner)
    with pytest.raises(StaleVersion) as stale:
        save_risk(risk=risk, fields={"title": "MINE"}, leads=[], pillars=[], was=opened, by=planner)
    assert stale.value.current.title == "THEIRS"


def test_a_duplicate_number_is_refused_by_the_service_too(db, planner):
    register = make_register()
    make_risk(register, ref=1)
    with pytest.raises(ValidationError, match="already exists"):
        save_risk(risk=None, register=register, fields={
            "ref": 1, "title": "TWIN", "horizon": "short", "owner": make_post(),
        }, leads=[], pillars=[], by=planner)
    assert register.risks.count() == 1


def test_a_post_recorded_by_a_past_quarter_is_never_deleted(q3, risk1, planner):
    """Even once it owns no risk: the closed quarter still says it owned risk 1."""
    old_owner = risk1.owner
    save_risk(risk=risk1, fields={"owner": make_post("New owner")},
              leads=risk1.ordered_leads(), pillars=list(risk1.pillars.all()), by=planner)
    assert Assessment.objects.get(risk=risk1, period=q3).owner_name == "New owner"
    uses = post_uses(old_owner)
    assert "quarterly updates record it as a risk owner" in uses
    with pytest.raises(ValidationError, match="cannot be deleted"):
        delete_post(post=old_owner, by=planner)
    assert Post.objects.filter(pk=old_owner.pk).exists()


def test_holders_are_recorded_with_the_post(db, planner):
    person = make_user("person")
    post = save_post(post=None, name="Director of Audit", holders=[person], by=planner)
    record = Post.history.get(id=post.pk)
    assert (record.history_user, record.history_change_reason) == (planner, "Added")
    assert [h.user_id for h in record.holders.all()] == [person.pk]


def test_a_register_cannot_sit_beneath_itself(db, planner):
    top = make_register("top")
    middle = make_register("middle", parent=top)
    with pytest.raises(ValidationError):
        save_register(register=top, name="Top", parent=middle, description="", by=planner)
    assert Register.objects.get(pk=top.pk).parent is None
