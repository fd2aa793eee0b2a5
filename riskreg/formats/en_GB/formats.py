"""How the register writes dates and times, set once for LANGUAGE_CODE "en-gb" (FORMAT_MODULE_PATH).

Templates say `|date` or `|date:"SHORT_DATE_FORMAT"`, Python says `django.utils.formats.date_format(d)`,
never a format string of their own. What is not set here (input formats, numbers) falls back to
Django's own en_GB locale.
"""

DATE_FORMAT = "j F Y"  # 4 October 2021
SHORT_DATE_FORMAT = "j M Y"  # 4 Oct 2021
DATETIME_FORMAT = "j F Y, H:i"  # 4 October 2021, 14:30
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 4 Oct 2021, 14:30
TIME_FORMAT = "H:i"  # 14:30
YEAR_MONTH_FORMAT = "F Y"  # October 2021
