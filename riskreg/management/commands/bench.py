"""Measure pages and the report PDF at the scale of a large organisation, in a throw-away database.

    python manage.py bench [--risks 5000] [--runs 15] [--json] [--load [--load-seconds 10]]

It builds the organisation twice (at N/10 and at N) so that every page's query count can be
compared across sizes, then times each page in process after a warm-up, as the median of
repeated runs taken in rounds with a trivial view (/healthz), the floor: each page warm (as
served from the page cache) and rendered with nothing cached. --load also drives the README's
production command (gunicorn) with wrk.
"""

import json
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases

from riskreg.benchdata import Scale, build_organisation
from risks import sessionwatch
from risks.pagecache import forget_local


def clear_caches() -> None:
    """Nothing cached: the shared cache and this process's own pages."""
    cache.clear()
    forget_local()
    sessionwatch.forget_all()


LOAD_ROUNDS = 3


def median_round(runs: list[dict]) -> dict:
    """The run of median requests/s (its latencies with it, as measured together)."""
    return sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


class Command(BaseCommand):
    help = "Benchmark pages and the report PDF at scale, in a throw-away database."

    def add_arguments(self, parser):
        parser.add_argument("--risks", type=int, default=5000)
        parser.add_argument("--registers", type=int, default=50)
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--pdf-risks", type=int, default=200,
                            help="Risks in the corporate register, which the large report covers.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--skip-pdf", action="store_true", help="Time the pages only.")
        parser.add_argument("--load", action="store_true",
                            help="Also drive the production server (gunicorn) with wrk.")
        parser.add_argument("--load-seconds", type=int, default=10,
                            help="How long wrk drives each address.")
        parser.add_argument("--database-from", metavar="FILE_OR_NAME",
                            help="Start from a copy of this migrated database rather than "
                                 "migrating a new one: a SQLite file, or on PostgreSQL the "
                                 "name of a database to use as the template.")

    def handle(self, *args, **opts):
        if opts["risks"] < 10 or opts["registers"] < 3:
            raise CommandError("--risks must be at least 10 and --registers at least 3.")
        self.opts = opts
        tmp = tempfile.TemporaryDirectory(prefix="riskreg-bench-")
        db = settings.DATABASES["default"]
        source = opts["database_from"]
        if db["ENGINE"].endswith("sqlite3"):
            # A file, not the in-memory default: the figures should reflect a real deployment.
            db.setdefault("TEST", {})["NAME"] = str(Path(tmp.name) / "bench.sqlite3")
            if source is not None:
                if not Path(source).is_file():
                    raise CommandError(f"--database-from: there is no file {source}.")
                shutil.copyfile(source, db["TEST"]["NAME"])
        else:
            # Not the test suite's test_<name>, which a test run may be using at the same time.
            db.setdefault("TEST", {})["NAME"] = f"test_{db['NAME']}_bench"
            if source is not None:
                if not self.postgres_database_exists(source):
                    raise CommandError(f"--database-from: there is no database {source}.")
                # Created as a copy of it (CREATE DATABASE ... TEMPLATE): migrate has nothing
                # left to do.
                db["TEST"]["TEMPLATE"] = source
        # keepdb on SQLite: the copy is kept and only what it lacks migrated (it is removed at
        # the end).
        old = setup_databases(verbosity=0, interactive=False,
                              keepdb=source is not None and connection.vendor == "sqlite")
        try:
            result = self.measure()
        finally:
            if connection.vendor == "postgresql":
                # The load test's server is gone, but PostgreSQL may not have noticed yet.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
            sessionwatch.close()  # its connection is a session in the database
            teardown_databases(old, verbosity=0)
            tmp.cleanup()
        if opts["json"]:
            self.stdout.write(json.dumps(result, indent=None))
        else:
            self.print_table(result)

    @staticmethod
    def postgres_database_exists(name: str) -> bool:
        with connection.creation._nodb_cursor() as cursor:
            return connection.creation._database_exists(cursor, name)

    # -- measuring -------------------------------------------------------------------------

    def pages(self, org) -> dict[str, str]:
        register, risk, period = org["register"], org["risk"], org["periods"][-1]
        closed, before = org["periods"][-2], org["periods"][-3]
        slug = register.slug
        return {
            "register": f"/registers/{slug}/?period={period.slug}",
            "risk": f"/risks/{risk.pk}/",
            "review": "/review/",
            "heatmaps": f"/heatmaps/?register={slug}&period={period.slug}",
            "dashboard": f"/dashboard/?register={slug}",
            "changes": f"/registers/{slug}/changes/?period={period.slug}",
            "compare": f"/registers/{slug}/compare/?from={closed.slug}&to={period.slug}",
            # The latest closed quarter (the heat maps page holds the alignment table).
            "register_closed": f"/registers/{slug}/?period={closed.slug}",
            "risk_closed": f"/risks/{risk.pk}/?period={closed.slug}",
            "heatmaps_closed": f"/heatmaps/?register={slug}&period={closed.slug}",
            "dashboard_closed": f"/dashboard/?register={slug}&period={closed.slug}",
            "changes_closed": f"/registers/{slug}/changes/?period={closed.slug}",
            "compare_closed": f"/registers/{slug}/compare/?from={before.slug}&to={closed.slug}",
            # A business group's whole branch: its own risks and its units' (issue 17).
            "branch": f"/registers/{org['group'].slug}/?scope=branch&period={period.slug}",
            # The API's lists of the register, as a script with a token reads them (the
            # largest page, of 200 rows).
            "api risks": f"/api/v1/risks/?register={register.slug}&page_size=200",
            "api quarter": f"/api/v1/assessments/?register={register.slug}&period={period.slug}"
                           "&page_size=200",
        }

    def reset(self) -> None:
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)

    def populate(self, scale: Scale) -> dict:
        """The October 2021 seed (for its report) beside a synthetic organisation."""
        from django.core.management import call_command

        call_command("loaddata", "corporate_2021_10", "report_2021_10", verbosity=0)
        org = build_organisation(scale)
        if connection.vendor == "postgresql":
            # Statistics, as autovacuum gathers after a bulk load: without them PostgreSQL plans
            # for empty tables. (SQLite keeps none unless ANALYZE is run; the pages' queries are
            # written so that its plans are good without them.)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return org

    def signed_in(self, user) -> Client:
        """Signed in for the pages, and with a token for the API (which it tries first)."""
        from riskreg.api.models import ApiToken

        client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user=user, name='bench', scope='read')[1]}")
        client.force_login(user)
        return client

    def query_counts(self, client: Client, pages: dict[str, str]) -> dict[str, int]:
        counts = {}
        # Where the worker keeps what it read (PostgreSQL: risks/sessionwatch.py), the
        # database's announcements of the writes above taken in first: one arriving between
        # the warm-up and the count would make the count one of a read again.
        sessionwatch.settle()
        for name, url in pages.items():
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{name} page {url} answered {response.status_code}")
            counts[name] = len(ctx.captured_queries)
        return counts

    def measure(self) -> dict:
        n, runs = self.opts["risks"], self.opts["runs"]
        scale = Scale(risks=n, registers=self.opts["registers"], report_risks=self.opts["pdf_risks"])
        tenth = Scale(risks=max(n // 10, 10), registers=max(self.opts["registers"] // 10, 3),
                      report_risks=max(self.opts["pdf_risks"] // 10, 2))

        org = self.populate(tenth)
        client = self.signed_in(org["planner"])
        counts_tenth = self.query_counts(client, self.pages(org))
        self.reset()

        started = time.perf_counter()
        org = self.populate(scale)
        build_s = time.perf_counter() - started
        client = self.signed_in(org["planner"])
        pages = self.pages(org)
        counts = self.query_counts(client, pages)

        cold_counts = {}
        for name, url in pages.items():
            clear_caches()
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            cold_counts[name] = len(ctx.captured_queries)

        # Timed as production runs, with DEBUG off: with it on, Django wraps every cursor to
        # log its queries (CaptureQueriesContext above turns that on for itself).
        settings.DEBUG = False
        # Round robin: each round times the floor four times and every page once, so that a
        # machine that speeds up or slows down during the run (a shared VM does) moves the
        # floor and the pages alike, and the ratios compare like with like.
        urls = {"floor": "/healthz", **pages}
        for url in urls.values():
            for _ in range(3):
                client.get(url)
        # The floor is signed in, as every page is; the same view without a session shows what
        # reading and saving the session (SESSION_SAVE_EVERY_REQUEST) adds to every request.
        anonymous = Client()
        times: dict[str, list[float]] = {name: [] for name in [*urls, "anonymous"]}
        for _ in range(runs):
            for name, url in [*urls.items(), ("anonymous", "/healthz")]:
                get = anonymous.get if name == "anonymous" else client.get
                for _ in range(1 if name in pages else 4):
                    start = time.perf_counter()
                    get(url)
                    times[name].append((time.perf_counter() - start) * 1000)
        # The same pages with nothing cached (the first reader after a write), fewer rounds.
        cold: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(max(3, runs // 3)):
            for name, url in pages.items():
                clear_caches()
                start = time.perf_counter()
                client.get(url)
                cold[name].append((time.perf_counter() - start) * 1000)
        floor = statistics.median(times["floor"])
        result_pages = {}
        for name in pages:
            ms, cold_ms = statistics.median(times[name]), statistics.median(cold[name])
            result_pages[name] = {
                "median_ms": round(ms, 2),
                "ratio": round(ms / floor, 1),
                "queries": counts[name],
                "queries_at_tenth": counts_tenth[name],
                "uncached_ms": round(cold_ms, 2),
                "uncached_ratio": round(cold_ms / floor, 1),
                "uncached_queries": cold_counts[name],
            }
        pdf = {} if self.opts["skip_pdf"] else self.measure_pdf(org)
        load = self.measure_load(org) if self.opts["load"] else None
        return {
            **({"load": load} if load is not None else {}),
            "scale": {**scale.as_dict(), "database": connection.vendor, "build_s": round(build_s, 1)},
            "floor_ms": round(floor, 3),
            "floor_without_session_ms": round(statistics.median(times["anonymous"]), 3),
            "pages": result_pages,
            "pdf": pdf,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }

    def measure_pdf(self, org) -> dict:
        """The October 2021 report, and the corporate register's report at scale.

        Rendered without the PDF cache, so every run pays for WeasyPrint, in turn with the same
        HTML through WeasyPrint alone, so the ratio shows what the report adds on top of it.
        """
        import datetime
        from io import BytesIO

        from django.template.loader import render_to_string
        from pypdf import PdfReader
        from weasyprint import HTML

        from riskreg.report import pdf as report_pdf
        from riskreg.report.document import pdf_bytes, render
        from riskreg.report.models import Report

        runs = max(1, self.opts["runs"] // 3)  # 5 by default

        def weasyprint_only(report):
            """The report's own HTML, as pdf_bytes() gives it to WeasyPrint, and nothing else."""
            rendered, _ = render(report)
            html = render_to_string("pdf/report.html", {
                "body": rendered.body, "title": rendered.title, "author": rendered.author,
                "created": rendered.created, "modified": rendered.modified,
                "stylesheets": report_pdf.stylesheet_hrefs(),
            })
            return lambda: HTML(
                string=html, base_url=report_pdf.BASE_URL,
                url_fetcher=report_pdf.StaticOnlyFetcher(),
            ).write_pdf(**report_pdf.PDF_OPTIONS)

        def alternating_s(ours, alone) -> tuple[float, float]:
            """Medians of the two timed in turn, so that the machine's drift moves both alike."""
            ours(), alone()
            times: tuple[list[float], list[float]] = ([], [])
            for _ in range(runs):
                for fn, into in ((ours, times[0]), (alone, times[1])):
                    start = time.perf_counter()
                    fn()
                    into.append(time.perf_counter() - start)
            return statistics.median(times[0]), statistics.median(times[1])

        seed = Report.objects.get(period__slug="2021-22-q2", register__slug="corporate")
        seed_s, seed_weasy_s = alternating_s(
            lambda: pdf_bytes(seed, use_cache=False), weasyprint_only(seed)
        )

        corporate, period = org["corporate"], org["periods"][-2]
        report = Report.objects.create(
            register=corporate, period=period, meeting_date=period.end + datetime.timedelta(days=30),
        )
        report.noted_risks.set(corporate.risks.all()[:4])
        report.appendix_b_risks.set(corporate.risks.all()[:4])
        data = pdf_bytes(report, use_cache=False)
        report_s, weasy_s = alternating_s(
            lambda: pdf_bytes(report, use_cache=False), weasyprint_only(report)
        )
        return {
            "seed_report_s": round(seed_s, 3),
            # The October 2021 paper against WeasyPrint alone on its HTML, as for the report.
            "seed_weasyprint_only_s": round(seed_weasy_s, 3),
            "seed_ratio": round(seed_s / seed_weasy_s, 2),
            "report_s": round(report_s, 3),
            "report_risks": corporate.risks.count(),
            "weasyprint_only_s": round(weasy_s, 3),
            "ratio": round(report_s / weasy_s, 2),
            "pages": len(PdfReader(BytesIO(data)).pages),
        }

    # -- output ------------------------------------------------------------------------------

    def print_table(self, r: dict) -> None:
        w = self.stdout.write
        w(f"Scale: {r['scale']}")
        w(f"Floor (trivial view, signed in): {r['floor_ms']:.3f} ms; "
          f"without a session: {r['floor_without_session_ms']:.3f} ms")
        w(f"{'page':<18}{'median ms':>10}{'ratio':>8}{'queries':>9}{'at N/10':>9}"
          f"{'uncached':>10}{'ratio':>8}{'queries':>9}")
        for name, p in r["pages"].items():
            w(f"{name:<18}{p['median_ms']:>10.2f}{p['ratio']:>8.1f}{p['queries']:>9}"
              f"{p['queries_at_tenth']:>9}{p['uncached_ms']:>10.2f}{p['uncached_ratio']:>8.1f}"
              f"{p['uncached_queries']:>9}")
        if "load" in r:
            w(f"Under load: {r['load']}")
        w(f"PDF: {r['pdf']}")
        w(f"Peak RSS: {r['peak_rss_mb']} MB")

    # -- under load ----------------------------------------------------------------------------

    def measure_load(self, org) -> dict:
        """The README's production command (gunicorn, gthread, 2 workers of 16 threads) on a
        free port of 127.0.0.1, over this throw-away database, driven by wrk signed in as the
        planner: the trivial view, the closed quarter's register and the open quarter's."""
        import contextlib
        import os
        import shutil
        import signal
        import socket
        import subprocess
        import sys
        import urllib.error
        import urllib.parse
        import urllib.request

        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("--load needs wrk (Debian: apt-get install wrk).")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        client = Client()
        client.force_login(org["planner"])
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        db = settings.DATABASES["default"]
        env = {
            **os.environ, "DEBUG": "false", "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false",
            "STATIC_MANIFEST": "false", "LOG_LEVEL": "ERROR",
        }
        if db["ENGINE"].endswith("sqlite3"):
            env["SQLITE_PATH"] = str(db["NAME"])
        else:
            # A Unix socket's directory as the host, quoted (postgres://user@%2Fvar%2Frun...).
            host = urllib.parse.quote(db["HOST"] or "127.0.0.1", safe="")
            env["DATABASE_URL"] = f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
        # Release SQLite's hold on the file before other processes write to it.
        connection.close()
        log = tempfile.TemporaryFile()  # noqa: SIM115 - read after the load, then closed

        def log_text() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")[-3000:]

        server = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            [sys.executable, "-m", "gunicorn", "riskreg.wsgi", "--worker-class", "gthread",
             "--workers", "2", "--threads", "16", "--timeout", "30", "--graceful-timeout", "5",
             "--limit-request-line", "4094", "--limit-request-field_size", "8190",
             "--bind", f"127.0.0.1:{port}"],
            # Its log in a file: a pipe nobody reads stops the server once it is full.
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=log,
            start_new_session=True,  # its workers stop with it (killpg below)
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=2).read()  # noqa: S310
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise CommandError(
                            "gunicorn did not start: " + log_text()
                        ) from None
                    time.sleep(0.3)
            register, closed = org["register"], org["periods"][-2]
            urls = {
                "healthz": "/healthz",
                "register_closed": f"/registers/{register.slug}/?period={closed.slug}",
                "register_open": f"/registers/{register.slug}/?period={org['periods'][-1].slug}",
            }
            for path in urls.values():
                request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
                    base + path, headers={"Cookie": cookie}
                )
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                        if response.status != 200 or response.url != base + path:
                            raise CommandError(f"{path} answered {response.status}")
                except urllib.error.HTTPError as e:
                    raise CommandError(f"{path} answered {e.code}: {log_text()}") from None
                # Every worker's cache warmed, as in a running service: a second of load, not
                # counted (a few requests in turn may all reach the same worker).
                self.wrk(wrk, base + path, cookie, seconds=1)
            # Rounds, each driving every address in turn, and each address's median round:
            # the worker that accepts wrk's keep-alive connections first may keep them all for
            # a run, halving that run's rate; new connections each round, and a drifting
            # machine, move every address alike.
            rounds = {name: [] for name in urls}
            for _ in range(LOAD_ROUNDS):
                for name, path in urls.items():
                    rounds[name].append(self.wrk(wrk, base + path, cookie))
            result = {name: median_round(runs) for name, runs in rounds.items()}
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=20)
            # The workers too, whatever the master managed: their connections must be gone
            # before the throw-away database can be dropped.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
        failed = {name: sum(run["non_2xx"] for run in runs) for name, runs in rounds.items()}
        if any(failed.values()):
            self.stderr.write("Some requests failed under load; the server's log ends:\n" + log_text())
        log.close()
        return {
            "healthz_rps": result["healthz"]["rps"],
            "register_closed_rps": result["register_closed"]["rps"],
            "register_open_rps": result["register_open"]["rps"],
            "p50_ms": {name: r["p50_ms"] for name, r in result.items()},
            "p99_ms": {name: r["p99_ms"] for name, r in result.items()},
            "non_2xx": failed,  # in every round
            "closed_over_healthz": round(
                result["register_closed"]["rps"] / result["healthz"]["rps"], 2
            ),
            "rps_rounds": {name: [r["rps"] for r in runs] for name, runs in rounds.items()},
            "wrk": f"-t2 -c16 -d{self.opts['load_seconds']}s --latency, "
                   f"the median of {LOAD_ROUNDS} rounds",
        }

    def wrk(self, wrk: str, url: str, cookie: str, seconds: int | None = None) -> dict:
        import re
        import subprocess

        out = subprocess.run(  # noqa: S603 - wrk, with fixed arguments
            [wrk, "-t2", "-c16", f"-d{seconds or self.opts['load_seconds']}s", "--latency",
             "-H", f"Cookie: {cookie}", url],
            capture_output=True, text=True, check=True,
        ).stdout
        units = {"us": 0.001, "ms": 1.0, "s": 1000.0}

        def latency(percent: str) -> float:
            value, unit = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
            return round(float(value) * units[unit], 2)

        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        return {
            "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), 1),
            "p50_ms": latency("50"),
            "p99_ms": latency("99"),
            "non_2xx": int(bad.group(1)) if bad else 0,
        }
