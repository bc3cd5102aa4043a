"""On a phone, an applicant rates a finished service 不满意, reads the unit's answer on
the same page and says the fix satisfies him (好差评, core.ratings)."""

import pytest

from tests.conftest import PASSWORD, fresh_content_types
from tests.core import ratings_fixtures
from tests.core.ratings_fixtures import SERVICE, finished
from zonegov.core.ratings.models import RatingRectification
from zonegov.core.ratings.services import rectification_answer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
rated = ratings_fixtures.rated  # the fixture


def test_an_applicant_rates_on_a_phone_and_reads_the_answer(page, cast, rated):
    fresh_content_types()
    finished("SQ-B-1", cast.applicant, cast.dept)
    page.set_viewport_size({"width": 390, "height": 844})
    url = f"/ratings/{SERVICE}/SQ-B-1/"
    page.goto(url)
    page.fill("#id_username", cast.applicant.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{url}")
    assert page.get_by_text("您对本次服务满意吗？").is_visible()
    page.get_by_label("不满意", exact=True).check()
    page.fill("#id_comment", "材料清单和窗口说的不一样")
    page.screenshot(path="/tmp/ratings-390.png", full_page=True)
    page.click("[data-testid=rating-submit]")
    page.locator("[data-testid=my-rating]").wait_for()
    assert page.locator("[data-testid=rating-level]").inner_text() == "不满意"
    assert "将在" in page.locator("[data-testid=rectification]").inner_text()

    rect = RatingRectification.objects.get()
    rectification_answer(actor=cast.officer, rectification=rect, answer="已统一窗口和网上清单。")
    page.reload()
    assert "已统一窗口和网上清单。" in page.locator("[data-testid=answer]").inner_text()
    page.get_by_label("满意", exact=True).check()
    page.click("[data-testid=callback-submit]")
    page.locator("[data-testid=callback-result]").wait_for()
    assert "满意" in page.locator("[data-testid=callback-result]").inner_text()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path="/tmp/ratings-1440.png", full_page=True)
    rect.refresh_from_db()
    assert rect.state == "closed" and rect.callback_by_rater


def test_an_officer_answers_a_bad_rating_on_a_phone(page, cast, rated):
    from zonegov.core.ratings.services import rating_submit

    fresh_content_types()
    finished("SQ-B-2", cast.applicant, cast.dept)
    rating_submit(
        actor=cast.applicant, service_key=SERVICE, reference="SQ-B-2", level=1, comment="太慢"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/ratings/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/ratings/")
    row = page.locator("[data-testid=rating-cards] [data-testid=rating-row]").first
    assert "非常不满意" in row.inner_text() and "待整改" in row.inner_text()
    page.screenshot(path="/tmp/ratings-list-390.png", full_page=True)
    row.get_by_role("link").click()
    page.fill("#id_answer", "已核实：当日系统故障，已恢复并致歉。")
    page.click("[data-testid=answer-submit]")
    page.get_by_text("已答复，评价人已收到通知。").wait_for()
    assert page.locator("[data-testid=state]").inner_text() == "已答复待回访"
    page.screenshot(path="/tmp/ratings-rect-390.png", full_page=True)
