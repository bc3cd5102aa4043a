import pytest

from zonegov.core.models import Assignment


@pytest.fixture
def task(cast, login):
    client = login(cast.leader)
    response = client.post(
        "/assignments/new/",
        {
            "title": "核查消防通道",
            "description": "本周内完成",
            "unit": cast.dept.pk,
            "time_limit": 5,
        },
    )
    assert response.status_code == 302
    return Assignment.objects.get(title="核查消防通道")


def test_a_leader_hands_out_a_task_and_the_unit_works_it_through(cast, login, task):
    officer = login(cast.officer)
    page = officer.get(f"/assignments/{task.pk}/").content.decode()
    assert "签收" in page
    officer.post(f"/assignments/{task.pk}/act/", {"action": "accept"})
    officer.post(f"/assignments/{task.pk}/act/", {"action": "report", "note": "已核查，通道畅通"})
    leader = login(cast.leader)
    leader.post(f"/assignments/{task.pk}/act/", {"action": "close"})
    task.refresh_from_db()
    assert task.state == "done"
    page = leader.get(f"/assignments/{task.pk}/").content.decode()
    assert "已办结" in page and "已核查，通道畅通" in page


def test_a_missing_note_is_explained_and_the_state_unchanged(cast, login, task):
    officer = login(cast.officer)
    officer.post(f"/assignments/{task.pk}/act/", {"action": "accept"})
    response = officer.post(
        f"/assignments/{task.pk}/act/", {"action": "report", "note": ""}, follow=True
    )
    assert "请填写" in response.content.decode()
    task.refresh_from_db()
    assert task.state == "in_progress"


def test_bad_input_keeps_what_was_typed(cast, login):
    response = login(cast.leader).post(
        "/assignments/new/",
        {"title": "只写了标题", "description": "", "unit": cast.dept.pk, "time_limit": 0},
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'value="只写了标题"' in page


def test_officers_cannot_hand_out_tasks(cast, login):
    assert login(cast.officer).get("/assignments/new/").status_code == 403


def test_the_api_creates_and_acts_with_a_bearer_token(cast, client):
    from zonegov.core.services.users import api_token_create

    _token, key = api_token_create(user=cast.leader, name="测试")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    response = client.post(
        "/api/assignments",
        {"title": "API 交办", "description": "d", "unit_id": cast.dept.pk, "time_limit": 3},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.content
    assignment_id = response.json()["id"]
    refused = client.post(
        f"/api/assignments/{assignment_id}/actions",
        {"action": "close"},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400
    assert "不能执行" in refused.json()["message"]
