"""History is append-only, in the admin as everywhere: it can be read, never written.

simple_history's admin offers a form on each past version ("revert") that saves the object
with that version's values. Its POST checks only the *view* permission, not the change
permission, so it would write a published report or (failing on the guards) a closed period's
row. Every history admin of the project inherits ReadOnlyHistoryAdmin instead of
SimpleHistoryAdmin: the version page still shows the version, its form is refused.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("History is read-only: change the object itself.")
        return super().history_form_view(request, object_id, version_id, extra_context)
