"""What every signed-in request costs before its view, as the query-count tests count it.

The session with the signed-in user's row (riskreg/sessions.py; the session is written at most
once a minute), then the user's groups and headed registers with the page cache's versions and
the header's unread count (risks/models/roles.py). Issue 21: was 3 (session, user, groups), and
one more for the versions on a cached page.
"""

SIGNED_IN = 2
