"""Issue 14: a report's protective marking comes from a fixed list; a published report can
be withdrawn or superseded by a corrected version, each with a reason; a published report's
PDFs are kept as the bytes the Audit Panel received (ReportFile).

Markings typed before are mapped onto the list (anything that says SENSITIVE is
OFFICIAL-SENSITIVE, everything else OFFICIAL). History rows are append-only and keep what
they recorded: the history column changes in the migration state only, and the history
table's SQLite triggers are kept across the rebuild that adding its columns may cause.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from risks.migrations._triggers import keep_sqlite_triggers


def markings_onto_the_list(apps, schema_editor):
    Report = apps.get_model("riskreg", "Report")
    for report in Report.objects.all():
        marking = (
            "OFFICIAL-SENSITIVE" if "SENSITIVE" in report.protective_marking.upper() else "OFFICIAL"
        )
        Report.objects.filter(pk=report.pk).update(protective_marking=marking)


class Migration(migrations.Migration):
    dependencies = [
        ("riskreg", "0005_report_sections_to_check"),
        ("risks", "0009_carried_forward_is_to_check"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "variant",
                    models.CharField(
                        choices=[("full", "Full version"), ("public", "Public version")],
                        max_length=6,
                    ),
                ),
                ("data", models.BinaryField()),
                ("sha256", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.RemoveConstraint(
            model_name="report",
            name="one_report_per_register_and_period",
        ),
        *keep_sqlite_triggers(
            "riskreg_historicalreport",
            operations=[
                migrations.AddField(
                    model_name="historicalreport",
                    name="correction_reason",
                    field=models.TextField(blank=True, editable=False, max_length=2000),
                ),
                migrations.AddField(
                    model_name="historicalreport",
                    name="superseded_at",
                    field=models.DateTimeField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name="historicalreport",
                    name="superseded_reason",
                    field=models.TextField(blank=True, editable=False, max_length=2000),
                ),
                migrations.AddField(
                    model_name="historicalreport",
                    name="supersedes",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="riskreg.report",
                    ),
                ),
                migrations.AddField(
                    model_name="historicalreport",
                    name="withdrawn_at",
                    field=models.DateTimeField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name="historicalreport",
                    name="withdrawn_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicalreport",
                    name="withdrawn_reason",
                    field=models.TextField(blank=True, editable=False, max_length=2000),
                ),
                migrations.SeparateDatabaseAndState(
                    state_operations=[
                        migrations.AlterField(
                            model_name="historicalreport",
                            name="protective_marking",
                            field=models.CharField(
                                choices=[
                                    ("OFFICIAL", "OFFICIAL"),
                                    ("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"),
                                ],
                                default="OFFICIAL",
                                help_text="The marking of the report without Appendix B (its public version). The full version, with Appendix B, is always OFFICIAL-SENSITIVE. Each file carries its marking on the front page and at the top and foot of every page.",
                                max_length=20,
                            ),
                        ),
                    ]
                ),
            ],
        ),
        migrations.AddField(
            model_name="report",
            name="correction_reason",
            field=models.TextField(blank=True, editable=False, max_length=2000),
        ),
        migrations.AddField(
            model_name="report",
            name="superseded_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="report",
            name="superseded_reason",
            field=models.TextField(blank=True, editable=False, max_length=2000),
        ),
        migrations.AddField(
            model_name="report",
            name="supersedes",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="corrected_by",
                to="riskreg.report",
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="report",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="withdrawn_reason",
            field=models.TextField(blank=True, editable=False, max_length=2000),
        ),
        migrations.RunPython(markings_onto_the_list, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="report",
            name="protective_marking",
            field=models.CharField(
                choices=[("OFFICIAL", "OFFICIAL"), ("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE")],
                default="OFFICIAL",
                help_text="The marking of the report without Appendix B (its public version). The full version, with Appendix B, is always OFFICIAL-SENSITIVE. Each file carries its marking on the front page and at the top and foot of every page.",
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("supersedes__isnull", True), ("withdrawn_at__isnull", True)),
                fields=("register", "period"),
                name="one_report_per_register_and_period",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(("protective_marking__in", ["OFFICIAL", "OFFICIAL-SENSITIVE"])),
                name="report_marking_from_the_list",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("withdrawn_at__isnull", True),
                    models.Q(
                        ("published_at__isnull", False),
                        models.Q(("withdrawn_reason", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="only_published_report_withdrawn_with_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("superseded_at__isnull", True),
                    models.Q(
                        ("published_at__isnull", False),
                        models.Q(("superseded_reason", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="only_published_report_superseded_with_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("withdrawn_at__isnull", True), ("superseded_at__isnull", True), _connector="OR"
                ),
                name="report_withdrawn_or_superseded_not_both",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("supersedes__isnull", True),
                    models.Q(("correction_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="correction_has_reason",
            ),
        ),
        migrations.AddField(
            model_name="reportfile",
            name="report",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="files",
                to="riskreg.report",
            ),
        ),
        migrations.AddConstraint(
            model_name="reportfile",
            constraint=models.UniqueConstraint(
                fields=("report", "variant"), name="one_file_per_variant"
            ),
        ),
    ]
