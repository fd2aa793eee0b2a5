"""How a signed-in page fares while anonymous clients loop on the sign-in form. Loopback only.

    python manage.py signin_load [--loops 20] [--seconds 30] [--cycles 3] [--spread] [--json]

It starts the production server as README prescribes (gunicorn, gthread workers, DEBUG off, a
throw-away SECRET_KEY) on a free port of 127.0.0.1, over a throw-away SQLite database holding
the October 2021 register and demo-like accounts (with a throw-away password, never the demo
one, which production refuses). Requests say they came through one TLS-ending proxy
(TRUSTED_PROXY_COUNT=1, X-Forwarded-Proto and X-Forwarded-For), as in production.

It signs one person in and times a signed-in page idle, and while LOOPS anonymous clients each
sign in over and over with wrong passwords (known and unknown usernames, each loop from its own
address), in alternating phases, and prints both medians and their ratio. The loops stop after
--attempts attempts each or --seconds in all, whichever comes first, and the server is stopped.
With --spread, every attempt comes from a new address (as from many machines), so that the
per-address throttle does not help and the per-username throttle and the unhashed unknown
usernames must.
"""

import http.client
import json
import multiprocessing
import os
import queue
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

HOST = "127.0.0.1"
# README's production command (section "Deploying at scale"), but for --bind.
GUNICORN = [
    "riskreg.wsgi", "--worker-class", "gthread", "--workers", "2", "--threads", "16",
    "--timeout", "30", "--limit-request-line", "4094", "--limit-request-field_size", "8190",
]
PAGE = "/registers/corporate/"
USERNAMES = ["owner", "lead", "planner", "panel", "admin"]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Browser:
    """One client on its own connection, keeping its cookies (which are Secure: sent by hand)."""

    def __init__(self, port: int, address: str):
        self.port, self.address = port, address
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address,
                   "Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{HOST}/accounts/login/"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                # The server closed a kept-alive connection: open another once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def sign_in(self, username: str, password: str) -> int:
        _, page = self.request("GET", "/accounts/login/")
        match = CSRF_INPUT.search(page)
        token = match.group(1) if match else ""
        status, _ = self.request("POST", "/accounts/login/", {
            "csrfmiddlewaretoken": token, "username": username, "password": password,
        })
        return status


