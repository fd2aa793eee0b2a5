"""Static checks of the quarterly cycle's templates (riskreg/templates/riskreg/quarterly/ and the
risk pages of risks/templates/risks/): no script, and every htmx link or form works without
JavaScript too. tests/security/test_headers_and_templates.py checks every template for inline
script and handlers."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted(
    [*Path(settings.BASE_DIR, "risks/templates/risks").rglob("*.html"),
     *Path(settings.BASE_DIR, "riskreg/templates/riskreg/quarterly").rglob("*.html")]
)
OURS = [
    p for p in TEMPLATES
    if p.name not in {"register_detail.html", "register_compare.html", "register_changes.html",
                      "heatmaps.html", "heatmap_table.html", "dashboard.html",
                      "alignment_table.html",
                      # Draws its key risk indicators with plotly from static, as the dashboard.
                      "risk_detail.html"}
]


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_templates_keep_to_the_csp_and_progressive_enhancement(path):
    text = path.read_text()
    assert "<script" not in text
    assert not re.search(r"\son[a-z]+\s*=", text), "no inline event handlers"
    assert "hx-on" not in text
    for tag in re.findall(r"<a\b[^>]*\bhx-get=[^>]*>", text):
        href = re.search(r'href="([^"]*)"', tag)
        assert href, f"hx-get without href: {tag}"
    for tag in re.findall(r"<form\b[^>]*>", text, flags=re.S):
        if "hx-post" in tag:
            assert 'method="post"' in tag and "action=" in tag, f"hx-post form without action: {tag}"
