"""riskreg/notify: who is told what, in the service and by email, as each person chooses;
reminders once per person per event; the team's bulk and hand-over actions and their record."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from riskreg.notify import reminders, services
from riskreg.notify.models import (
    Action,
    DeadlineExtension,
    Delivery,
    Kind,
    Notification,
    Preference,
    SentReminder,
    TeamAction,
)
from riskreg.quarterly.services import close_quarter
from risks.models import Assessment, Delegation, Post, ReportingPeriod, Risk
from risks.services import open_period
from tests.factories import Q3, make_user, period_form


@pytest.fixture
def people(owner, lead, other_owner, planner, panel):
    for user in (owner, lead, other_owner, planner, panel):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return {u.username: u for u in (owner, lead, other_owner, planner, panel)}


def to(username):
    return [m for m in mail.outbox if m.to == [f"{username}@example.org"]]


def submit(risk, period, by):
    a = Assessment.objects.get(risk=risk, period=period)
    Assessment.objects.filter(pk=a.pk).update(state="submitted", submitted_by=by)
    a.refresh_from_db()
    return a


def test_opening_a_period_emails_the_owners_and_leads_of_active_risks(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people["planner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("quarterly:period-open"), period_form(Q3))
    assert response.status_code == 302
    for name in ("owner", "lead", "other_owner"):
        [message] = to(name)
        assert message.subject == "2021/22 Q3 is open: your risk updates are due by 3 December 2021"
        assert "/risks/" in message.body and "/update/" in message.body
    assert "Risk 1 VIOLENT CRIME" in to("owner")[0].body
    # The lead leads risks 1, 8 and 9: one message listing the three.
    assert to("lead")[0].body.count("- Risk ") == 3
    assert not to("planner") and not to("panel")
    assert Notification.objects.filter(kind=Kind.PERIOD_OPENED).count() >= 3
    assert Notification.objects.filter(kind=Kind.PERIOD_OPENED, emailed_at__isnull=True).filter(
        user__email__gt=""
    ).count() == 0


def test_a_returned_update_reaches_its_owner_and_lead_with_the_comment(
    client, people, q3, risk1, django_capture_on_commit_callbacks
):
    a = submit(risk1, q3, people["owner"])
    client.force_login(people["planner"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quarterly:review-return", args=[a.pk]),
                    {"comment": "Add the Q3 knife crime figures.", "version": a.version})
    for name in ("owner", "lead"):
        [message] = to(name)
        assert "is returned" in message.subject
        assert "Add the Q3 knife crime figures." in message.body
    assert not to("planner") and not to("other_owner")


def test_an_approved_update_is_told_to_its_owner_but_not_to_the_approver(
    client, people, q3, risk1, django_capture_on_commit_callbacks
):
    a = submit(risk1, q3, people["owner"])
    client.force_login(people["planner"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quarterly:review-approve", args=[a.pk]), {"version": a.version})
    assert "is approved" in to("owner")[0].subject
    assert not to("planner")


def test_a_refused_approval_tells_nobody(client, people, q3, risk1, django_capture_on_commit_callbacks):
    a = Assessment.objects.get(risk=risk1, period=q3)  # a draft: cannot be approved
    client.force_login(people["planner"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quarterly:review-approve", args=[a.pk]), {"version": a.version})
    assert not Notification.objects.exists() and not mail.outbox


def test_each_person_chooses_immediate_digest_or_off_per_kind(
    people, q3, risk1, django_capture_on_commit_callbacks
):
    owner, lead = people["owner"], people["lead"]
    services.set_preferences(user=owner, choices={Kind.RETURNED: Delivery.DIGEST})
    services.set_preferences(user=lead, choices={Kind.RETURNED: Delivery.OFF})
    a = submit(risk1, q3, owner)
    with django_capture_on_commit_callbacks(execute=True):
        from riskreg.quarterly.services import return_update

        return_update(assessment=a, version=a.version, by=people["planner"], comment="More.")
    assert not mail.outbox
    # Both are listed in the service whatever they chose.
    assert Notification.objects.filter(user=owner, kind=Kind.RETURNED).exists()
    assert Notification.objects.filter(user=lead, kind=Kind.RETURNED).exists()
    reminders.digests(datetime.date(2021, 11, 1))
    [digest] = to("owner")
    assert "More." in digest.body
    assert not to("lead")
    # Run again the same day, or the next: nothing more to send.
    reminders.digests(datetime.date(2021, 11, 1))
    reminders.digests(datetime.date(2021, 11, 2))
    assert len(mail.outbox) == 1


def test_a_failed_email_is_tried_again_and_sent_once(people, q3, django_capture_on_commit_callbacks):
    from django.core.mail import send_mail as real_send

    calls = []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise OSError("connection refused")
        return real_send(*args, **kwargs)

    with mock.patch("riskreg.notify.tasks.send_mail", flaky), \
            django_capture_on_commit_callbacks(execute=True):
        services.notify(user_ids=[people["owner"].pk], kind=Kind.CHASED, subject="Hello", body="B")
    assert len(calls) == 2 and len(to("owner")) == 1
    assert Notification.objects.get(user=people["owner"]).emailed_at is not None


def test_an_email_that_never_goes_is_left_for_the_schedule(people, django_capture_on_commit_callbacks):
    with mock.patch("riskreg.notify.tasks.send_mail", side_effect=OSError("down")), \
            django_capture_on_commit_callbacks(execute=True):
        services.notify(user_ids=[people["owner"].pk], kind=Kind.CHASED, subject="Hi", body="B")
    n = Notification.objects.get()
    assert n.emailed_at is None and not mail.outbox
    Notification.objects.filter(pk=n.pk).update(
        created_at=n.created_at - datetime.timedelta(minutes=30)
    )
    reminders.run(datetime.date(2021, 11, 1))
    assert len(to("owner")) == 1
    reminders.run(datetime.date(2021, 11, 1))
    assert len(to("owner")) == 1


def test_a_task_run_twice_sends_once(people):
    from riskreg.notify.tasks import send_notification_emails

    [n] = services.notify(user_ids=[people["owner"].pk], kind=Kind.CHASED, subject="Hi", body="B")
    send_notification_emails.call([n.pk])
    send_notification_emails.call([n.pk])
    assert len(to("owner")) == 1


# Reminders ----------------------------------------------------------------------------------


def test_deadline_reminders_go_once_per_person_and_event(people, q3, risk1, django_capture_on_commit_callbacks):
    """Q3's deadline is 3 December 2021; reminders start 3 days before."""
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.deadline_reminders(datetime.date(2021, 11, 29)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders.deadline_reminders(datetime.date(2021, 11, 30))
        again = reminders.deadline_reminders(datetime.date(2021, 12, 1))
        reminders.deadline_reminders(datetime.date(2021, 12, 3))
    assert first >= 3 and again == 0
    assert [m.subject for m in to("owner")] == ["2021/22 Q3: your risk update is due by 3 December 2021"]
    with django_capture_on_commit_callbacks(execute=True):
        passed = reminders.deadline_reminders(datetime.date(2021, 12, 4))
        reminders.deadline_reminders(datetime.date(2021, 12, 5))
    assert passed == first
    assert to("owner")[-1].subject == "2021/22 Q3: your risk update was due on 3 December 2021"
    assert len(to("owner")) == 2
    # Who has submitted is not reminded.
    assert not to("planner") and not to("panel")


def test_who_has_submitted_is_not_reminded(people, q3, risk1):
    submit(risk1, q3, people["owner"])
    reminders.deadline_reminders(datetime.date(2021, 12, 1))
    owner_risks = Notification.objects.filter(user=people["owner"])
    assert not owner_risks.exists()  # the owner's only risk is submitted
    assert Notification.objects.filter(user=people["lead"]).exists()  # risks 8 and 9 are not


def test_a_reminder_is_recorded_in_its_own_transaction_and_refused_a_second_time(people, q3):
    owner = people["owner"]
    assert services.remind_once(user_id=owner.pk, kind=Kind.DEADLINE_NEAR, key="k", subject="S", body="B")
    assert not services.remind_once(user_id=owner.pk, kind=Kind.DEADLINE_NEAR, key="k", subject="S", body="B")
    assert SentReminder.objects.count() == 1 and Notification.objects.count() == 1


def test_an_extended_deadline_has_its_own_reminders(people, q3, risk1):
    services.extend_deadline(period=q3, risk=risk1, deadline=datetime.date(2021, 12, 17),
                             reason="Owner on leave", by=people["planner"])
    reminders.deadline_reminders(datetime.date(2021, 12, 4))
    owner = Notification.objects.filter(user=people["owner"])
    # Risk 1 is the owner's only risk: no "passed" for it on 4 December.
    assert not owner.filter(kind=Kind.DEADLINE_PASSED).exists()
    reminders.deadline_reminders(datetime.date(2021, 12, 15))
    assert owner.filter(kind=Kind.DEADLINE_NEAR, subject__contains="17 December 2021").count() == 1
    assert TeamAction.objects.filter(action=Action.EXTENDED, risk=risk1).exists()


def test_maturity_actions_due_and_overdue_go_to_their_owners(people, seed):
    from maturity.models import PlanAction

    action = PlanAction.objects.filter(item__owner_posts__holders=people["owner"]).first()
    if action is None:
        action = PlanAction.objects.first()
        action.item.owner_posts.add(Post.objects.get(name="AC Frontline Policing"))
    PlanAction.objects.filter(pk=action.pk).update(
        milestone_date=datetime.date(2022, 1, 31), status="in_progress", completed_at=None
    )
    reminders.action_reminders(datetime.date(2022, 1, 29))
    reminders.action_reminders(datetime.date(2022, 1, 30))
    due = Notification.objects.filter(user=people["owner"], kind=Kind.ACTION_DUE)
    assert due.count() == 1 and "31 January 2022" in due.get().subject
    reminders.action_reminders(datetime.date(2022, 2, 1))
    reminders.action_reminders(datetime.date(2022, 2, 2))
    assert Notification.objects.filter(user=people["owner"], kind=Kind.ACTION_OVERDUE).count() == 1
    PlanAction.objects.filter(pk=action.pk).update(status="complete", completed_at=timezone.now())
    reminders.action_reminders(datetime.date(2022, 2, 3))
    assert Notification.objects.filter(user=people["owner"]).count() == 2


def test_the_team_gets_a_daily_list_of_updates_waiting(people, q3, risk1):
    reminders.waiting_digest(datetime.date(2021, 11, 1))
    assert not Notification.objects.exists()  # nothing submitted
    submit(risk1, q3, people["owner"])
    reminders.waiting_digest(datetime.date(2021, 11, 1))
    reminders.waiting_digest(datetime.date(2021, 11, 1))
    [n] = Notification.objects.filter(user=people["planner"])
    assert n.subject == "2021/22 Q3: 1 update waiting for review"
    reminders.waiting_digest(datetime.date(2021, 11, 2))
    assert Notification.objects.filter(user=people["planner"]).count() == 2


def test_a_published_report_is_told_to_the_panel(q3_report, fake_pdfs, planner, django_capture_on_commit_callbacks):
    from riskreg.report.services import publish_report
    from tests.factories import make_panel

    panel = make_panel("panel-q3", email="panel-q3@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        publish_report(report=q3_report, by=planner)
    [n] = Notification.objects.filter(user=panel, kind=Kind.REPORT_PUBLISHED)
    assert n.url == q3_report.get_absolute_url()
    assert [m.to for m in mail.outbox] == [["panel-q3@example.org"]]


def test_send_reminders_command(people, q3):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("send_reminders", "--today", "2021-12-01", stdout=out)
    assert "deadline:" in out.getvalue()
    with pytest.raises(CommandError, match="must be a date"):
        call_command("send_reminders", "--today", "tomorrow")


# The list and the header ----------------------------------------------------------------


def test_the_list_shows_ones_own_notifications_and_marks_them_read(
    client, people, django_capture_on_commit_callbacks
):
    owner, other = people["owner"], people["other_owner"]
    [mine] = services.notify(user_ids=[owner.pk], kind=Kind.CHASED, subject="For owner", body="B")
    services.notify(user_ids=[other.pk], kind=Kind.CHASED, subject="For other", body="B")
    client.force_login(owner)
    page = client.get(reverse("notify:list")).text
    assert "For owner" in page and "For other" not in page
    assert 'class="rr-unread-count">1<' in page
    # Someone else's id marks nothing of theirs.
    theirs = Notification.objects.get(user=other)
    client.post(reverse("notify:read"), {"notification": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notify:read"), {"notification": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "rr-unread-count" not in client.get(reverse("notify:list")).text
    bad = client.post(reverse("notify:read"), {"notification": "x"})
    assert bad.status_code == 302


def test_the_header_count_costs_no_query_on_a_page(client, people):
    owner = people["owner"]
    services.notify(user_ids=[owner.pk], kind=Kind.CHASED, subject="S", body="B")
    cache.clear()
    client.force_login(owner)  # signing in fills the cache
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home")).text
    assert 'class="rr-unread-count">1<' in page
    # None of its own: read, if at all, in the statement that reads the person's groups.
    assert not [q for q in queries if "notify_notification" in q["sql"] and "auth_group" not in q["sql"]]


def test_a_new_notification_moves_the_count_on_commit(client, people, django_capture_on_commit_callbacks):
    owner = people["owner"]
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user_ids=[owner.pk], kind=Kind.CHASED, subject="S", body="B")
    assert 'class="rr-unread-count">1<' in client.get(reverse("home")).text


def test_choices_are_saved_and_bad_ones_change_nothing(client, people):
    owner = people["owner"]
    client.force_login(owner)
    assert client.get(reverse("notify:settings")).status_code == 200
    data = dict.fromkeys(Kind.values, Delivery.IMMEDIATE) | {Kind.APPROVED: Delivery.DIGEST}
    assert client.post(reverse("notify:settings"), data).status_code == 302
    assert Preference.objects.get(user=owner, kind=Kind.APPROVED).delivery == Delivery.DIGEST
    bad = client.post(reverse("notify:settings"), data | {Kind.APPROVED: "weekly"})
    assert bad.status_code == 200 and "Choose how to be told" in bad.text
    assert Preference.objects.get(user=owner, kind=Kind.APPROVED).delivery == Delivery.DIGEST


# Bulk and hand-over -----------------------------------------------------------------------


def test_the_team_approves_a_batch_each_checked_as_if_alone(client, people, q3, seed):
    planner = people["planner"]
    r1, r2, r3 = (Risk.objects.get(register__slug="corporate", ref=n) for n in (1, 2, 3))
    a1, a2, a3 = (submit(r, q3, people["owner"]) for r in (r1, r2, r3))
    # Written by the planner: the planner may not approve it.
    Assessment.objects.filter(pk=a3.pk).update(submitted_by=planner)
    client.force_login(planner)
    page = client.get(reverse("quarterly:review")).text
    assert f'value="{a1.pk}:{a1.version}" form="approve-selected"' in page
    response = client.post(
        reverse("notify:approve-selected"),
        {"selected": [f"{a1.pk}:{a1.version}", f"{a2.pk}:{a2.version + 5}", f"{a3.pk}:{a3.version}"]},
        follow=True,
    )
    states = dict(Assessment.objects.filter(pk__in=[a1.pk, a2.pk, a3.pk]).values_list("pk", "state"))
    assert states == {a1.pk: "approved", a2.pk: "submitted", a3.pk: "submitted"}
    text = response.text
    assert "1 update approved: risk 1 VIOLENT CRIME." in text
    assert "Not approved (2)" in text and "changed after you opened the queue" in text
    assert "another member of the Planning &amp; Risk Team" in text
    assert TeamAction.objects.get(action=Action.APPROVED_BATCH).by == planner


@pytest.mark.parametrize("selected", [[], ["x"], ["1:"], ["99999999999999999999:1"]])
def test_a_bad_selection_approves_nothing(client, people, q3, selected):
    client.force_login(people["planner"])
    response = client.post(reverse("notify:approve-selected"), {"selected": selected}, follow=True)
    assert response.status_code == 200 and "nothing was approved" in response.text
    assert not Assessment.objects.filter(state="approved", period=q3).exists()


def test_chasing_reminds_everyone_who_has_not_submitted(client, people, q3, risk1):
    submit(risk1, q3, people["owner"])
    client.force_login(people["planner"])
    response = client.post(reverse("notify:chase"), follow=True)
    assert "Reminder sent to" in response.text
    chased = set(Notification.objects.filter(kind=Kind.CHASED).values_list("user__username", flat=True))
    assert "lead" in chased and "other_owner" in chased and "owner" not in chased
    assert TeamAction.objects.filter(action=Action.CHASED).count() == 1
    assert "Chased" in client.get(reverse("notify:team-actions")).text


def test_extending_a_deadline_checks_its_input(client, people, q3, risk1):
    client.force_login(people["planner"])
    url = reverse("notify:extend-deadline", args=[risk1.pk])
    assert client.get(url).status_code == 200
    early = client.post(url, {"deadline_day": "1", "deadline_month": "12", "deadline_year": "2021",
                              "reason": "Leave"})
    assert "must be after the quarter" in early.text
    nonsense = client.post(url, {"deadline_day": "31", "deadline_month": "2", "deadline_year": "2021",
                                 "reason": ""})
    assert "real date" in nonsense.text and "Enter the reason" in nonsense.text
    assert not DeadlineExtension.objects.exists()
    ok = client.post(url, {"deadline_day": "10", "deadline_month": "12", "deadline_year": "2021",
                           "reason": "Leave"})
    assert ok.status_code == 302
    assert DeadlineExtension.objects.get(risk=risk1).deadline == datetime.date(2021, 12, 10)


def test_an_owner_hands_an_update_to_another_post_holder_for_the_quarter_only(
    client, people, q3, risk1, seed
):
    owner = people["owner"]
    deputy = make_user("deputy", posts=[Post.objects.get(name="Director of Audit, Risk and Assurance")]) \
        if Post.objects.filter(name="Director of Audit, Risk and Assurance").exists() \
        else make_user("deputy", posts=[Post.objects.create(name="Deputy post")])
    client.force_login(deputy)
    update = reverse("quarterly:update", args=[risk1.pk])
    assert client.get(update).status_code in (403, 404)
    client.force_login(owner)
    assert "Hand this update to another post holder" in client.get(update).text
    url = reverse("notify:delegate", args=[risk1.pk])
    assert client.post(url, {"delegate": owner.pk}).status_code == 200  # not oneself
    assert client.post(url, {"delegate": deputy.pk}).status_code == 302
    assert Delegation.objects.get(period=q3, risk=risk1).delegate == deputy
    assert Notification.objects.filter(user=deputy, kind=Kind.DELEGATED).exists()
    assert TeamAction.objects.filter(action=Action.DELEGATED, risk=risk1).exists()
    client.force_login(deputy)
    assert client.get(update).status_code == 200
    # The delegate may not hand it on.
    assert client.get(url).status_code == 403
    # Once the quarter closes, the hand-over grants nothing, and nothing per-quarter is
    # accepted for it.
    close_quarter(period=q3, by=people["planner"], incomplete=True)
    assert client.get(reverse("risks:risk", args=[risk1.pk])).status_code == 404
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.delegate_update(period=q3, risk=risk1, delegate=deputy, by=owner)
    with pytest.raises(ValidationError):
        services.extend_deadline(period=q3, risk=risk1, deadline=datetime.date(2021, 12, 20),
                                 reason="Late", by=people["planner"])


def test_a_second_quarter_has_its_own_reminders_and_hand_overs(people, q3, risk1):
    """Q3 runs its course; Q4 opens: its reminders, extensions and hand-overs are its own."""
    planner = people["planner"]
    services.extend_deadline(period=q3, risk=risk1, deadline=datetime.date(2021, 12, 17),
                             reason="Leave", by=planner)
    reminders.deadline_reminders(datetime.date(2021, 12, 2))
    q3_sent = SentReminder.objects.filter(user=people["owner"]).count()
    close_quarter(period=q3, by=planner, incomplete=True)
    q4 = open_period(name="2021/22 Q4", slug="2021-22-q4", start=datetime.date(2022, 1, 1),
                     end=datetime.date(2022, 3, 31), deadline=datetime.date(2022, 3, 4), by=planner)
    reminders.deadline_reminders(datetime.date(2022, 3, 2))
    owner_reminders = SentReminder.objects.filter(user=people["owner"])
    assert owner_reminders.count() == q3_sent + 1
    assert owner_reminders.filter(key=f"period:{q4.pk}:2022-03-04").exists()
    # Q3's extension does not carry into Q4.
    assert services.effective_deadlines(q4) == {}
    assert ReportingPeriod.objects.get(pk=q3.pk).state == "closed"


def test_a_kept_page_shows_the_exact_count_whatever_wrote_it(client, people, q3):
    """Read with the person's roles, the count on a page served from the cache is the
    database's own, even after a write no cache hears of (a bulk insert, another worker with
    the per-process cache)."""
    owner = people["owner"]
    client.force_login(owner)
    url = "/registers/corporate/?period=2021-22-q2"
    assert "rr-unread-count" not in client.get(url).text
    Notification.objects.bulk_create([
        Notification(user=owner, kind=Kind.CHASED, subject=f"S{i}", body="B", delivery=Delivery.OFF)
        for i in range(2)
    ])
    assert 'class="rr-unread-count">2<' in client.get(url).text
    Notification.objects.filter(user=owner).update(read_at=timezone.now())
    assert "rr-unread-count" not in client.get(url).text