def run_loops(port: int, loops: int, attempts: int, spread: bool, go, busy, done,
              out) -> None:
    """LOOPS threads, each signing in with a wrong password while `go` is set, until ATTEMPTS
    each or `done`. `busy` counts the attempts in flight (so that an idle phase can wait for
    the last of them)."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def loop(n: int) -> None:
        rng = random.Random(n)
        browser = Browser(port, f"198.18.0.{n + 1}")
        left = attempts
        while left and not done.is_set():
            if not go.wait(0.1):
                continue
            if spread:  # 198.18.0.0/15: the range set aside for benchmarks
                browser.address = (f"198.{18 + rng.randrange(2)}.{rng.randrange(256)}."
                                   f"{rng.randrange(1, 255)}")
            known = rng.random() < 0.5
            username = rng.choice(USERNAMES) if known else f"nobody{rng.randrange(10**6)}"
            with busy.get_lock():
                busy.value += 1
            try:
                status = browser.sign_in(username, "not-the-password")
            except (OSError, http.client.HTTPException):
                status = 0
            finally:
                with busy.get_lock():
                    busy.value -= 1
            left -= 1
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=loop, args=(n,), daemon=True) for n in range(loops)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(statuses)


class Command(BaseCommand):
    help = "Time a signed-in page idle and under anonymous sign-in loops (loopback only)."

    def add_arguments(self, parser):
        parser.add_argument("--loops", type=int, default=20)
        parser.add_argument("--seconds", type=float, default=30.0,
                            help="How long the loops run, in all (the page is timed idle as long).")
        parser.add_argument("--attempts", type=int, default=1000,
                            help="Sign-in attempts per loop at most.")
        parser.add_argument("--cycles", type=int, default=3,
                            help="Idle and loaded phases, alternating (SECONDS split among them).")
        parser.add_argument("--spread", action="store_true",
                            help="Every attempt from a new address.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--database-from", type=Path, metavar="PATH",
                            help="Start from a copy of this migrated SQLite file rather than "
                                 "migrating a new one (a minute on a small machine).")

    def handle(self, *args, **opts):
        source = opts["database_from"]
        if source is not None and not source.is_file():
            raise CommandError(f"--database-from: there is no file {source}.")
        if not 1 <= opts["loops"] <= 100 or not 0 < opts["seconds"] <= 600:
            raise CommandError("--loops must be 1 to 100 and --seconds at most 600.")
        if opts["attempts"] < 1 or not 1 <= opts["cycles"] <= 20:
            raise CommandError("--attempts must be at least 1 and --cycles 1 to 20.")
        self.opts = opts
        tmp = Path(tempfile.mkdtemp(prefix="riskreg-signin-load-"))
        try:
            result = self.run(tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if opts["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.print_result(result)

    # -- the server ----------------------------------------------------------------------------

    def env(self, tmp: Path, *, debug: bool) -> dict:
        base = {k: v for k, v in os.environ.items()
                if k not in {"DEBUG", "TESTING", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
                and not k.startswith(("SIGNIN_", "AXES_"))}
        return {
            **base,
            "DEBUG": "true" if debug else "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SQLITE_PATH": str(tmp / "riskreg.sqlite3"),
            "TRUSTED_PROXY_COUNT": "1",
            # No collectstatic into the checkout: pages name their static files unhashed.
            "STATIC_MANIFEST": "false",
            "LOG_LEVEL": "ERROR",
        }

    def manage(self, tmp: Path, *args: str) -> None:
        done = subprocess.run(  # noqa: S603 - this interpreter, our arguments
            [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR,
            env=self.env(tmp, debug=True), capture_output=True, text=True, timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise CommandError(f"manage.py {' '.join(args[:1])} failed:\n{done.stderr}")

    def prepare(self, tmp: Path, password: str) -> None:
        if self.opts["database_from"] is not None:
            shutil.copyfile(self.opts["database_from"], tmp / "riskreg.sqlite3")
        # Whatever the copy lacks (nothing, from a migrated file of this checkout).
        self.manage(tmp, "migrate", "--no-input")
        self.manage(tmp, "loaddata", "corporate_2021_10", "report_2021_10")
        self.manage(tmp, "shell", "-c", (
            "from django.contrib.auth.models import Group, User\n"
            "from risks.models import PLANNING_TEAM\n"
            "team = Group.objects.get_or_create(name=PLANNING_TEAM)[0]\n"
            f"for name in {USERNAMES!r}:\n"
            f"    u = User.objects.create_user(name, password={password!r})\n"
            "    u.groups.add(team)\n"
        ))

    def start(self, tmp: Path, port: int) -> subprocess.Popen:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        if not gunicorn.exists():
            raise CommandError(f"gunicorn is not installed beside {sys.executable}.")
        server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, our arguments
            [str(gunicorn), *GUNICORN, "--bind", f"{HOST}:{port}"], cwd=settings.BASE_DIR,
            env=self.env(tmp, debug=False), stdout=subprocess.DEVNULL,
            stderr=(tmp / "gunicorn.log").open("w"), start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("gunicorn stopped:\n" + (tmp / "gunicorn.log").read_text())
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return server
            except OSError:
                time.sleep(0.2)
        self.stop(server)
        raise CommandError("gunicorn did not answer /healthz within a minute.")

    @staticmethod
    def stop(server: subprocess.Popen) -> None:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(5)

    # -- measuring -----------------------------------------------------------------------------

    def run(self, tmp: Path) -> dict:
        password = secrets.token_urlsafe(16)
        self.prepare(tmp, password)
        port = free_port()
        server = self.start(tmp, port)
        try:
            return self.measure(port, password)
        finally:
            self.stop(server)

    @staticmethod
    def time_page(browser: Browser) -> float:
        started = time.perf_counter()
        status, _ = browser.request("GET", PAGE)
        if status != 200:
            raise CommandError(f"{PAGE} answered {status} to the signed-in client.")
        return (time.perf_counter() - started) * 1000

    def measure(self, port: int, password: str) -> dict:
        reader = Browser(port, "192.0.2.10")
        if reader.sign_in("planner", password) != 302:
            raise CommandError("The measuring client could not sign in.")
        for _ in range(20):  # warm-up: every worker imports and compiles what the page needs
            self.time_page(reader)

        # The loops run in a process of their own, so that their threads do not hold up the
        # measuring client's (the GIL); both share the machine's cores with the server, as an
        # attacker on the same host would. Idle and loaded phases alternate (--cycles of each),
        # so that a machine whose speed drifts during the run (a shared one does) moves both
        # medians alike. An idle phase starts once the loops' last attempts are answered.
        context = multiprocessing.get_context("fork")
        go, done, busy, counts = (context.Event(), context.Event(), context.Value("i", 0),
                                  context.Queue())
        loops = context.Process(
            target=run_loops, daemon=True,
            args=(port, self.opts["loops"], self.opts["attempts"], self.opts["spread"], go, busy,
                  done, counts),
        )
        loops.start()
        phase = self.opts["seconds"] / self.opts["cycles"]
        idle: list[float] = []
        loaded: list[float] = []
        loaded_seconds = 0.0
        for _ in range(self.opts["cycles"]):
            quiet_by = time.monotonic() + 60
            while busy.value and time.monotonic() < quiet_by:
                time.sleep(0.05)
            until = time.monotonic() + phase
            while time.monotonic() < until:
                idle.append(self.time_page(reader))
            go.set()
            started = time.monotonic()
            time.sleep(min(1.0, phase / 4))  # the loops are under way
            while time.monotonic() < started + phase:
                loaded.append(self.time_page(reader))
            go.clear()
            loaded_seconds += time.monotonic() - started
        done.set()
        try:
            statuses = counts.get(timeout=120)
        except queue.Empty:
            statuses = {}
        loops.join(10)
        if loops.is_alive():
            loops.kill()
        idle_ms, loaded_ms = statistics.median(idle), statistics.median(loaded)
        attempts = sum(statuses.values())
        return {
            "page": PAGE,
            "server": "gunicorn " + " ".join(GUNICORN),
            "loops": self.opts["loops"],
            "spread": self.opts["spread"],
            "cycles": self.opts["cycles"],
            "idle_median_ms": round(idle_ms, 1),
            "loaded_median_ms": round(loaded_ms, 1),
            "ratio": round(loaded_ms / idle_ms, 2),
            "idle_samples": len(idle),
            "loaded_samples": len(loaded),
            "attempts": attempts,
            "attempts_per_s": round(attempts / loaded_seconds, 1),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "seconds": round(loaded_seconds, 1),
        }

    def print_result(self, r: dict) -> None:
        w = self.stdout.write
        w(f"Server: {r['server']} (loopback, DEBUG off, SQLite)")
        w(f"Page: {r['page']}, signed in")
        w(f"Idle median: {r['idle_median_ms']:.1f} ms ({r['idle_samples']} requests, "
          f"in {r['cycles']} phases between the loaded ones)")
        w(f"Under {r['loops']} sign-in loops{' from spread addresses' if r['spread'] else ''}: "
          f"median {r['loaded_median_ms']:.1f} ms ({r['loaded_samples']} requests)")
        w(f"Ratio: {r['ratio']:.2f}")
        w(f"Sign-in attempts: {r['attempts']} in {r['seconds']} s "
          f"({r['attempts_per_s']}/s), statuses {r['statuses']}")
