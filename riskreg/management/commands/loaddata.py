"""`loaddata` restores rows as they were recorded: it writes no history of its own.

simple_history records nothing for the raw saves of loaddata, but it does record the many-to-
many fields loaddata sets after each save (a risk's pillars, a report's chosen risks, a plan
item's sources and owner posts). Loading a fixture thus invented changes "by nobody, now"; and
restoring a dumpdata backup, which holds the history itself, collided with it: on PostgreSQL
the invented rows took the restored rows' ids and the restore failed.
"""

from django.conf import settings
from django.core.management.commands import loaddata


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        enabled = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        settings.SIMPLE_HISTORY_ENABLED = False
        try:
            return super().handle(*fixture_labels, **options)
        finally:
            settings.SIMPLE_HISTORY_ENABLED = enabled
