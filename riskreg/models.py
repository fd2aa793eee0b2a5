"""The riskreg app's models, where Django looks for them: they live in riskreg/report/."""

from .report.models import Report, ReportQuerySet

__all__ = ["Report", "ReportQuerySet"]
