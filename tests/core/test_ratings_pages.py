"""好差评 pages: the rater rates a finished case, the unit answers a 差评, the rater sees
the answer and says whether satisfied; everyone else is refused."""

import pytest

from tests.conftest import make_unit, make_user
from tests.core import ratings_fixtures
from tests.core.ratings_fixtures import SERVICE, finished
from zonegov.core.models import Notification
from zonegov.core.models.org import UnitKind
from zonegov.core.ratings.models import RatingRectification, ServiceRating
from zonegov.licensing.roles import LICENSING_OFFICER

pytestmark = pytest.mark.django_db
rated = ratings_fixtures.rated  # the fixture

URL = f"/ratings/{SERVICE}/R-1/"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1"


@pytest.fixture
def case(cast, rated):
    return finished("R-1", cast.applicant, cast.dept)


def _bad_rating(client, cast):
    client.force_login(cast.applicant)
    client.post(URL, {"level": "1", "comment": "材料要求反复变化"})
    return RatingRectification.objects.get()


def test_the_applicant_rates_a_finished_case_from_a_phone(cast, case, login):
    client = login(cast.applicant)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "您对本次服务满意吗" in html and "非常不满意" in html
    response = client.post(URL, {"level": "4", "comment": "很方便"}, HTTP_USER_AGENT=PHONE)
    assert response.status_code == 302 and response["Location"] == URL
    rating = ServiceRating.objects.get()
    assert (rating.level, rating.comment, rating.channel) == (4, "很方便", "mobile")
    html = client.get(URL).content.decode()
    assert "您的评价" in html and "满意" in html and "提交评价" not in html


def test_a_missing_level_is_explained_and_the_comment_kept(cast, case, login):
    response = login(cast.applicant).post(URL, {"comment": "写了一半"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "请选择满意度" in html and "写了一半" in html
    assert not ServiceRating.objects.exists()


def test_an_unfinished_case_says_when_it_can_be_rated(cast, rated, login):
    finished("R-1", cast.applicant, cast.dept, done=False)
    html = login(cast.applicant).get(URL).content.decode()
    assert "办结后才能评价" in html and "提交评价" not in html


@pytest.mark.parametrize("who", ["other_applicant", "officer", "leader"])
def test_nobody_else_sees_or_rates_the_case(cast, case, login, who):
    client = login(getattr(cast, who))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"level": "5"}).status_code == 404
    assert not ServiceRating.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, case):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_bad_rating_reaches_the_unit_which_answers_and_the_rater_is_told(
    cast, case, client, login
):
    rect = _bad_rating(client, cast)
    officer = login(cast.officer)
    listing = officer.get("/ratings/").content.decode()
    assert "R-1" in listing and "非常不满意" in listing and rect.reference in listing
    page = officer.get(f"/ratings/rectifications/{rect.pk}/").content.decode()
    assert "材料要求反复变化" in page and "答复评价人" in page
    response = officer.post(
        f"/ratings/rectifications/{rect.pk}/answer/",
        {"answer": "已核实，今后一次性告知所需材料。"},
    )
    assert response.status_code == 302
    rect.refresh_from_db()
    assert rect.state == "answered" and rect.answered_by == cast.officer
    note = Notification.objects.get(recipient=cast.applicant)
    assert "已有答复" in note.title and "一次性告知" in note.body and note.url == URL

    rater = login(cast.applicant)
    html = rater.get(URL).content.decode()
    assert "已核实，今后一次性告知所需材料。" in html and "您对整改结果是否满意" in html
    rater.post(f"/ratings/rectifications/{rect.pk}/callback/", {"result": "satisfied", "note": ""})
    rect.refresh_from_db()
    assert rect.state == "closed" and rect.callback_result == "satisfied"
    assert rect.callback_by_rater and rect.closed_at is not None
    assert "您对整改结果的评价：满意" in rater.get(URL).content.decode()


def test_an_officer_records_a_phone_callback_only_with_a_note(cast, case, client, login):
    rect = _bad_rating(client, cast)
    officer = login(cast.officer)
    officer.post(f"/ratings/rectifications/{rect.pk}/answer/", {"answer": "已整改"})
    officer.post(f"/ratings/rectifications/{rect.pk}/callback/", {"result": "basic"})
    rect.refresh_from_db()
    assert rect.state == "answered"
    officer.post(
        f"/ratings/rectifications/{rect.pk}/callback/",
        {"result": "basic", "note": "电话回访，评价人表示基本满意"},
    )
    rect.refresh_from_db()
    assert rect.state == "closed" and not rect.callback_by_rater


def test_an_empty_answer_is_refused(cast, case, client, login):
    rect = _bad_rating(client, cast)
    response = login(cast.officer).post(
        f"/ratings/rectifications/{rect.pk}/answer/", {"answer": "  "}, follow=True
    )
    assert "请填写整改说明" in response.content.decode()
    rect.refresh_from_db()
    assert rect.state == "open"


def test_officers_of_other_units_see_nothing_and_cannot_answer(cast, case, client, login):
    rect = _bad_rating(client, cast)
    other = make_unit("城乡建设局", "cxjs-r", UnitKind.DEPARTMENT, cast.zone)
    stranger = make_user("stranger-r", other, LICENSING_OFFICER)
    for user in (stranger, cast.park_officer):
        c = login(user)
        assert "R-1" not in c.get("/ratings/").content.decode()
        assert c.get(f"/ratings/rectifications/{rect.pk}/").status_code == 404
        assert (
            c.post(f"/ratings/rectifications/{rect.pk}/answer/", {"answer": "x"}).status_code == 404
        )
    assert login(cast.other_applicant).get(f"/ratings/rectifications/{rect.pk}/").status_code == 404
    assert login(cast.applicant).get("/ratings/").status_code == 403
    rect.refresh_from_db()
    assert rect.state == "open"


def test_the_leader_sees_the_zones_ratings(cast, case, client, login):
    _bad_rating(client, cast)
    html = login(cast.leader).get("/ratings/?bad=1").content.decode()
    assert "R-1" in html and "待整改" in html
