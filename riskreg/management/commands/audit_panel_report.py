"""Write the Audit Panel report of one reporting period as a PDF, from the default database."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from risks.models import ReportingPeriod

from ...report.document import pdf_bytes
from ...report.models import Report


class Command(BaseCommand):
    help = (
        "Write the Audit Panel report of a period as a PDF: "
        "audit_panel_report --period 2021-22-q2 --output report.pdf [--public]"
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="The period's slug, e.g. 2021-22-q2")
        parser.add_argument("--output", required=True, help="Where to write the PDF ('-' for stdout)")
        parser.add_argument(
            "--public", action="store_true",
            help="The public version: without Appendix B and anything Official Sensitive.",
        )
        parser.add_argument(
            "--register", default=None,
            help="The register's slug, when more than one register has a report that period.",
        )

    def handle(self, *args, period: str, output: str, public: bool, register: str | None,
               **options):
        try:
            found = ReportingPeriod.objects.get(slug=period)
        except ReportingPeriod.DoesNotExist:
            known = ", ".join(ReportingPeriod.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No reporting period {period!r}. Known periods: {known}.") from None
        candidates = (
            Report.objects.filter(period=found).current().select_related("period", "register")
            .order_by("-pk")
        )
        if register:
            candidates = candidates.filter(register__slug=register)
        # A published report and the corrected version being drafted from it: the newer.
        newest = {}
        for report in candidates:
            newest.setdefault(report.register_id, report)
        reports = list(newest.values())
        if not reports:
            raise CommandError(
                f"There is no report for {found}. Start one at /reports/ (Planning & Risk Team)."
            )
        if len(reports) > 1:
            slugs = ", ".join(r.register.slug for r in reports)
            raise CommandError(f"More than one register has a report for {found}: use --register ({slugs}).")
        report = reports[0]
        data = pdf_bytes(report, public=public)
        if output == "-":
            sys.stdout.buffer.write(data)
            return
        Path(output).write_bytes(data)
        state = "published" if report.is_published else "draft"
        self.stderr.write(
            f"Wrote {output} ({len(data):,} bytes): {report} ({state}"
            f"{', public version' if public else ''})."
        )
