"""What every model of a reporting period shares: score-field constraints, and the freeze
of a closed period's rows."""


from django.db import models
from django.db.models import Q

from ..scoring import SCALE_RANGE
from .periods import PeriodClosed, ReportingPeriod


def scale_check(prefix: str, field: str, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": SCALE_RANGE.start, f"{field}__lte": SCALE_RANGE.stop - 1})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=f"{prefix}_{field}_on_scale")


def both_or_neither(prefix: str, a: str, b: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{a}__isnull": True, f"{b}__isnull": True})
        | Q(**{f"{a}__isnull": False, f"{b}__isnull": False}),
        name=f"{prefix}_{a}_and_{b}_together",
    )




class FrozenPeriodQuerySet(models.QuerySet):
    """Bulk writes refuse rows that belong to a closed period (save() guards single rows)."""

    def update(self, **kwargs):
        if self.filter(period__state=ReportingPeriod.State.CLOSED).exists():
            raise PeriodClosed()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(period__state=ReportingPeriod.State.CLOSED).exists():
            raise PeriodClosed()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        period_ids = {obj.period_id for obj in objs}
        if ReportingPeriod.objects.filter(pk__in=period_ids, state="closed").exists():
            raise PeriodClosed()
        return super().bulk_create(objs, *args, **kwargs)


class FrozenPeriodModel(models.Model):
    """A row of a reporting period: nothing of a closed period can change again."""

    class Meta:
        abstract = True

    def _refuse_if_closed(self, period_ids) -> None:
        closed = ReportingPeriod.objects.filter(pk__in=period_ids, state="closed").first()
        if closed:
            raise PeriodClosed(closed)

    def save(self, *args, **kwargs):
        period_ids = {self.period_id}
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values_list("period_id", flat=True).first()
            if stored:
                period_ids.add(stored)
        self._refuse_if_closed(period_ids)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_closed({self.period_id})
        return super().delete(*args, **kwargs)
