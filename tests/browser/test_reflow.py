"""Reflow (WCAG 1.4.10) in Chromium at 375 px: every page type, as the Planning & Risk Team, a
risk owner and the Audit Panel, and the error pages, never scrolls sideways, and each page's
key action is in view; axe-core finds nothing on them at that width either.

The pages are test_accessibility.py's (so a page added there is checked here too), plus what
owners and the Panel read. "In view" is horizontal: the element lies inside the window and
inside every box that clips it (a table's scrolling region), so nobody scrolls sideways to it.
"""

import json
import re

import pytest

from .conftest import open_page
from .test_accessibility import AXE_OPTIONS, axe, page_types, site  # noqa: F401 (site: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}

# The reading pages owners and the Panel have besides their own (test_accessibility's lists
# give each role the pages only it can reach).
READERS = ["/registers/corporate/", "/registers/corporate/?period=2021-22-q2&sort=score",
           "/heatmaps/", "/dashboard/", "/registers/corporate/compare/",
           "/registers/corporate/changes/", "/risks/{risk}/", "/maturity/"]

# Each page's key action, or the columns the issue found cut off: (address, selector).
REGISTER = r"^/registers/[\w-]+/(\?|$)"
KEY_ACTIONS = [
    (r"^/my-risks/", "main table td:last-child a"),
    (r"^/periods/$", 'main table a[href$="/close/"]'),
    (r"^/reports/$", "main table a[download]"),
    (r"^/review/$", "main table .govuk-button"),
    (REGISTER, '[data-cell="progress"]'),
    (REGISTER, '[data-cell="rag"]'),
    (REGISTER, ".rr-alignment thead th:last-child"),
    (r"^/heatmaps/", ".rr-alignment thead th:last-child"),
]

# Whatever else the page offers: its buttons and form fields must not be cut off either.
EVERY_CONTROL = "main .govuk-button, main select, main textarea, main input:not([type=hidden])"

OUT_OF_VIEW = """selector => {
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (!box.width || getComputedStyle(el).visibility === "hidden") continue;
    let left = 0, right = innerWidth;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") {
        const clip = up.getBoundingClientRect();
        left = Math.max(left, clip.left); right = Math.min(right, clip.right);
      }
    }
    if (box.left < left - 1 || box.right > right + 1) {
      out.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}"`);
    }
  }
  return out;
}"""

SIDEWAYS = "document.documentElement.scrollWidth - innerWidth"

# test_accessibility.py runs every WCAG rule of axe on every page at 1280 px. What a narrow
# window can break on a page is its layout: a region that now scrolls without keyboard access,
# text over another background, targets squeezed together. Those rules run here on each page
# once; the error pages, new here, get every rule.
NARROW_RULES = {
    "runOnly": {"type": "rule",
                "values": ["scrollable-region-focusable", "color-contrast", "target-size"]},
    "resultTypes": ["violations"],
}


def check(page, live_server, url: str, rules: dict | None = AXE_OPTIONS) -> dict:
    """What is wrong with the page at 375 px: sideways scrolling, actions out of view, and
    what axe finds with `rules` (none: axe is not run)."""
    problems = {}
    if (extra := page.evaluate(SIDEWAYS)) > 0:
        problems["scrolls sideways by px"] = extra
    keys = [selector for address, selector in KEY_ACTIONS if re.match(address, url)]
    for selector in keys:
        if not page.locator(selector).count():
            problems[f"no {selector}"] = True
    for selector in [*keys, EVERY_CONTROL]:
        if cut := page.evaluate(OUT_OF_VIEW, selector):
            problems[f"out of view: {selector}"] = cut
    if rules and (violations := axe(page, live_server, rules)):
        problems["axe"] = violations
    return problems


def test_every_page_type_reflows_at_375_px_for_every_role(chromium, live_server, site):  # noqa: F811
    pages = page_types(site)
    readers = [url.format(risk=site["risk"]) for url in READERS]
    visits = {"planner": pages["planner"], "owner": pages["owner"] + readers,
              "panel": pages["panel"] + readers}
    signed = {role: open_page(chromium, live_server, site[role]) for role in visits}
    found, statuses, axed = {}, {}, set()
    for role, urls in visits.items():
        page = signed[role].page
        page.set_viewport_size(PHONE)
        for url in urls:
            statuses[(role, url)] = page.goto(url).status
            if "dashboard" in url:
                page.wait_for_selector("[data-plotly-rendered] .main-svg")
            rules = None if url in axed else NARROW_RULES
            axed.add(url)
            if problems := check(page, live_server, url, rules):
                found[f"{role} {url}"] = problems
    csp = {role: s.csp_errors for role, s in signed.items() if s.csp_errors}
    for s in signed.values():
        s.close()
    assert {k: v for k, v in statuses.items() if v != 200} == {}
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
    assert csp == {}


def test_error_pages_reflow_have_no_violations_and_lead_home(chromium, live_server, site):  # noqa: F811
    owner = open_page(chromium, live_server, site["owner"])
    page = owner.page
    page.set_viewport_size(PHONE)
    seen = {}

    def look(name: str, status: int) -> None:
        problems = check(page, live_server, name)
        if not page.locator('main a[href="/"]', has_text="Go to the home page").count():
            problems["no way home"] = True
        seen[name] = (status, page.locator("h1").inner_text(), problems)

    look("404", page.goto("/no-such-page/").status)
    look("403", page.goto("/review/").status)
    look("400", page.goto("/heatmaps/?" + "&".join(f"f{i}=1" for i in range(1001))).status)
    with pytest.MonkeyPatch.context() as patch:
        def broken(*args, **kwargs):
            raise RuntimeError("a failure in the page")

        patch.setattr("risks.views.registers.get_register_page_for_user", broken)
        look("500", page.goto("/registers/corporate/").status)
    page.goto("/")
    with page.expect_navigation() as sent:
        page.evaluate("""() => {
            const form = document.querySelector('form[action="/accounts/logout/"]');
            form.querySelector('[name=csrfmiddlewaretoken]').value = "x".repeat(64);
            form.submit();
        }""")
    look("csrf", sent.value.status)
    csp = owner.csp_errors
    owner.close()
    assert seen == {
        "404": (404, "Page not found", {}),
        "403": (403, "You do not have access to this page", {}),
        "400": (400, "Sorry, there is a problem with the request", {}),
        "500": (500, "Sorry, there is a problem with the service", {}),
        "csrf": (403, "Sorry, the form could not be sent", {}),
    }, json.dumps(seen, indent=1, ensure_ascii=False)
    assert csp == []
