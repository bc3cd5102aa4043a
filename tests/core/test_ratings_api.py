"""/api/ratings: the applicant submits, staff list and answer; bad input is a 400 that
names the field, never a 500."""

import pytest

from tests.core import ratings_fixtures
from tests.core.ratings_fixtures import SERVICE, finished
from zonegov.core.ratings.models import RatingRectification, ServiceRating

pytestmark = pytest.mark.django_db
rated = ratings_fixtures.rated  # the fixture


@pytest.fixture
def case(cast, rated):
    return finished("A-1", cast.applicant, cast.dept)


def _post(client, **body):
    payload = {"service": SERVICE, "reference": "A-1", "level": 5, **body}
    return client.post("/api/ratings", payload, content_type="application/json")


def test_the_applicant_submits_a_rating(cast, case, login):
    response = _post(login(cast.applicant), level=2, comment="等太久", channel="mobile")
    assert response.status_code == 201
    body = response.json()
    assert body["level"] == 2 and body["level_label"] == "不满意" and body["gb_code"] == 4
    assert body["channel"] == "mobile" and body["rectification_state"] == "open"
    assert _post(login(cast.applicant)).status_code == 400  # once only


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": 0}, "level"),
        ({"level": 6}, "level"),
        ({"level": "很好"}, "level"),
        ({"comment": "长" * 501}, "comment"),
        ({"comment": "a\x07b"}, "comment"),
        ({"channel": "fax"}, "channel"),
        ({"reference": "x" * 51}, "reference"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(cast, case, login, body, field):
    response = _post(login(cast.applicant), **body)
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not ServiceRating.objects.exists()


def test_someone_elses_case_is_a_404(cast, case, login):
    assert _post(login(cast.other_applicant)).status_code == 404
    assert _post(login(cast.officer)).status_code == 404


def test_staff_list_ratings_in_scope_and_answer(cast, case, login):
    _post(login(cast.applicant), level=1)
    rect = RatingRectification.objects.get()
    officer = login(cast.officer)
    rows = officer.get("/api/ratings?bad_only=true").json()
    assert [r["case_reference"] for r in rows] == ["A-1"]
    response = officer.post(
        f"/api/ratings/rectifications/{rect.pk}/answer",
        {"answer": "已整改"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "answered"
    assert login(cast.park_officer).get("/api/ratings").json() == []
    assert login(cast.applicant).get("/api/ratings").status_code == 403
    assert (
        login(cast.park_officer)
        .post(
            f"/api/ratings/rectifications/{rect.pk}/answer",
            {"answer": "x"},
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_the_rater_answers_the_callback_and_a_stranger_gets_a_404(cast, case, login):
    _post(login(cast.applicant), level=2)
    rect = RatingRectification.objects.get()
    login(cast.officer).post(
        f"/api/ratings/rectifications/{rect.pk}/answer",
        {"answer": "已整改"},
        content_type="application/json",
    )
    url = f"/api/ratings/rectifications/{rect.pk}/callback"
    stranger = login(cast.other_applicant).post(
        url, {"result": "satisfied"}, content_type="application/json"
    )
    assert stranger.status_code == 404
    bad = login(cast.applicant).post(url, {"result": "great"}, content_type="application/json")
    assert bad.status_code == 400
    ok = login(cast.applicant).post(
        url, {"result": "dissatisfied"}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["state"] == "closed" and ok.json()["callback_result"] == "dissatisfied"
