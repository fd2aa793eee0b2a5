"""The team sets a board up in the browser, through the admin (as seed_demo's team: staff, with
the apps' permissions): its registers, secretariat and rules, the bands as boxes to tick."""

from django.contrib.auth.models import Group, Permission

from risks.models import Board, Post, Register


def test_the_team_sets_up_a_board_in_the_admin(seed, client, planner):
    planner.is_staff = True
    planner.save()
    team = Group.objects.get(name="Planning & Risk Team")
    team.permissions.set(Permission.objects.filter(content_type__app_label="risks"))
    client.force_login(planner)
    assert client.get("/admin/risks/board/add/").status_code == 200
    corporate = Register.objects.get(slug="corporate")
    post = Post.objects.create(name="Data Board secretariat")
    own = Register.objects.create(name="Data Board register", slug="data-board-register")
    response = client.post("/admin/risks/board/add/", {
        "name": "Data Board", "slug": "data-board", "description": "",
        "registers": [corporate.pk], "own_register": own.pk, "secretariat": [post.pk],
        "min_score": "12", "bands": ["high", "very_high"], "tolerance_breached": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    board = Board.objects.get(slug="data-board")
    assert board.bands == ["high", "very_high"] and board.min_score == 12
    assert list(board.registers.all()) == [corporate] and board.own_register == own
    assert board.history.earliest().history_user == planner


def test_the_admin_refuses_a_score_off_the_scale_and_unknown_bands(seed, admin_client):
    for data, message in (({"min_score": "17"}, "Enter a score from 1 to 16"),
                          ({"bands": ["purple"]}, "Select a valid choice")):
        response = admin_client.post("/admin/risks/board/add/", {
            "name": "COG", "slug": "cog", "tolerance_breached": "on", **data,
        })
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Board.objects.exists()
