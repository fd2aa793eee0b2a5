"""controls/admin.py: the admin cannot change a closed period's control updates (nor, with
risks/admin.py, its assessments)."""

from django.urls import reverse

from controls.services import save_control_update
from risks.services import close_period


def test_the_admin_cannot_change_a_closed_periods_rows(admin_client, q3, draft, control, owner, planner):
    update = save_control_update(control=control, period=q3, by=owner, status="complete",
                                 note="", version=0)
    close_period(period=q3, by=planner, incomplete=True)
    for url in (
        reverse("admin:risks_assessment_change", args=[draft.pk]),
        reverse("admin:controls_controlupdate_change", args=[update.pk]),
    ):
        response = admin_client.post(url, {"commentary": "via the admin", "note": "via the admin"})
        assert response.status_code == 403
        assert "via the admin" not in admin_client.get(url).text
    draft.refresh_from_db()
    assert draft.commentary != "via the admin"
