"""Full-text indexes for search, on PostgreSQL only: SQLite searches without them (see
riskreg/search/fulltext.py). Each is a GIN index over the very expression the search filters
on, so the planner can use it."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = [
    ("risks", "Risk", ("title", "description"), "search_risk_fts"),
    ("controls", "Control", ("title", "description"), "search_control_fts"),
    ("risks", "Assessment", ("commentary", "reasons"), "search_assessment_fts"),
    ("controls", "ControlUpdate", ("note",), "search_controlupdate_fts"),
    ("maturity", "PlanAction", ("text",), "search_planaction_fts"),
]


def _indexes(apps):
    for app_label, model_name, fields, name in INDEXES:
        model = apps.get_model(app_label, model_name)
        yield model, GinIndex(SearchVector(*fields, config="english"), name=name)


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0009_carried_forward_is_to_check"),
        ("controls", "0008_carried_forward_notes"),
        ("maturity", "0003_questionnaire_dimensions"),
    ]

    operations = [migrations.RunPython(add, remove, elidable=False)]
