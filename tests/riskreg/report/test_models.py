"""The report as stored: its prose has a maximum length the database itself keeps."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from riskreg.report.models import PROSE_FIELDS, PROSE_MAX_LENGTH, Report


@pytest.fixture
def october(seed):
    call_command("loaddata", "report_2021_10", verbosity=0)
    return Report.objects.get(pk=1)


@pytest.mark.parametrize("name", PROSE_FIELDS)
def test_the_database_refuses_prose_beyond_its_limit(october, name):
    Report.objects.filter(pk=october.pk).update(**{name: "x" * PROSE_MAX_LENGTH})
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=october.pk).update(**{name: "x" * (PROSE_MAX_LENGTH + 1)})


def test_validating_a_report_names_the_field_too_long(october):
    october.financial = "x" * (PROSE_MAX_LENGTH + 1)
    with pytest.raises(ValidationError, match="report_financial_max_length"):
        october.full_clean()
