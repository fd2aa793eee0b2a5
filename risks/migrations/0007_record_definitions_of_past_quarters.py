"""Every quarter records the risks as it showed them.

Existing updates take their risk's definition as it stands now (the best record there is of
what their quarters showed), closed quarters included: the freeze triggers are lifted for this
one write, in this transaction, and put back exactly as they were. The pillars each update
records are frozen with its quarter, in the database too.
"""

from django.db import migrations

from risks.migrations._triggers import triggers_lifted

MESSAGE = "The reporting period is closed: its data can no longer change."

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER risks_assessmentpillar_frozen BEFORE UPDATE ON risks_assessmentpillar
    FOR EACH ROW WHEN EXISTS (
        SELECT 1 FROM risks_reportingperiod
        WHERE id IN (OLD.period_id, NEW.period_id) AND state = 'closed'
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER risks_assessmentpillar_no_delete BEFORE DELETE ON risks_assessmentpillar
    FOR EACH ROW WHEN EXISTS (
        SELECT 1 FROM risks_reportingperiod WHERE id = OLD.period_id AND state = 'closed'
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS risks_assessmentpillar_frozen",
    "DROP TRIGGER IF EXISTS risks_assessmentpillar_no_delete",
]
# The functions are 0004's and 0005's, shared by every frozen table.
POSTGRES_FORWARD = [
    """
    CREATE TRIGGER risks_assessmentpillar_frozen BEFORE UPDATE ON risks_assessmentpillar
    FOR EACH ROW EXECUTE FUNCTION risks_refuse_closed_period_row()
    """,
    """
    CREATE TRIGGER risks_assessmentpillar_no_delete BEFORE DELETE ON risks_assessmentpillar
    FOR EACH ROW EXECUTE FUNCTION risks_refuse_closed_period_row_delete()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS risks_assessmentpillar_frozen ON risks_assessmentpillar",
    "DROP TRIGGER IF EXISTS risks_assessmentpillar_no_delete ON risks_assessmentpillar",
]


def record_definitions(apps, schema_editor):
    Assessment = apps.get_model("risks", "Assessment")
    AssessmentPillar = apps.get_model("risks", "AssessmentPillar")
    RiskLead = apps.get_model("risks", "RiskLead")
    Risk = apps.get_model("risks", "Risk")
    leads: dict[int, list[str]] = {}
    for link in RiskLead.objects.select_related("post").order_by("risk_id", "order", "pk"):
        leads.setdefault(link.risk_id, []).append(link.post.name)
    risks = {r.pk: r for r in Risk.objects.select_related("owner").prefetch_related("pillars")}
    rows = list(Assessment.objects.all())
    for a in rows:
        risk = risks[a.risk_id]
        a.ref, a.title, a.description = risk.ref, risk.title, risk.description
        a.description_agreed, a.horizon = risk.description_agreed, risk.horizon
        a.owner_id, a.owner_name = risk.owner_id, risk.owner.name
        a.lead_names = leads.get(risk.pk, [])
        a.target_likelihood, a.target_impact = risk.target_likelihood, risk.target_impact
        a.appetite, a.retired = risk.appetite, not risk.is_active
        # Unscored and not agreed (risk 10 in October 2021): not rated, as the paper says.
        unrated = a.likelihood is None and not (a.trend or a.progress or a.score_change_source)
        if unrated and not risk.description_agreed:
            a.not_rated, a.not_rated_reason = True, "The risk description is not yet agreed"
    fields = [
        "ref", "title", "description", "description_agreed", "horizon", "owner", "owner_name",
        "lead_names", "target_likelihood", "target_impact", "appetite", "retired",
        "not_rated", "not_rated_reason",
    ]
    with triggers_lifted(schema_editor, "risks_assessment"):
        Assessment.objects.bulk_update(rows, fields, batch_size=500)
    AssessmentPillar.objects.bulk_create(
        [
            AssessmentPillar(assessment_id=a.pk, pillar_id=pillar.pk, period_id=a.period_id)
            for a in rows for pillar in risks[a.risk_id].pillars.all()
        ],
        batch_size=500,
    )


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("risks", "0006_definitions_belong_to_their_quarter"),
    ]

    operations = [
        migrations.RunPython(record_definitions, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
