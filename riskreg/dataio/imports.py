"""Importing a register from a spreadsheet into its open quarter: map the headings, plan every
row (created, updated, unchanged, or its errors), and apply the plan in one transaction.

Planning reads and never writes, so the preview is the same plan the confirmation applies: it
runs again inside the transaction (someone may have changed a risk meanwhile) and anything
wrong then refuses the whole file. Writes go through the workflow's services: a risk's update
through save_assessment (optimistic locking, sections checked, commentary compared with the
last approved), and the open quarter's record of each risk through record_definitions, so a
closed quarter is never touched. A row that matches what is stored writes nothing, which is
why importing the same file twice changes nothing the second time.
"""

from dataclasses import dataclass

from django.db import transaction

from risks.models import Register, ReportingPeriod, Risk, RiskLead
from risks.services import lock_open_period, record_definitions, save_assessment, start_assessment

from . import columns as cols
from .planning import LABELS, ImportRefused, Plan, RowPlan, clean, plan_import
from .reading import BadFile

__all__ = ["ImportRefused", "Mapping", "Plan", "RowPlan", "apply_import", "plan_import",
           "records_from"]


@dataclass
class Mapping:
    """Which column fills which field: {column index: key}, and the headings passed over."""

    columns: dict[int, str]
    ignored: list[str]

    @property
    def keys(self) -> list[str]:
        return list(self.columns.values())


def map_headings(header: list[str]) -> Mapping:
    found: dict[int, str] = {}
    ignored = []
    for index, heading in enumerate(header):
        name = cols.normalise_heading(heading)
        if not name:
            continue
        key = cols.HEADINGS.get(name)
        if key is None:
            ignored.append(heading.strip())
            continue
        if key in found.values():
            raise BadFile(
                f"Two columns both give the {cols.BY_KEY[key].heading.lower()} "
                f"(“{heading.strip()}” and another): keep one of them."
            )
        found[index] = key
    if "ref" not in found.values():
        raise BadFile(
            "The first row must name the columns, with one for the risk's number (“Ref”, "
            "“Risk ref” or “No.”). Download the template to see the headings the service reads."
        )
    for one, both in (("target_likelihood", "target"), ("target_impact", "target"),
                      ("likelihood", "position"), ("impact", "position")):
        if one in found.values() and both in found.values():
            raise BadFile(
                f"The file gives the {LABELS[both].lower()} twice (a “{cols.BY_KEY[both].heading}”"
                f" column and a “{cols.BY_KEY[one].heading}” column): keep one way of giving it."
            )
    return Mapping(found, ignored)


def records_from(rows: list[list[str]]) -> tuple[Mapping, list[dict]]:
    """The header's mapping and each non-empty row as {"line": n, "cells": {key: text}}."""
    rows = list(rows)
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise BadFile("The file is empty.")
    header_line = next(n for n, r in enumerate(rows, 1) if any(c.strip() for c in r))
    mapping = map_headings(rows[0])
    records = []
    for line, row in enumerate(rows[1:], header_line + 1):
        cells = {
            key: clean(row[index]) if index < len(row) else ""
            for index, key in mapping.columns.items()
        }
        if any(cells.values()):
            records.append({"line": line, "cells": cells})
    if not records:
        raise BadFile("The file has headings but no risks under them.")
    return mapping, records


@transaction.atomic
def apply_import(register: Register, records: list[dict], *, by) -> Plan:
    """Write the plan of `records` into the open quarter, all or nothing (ImportRefused with
    the plan when any row has an error; PeriodClosed when no quarter is open)."""
    period = ReportingPeriod.objects.open().first()
    if period is None:
        raise ImportRefused(Plan(register, None, []))
    period = lock_open_period(period.pk)
    plan = plan_import(register, period, records)
    if plan.errors:
        raise ImportRefused(plan)
    touched = []
    for row in plan.rows:
        if row.status == "unchanged":
            continue
        risk = row.risk or Risk(register=register, ref=row.ref)
        if row.risk_fields or row.risk is None:
            for key, value in row.risk_fields.items():
                setattr(risk, key, value)
            risk._history_user = by
            risk._change_reason = "Imported"
            risk.save()
        if row.leads is not None:
            RiskLead.objects.filter(risk=risk).delete()
            RiskLead.objects.bulk_create(
                RiskLead(risk=risk, post=post, order=n) for n, post in enumerate(row.leads)
            )
        if row.pillars is not None:
            risk.pillars.set(row.pillars)
        touched.append(risk.pk)
        if not risk.is_active:
            continue
        assessment = row.assessment or start_assessment(risk=risk, period=period, by=by)
        changes = {k: v for k, v in row.update.items() if getattr(assessment, k) != v}
        if changes:
            save_assessment(assessment=assessment, version=assessment.version, by=by,
                            changes=changes)
    if touched:
        record_definitions(period=period, risks=touched)
    return plan
