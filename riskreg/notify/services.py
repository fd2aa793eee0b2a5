"""Writes of the notify app, each under one transaction, and who is told what.

A notification is a row written in the transaction of the event it tells of (a rolled-back
approval tells nobody), and its email goes after the commit: immediately, by a task, or in
the person's daily digest (`send_reminders`), as they chose for its kind."""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from risks.models import AUDIT_PANEL, Assessment, Delegation, ReportingPeriod, Risk
from risks.services import lock_open_period

from .models import (
    Action,
    DeadlineExtension,
    Delivery,
    Kind,
    Notification,
    Preference,
    SentReminder,
    TeamAction,
)
from .unread import refresh_on_commit

log = logging.getLogger("riskreg.notify")
User = get_user_model()


# Who ----------------------------------------------------------------------------------------


def people_of_risks(risk_ids: Iterable[int], period: ReportingPeriod | None = None) -> dict:
    """Each active person who holds the owner's or a working lead's post of these risks (and,
    for a quarter, the person each risk's update was handed to) → the ids of their risks."""
    risk_ids = list(risk_ids)
    found: dict[int, set[int]] = defaultdict(set)
    rows = Risk.objects.filter(pk__in=risk_ids).values_list(
        "pk", "owner__holders", "leads__holders"
    )
    for pk, owner_holder, lead_holder in rows:
        for uid in (owner_holder, lead_holder):
            if uid is not None:
                found[uid].add(pk)
    if period is not None:
        for risk_id, uid in Delegation.objects.filter(
            period=period, risk_id__in=risk_ids
        ).values_list("risk_id", "delegate_id"):
            found[uid].add(risk_id)
    active = set(User.objects.filter(pk__in=found, is_active=True).values_list("pk", flat=True))
    return {uid: risks for uid, risks in found.items() if uid in active}


def members_of(group: str) -> list[int]:
    return list(
        User.objects.filter(groups__name=group, is_active=True).values_list("pk", flat=True)
    )


def effective_deadlines(period: ReportingPeriod) -> dict[int, datetime.date]:
    """Risks whose deadline this quarter was extended → their own deadline."""
    return dict(
        DeadlineExtension.objects.filter(period=period).values_list("risk_id", "deadline")
    )


def not_submitted(period: ReportingPeriod) -> list[int]:
    """Active risks whose update of the quarter is not submitted: drafts, returned updates
    (back with their owner) and risks with no update yet."""
    done = Assessment.objects.filter(
        period=period, state__in=[Assessment.State.SUBMITTED, Assessment.State.APPROVED]
    ).values("risk_id")
    return list(Risk.objects.active().exclude(pk__in=done).values_list("pk", flat=True))


# Writing notifications --------------------------------------------------------------------


