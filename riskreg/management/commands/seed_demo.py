"""Load the October 2021 seed and the demo accounts, idempotently. Development only."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from maturity.models import BusinessGroup, Unit
from riskreg.demo import (
    DEMO_ACCOUNTS,
    DEMO_APPETITE_LEVELS,
    DEMO_APPETITE_THEMES,
    DEMO_PASSWORD,
    DEMO_UNITS,
    EXAMPLE,
    EXAMPLE_GROUP_SLUG,
    EXAMPLE_ORGANISATION,
)
from risks.models import AUDIT_PANEL, PLANNING_TEAM, Post, Register, ReportingPeriod


class Command(BaseCommand):
    help = "Load the October 2021 register and create the demo accounts (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-open-period", action="store_true",
            help="Do not open 2021/22 Q3 (leave only the published October 2021 data).",
        )

    def handle(self, *args, no_open_period: bool = False, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local use only: set DEBUG=true to create them.")
        with transaction.atomic():
            if not Register.objects.filter(slug="corporate").exists():
                call_command("loaddata", "corporate_2021_10", "report_2021_10", verbosity=0)
                from riskreg.report.document import freeze
                from riskreg.report.models import Report

                # The October 2021 paper is published: fix its text now, as publishing does.
                for report in Report.objects.published():
                    freeze(report)
                self.stdout.write("Loaded the October 2021 register and its Audit Panel report.")
            if not Register.objects.filter(slug="example-opportunities").exists():
                # Example data (labelled on every page): never part of the October 2021 paper.
                call_command("loaddata", "example_opportunities", verbosity=0)
                self.stdout.write("Loaded the example opportunities.")
            if not Register.objects.filter(slug="example-roads-policing").exists():
                # Before the example appetite criteria: it holds the two its risks use.
                call_command("loaddata", "example_indicators", verbosity=0)
                self.stdout.write("Loaded the example Roads Policing Unit register: "
                                  "appetite, tolerance and key risk indicators in 2021/22 Q2.")
            team, _ = Group.objects.get_or_create(name=PLANNING_TEAM)
            Group.objects.get_or_create(name=AUDIT_PANEL)
            # The team keeps posts, registers, pillars and the plan through the admin too.
            team.permissions.set(Permission.objects.filter(
                content_type__app_label__in=["risks", "controls", "maturity", "riskreg"]
            ))
            self._accounts(posts=False)
            if not Register.objects.filter(slug=EXAMPLE_GROUP_SLUG).exists():
                call_command("loaddata", EXAMPLE_ORGANISATION, verbosity=0)
                self.stdout.write("Loaded the example organisation (business group, two BCUs, "
                                  "a board; labelled as example data).")
            self._accounts()
            self._units()
            self._appetite()
            self._boards()
            if not no_open_period and not ReportingPeriod.objects.filter(slug="2021-22-q3").exists():
                from risks.services import open_period

                open_period(
                    name="2021/22 Q3", slug="2021-22-q3",
                    start=datetime.date(2021, 10, 1), end=datetime.date(2021, 12, 31),
                    deadline=datetime.date(2021, 12, 3),
                )
                self.stdout.write("Opened 2021/22 Q3 with drafts carried forward.")
        self.stdout.write(self.style.SUCCESS(
            "Demo accounts: " + ", ".join(a[0] for a in DEMO_ACCOUNTS)
            + f" (password {DEMO_PASSWORD})"
        ))

    def _units(self) -> None:
        """Example units for the self-assessment (the owner commands one of them)."""
        for order, (group, abbreviation, unit, commander) in enumerate(DEMO_UNITS, 1):
            business_group, _ = BusinessGroup.objects.get_or_create(
                name=f"{group} {EXAMPLE}", defaults={"abbreviation": abbreviation, "order": order}
            )
            post, _ = Post.objects.get_or_create(name=commander)
            Unit.objects.get_or_create(
                name=f"{unit} {EXAMPLE}",
                defaults={"business_group": business_group, "commander": post},
            )

    def _boards(self) -> None:
        """The example board and its draft summary for 2021/22 Q2 (fixtures/example_boards.json),
        with the demo planner's post as its secretariat. Example data: labelled on its pages,
        never part of the Audit Panel report."""
        from risks.models import Board

        if not Board.objects.filter(slug="risk-and-assurance-board").exists():
            call_command("loaddata", "example_boards", verbosity=0)
            self.stdout.write("Loaded the example Risk and Assurance Board and its draft summary.")
        board = Board.objects.get(slug="risk-and-assurance-board")
        board.secretariat.add(Post.objects.get_or_create(name="Planning & Risk Team")[0])

    def _appetite(self) -> None:
        """Example appetite levels and themes (no risk is given one)."""
        from risks.models import AppetiteLevel, AppetiteTheme

        levels = {}
        for order, (name, description, max_score) in enumerate(DEMO_APPETITE_LEVELS, 1):
            levels[name], _ = AppetiteLevel.objects.get_or_create(
                name=f"{name} {EXAMPLE}",
                defaults={"description": description, "max_score": max_score, "order": order},
            )
        for name, level in DEMO_APPETITE_THEMES:
            AppetiteTheme.objects.get_or_create(name=f"{name} {EXAMPLE}",
                                                defaults={"level": levels[level]})

    def _accounts(self, *, posts: bool = True) -> None:
        User = get_user_model()
        for username, full_name, groups, post_names, superuser in DEMO_ACCOUNTS:
            first, last = full_name.split(" ", 1)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
            user.is_superuser = superuser
            user.is_staff = superuser or PLANNING_TEAM in groups
            user.save()
            user.groups.add(*Group.objects.filter(name__in=groups))
            for post_name in post_names if posts else []:
                post, _ = Post.objects.get_or_create(name=post_name)
                post.holders.add(user)
