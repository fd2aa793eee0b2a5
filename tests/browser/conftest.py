"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

There is no Playwright-downloaded browser here: pytest-playwright's fixtures launch
/usr/bin/chromium (browser_type_launch_args). Playwright's sync API runs one event loop per
thread, and test_quarterly_cycle.py starts its own; so the `chromium` fixture below launches
the browser per module and stops it at the module's end, never for the whole session.
"""

import os
from dataclasses import dataclass

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API keeps an event loop in this thread; the ORM calls here are synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


class OneRequestAtATime(WSGIServer):
    """The live server, serving one request at a time.

    Its requests share the test's one in-memory SQLite connection: Django's threaded server
    lets two pages' requests (a team page's htmx swap while the owner's page loads) use it at
    once, and SQLite then hands one thread the other's rows (IndexError in the ORM, a 500)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATime

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def chromium(browser_type_launch_args) -> Browser:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**{"headless": True, **browser_type_launch_args})
        yield browser
        browser.close()


@dataclass
class Signed:
    page: Page
    csp_errors: list[str]

    def close(self) -> None:
        self.page.context.close()


def open_page(chromium: Browser, live_server, user=None) -> Signed:
    """A page in a fresh context, signed in as `user` (by session cookie) or anonymous.

    Call it before the test touches the pages: the live server's threads share this thread's
    in-memory SQLite connection, so the ORM must be quiet while the browser fetches.
    """
    context = chromium.new_context(base_url=live_server.url)
    if user is not None:
        client = Client()
        client.force_login(user, backend="riskreg.signin.PasswordBackend")
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text
            else None)
    return Signed(page, errors)
