"""A risk's control titles are unique ignoring case (the form already compared them so).

Two people adding the same control at once could save "Patrols" and "patrols" side by side.
Such pairs are kept, not merged: every control after the first of a pair gets " (2)", " (3)"...
appended, so that the constraint can be added and nothing is lost.
"""

import django.db.models.functions.text
from django.db import migrations, models


def renamed(rows: list[tuple[int, int, str]]) -> dict[int, str]:
    """(pk, risk, title) rows in pk order → the new title of each control to rename."""
    taken = {(risk, title.lower()) for _, risk, title in rows}
    seen: dict[tuple[int, str], int] = {}
    new = {}
    for pk, risk, title in rows:
        key = (risk, title.lower())
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 1:
            continue
        n = seen[key]
        while (risk, f"{title[:290]} ({n})".lower()) in taken:
            n += 1
        new[pk] = f"{title[:290]} ({n})"
        taken.add((risk, new[pk].lower()))
    return new


def number_case_duplicates(apps, schema_editor):
    Control = apps.get_model("controls", "Control")
    rows = list(Control.objects.order_by("pk").values_list("pk", "risk", "title"))
    for pk, title in renamed(rows).items():
        Control.objects.filter(pk=pk).update(title=title)


class Migration(migrations.Migration):

    dependencies = [
        ('controls', '0006_record_controls_of_past_quarters'),
        ('risks', '0005_refuse_deletes_in_closed_periods'),
    ]

    operations = [
        migrations.RunPython(number_case_duplicates, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='control',
            name='control_title_unique_per_risk',
        ),
        migrations.AddConstraint(
            model_name='control',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('title'), models.F('risk'), name='control_title_unique_per_risk_ignoring_case', violation_error_message='This risk already has a control with that name'),
        ),
    ]
