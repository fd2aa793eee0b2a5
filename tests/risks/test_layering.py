"""DESIGN.md's layering: risks is the base app. controls and maturity may import it; it names
neither of them, nor riskreg, which composes all three. A test, because run-time references
(URL names in templates, apps.get_model) slip past an import check."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

RISKS = Path(settings.BASE_DIR, "risks")
OTHERS = ("controls", "maturity", "riskreg")


def _python_files():
    return sorted(p for p in RISKS.rglob("*.py") if "migrations" not in p.parts)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(RISKS)))
def test_risks_python_imports_none_of_the_apps_built_on_it(path):
    assert not _imports(path) & set(OTHERS)


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(RISKS)))
def test_risks_python_looks_up_no_other_app_at_run_time(path):
    text = path.read_text()
    assert not re.search(r"get_model\(\s*['\"](controls|maturity)", text)
    assert not re.search(r"get_app_config\(\s*['\"](controls|maturity)", text)
    assert not re.search(r"is_installed\(\s*['\"](controls|maturity)", text)
    assert not re.search(r"['\"]controls[:.]", text)


@pytest.mark.parametrize(
    "path", sorted(RISKS.rglob("*.html")), ids=lambda p: str(p.relative_to(RISKS))
)
def test_risks_templates_name_no_controls_url_or_template(path):
    text = path.read_text()
    assert not re.search(r"['\"]controls[:/]", text)


def test_the_test_sees_files():
    """The parametrised tests above must have something to check."""
    assert len(_python_files()) > 10
    assert len(list(RISKS.rglob("*.html"))) > 10
