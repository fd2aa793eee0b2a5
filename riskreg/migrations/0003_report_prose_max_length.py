"""Report prose has a maximum length, in the model, the form and the database.

A TextField's max_length changes no column, but on SQLite Django would rebuild the history
table once per field to apply it, and a rebuilt table loses the append-only triggers of
0002. So the fields change in the migration state only; the database gains the checks.
"""

import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('riskreg', '0002_history_append_only'),
        ('risks', '0005_refuse_deletes_in_closed_periods'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalreport',
                    name='equality',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='equality and diversity impact'),
                ),
                migrations.AlterField(
                    model_name='historicalreport',
                    name='financial',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='financial implications'),
                ),
                migrations.AlterField(
                    model_name='historicalreport',
                    name='further_notes',
                    field=models.TextField(blank=True, help_text='Each paragraph is numbered in section 1. Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='further notes after the risks to note'),
                ),
                migrations.AlterField(
                    model_name='historicalreport',
                    name='interdependencies',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='interdependencies / cross cutting issues'),
                ),
                migrations.AlterField(
                    model_name='historicalreport',
                    name='introduction',
                    field=models.TextField(blank=True, help_text='Each paragraph is numbered in section 1. Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='introduction (1.1, 1.2 …)'),
                ),
                migrations.AlterField(
                    model_name='historicalreport',
                    name='key_considerations',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='key considerations for the panel'),
                ),
                migrations.AlterField(
                    model_name='historicalreport',
                    name='legal',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='legal implications'),
                ),
                migrations.AlterField(
                    model_name='historicalreport',
                    name='maturity',
                    field=models.TextField(blank=True, help_text='Each paragraph is numbered in section 1. Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='risk maturity action plan'),
                ),
                migrations.AlterField(
                    model_name='historicalreport',
                    name='position_notes',
                    field=models.TextField(blank=True, help_text='Completes the numbered paragraph that gives the figures.', max_length=20000, verbose_name='risk position update, after the figures'),
                ),
                migrations.AlterField(
                    model_name='historicalreport',
                    name='recommendations',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000),
                ),
                migrations.AlterField(
                    model_name='historicalreport',
                    name='risk_implications',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000),
                ),
                migrations.AlterField(
                    model_name='historicalreport',
                    name='summary_notes',
                    field=models.TextField(blank=True, help_text='Completes the paragraph that gives how many risks are green, amber and red.', max_length=20000, verbose_name='after the figures'),
                ),
                migrations.AlterField(
                    model_name='historicalreport',
                    name='summary_purpose',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='overall summary of the purpose of the report'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='equality',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='equality and diversity impact'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='financial',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='financial implications'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='further_notes',
                    field=models.TextField(blank=True, help_text='Each paragraph is numbered in section 1. Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='further notes after the risks to note'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='interdependencies',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='interdependencies / cross cutting issues'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='introduction',
                    field=models.TextField(blank=True, help_text='Each paragraph is numbered in section 1. Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='introduction (1.1, 1.2 …)'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='key_considerations',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='key considerations for the panel'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='legal',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='legal implications'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='maturity',
                    field=models.TextField(blank=True, help_text='Each paragraph is numbered in section 1. Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='risk maturity action plan'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='position_notes',
                    field=models.TextField(blank=True, help_text='Completes the numbered paragraph that gives the figures.', max_length=20000, verbose_name='risk position update, after the figures'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='recommendations',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='risk_implications',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='summary_notes',
                    field=models.TextField(blank=True, help_text='Completes the paragraph that gives how many risks are green, amber and red.', max_length=20000, verbose_name='after the figures'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='summary_purpose',
                    field=models.TextField(blank=True, help_text='Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list.', max_length=20000, verbose_name='overall summary of the purpose of the report'),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('summary_purpose'), 20000), name='report_summary_purpose_max_length'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('summary_notes'), 20000), name='report_summary_notes_max_length'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('key_considerations'), 20000), name='report_key_considerations_max_length'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('interdependencies'), 20000), name='report_interdependencies_max_length'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('recommendations'), 20000), name='report_recommendations_max_length'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('introduction'), 20000), name='report_introduction_max_length'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('position_notes'), 20000), name='report_position_notes_max_length'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('further_notes'), 20000), name='report_further_notes_max_length'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('maturity'), 20000), name='report_maturity_max_length'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('equality'), 20000), name='report_equality_max_length'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('financial'), 20000), name='report_financial_max_length'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('legal'), 20000), name='report_legal_max_length'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('risk_implications'), 20000), name='report_risk_implications_max_length'),
        ),
    ]
