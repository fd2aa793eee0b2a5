"""What a page asks of a quarter's assessments: a register's, those shown to a reader, those
counted, and the last approved before each."""


from django.db import models
from django.db.models import Q

from .frozen import FrozenPeriodQuerySet
from .periods import ReportingPeriod
from .registers import Register
from .risk import Risk, RiskLead, lead_names_subquery, risks_with_definitions, short_term_first
from .roles import sees_drafts


class AssessmentQuerySet(FrozenPeriodQuerySet):
    def of_register(self, register: "Register", periods=None, *, branch: bool = False
                    ) -> "AssessmentQuerySet":
        """The assessments of a register's risks (in the given periods, if any).

        Filtered as risk_id IN (the register's risks), so that the database walks the
        register's index and then the one-assessment-per-risk-per-period index. SQLite keeps
        no statistics unless ANALYZE runs, and given risk__register=register it scans every
        assessment of the period (5,000 at scale) to keep the register's fifth: three times
        slower.

        With `branch`, the risks of the register and of every register beneath it (one
        recursive subquery, whatever the depth).
        """
        risks = (
            Risk.objects.filter(register__in=Register.objects.branch_of(register).values("pk"))
            if branch else Risk.objects.filter(register=register)
        )
        rows = self.filter(risk__in=risks.values("pk"))
        return rows if periods is None else rows.filter(period__in=periods)

    def in_register_order(self, *then) -> "AssessmentQuerySet":
        """Short-term risks first, as Appendix A sets them out; then `then` (default: ref)."""
        return self.order_by(short_term_first("horizon"), *(then or ["ref"]))

    # What a quarter shows: the one rule every page, count, chart and the report follows.

    def shown(self, period: "ReportingPeriod", user) -> "AssessmentQuerySet":
        """The updates a page of `period` shows `user` (from this queryset's registers' risks).

        A closed quarter shows its record: every update, those not approved marked so (the
        quarter closed incomplete) and kept out of counts by counted(). In the open quarter the
        Planning & Risk Team sees every update as it stands; everyone else sees a risk's
        update of this quarter once it is approved, or if they own or lead the risk, and
        otherwise the risk's last approved update before it: never another person's draft.
        A risk with nothing approved yet is not shown to them at all.
        """
        rows = self.filter(period=period)
        # No user: the record itself, for code that is no page (a closed quarter's report).
        if not period.is_open or user is None or sees_drafts(user):
            return rows
        own = Risk.objects.owned_or_led_by(user).values("pk")
        last_approved = (
            self.model.objects.filter(
                risk=models.OuterRef("risk"), state=self.model.State.APPROVED,
                period__start__lt=period.start,
            )
            .order_by("-period__start")
            .values("pk")[:1]
        )
        shown_ids = rows.annotate(
            shown_id=models.Case(
                models.When(Q(state=self.model.State.APPROVED) | Q(risk__in=own), then="pk"),
                default=models.Subquery(last_approved),
            )
        ).values("shown_id")
        return self.model.objects.filter(pk__in=shown_ids)

    def counted(self) -> "AssessmentQuerySet":
        """The updates that count, in figures, heat maps and alignment: approved (or, in the
        open quarter, the work in progress a person may see) and not retired. Those not rated
        (or not yet scored) are among them, to be named under the maps, never placed."""
        return self.filter(
            Q(state=self.model.State.APPROVED) | Q(period__state=ReportingPeriod.State.OPEN),
            retired=False,
        )

    def record_definitions(self) -> int:
        """Each update records its risk as the risk stands now (and the pillars it aligns
        with): what a quarter shows of its risks. A closed quarter's rows refuse, as every
        write to them does. Returns how many were recorded."""
        from .assessment import AssessmentPillar, link_pillars  # it imports this module

        rows = list(self.only("pk", "risk_id", "period_id", *self.model.DEFINITION_FIELDS))
        found = {
            risk.pk: risk
            for risk in risks_with_definitions(Risk.objects.filter(pk__in=[a.risk_id for a in rows]))
        }
        for a in rows:
            a.copy_definition(found[a.risk_id])
        self.model.objects.bulk_update(rows, self.model.DEFINITION_FIELDS, batch_size=1000)
        AssessmentPillar.objects.filter(assessment__in=[a.pk for a in rows]).delete()
        link_pillars(rows, found)
        return len(rows)

    def not_approved(self) -> "AssessmentQuerySet":
        """A closed quarter's updates that were never approved (it closed incomplete)."""
        return self.filter(period__state=ReportingPeriod.State.CLOSED).exclude(
            state=self.model.State.APPROVED
        )

    def with_lead_names(self) -> "AssessmentQuerySet":
        """Each row's working leads, packed in `leads_packed` (see lead_names())."""
        return self.annotate(leads_packed=lead_names_subquery())

    def for_register_page(self) -> "AssessmentQuerySet":
        return self.select_related("risk__owner", "period").prefetch_related(
            models.Prefetch("risk__risklead_set", queryset=RiskLead.objects.select_related("post"))
        )

    def with_previous_id(self) -> "AssessmentQuerySet":
        """Annotate previous_id: the risk's last approved assessment of an earlier period.

        A correlated subquery (served by the risk+period unique index), so a page of any length
        costs one query here and one in attach_previous(), however long the history is.
        """
        last_approved = (
            self.model.objects.filter(
                risk=models.OuterRef("risk"),
                state=self.model.State.APPROVED,
                period__start__lt=models.OuterRef("period__start"),
            )
            .order_by("-period__start")
            .values("pk")[:1]
        )
        return self.annotate(previous_id=models.Subquery(last_approved))
