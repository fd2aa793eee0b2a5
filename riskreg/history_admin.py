"""History is append-only, in the admin as everywhere: it can be read, never written.

simple_history's admin offers a form on each past version ("revert") that saves the object
with that version's values. Its POST checks only the *view* permission, not the change
permission, so it would write a published report or (failing on the guards) a closed period's
row. Every history admin of the project is made read-only here, after all apps' admins are
registered: the version page still shows the version, its form is refused.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryMixin:
    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("History is read-only: change the object itself.")
        return super().history_form_view(request, object_id, version_id, extra_context)


def make_history_read_only(site: admin.AdminSite = admin.site) -> None:
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(
            model_admin, ReadOnlyHistoryMixin
        ):
            base = type(model_admin)
            read_only = type(base.__name__, (ReadOnlyHistoryMixin, base), {"__module__": base.__module__})
            site.unregister(model)
            site.register(model, read_only)
