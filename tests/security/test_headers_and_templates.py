import re
from pathlib import Path

import pytest
from django.test import override_settings

from tests.factories import make_planner

ROOT = Path(__file__).resolve().parents[2]
# The project's template folders, an app's own within a package too (riskreg/api/templates).
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates")]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
HX_ON = re.compile(r"\bhx-on", re.I)


def all_templates():
    for folder in TEMPLATE_DIRS:
        yield from sorted(folder.rglob("*.html"))


def test_there_are_templates_to_check():
    assert len(list(all_templates())) > 5


@pytest.mark.parametrize("path", list(all_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_adds_inline_script_or_event_handler(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script> (use a static file)"
    assert not EVENT_HANDLER.search(text), "on*= handler attribute"
    assert not HX_ON.search(text), "hx-on attribute"


def test_no_template_comment_runs_over_a_line():
    """Django's {# #} comment is one line: one left open is printed on the page as it is."""
    open_comments = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in all_templates()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if any("#}" not in after for after in line.split("{#")[1:])
    ]
    assert open_comments == [], "use {% comment %} for a comment of several lines"


@override_settings(SECURE_SSL_REDIRECT=False)
def test_pages_send_security_headers_and_no_store(client, db):
    client.force_login(make_planner())
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
                      "script-src 'self'"):
        assert directive in csp
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp


def test_htmx_is_configured_safely(client, db):
    client.force_login(make_planner())
    html = client.get("/").text
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', html).group(1)
    import json

    config = json.loads(meta)
    assert config["allowEval"] is False
    assert config["includeIndicatorStyles"] is False
    assert config["selfRequestsOnly"] is True
    assert config["historyCacheSize"] == 0
