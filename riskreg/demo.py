"""The demo accounts `make run` creates (manage.py seed_demo): local use only.

Their password is published in the README, so production refuses to start while any active
account signs in with it (riskreg/checks.py).
"""

from risks.models import AUDIT_PANEL, PLANNING_TEAM

DEMO_PASSWORD = "quarterly-review-2021"  # noqa: S105 - the documented local demo password
DEMO_ACCOUNTS = [
    # username, full name, groups, posts, superuser
    ("owner", "Olive Owner", [], ["AC Frontline Policing"], False),
    ("lead", "Lee Lead", [], ["Head of Profession – CP, Inclusion & Engagement"], False),
    ("planner", "Priya Planner", [PLANNING_TEAM], ["Planning & Risk Team"], False),
    ("panel", "Pat Panel", [AUDIT_PANEL], [], False),
    ("admin", "Ada Admin", [], [], True),
]
DEMO_USERNAMES = [account[0] for account in DEMO_ACCOUNTS]

# Units that complete the risk maturity self-assessment. The seed names none, so these are
# example data, labelled so wherever they are shown, and never part of the October 2021
# fixture or its paper. (business group, abbreviation, unit, commander's post)
EXAMPLE = "(example data)"
DEMO_UNITS = [
    ("Frontline Policing", "FLP", "Central West BCU", "AC Frontline Policing"),
    ("Frontline Policing", "FLP", "North BCU", "BCU Commander North (example)"),
    ("Met Operations", "MO", "MO9 Met Detention", "OCU Commander MO9 (example)"),
]
