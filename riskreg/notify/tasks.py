"""Background work on Django's tasks framework (settings.TASKS): emails and PDFs.

Every task is idempotent (it claims its work with a conditional UPDATE, so running it twice
does it once), logs what it did, and on failure is enqueued again with a growing delay, up to
settings.TASK_MAX_ATTEMPTS in all; django.tasks itself retries nothing."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .models import Delivery, Kind, Notification

log = logging.getLogger("riskreg.notify")

FOOTER = (
    "\n\n--\nYou can read this and your other notifications, and choose which emails you get, "
    "at {site}/notifications/."
)


def retry_later(the_task, attempt: int, *args) -> bool:
    """Enqueue the task again, after 30 s, 1, 2, 4... minutes (where the backend can defer)."""
    if attempt >= settings.TASK_MAX_ATTEMPTS:
        log.error("%s gave up after %s attempts", the_task.name, attempt)
        return False
    delay = datetime.timedelta(seconds=30 * 2 ** (attempt - 1))
    if the_task.get_backend().supports_defer:
        the_task = the_task.using(run_after=timezone.now() + delay)
    log.warning("%s failed (attempt %s), trying again in %s", the_task.name, attempt, delay)
    the_task.enqueue(*args, attempt=attempt + 1)
    return True


def deliver(notification_id: int) -> bool:
    """Email one notification, once: claim it, send it, and give the claim back on failure."""
    claimed = Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True, delivery=Delivery.IMMEDIATE
    ).update(emailed_at=timezone.now())
    if not claimed:
        return False
    n = Notification.objects.select_related("user").get(pk=notification_id)
    if not n.user.email or not n.user.is_active:
        log.info("notification %s not emailed: %s has no address", n.pk, n.user)
        return False
    try:
        send_mail(
            n.subject, n.body + FOOTER.format(site=settings.SITE_URL), None, [n.user.email]
        )
    except Exception:
        Notification.objects.filter(pk=n.pk).update(emailed_at=None)
        raise
    log.info("emailed notification %s (%s) to %s", n.pk, n.kind, n.user.email)
    return True


@task()
def send_notification_emails(notification_ids: list[int], attempt: int = 1) -> int:
    sent, failed = 0, []
    for pk in notification_ids:
        try:
            sent += deliver(pk)
        except Exception:
            log.exception("emailing notification %s failed", pk)
            failed.append(pk)
    if failed:
        retry_later(send_notification_emails, attempt, failed)
    return sent


def enqueue_email(notification_ids: list[int]) -> None:
    """Called on commit. If the queue itself cannot be reached, the emails are still owed:
    the next `send_reminders` run sends what is left (send_unsent)."""
    try:
        send_notification_emails.enqueue(notification_ids)
    except Exception:
        log.exception("could not enqueue emails %s; send_reminders will send them", notification_ids)


def send_unsent(older_than: datetime.timedelta = datetime.timedelta(minutes=10)) -> int:
    """Immediate emails still unsent after a while (a queue that was down, a task that gave
    up): sent now, each claimed as above."""
    ids = list(
        Notification.objects.filter(
            delivery=Delivery.IMMEDIATE, emailed_at__isnull=True,
            created_at__lt=timezone.now() - older_than,
            created_at__gt=timezone.now() - datetime.timedelta(days=7),
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in ids:
        try:
            sent += deliver(pk)
        except Exception:
            log.exception("emailing notification %s failed", pk)
    return sent


def send_digest(user) -> int:
    """One email with every digest notification of this person not yet emailed."""
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update()
            .filter(user=user, delivery=Delivery.DIGEST, emailed_at__isnull=True)
            .order_by("created_at", "pk")
        )
        if not rows or not user.email:
            return 0
        now = timezone.now()
        claimed = Notification.objects.filter(
            pk__in=[n.pk for n in rows], emailed_at__isnull=True
        ).update(emailed_at=now)
        if claimed != len(rows):
            # Another worker took some of them meanwhile (PostgreSQL's row locks make this
            # impossible; SQLite serialises writers): leave them all to it.
            transaction.set_rollback(True)
            return 0
        body = "\n\n".join(
            f"{n.created_at:%-d %B %Y}: {n.subject}\n{n.body}" for n in rows
        )
        subject = (
            rows[0].subject if len(rows) == 1 else f"Risk register: {len(rows)} notifications"
        )
        # Inside the transaction: if sending fails, the claim is rolled back with it.
        send_mail(subject, body + FOOTER.format(site=settings.SITE_URL), None, [user.email])
    log.info("emailed a digest of %s notifications to %s", len(rows), user.email)
    return len(rows)


__all__ = ["Kind", "enqueue_email", "send_digest", "send_notification_emails", "send_unsent"]
