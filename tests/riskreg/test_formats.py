import datetime

from django.template import Context, Template
from django.utils.formats import date_format

DAY = datetime.date(2021, 10, 4)
MOMENT = datetime.datetime(2021, 10, 4, 14, 30, tzinfo=datetime.UTC)  # 15:30 in London


def test_python_writes_dates_in_the_registers_formats():
    assert date_format(DAY) == "4 October 2021"
    assert date_format(DAY, "SHORT_DATE_FORMAT") == "4 Oct 2021"
    assert date_format(DAY, "YEAR_MONTH_FORMAT") == "October 2021"


def test_templates_write_dates_and_times_in_the_registers_formats():
    rendered = Template(
        '{{ d|date }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ m|date:"DATETIME_FORMAT" }}'
        '|{{ m|date:"SHORT_DATETIME_FORMAT" }}|{{ m|time }}'
    ).render(Context({"d": DAY, "m": MOMENT}))
    assert rendered == "4 October 2021|4 Oct 2021|4 October 2021, 15:30|4 Oct 2021, 15:30|15:30"