def deliveries(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    chosen = dict(
        Preference.objects.filter(user_id__in=list(user_ids), kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {uid: chosen.get(uid, Delivery.IMMEDIATE) for uid in user_ids}


def notify(*, user_ids: Iterable[int], kind: str, subject: str, body, url: str = "") -> list:
    """One notification to each person; `body` is the text, or a function of the user id.
    Emails marked immediate are sent by a task once the transaction commits."""
    from .tasks import enqueue_email

    user_ids = list(dict.fromkeys(user_ids))
    if not user_ids:
        return []
    how = deliveries(user_ids, kind)
    made = Notification.objects.bulk_create(
        Notification(
            user_id=uid, kind=kind, subject=subject[:200],
            body=body(uid) if callable(body) else body, url=url, delivery=how[uid],
        )
        for uid in user_ids
    )
    immediate = [n.pk for n in made if n.delivery == Delivery.IMMEDIATE]
    if immediate:
        transaction.on_commit(lambda: enqueue_email(immediate))
    refresh_on_commit(user_ids)
    log.info("notified %s people: %s", len(made), subject)
    return made


def remind_once(*, user_id: int, kind: str, key: str, **message) -> bool:
    """Send a scheduled reminder unless this person already had it for this event. The record
    and the notification are one transaction: False (and nothing written) when it was sent."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(user_id=user_id, kind=kind, key=key)
            notify(user_ids=[user_id], kind=kind, **message)
    except IntegrityError:
        return False
    return True


def _risk_lines(risk_ids) -> str:
    return "\n".join(
        f"- Risk {r.ref} {r.title} ({r.register.name}): {r.update_url}"
        for r in _with_update_urls(
            Risk.objects.filter(pk__in=risk_ids).select_related("register")
            .order_by("register__name", "ref")
        )
    )


def _with_update_urls(risks):
    for r in risks:
        r.update_url = absolute(reverse("quarterly:update", args=[r.pk]))
        yield r


def absolute(path: str) -> str:
    from django.conf import settings

    return settings.SITE_URL + path


# The events -------------------------------------------------------------------------------


def period_opened(period: ReportingPeriod) -> list:
    people = people_of_risks(Risk.objects.active().values_list("pk", flat=True), period)
    lines = {uid: _risk_lines(risks) for uid, risks in people.items()}
    return notify(
        user_ids=people, kind=Kind.PERIOD_OPENED,
        subject=f"{period} is open: your risk updates are due by {period.deadline:%-d %B %Y}",
        body=lambda uid: (
            f"{period} is open for quarterly updates. Please update and submit these risks "
            f"by {period.deadline:%-d %B %Y}:\n\n{lines[uid]}"
        ),
        url=reverse("risks:my-risks"),
    )


def update_returned(assessment: Assessment, *, by) -> list:
    risk = assessment.risk
    people = set(people_of_risks([risk.pk], assessment.period))
    if assessment.submitted_by_id:
        people.add(assessment.submitted_by_id)
    people.discard(getattr(by, "pk", None))
    url = reverse("quarterly:update", args=[risk.pk])
    return notify(
        user_ids=people, kind=Kind.RETURNED,
        subject=f"Risk {risk.ref} {risk.title}: your {assessment.period} update is returned",
        body=(
            f"The Planning & Risk Team returned the {assessment.period} update of risk "
            f"{risk.ref} {risk.title} with this comment:\n\n{assessment.review_comment}\n\n"
            f"Change it and submit it again: {absolute(url)}"
        ),
        url=url,
    )


def update_approved(assessment: Assessment, *, by) -> list:
    risk = assessment.risk
    people = set(people_of_risks([risk.pk], assessment.period))
    people.discard(getattr(by, "pk", None))
    url = reverse("risks:risk", args=[risk.pk])
    return notify(
        user_ids=people, kind=Kind.APPROVED,
        subject=f"Risk {risk.ref} {risk.title}: your {assessment.period} update is approved",
        body=(
            f"The Planning & Risk Team approved the {assessment.period} update of risk "
            f"{risk.ref} {risk.title}: {absolute(url)}"
        ),
        url=url,
    )


def report_published(report) -> list:
    url = report.get_absolute_url()
    return notify(
        user_ids=members_of(AUDIT_PANEL), kind=Kind.REPORT_PUBLISHED,
        subject=f"Published: {report}",
        body=f"The Planning & Risk Team published {report} to the Audit Panel: {absolute(url)}",
        url=url,
    )


# The team's bulk and hand-over actions ------------------------------------------------------


def approve_many(*, assessments: list[tuple[Assessment, int]], by) -> tuple[list, list]:
    """Approve each (assessment, version read) as if approved alone, each in its own
    transaction: one refused leaves the others approved. Returns (approved, refused) where
    refused holds (assessment, reason)."""
    from risks.locking import StaleVersion
    from risks.services import approve_assessment

    approved, refused = [], []
    for assessment, version in assessments:
        try:
            with transaction.atomic():
                done = approve_assessment(assessment=assessment, version=version, by=by)
                update_approved(done, by=by)
        except StaleVersion:
            refused.append((assessment, "it changed after you opened the queue; look at it again"))
        except ValidationError as error:
            refused.append((assessment, error.messages[0]))
        else:
            approved.append(done)
    if approved:
        TeamAction.objects.create(
            action=Action.APPROVED_BATCH, by=by, period=approved[0].period,
            detail="Approved together: " + ", ".join(
                f"risk {a.risk.ref} {a.risk.title}" for a in approved
            ) + (f". Refused: {len(refused)}." if refused else "."),
        )
    return approved, refused


@transaction.atomic
def chase(*, period: ReportingPeriod, by) -> int:
    """Remind everyone whose update of the open quarter is not submitted, in one action."""
    period = lock_open_period(period.pk)
    risks = not_submitted(period)
    people = people_of_risks(risks, period)
    deadlines = effective_deadlines(period)
    lines = {uid: _risk_lines(ids) for uid, ids in people.items()}

    def body(uid):
        extended = [deadlines[r] for r in people[uid] if r in deadlines]
        due = max([period.deadline, *extended])
        return (
            f"The Planning & Risk Team asks for your {period} updates, due by "
            f"{period.deadline:%-d %B %Y}"
            + (f" (extended to {due:%-d %B %Y} for some)" if due != period.deadline else "")
            + f". Not yet submitted:\n\n{lines[uid]}"
        )

    notify(
        user_ids=people, kind=Kind.CHASED,
        subject=f"{period}: your risk update is not yet submitted", body=body,
        url=reverse("risks:my-risks"),
    )
    TeamAction.objects.create(
        action=Action.CHASED, by=by, period=period,
        detail=f"Chased {len(people)} people about {len(risks)} updates not submitted.",
    )
    return len(people)


@transaction.atomic
def extend_deadline(*, period: ReportingPeriod, risk: Risk, deadline: datetime.date, reason: str,
                    by) -> DeadlineExtension:
    period = lock_open_period(period.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Enter the reason for the later deadline")
    if deadline <= period.deadline:
        raise ValidationError(
            f"The new deadline must be after the quarter's deadline, {period.deadline:%-d %B %Y}"
        )
    if deadline > period.end + datetime.timedelta(days=90):
        raise ValidationError("The new deadline must be within 90 days of the quarter's end")
    extension, _ = DeadlineExtension.objects.update_or_create(
        period=period, risk=risk, defaults={"deadline": deadline, "reason": reason, "by": by}
    )
    TeamAction.objects.create(
        action=Action.EXTENDED, by=by, period=period, risk=risk,
        detail=f"Deadline of risk {risk.ref} {risk.title} extended to {deadline:%-d %B %Y}: "
        f"{reason}",
    )
    people = set(people_of_risks([risk.pk], period)) - {by.pk}
    notify(
        user_ids=people, kind=Kind.DELEGATED,
        subject=f"Risk {risk.ref} {risk.title}: {period} update now due by {deadline:%-d %B %Y}",
        body=f"The Planning & Risk Team extended the deadline of the {period} update of risk "
        f"{risk.ref} {risk.title} to {deadline:%-d %B %Y}: {reason}",
        url=reverse("quarterly:update", args=[risk.pk]),
    )
    return extension


def post_holders_for_delegation(risk: Risk):
    """Whom an update may be handed to: active people who hold any post."""
    return User.objects.filter(is_active=True, posts__isnull=False).distinct().order_by(
        "last_name", "first_name", "username"
    )


@transaction.atomic
def delegate_update(*, period: ReportingPeriod, risk: Risk, delegate, by) -> Delegation:
    period = lock_open_period(period.pk)
    if delegate.pk == by.pk:
        raise ValidationError("Choose someone else: you already hold this update")
    if not delegate.is_active or not delegate.posts.exists():
        raise ValidationError("Choose a person who holds a post")
    if Assessment.objects.filter(period=period, risk=risk).exclude(
        state__in=[Assessment.State.DRAFT, Assessment.State.RETURNED]
    ).exists():
        raise ValidationError("This update is already submitted: it can no longer be handed over")
    delegation, _ = Delegation.objects.update_or_create(
        period=period, risk=risk, defaults={"delegate": delegate, "by": by}
    )
    TeamAction.objects.create(
        action=Action.DELEGATED, by=by, period=period, risk=risk,
        detail=f"{period} update of risk {risk.ref} {risk.title} handed to "
        f"{delegate.get_full_name() or delegate.get_username()}.",
    )
    url = reverse("quarterly:update", args=[risk.pk])
    notify(
        user_ids=[delegate.pk], kind=Kind.DELEGATED,
        subject=f"Risk {risk.ref} {risk.title}: the {period} update is handed to you",
        body=f"{by.get_full_name() or by.get_username()} handed you the {period} update of "
        f"risk {risk.ref} {risk.title}, due by {period.deadline:%-d %B %Y}: {absolute(url)}",
        url=url,
    )
    return delegation


# Reading ------------------------------------------------------------------------------------


@transaction.atomic
def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read (these, or all); never anyone else's."""
    rows = Notification.objects.for_user(user).unread()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    n = rows.update(read_at=timezone.now())
    refresh_on_commit([user.pk])
    return n


@transaction.atomic
def set_preferences(*, user, choices: dict[str, str]) -> None:
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise ValidationError("Choose how to be told of each kind")
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})

