"""Notifications (in the service and by email), each person's choice per kind, the record that
makes each reminder go once, and the team's hand-over and bulk actions with their record."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from risks.models import ReportingPeriod, Risk


class Kind(models.TextChoices):
    PERIOD_OPENED = "period_opened", "A quarter opens for updates"
    DEADLINE_NEAR = "deadline_near", "The deadline is near and an update of yours is not submitted"
    DEADLINE_PASSED = "deadline_passed", "The deadline has passed and an update of yours is not submitted"
    CHASED = "chased", "The Planning & Risk Team asks for an update"
    RETURNED = "returned", "An update of yours is returned with a comment"
    APPROVED = "approved", "An update of yours is approved"
    DELEGATED = "delegated", "An update is handed to you, or its deadline extended"
    WAITING = "waiting", "Updates waiting for review (the Planning & Risk Team)"
    ACTION_DUE = "action_due", "A maturity action of yours is due soon"
    ACTION_OVERDUE = "action_overdue", "A maturity action of yours is overdue"
    REPORT_PUBLISHED = "report_published", "A report is published to the Audit Panel"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email each one as it happens"
    DIGEST = "digest", "One email a day, with the others"
    OFF = "off", "No email (still listed under Notifications)"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationQuerySet":
        return self.filter(user=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def digest_due(self) -> "NotificationQuerySet":
        return self.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)


class Notification(models.Model):
    """One message to one person: listed at /notifications/ and, as they chose, emailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    # Set when a worker claims the email (an UPDATE ... WHERE emailed_at IS NULL), so that a
    # retried or duplicated task sends nothing twice; cleared again if sending fails.
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="notification_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values), name="notification_delivery_known"
            ),
            models.CheckConstraint(condition=~Q(subject=""), name="notification_has_subject"),
        ]

    def __str__(self) -> str:
        return self.subject


class Preference(models.Model):
    """How one person wants one kind of notification emailed. No row: immediately."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="preference_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values), name="preference_delivery_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.delivery}"


class SentReminder(models.Model):
    """A scheduled reminder once sent to one person for one event (`key`, such as a quarter
    and its deadline). The unique constraint is what stops a retry, or a second worker running
    the same schedule at the same moment, from sending it twice: the row is inserted in the
    transaction that writes the notification, and the second insert fails."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=100)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="reminder_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} to {self.user}"


class DeadlineExtension(models.Model):
    """A later deadline for one risk's update in one quarter, set by the team."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField()
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "risk"], name="one_extension_per_update"),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.risk} in {self.period}: {self.deadline}"


class Action(models.TextChoices):
    APPROVED_BATCH = "approved_batch", "Approved a batch of updates"
    CHASED = "chased", "Chased everyone who has not submitted"
    EXTENDED = "extended", "Extended a risk's deadline"
    DELEGATED = "delegated", "Handed an update to another post holder"


class TeamAction(models.Model):
    """The record of every bulk and hand-over action: who, when, what, and on what."""

    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    period = models.ForeignKey(
        ReportingPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    risk = models.ForeignKey(Risk, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    detail = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.by} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The record of an action is never rewritten.")
        super().save(*args, **kwargs)
