"""The questionnaire's first five dimensions. Rows, not code: the team may change them in the admin."""

from django.db import migrations

DIMENSIONS = [
    ("Leadership", "Senior leaders set the tone: risk is discussed by the senior leadership team, "
     "owned by named people and used in decisions."),
    ("Process", "Risks are identified, assessed, recorded, escalated and reviewed to the Met's "
     "minimum standards, with controls that are tracked."),
    ("People", "Staff understand their part in managing risk and have the training, guidance and "
     "support to play it."),
    ("Partnership", "Risks shared with partners and contractors, and dependencies on them, are "
     "identified and managed with them."),
    ("Learning", "Lessons from risks, incidents, audits and inspections are captured, shared "
     "and acted on."),
]


def add_dimensions(apps, schema_editor):
    Dimension = apps.get_model("maturity", "Dimension")
    for order, (name, description) in enumerate(DIMENSIONS, start=1):
        Dimension.objects.get_or_create(
            name=name, defaults={"description": description, "order": order}
        )


def remove_dimensions(apps, schema_editor):
    Dimension = apps.get_model("maturity", "Dimension")
    Dimension.objects.filter(name__in=[name for name, _ in DIMENSIONS], scores__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("maturity", "0002_update_log_and_self_assessments")]

    operations = [migrations.RunPython(add_dimensions, remove_dimensions)]
