"""The schedule: what `manage.py send_reminders` sends each time cron or a systemd timer runs
it (hourly is enough; each reminder goes once whatever the number of runs or workers)."""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from maturity.models import PlanAction
from risks.models import PLANNING_TEAM, Assessment, ReportingPeriod

from .models import Delivery, Kind, Notification, SentReminder
from .services import (
    _risk_lines,
    absolute,
    effective_deadlines,
    members_of,
    not_submitted,
    people_of_risks,
    remind_once,
)
from .tasks import send_digest, send_unsent

log = logging.getLogger("riskreg.notify")


def _date(d: datetime.date) -> str:
    return f"{d:%-d %B %Y}"


def deadline_reminders(today: datetime.date) -> int:
    """Deadline in N days, and deadline passed, to whoever holds an update not submitted; once
    per person per quarter and deadline (an extended risk has its own)."""
    period = ReportingPeriod.objects.open().first()
    if period is None:
        return 0
    own = effective_deadlines(period)
    by_deadline: dict[datetime.date, list[int]] = defaultdict(list)
    for risk_id in not_submitted(period):
        by_deadline[own.get(risk_id, period.deadline)].append(risk_id)
    near = datetime.timedelta(days=settings.NOTIFY_DEADLINE_DAYS)
    sent = 0
    for deadline, risk_ids in by_deadline.items():
        if today > deadline:
            kind, subject, lead = (
                Kind.DEADLINE_PASSED,
                f"{period}: your risk update was due on {_date(deadline)}",
                f"The deadline for your {period} updates, {_date(deadline)}, has passed, and "
                "these are not yet submitted:",
            )
        elif deadline - near <= today:
            kind, subject, lead = (
                Kind.DEADLINE_NEAR,
                f"{period}: your risk update is due by {_date(deadline)}",
                f"Your {period} updates are due by {_date(deadline)}. Not yet submitted:",
            )
        else:
            continue
        for uid, risks in people_of_risks(risk_ids, period).items():
            sent += remind_once(
                user_id=uid, kind=kind, key=f"period:{period.pk}:{deadline.isoformat()}",
                subject=subject, body=f"{lead}\n\n{_risk_lines(risks)}",
                url=reverse("risks:my-risks"),
            )
    return sent


def action_reminders(today: datetime.date) -> int:
    """Maturity actions due within N days, and overdue, to the holders of their item's owner
    posts; once per person per action and milestone date."""
    near = today + datetime.timedelta(days=settings.NOTIFY_DEADLINE_DAYS)
    actions = (
        PlanAction.objects.filter(milestone_date__isnull=False, milestone_date__lte=near)
        .exclude(status=PlanAction.Status.COMPLETE)
        .select_related("item")
        .prefetch_related("item__owner_posts__holders")
    )
    sent = 0
    for action in actions:
        overdue = action.milestone_date < today
        kind = Kind.ACTION_OVERDUE if overdue else Kind.ACTION_DUE
        what = "was due" if overdue else "is due"
        url = action.item.get_absolute_url()
        holders = {
            u.pk for post in action.item.owner_posts.all() for u in post.holders.all()
            if u.is_active
        }
        for uid in holders:
            sent += remind_once(
                user_id=uid, kind=kind,
                key=f"action:{action.pk}:{action.milestone_date.isoformat()}",
                subject=f"Maturity action {what} on {_date(action.milestone_date)}",
                body=f"Action of item {action.item}: {action.text}\n\nIt {what} on "
                f"{_date(action.milestone_date)} ({action.milestone}). {absolute(url)}",
                url=url,
            )
    return sent


def waiting_digest(today: datetime.date) -> int:
    """Once a day, to the team: how many updates wait for review."""
    period = ReportingPeriod.objects.open().first()
    if period is None:
        return 0
    waiting = Assessment.objects.filter(period=period, state=Assessment.State.SUBMITTED).count()
    if not waiting:
        return 0
    url = reverse("quarterly:review")
    sent = 0
    for uid in members_of(PLANNING_TEAM):
        sent += remind_once(
            user_id=uid, kind=Kind.WAITING, key=f"day:{today.isoformat()}",
            subject=f"{period}: {waiting} update{'s' if waiting != 1 else ''} waiting for review",
            body=f"{waiting} submitted update{'s' if waiting != 1 else ''} of {period} "
            f"wait{'' if waiting != 1 else 's'} for review: {absolute(url)}",
            url=url,
        )
    return sent


def digests(today: datetime.date) -> int:
    """Each person's daily digest, once a day, of the notifications they chose to get so."""
    from django.db import IntegrityError, transaction

    User = get_user_model()
    waiting = (
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
        .values_list("user_id", flat=True).distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=waiting, is_active=True):
        try:
            with transaction.atomic():
                SentReminder.objects.create(user=user, kind="digest", key=today.isoformat())
                sent += bool(send_digest(user))
        except IntegrityError:
            continue
    return sent


def run(today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    done = {
        "deadline": deadline_reminders(today),
        "actions": action_reminders(today),
        "waiting": waiting_digest(today),
        "digests": digests(today),
        "unsent": send_unsent(),
    }
    log.info("send_reminders %s: %s", today, done)
    return done
