"""Licensing is a rated service: once an application is finished, its applicant's case
page offers "评价本次服务", which opens core's rating page; nobody else sees it."""

import pytest

from tests.core.ratings_fixtures import ensure_case_type
from tests.licensing.conftest import draft, instant_filing
from zonegov.core.ratings.models import ServiceRating

pytestmark = pytest.mark.django_db


def test_the_applicant_rates_a_finished_application_from_its_page(cast, lic, login):
    ensure_case_type()
    app = instant_filing(cast)
    assert app.state == "issued"
    client = login(cast.applicant)
    html = client.get(f"/licensing/applications/{app.pk}/").content.decode()
    link = f"/ratings/licensing/{app.reference}/"
    assert "评价本次服务" in html and link in html
    page = client.get(link).content.decode()
    assert "食品经营许可" in page and app.reference in page and "行政服务中心" in page
    client.post(link, {"level": "2", "comment": "备案页面不好找"})
    rating = ServiceRating.objects.get()
    assert rating.unit == app.unit and rating.rectification.unit == app.unit
    html = client.get(f"/licensing/applications/{app.pk}/").content.decode()
    assert "您已评价本次服务" in html and "不满意" in html


def test_an_unfinished_application_offers_no_rating(cast, lic, login):
    app = draft(cast)
    html = login(cast.applicant).get(f"/licensing/applications/{app.pk}/").content.decode()
    assert "评价本次服务" not in html
    assert login(cast.applicant).get(f"/ratings/licensing/{app.reference}/").status_code == 200
    stranger = login(cast.other_applicant)
    assert stranger.get(f"/ratings/licensing/{app.reference}/").status_code == 404


def test_the_officer_sees_no_rating_prompt(cast, lic, login):
    app = instant_filing(cast)
    html = login(cast.officer).get(f"/licensing/applications/{app.pk}/").content.decode()
    assert "评价本次服务" not in html
