"""One notification delivered through a real SMTP server (aiosmtpd, in this process): what
production's SMTP settings (EMAIL_HOST...) configure, end to end."""

import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from riskreg.notify import services
from riskreg.notify.models import Kind, Notification
from tests.factories import make_user


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.received.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def test_a_notification_is_delivered_through_smtp(db, smtp_server, django_capture_on_commit_callbacks):
    controller, inbox = smtp_server
    owner = make_user("owner", email="owner@example.org")
    smtp = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                        "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10}}}
    with override_settings(MAILERS=smtp, DEFAULT_FROM_EMAIL="risk-register@example.org"), \
            django_capture_on_commit_callbacks(execute=True):
        services.notify(user_ids=[owner.pk], kind=Kind.RETURNED,
                        subject="Risk 1 VIOLENT CRIME: your update is returned",
                        body="Add the Q3 knife crime figures.")
    [envelope] = inbox.received
    assert envelope.mail_from == "risk-register@example.org"
    assert envelope.rcpt_tos == ["owner@example.org"]
    text = envelope.content.decode()
    assert "Subject: Risk 1 VIOLENT CRIME: your update is returned" in text
    assert "Add the Q3 knife crime figures." in text
    assert Notification.objects.get().emailed_at is not None
