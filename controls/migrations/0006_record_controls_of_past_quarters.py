"""Every closed quarter records each control of its risks as it showed it.

Existing records take their control's definition as it stands now, and a control that had no
record in a closed quarter that recorded controls (nobody updated it) gets one without a
status, so that the quarter lists it. The freeze triggers are lifted for this one write (see risks' migration 0007).
"""

from django.db import migrations
from django.db.models import Q

from risks.migrations._triggers import triggers_lifted


def record_controls(apps, schema_editor):
    Control = apps.get_model("controls", "Control")
    ControlUpdate = apps.get_model("controls", "ControlUpdate")
    Assessment = apps.get_model("risks", "Assessment")
    ReportingPeriod = apps.get_model("risks", "ReportingPeriod")
    controls = {c.pk: c for c in Control.objects.select_related("owner", "added_in")}

    def copy(record, control):
        record.risk_id = control.risk_id
        record.title, record.category = control.title, control.category
        record.owner_id = control.owner_id
        record.owner_name = control.owner.name if control.owner_id else ""
        record.is_key, record.milestone = control.is_key, control.milestone
        record.order, record.retired = control.order, not control.is_active

    records = list(ControlUpdate.objects.all())
    for record in records:
        copy(record, controls[record.control_id])
    fields = ["risk", "title", "owner", "owner_name", "category", "is_key", "milestone", "order", "retired"]
    with triggers_lifted(schema_editor, "controls_controlupdate"):
        ControlUpdate.objects.bulk_update(records, fields, batch_size=500)

    have = {(r.control_id, r.period_id) for r in records}
    missing = []
    # A quarter that recorded no control at all (a baseline of positions only) stays so.
    recorded = {period for _, period in have}
    for period in ReportingPeriod.objects.filter(state="closed", pk__in=recorded):
        assessed = Assessment.objects.filter(period=period).values("risk_id")
        for control in Control.objects.filter(risk__in=assessed, is_active=True).filter(
            Q(added_in__isnull=True) | Q(added_in__start__lte=period.start)
        ):
            if (control.pk, period.pk) not in have:
                record = ControlUpdate(control_id=control.pk, period_id=period.pk, status="")
                copy(record, controls[control.pk])
                missing.append(record)
    ControlUpdate.objects.bulk_create(missing, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("controls", "0005_definitions_belong_to_their_quarter"),
        ("risks", "0007_record_definitions_of_past_quarters"),
    ]

    operations = [
        migrations.RunPython(record_controls, migrations.RunPython.noop),
    ]
