"""Who may use the e-licence library: licensing staff, supervisors, leaders and org admins,
each only for licences issued in their unit's scope. Applicants get 403, anonymous users
the login page, staff of another unit an empty library and 404 for the licence."""

import pytest

from tests.conftest import make_user
from tests.licensing.conftest import issued_licence
from zonegov.licensing.roles import SUPERVISOR

pytestmark = pytest.mark.django_db

PAGES = ["/licensing/library/", "/licensing/library/expiring/"]
APIS = [
    "/api/licensing/library",
    "/api/licensing/library/export",
    "/api/licensing/library/expiring",
]


def test_anonymous_users_are_sent_to_log_in(client, cast, lic):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    for url in APIS:
        assert client.get(url).status_code == 401, url


def test_applicants_are_refused(cast, lic, login):
    issued_licence(cast, lic)
    client = login(cast.applicant)
    for url in PAGES + [p + "?format=xlsx" for p in PAGES] + APIS:
        assert client.get(url).status_code == 403, url


def test_staff_without_a_licensing_role_are_refused(cast, lic, login):
    client = login(cast.park_officer)
    for url in PAGES + APIS:
        assert client.get(url).status_code == 403, url


def test_staff_of_another_unit_see_nothing_outside_their_scope(cast, lic, login):
    licence = issued_licence(cast, lic)
    client = login(lic.stranger_officer)
    response = client.get("/licensing/library/")
    assert response.status_code == 200 and list(response.context["rows"]) == []
    assert client.get("/api/licensing/library").json()["count"] == 0
    assert client.get(f"/licensing/licences/{licence.pk}/").status_code == 404
    assert client.get(f"/api/licensing/licences/{licence.pk}").status_code == 404


@pytest.mark.parametrize("who", ["officer", "leader", "admin", "dept_supervisor"])
def test_staff_over_the_issuing_unit_see_the_licence(cast, lic, login, who):
    licence = issued_licence(cast, lic)
    user = (
        make_user("sup", cast.dept, SUPERVISOR) if who == "dept_supervisor" else getattr(cast, who)
    )
    client = login(user)
    assert [r.licence.pk for r in client.get("/licensing/library/").context["rows"]] == [licence.pk]
    assert client.get(f"/licensing/licences/{licence.pk}/").status_code == 200
    assert client.get("/api/licensing/library").json()["count"] == 1


def test_the_supervising_unit_sees_every_licence_the_zone_issued(cast, lic, login):
    """审 → 监: supervisors and inspectors of the market-supervision unit (a sibling of the
    licensing unit) supervise every licensed operator, so the library shows them all; a
    supervisor of an unrelated unit still sees nothing."""
    licence = issued_licence(cast, lic)
    for user in (make_user("sup-scjg", lic.inspection, SUPERVISOR), lic.inspector):
        client = login(user)
        rows = client.get("/licensing/library/").context["rows"]
        assert [r.licence.pk for r in rows] == [licence.pk]
        assert client.get(f"/licensing/licences/{licence.pk}/").status_code == 200
        assert client.get("/api/licensing/library").json()["count"] == 1
    outsider = make_user("sup-other", lic.stranger_officer.unit, SUPERVISOR)
    client = login(outsider)
    assert list(client.get("/licensing/library/").context["rows"]) == []
    assert client.get(f"/licensing/licences/{licence.pk}/").status_code == 404
