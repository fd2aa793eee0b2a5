"""What the page cache's keys are made of (risks/pagecache.py): a version of the data, changed
by the database itself on every write, so that nothing written by any path (a form, a service's
bulk update, the admin, a migration, a command) can leave a cached page stale."""

import secrets

from django.db import models


class DataVersion(models.Model):
    """Two numbers, each replaced by a random one whenever a table it covers is written.

    QUARTER covers the quarterly records (assessments, their pillars, control updates, and
    their history), whose rows of a closed quarter never change (risks/models/frozen.py, and
    the database's own triggers): a page of closed quarters only needs REFERENCE, which every
    other table of the service changes. Random rather than counted, so that a rolled-back
    write can never hand a later, different write the number a page was cached under.
    The triggers are put on every table after each migrate (risks/versions.py).
    """

    QUARTER = "quarter"
    REFERENCE = "reference"

    name = models.CharField(primary_key=True, max_length=20)
    value = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.name} {self.value}"


def new_version() -> int:
    return secrets.randbelow(2**62)
