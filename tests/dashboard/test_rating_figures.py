"""The dashboard's 好差评 section: count, 好评率, 差评 and 按期整改, by service, unit and
month, for leaders (zone-wide); figures come from core.ratings through core.kpis."""

from datetime import datetime, timedelta

import pytest
import time_machine

from tests.conftest import SHANGHAI
from tests.core import ratings_fixtures
from tests.core.ratings_fixtures import SERVICE, finished
from zonegov.core import kpis
from zonegov.core.ratings.services import rating_submit, rectification_answer

pytestmark = pytest.mark.django_db
rated = ratings_fixtures.rated  # the fixture


@pytest.fixture
def known(cast, rated):
    """Four ratings in May and June 2026: two good, two bad; one bad answered in time,
    the other answered late."""
    other = cast.park
    marks = [
        ("K-1", cast.dept, 5, datetime(2026, 5, 6, 10, tzinfo=SHANGHAI)),
        ("K-2", cast.dept, 3, datetime(2026, 5, 7, 10, tzinfo=SHANGHAI)),
        ("K-3", cast.dept, 1, datetime(2026, 6, 1, 10, tzinfo=SHANGHAI)),
        ("K-4", other, 2, datetime(2026, 6, 2, 10, tzinfo=SHANGHAI)),
    ]
    rects = {}
    for ref, unit, level, at in marks:
        with time_machine.travel(at, tick=False):
            finished(ref, cast.applicant, unit)
            rating = rating_submit(
                actor=cast.applicant, service_key=SERVICE, reference=ref, level=level
            )
            if level <= 2:
                rects[ref] = rating.rectification
    with time_machine.travel(datetime(2026, 6, 3, 10, tzinfo=SHANGHAI), tick=False):
        rectification_answer(actor=cast.leader, rectification=rects["K-3"], answer="已整改")
    with time_machine.travel(datetime(2026, 6, 2, 10, tzinfo=SHANGHAI) + timedelta(days=40)):
        rectification_answer(actor=cast.leader, rectification=rects["K-4"], answer="迟到的答复")


def _figures(user, dimension):
    section = kpis.section_for(user, "ratings")
    period = kpis.Period(datetime(2026, 1, 1).date(), datetime(2026, 12, 31).date())
    return kpis.compute(section, user, period, dimension).as_dict()


def test_the_totals_and_the_months(cast, known):
    result = _figures(cast.leader, "month")
    total = result["total"]["values"]
    assert total["ratings"] == 4 and total["bad"] == 2
    assert total["good_share"] == pytest.approx(0.5)
    assert total["answered"] == 2 and total["on_time"] == 1
    assert total["on_time_share"] == pytest.approx(0.5)
    months = {r["label"]: r["values"] for r in result["rows"]}
    assert months["2026年5月"]["ratings"] == 2 and months["2026年6月"]["bad"] == 2


def test_by_service_and_by_unit(cast, known):
    by_service = {r["label"]: r["values"] for r in _figures(cast.leader, "kind")["rows"]}
    assert by_service["测试服务"]["ratings"] == 4
    by_unit = {r["label"]: r["values"] for r in _figures(cast.leader, "unit")["rows"]}
    assert by_unit["行政服务中心"]["ratings"] == 3 and by_unit["电气装备产业园区"]["bad"] == 1


def test_the_dashboard_page_shows_the_section_to_leaders_only(cast, known, login):
    html = login(cast.leader).get("/dashboard/?dimension=unit").content.decode()
    assert 'data-testid="section-ratings"' in html and "好评率" in html
    assert 'data-testid="section-licensing"' not in html  # licensing has no 按单位
    officer = login(cast.officer).get("/dashboard/?dimension=month").content.decode()
    assert 'data-testid="section-ratings"' not in officer
