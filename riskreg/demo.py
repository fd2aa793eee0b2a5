"""The demo accounts `make run` creates (manage.py seed_demo): local use only.

Their password is published in the README, so production refuses to start while any active
account signs in with it (riskreg/checks.py).
"""

from risks.models import AUDIT_PANEL, PLANNING_TEAM

DEMO_PASSWORD = "quarterly-review-2021"  # noqa: S105 - the documented local demo password
DEMO_ACCOUNTS = [
    # username, full name, groups, posts, superuser
    ("owner", "Olive Owner", [], ["AC Frontline Policing"], False),
    ("lead", "Lee Lead", [], ["Head of Profession – CP, Inclusion & Engagement",
                              "Frontline Policing risk lead (example)"], False),
    # Commands the example North BCU: owns its register and its risks (issue 17).
    ("bcu", "Bea Commander", [], ["Commander, North BCU (example)"], False),
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

# Appetite criteria to try the pages with. The seed records none, so these are example data,
# named so wherever they are shown; no risk is given one, so no paper prints them.
# (level, what it means, highest score it accepts); then (theme, its level)
DEMO_APPETITE_LEVELS = [
    ("Averse", "Avoidance of risk and uncertainty is a key objective.", 2),
    ("Minimal", "Preference for very safe options with a low degree of inherent risk.", 3),
    ("Cautious", "Preference for safe options with a low degree of residual risk.", 4),
    ("Open", "Willing to consider all options and choose one with an acceptable reward.", 9),
    ("Eager", "Eager to be innovative and to choose options with higher rewards.", 12),
]
DEMO_APPETITE_THEMES = [
    ("Compliance", "Averse"), ("Financial", "Minimal"), ("People", "Cautious"),
    ("Operational", "Cautious"), ("Technology", "Open"), ("Reputational", "Cautious"),
]

# The example organisation (issue 17): a business group under the corporate register with two
# BCU registers and a board's register beside them, a few risks with 2021/22 Q2 updates and one
# accepted escalation. Every register is marked is_example; the Audit Panel report never
# draws on them. Loaded once, after the accounts (the escalation names who proposed and
# decided it) and before their posts are given (the fixture holds the example posts).
EXAMPLE_ORGANISATION = "example_organisation"
EXAMPLE_GROUP_SLUG = "frontline-policing-example"
