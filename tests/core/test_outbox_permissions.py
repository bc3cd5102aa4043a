"""The outbox page and API are for org admins and leaders only."""

from zonegov.core.services.outbox import outbox_enqueue


def test_officers_and_applicants_are_refused(cast, login):
    outbox_enqueue(topic="licence.granted", payload={}, destination="supervision")
    for user in (cast.officer, cast.applicant):
        client = login(user)
        assert client.get("/outbox/").status_code == 403
        assert client.get("/api/outbox").status_code == 403


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get("/outbox/")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get("/api/outbox").status_code == 401


def test_admins_and_leaders_see_messages_and_their_log(cast, login):
    message = outbox_enqueue(
        topic="licence.granted", payload={"licence": "JY1"}, destination="supervision"
    )
    for user in (cast.admin, cast.leader):
        client = login(user)
        page = client.get("/outbox/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "licence.granted" in html and str(message.pk) in html
        data = client.get("/api/outbox").json()
        assert data[0]["id"] == str(message.pk)
        assert data[0]["status"] == "pending"
        assert data[0]["deliveries"] == []


def test_bad_filters_do_not_break_the_page(cast, login):
    client = login(cast.admin)
    assert client.get("/outbox/?status=bogus&page=abc&topic=" + "x" * 500).status_code == 200
    assert client.get("/api/outbox?status=bogus&limit=-5").status_code == 200
