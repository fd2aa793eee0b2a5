"""Printing the table pages (issue #16, item 4), in Chromium's print media at the width of an
A4 page: no filter or period controls, no link addresses after the links, no word broken to
fit a column (nothing is wider than the paper either, which would shrink the whole page), and
the register of October 2021 on three pages where it took seven.
"""

import json
import re

import pytest

from .conftest import open_page
from .test_accessibility import site  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_WIDTH = {"width": 718, "height": 1000}  # 210 mm less Chromium's default margins, at 96 dpi

TABLE_PAGES = {
    "planner": ["/registers/corporate/?period=2021-22-q2&sort=score", "/heatmaps/",
                "/registers/corporate/compare/", "/registers/corporate/changes/", "/dashboard/",
                "/review/", "/periods/", "/reports/", "/maturity/appendix-c/"],
    "owner": ["/my-risks/"],
}

ON_PAPER = """() => {
  const shown = el => getComputedStyle(el).display !== "none" && el.offsetParent !== null;
  const problems = [];
  for (const form of document.querySelectorAll('main form[method="get"]')) {
    if (shown(form)) problems.push("a GET form is printed: " + (form.className || form.action));
  }
  for (const a of document.querySelectorAll("main a[href]")) {
    const after = getComputedStyle(a, "::after").content;
    if (shown(a) && after.includes("/")) { problems.push("address printed: " + after); break; }
  }
  for (const c of document.querySelectorAll("main th, main td")) {
    const s = getComputedStyle(c);
    if (["break-word", "anywhere"].includes(s.overflowWrap) || s.wordBreak === "break-all") {
      problems.push("words may break in " + c.tagName + " " + c.textContent.trim().slice(0, 20));
      break;
    }
  }
  const wide = document.documentElement.scrollWidth - innerWidth;
  if (wide > 0) problems.push("wider than the paper by " + wide + " px");
  return problems;
}"""


def pages_of(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_table_pages_print_without_controls_or_addresses_and_in_whole_words(
    chromium, live_server, site  # noqa: F811
):
    found = {}
    for role, urls in TABLE_PAGES.items():
        signed = open_page(chromium, live_server, site[role])
        page = signed.page
        page.set_viewport_size(A4_WIDTH)
        page.emulate_media(media="print")
        for url in urls:
            assert page.goto(url).status == 200, url
            if "dashboard" in url:
                page.wait_for_selector("[data-plotly-rendered] .main-svg")
            if problems := page.evaluate(ON_PAPER):
                found[f"{role} {url}"] = problems
        if role == "planner":
            page.goto("/registers/corporate/?period=2021-22-q2")
            register_pages = pages_of(page.pdf(format="A4"))
        signed.close()
    assert found == {}, json.dumps(found, indent=1)
    assert register_pages <= 3
