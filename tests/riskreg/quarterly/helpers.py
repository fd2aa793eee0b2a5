"""What the quarterly tests share besides fixtures (those are in tests/conftest.py)."""

from risks.models import Assessment

HX = {"HX-Request": "true"}


def snapshot(assessment):
    assessment.refresh_from_db()
    return {f: getattr(assessment, f) for f in (*Assessment.OWNER_FIELDS, "state", "version")}
