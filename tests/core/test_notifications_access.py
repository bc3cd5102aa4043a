"""Users see and mark only their own notifications, on the page and in the API."""

from zonegov.core.services.notifications import notify


def test_the_page_lists_my_notifications_only(cast, login):
    notify(user=cast.applicant, title="我的提醒", url="/licensing/")
    notify(user=cast.other_applicant, title="别人的提醒")
    html = login(cast.applicant).get("/notifications/").content.decode()
    assert "我的提醒" in html and "别人的提醒" not in html


def test_the_badge_counts_unread_notifications(cast, login):
    notify(user=cast.applicant, title="一")
    notify(user=cast.applicant, title="二")
    client = login(cast.applicant)
    html = client.get("/notifications/").content.decode()
    assert 'data-testid="unread-count">2<' in html
    client.post("/notifications/read-all/")
    assert 'data-testid="unread-count"' not in client.get("/notifications/").content.decode()


def test_marking_read_from_the_page_and_opening_the_link(cast, login):
    n = notify(user=cast.applicant, title="去办理", url="/licensing/")
    client = login(cast.applicant)
    response = client.post(f"/notifications/{n.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/licensing/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_another_users_notification_is_not_found_on_the_page(cast, login):
    n = notify(user=cast.other_applicant, title="别人的")
    assert login(cast.applicant).post(f"/notifications/{n.pk}/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_the_page_needs_a_login(client):
    assert client.get("/notifications/").status_code == 302


def test_the_api_lists_and_marks_my_own(cast, login):
    mine = notify(user=cast.applicant, title="我的")
    notify(user=cast.other_applicant, title="别人的")
    client = login(cast.applicant)
    data = client.get("/api/notifications").json()
    assert [d["title"] for d in data] == ["我的"]
    response = client.post(f"/api/notifications/{mine.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"]
    assert client.get("/api/notifications?unread=true").json() == []


def test_the_api_answers_404_for_another_users_notification(cast, login):
    theirs = notify(user=cast.other_applicant, title="别人的")
    response = login(cast.applicant).post(f"/api/notifications/{theirs.pk}/read")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_needs_authentication(client, db):
    assert client.get("/api/notifications").status_code == 401
