"""Build a synthetic organisation at scale, for the benchmark and the scale tests.

Written with bulk_create in a few large batches: building 5,000 risks with 8 quarters of
history is dominated by inserts, so the number of statements is what matters.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from controls.models import Control, ControlUpdate
from risks.models import (
    PLANNING_TEAM,
    Assessment,
    Pillar,
    Post,
    Register,
    ReportingPeriod,
    Risk,
    RiskLead,
    link_pillars,
    risks_with_definitions,
)

TRENDS = ["improving", "stable", "worsening"]
PROGRESS = ["on_track", "on_track", "on_track", "limited", "slipped", "no_progress"]
STATUSES = ["not_started", "in_progress", "in_progress", "complete", "delayed"]


@dataclass
class Scale:
    risks: int = 5000
    registers: int = 50
    controls_per_risk: int = 5
    quarters: int = 8
    report_risks: int = 200

    def as_dict(self) -> dict:
        return {
            "risks": self.risks,
            "registers": self.registers,
            "controls": self.risks * self.controls_per_risk,
            "quarters": self.quarters,
            "assessments": self.risks * self.quarters,
            "control_updates": self.risks * self.controls_per_risk * self.quarters,
        }


def quarter_start(index: int) -> datetime.date:
    year, q = divmod(index, 4)
    return datetime.date(2019 + year, 1 + 3 * q, 1)


@transaction.atomic
def build_organisation(scale: Scale, *, seed: int = 2021) -> dict:
    """Registers, posts, risks, controls and `quarters` periods; all closed but the last."""
    rng = random.Random(seed)
    planner = get_user_model().objects.create_user("bench-planner", password=None)
    planner.groups.add(Group.objects.get_or_create(name=PLANNING_TEAM)[0])
    posts = Post.objects.bulk_create(Post(name=f"Bench post {i}") for i in range(200))
    pillars = Pillar.objects.bulk_create(Pillar(name=f"Bench pillar {i}", order=i) for i in range(7))
    corporate = Register.objects.create(name="Bench corporate register", slug="bench-corporate")
    # Three levels, as the organisation has them (issue 17): the corporate register, a business
    # group for every ten registers, and units beneath the groups in turn.
    groups = Register.objects.bulk_create(
        Register(name=f"Bench register {i}", slug=f"bench-{i}", parent=corporate,
                 kind=Register.Kind.BUSINESS_GROUP)
        for i in range(1, 1 + max(1, (scale.registers - 1) // 10))
    )
    registers = [corporate, *groups] + Register.objects.bulk_create(
        Register(name=f"Bench register {i}", slug=f"bench-{i}", parent=groups[i % len(groups)],
                 kind=Register.Kind.UNIT)
        for i in range(1 + len(groups), scale.registers)
    )
    # The corporate register holds the report's risks; the next is the largest register
    # (a fifth of all risks), and the rest share what is left.
    per_register = [0] * len(registers)
    per_register[0] = min(scale.report_risks, scale.risks // 2)
    per_register[1] = scale.risks // 5
    for i in range(scale.risks - per_register[0] - per_register[1]):
        per_register[2 + i % max(len(registers) - 2, 1)] += 1
    risks = []
    for register, count in zip(registers, per_register, strict=True):
        for ref in range(1, count + 1):
            tl, ti = rng.randint(1, 2), rng.randint(1, 3)
            risks.append(Risk(
                register=register, ref=ref, title=f"BENCH RISK {register.pk}-{ref}",
                description="A synthetic risk for measuring speed at scale. " * 3,
                horizon=rng.choice(["short", "long"]), owner=rng.choice(posts),
                target_likelihood=tl, target_impact=ti,
            ))
    risks = Risk.objects.bulk_create(risks, batch_size=2000)
    RiskLead.objects.bulk_create(
        (RiskLead(risk=r, post=p, order=o) for r in risks
         for o, p in enumerate(rng.sample(posts, 2))), batch_size=5000,
    )
    Risk.pillars.through.objects.bulk_create(
        (Risk.pillars.through(risk=r, pillar=rng.choice(pillars)) for r in risks), batch_size=5000
    )
    controls = Control.objects.bulk_create(
        (Control(risk=r, title=f"Control {k} of risk {r.pk}", owner=r.owner, is_key=k < 2, order=k)
         for r in risks for k in range(scale.controls_per_risk)),
        batch_size=5000,
    )
    now = timezone.now()
    periods = []
    # Each update records its risk as it stands (Assessment.copy_definition): read once.
    defined = {r.pk: r for r in risks_with_definitions(Risk.objects.filter(register__in=registers))}

    def recorded(a: Assessment) -> Assessment:
        a.copy_definition(defined[a.risk_id])
        return a

    def recorded_control(record: ControlUpdate) -> ControlUpdate:
        record.copy_definition(record.control)
        return record

    for q in range(scale.quarters):
        start = quarter_start(q)
        end = quarter_start(q + 1) - datetime.timedelta(days=1)
        # Each quarter is written while open, then closed, as the real cycle does:
        # a closed period's rows can no longer be written by any path.
        period = ReportingPeriod.objects.create(
            name=f"Bench {start:%Y} Q{q % 4 + 1}", slug=f"bench-{start:%Y}-q{q % 4 + 1}",
            start=start, end=end, deadline=end - datetime.timedelta(days=14),
        )
        is_last = q == scale.quarters - 1
        created = Assessment.objects.bulk_create(
            (recorded(Assessment(
                risk=r, period=period, likelihood=rng.randint(1, 4), impact=rng.randint(1, 4),
                trend=rng.choice(TRENDS), progress=(progress := rng.choice(PROGRESS)),
                reasons="" if progress == "on_track" else "Synthetic reasons.",
                commentary="Synthetic commentary for this quarter.",
                state=rng.choice(["draft", "submitted", "approved"]) if is_last else "approved",
                reviewed_at=now,
            )) for r in risks),
            batch_size=5000,
        )
        link_pillars(created, defined)
        ControlUpdate.objects.bulk_create(
            (
                recorded_control(ControlUpdate(control=c, period=period, status=rng.choice(STATUSES)))
                for c in controls
            ),
            batch_size=10000,
        )
        if not is_last:
            ReportingPeriod.objects.filter(pk=period.pk).update(state="closed", closed_at=now)
            period.refresh_from_db()
        periods.append(period)
    return {
        "planner": planner, "corporate": corporate, "register": registers[1],
        "group": groups[0],
        "risk": risks[per_register[0]], "periods": periods,
    }
