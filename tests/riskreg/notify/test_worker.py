"""The real thing, in subprocesses on a database file of their own: the database backend's
worker (`manage.py db_worker`) runs a queued email task, and reminders go exactly once when two
schedulers and two workers run at the same moment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

SETUP = """
from django.contrib.auth.models import Group
from risks.models import Post
from risks.services import open_period
import datetime
User = __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model()
planner = User.objects.create_user("planner", "planner@example.org", "x-long-password-1")
planner.groups.add(Group.objects.get_or_create(name="Planning & Risk Team")[0])
for name, post in [("owner", "AC Frontline Policing"),
                   ("lead", "Head of Profession – CP, Inclusion & Engagement"),
                   ("deputy", "Deputy Commissioner")]:
    u = User.objects.create_user(name, f"{name}@example.org", "x-long-password-1")
    Post.objects.get(name=post).holders.add(u)
open_period(name="2021/22 Q3", slug="2021-22-q3", start=datetime.date(2021, 10, 1),
            end=datetime.date(2021, 12, 31), deadline=datetime.date(2021, 12, 3), by=planner)
"""


@pytest.fixture(scope="module")
def env(sqlite_copy):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TESTING", "EMAIL_HOST")}
    env |= {"DEBUG": "true", "TASKS_BACKEND": "database", "SQLITE_PATH": str(sqlite_copy),
            "LOG_LEVEL": "INFO"}
    manage("loaddata", "corporate_2021_10", env=env)
    manage("shell", "--no-imports", "-c", SETUP, env=env)
    return env


def manage(*args, env, timeout=300) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def start(*args, env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )


def query(code: str, env) -> str:
    return manage("shell", "--no-imports", "-c", code, env=env).stdout.strip()


def test_the_worker_runs_a_queued_email_task(env):
    queued = query(
        "from django.db import transaction\n"
        "from riskreg.notify.services import notify\n"
        "from django.contrib.auth.models import User\n"
        "with transaction.atomic():\n"
        "    notify(user_ids=[User.objects.get(username='owner').pk], kind='chased',"
        " subject='Queued for the worker', body='Hello from the queue.')\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "print(DBTaskResult.objects.filter(status='READY').count())",
        env,
    )
    assert queued == "1"
    worker = manage("db_worker", "--batch", "--no-startup-delay", env=env)
    # The console backend writes the message to the worker's output.
    assert "Subject: Queued for the worker" in worker.stdout
    assert "To: owner@example.org" in worker.stdout
    state = query(
        "from django_tasks_db.models import DBTaskResult\n"
        "from riskreg.notify.models import Notification\n"
        "print(list(DBTaskResult.objects.values_list('status', flat=True)),"
        " Notification.objects.get(subject='Queued for the worker').emailed_at is not None)",
        env,
    )
    assert state == "['SUCCESSFUL'] True"


def test_reminders_go_once_under_two_schedulers_two_workers_and_a_retry(env):
    # Two schedulers at the same moment, then one again (a retry, or the next hour's run).
    first = [start("send_reminders", "--today", "2021-12-01", env=env) for _ in range(2)]
    for p in first:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-3000:]
    manage("send_reminders", "--today", "2021-12-02", env=env)
    counts = query(
        "from riskreg.notify.models import Notification, SentReminder\n"
        "from django.db.models import Count\n"
        "print(sorted(Notification.objects.filter(kind='deadline_near')"
        ".values_list('user__username').annotate(n=Count('pk'))),"
        " SentReminder.objects.count())",
        env,
    )
    assert counts == "[('deputy', 1), ('lead', 1), ('owner', 1)] 3"
    # Two workers at once over the same queue: each email is sent by one of them.
    workers = [start("db_worker", "--batch", "--no-startup-delay", env=env) for _ in range(2)]
    out = ""
    for p in workers:
        stdout, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-3000:]
        out += stdout
    for name in ("owner", "lead", "deputy"):
        assert out.count(f"To: {name}@example.org") == 1, out[-3000:]
    assert out.count("your risk update is due by 3 December 2021") == 3


def redis_is_up() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_is_up(), reason="no Redis on 127.0.0.1:6379")
def test_the_redis_backend_runs_the_same_task(env):
    redis = env | {"TASKS_BACKEND": "redis", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    query(
        "from django.db import transaction\n"
        "from riskreg.notify.services import notify\n"
        "from django.contrib.auth.models import User\n"
        "with transaction.atomic():\n"
        "    notify(user_ids=[User.objects.get(username='lead').pk], kind='chased',"
        " subject='Queued in Redis', body='Hello from RQ.')\n",
        redis,
    )
    worker = manage("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job",
                    env=redis)
    assert "Subject: Queued in Redis" in worker.stdout
    assert query(
        "from riskreg.notify.models import Notification\n"
        "print(Notification.objects.get(subject='Queued in Redis').emailed_at is not None)",
        redis,
    ) == "True"
