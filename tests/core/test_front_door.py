"""The public front door: the service list at ``/`` for logged-out visitors and each
service's 办事指南 (issue 12, "The public front door")."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils.html import strip_tags

from tests.conftest import PASSWORD
from zonegov.core.models import CaseType
from zonegov.core.services_catalogue import (
    ServiceGuide,
    public_services,
    register_public_service,
)

pytestmark = pytest.mark.django_db

GUIDE = "/guide/licensing.licence.new/"


def text(response) -> str:
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def start_href(response) -> str:
    html = response.content.decode()
    match = re.search(r'href="([^"]+)"[^>]*data-testid="start-button"', html)
    assert match, "no 开始办理 button"
    return match.group(1).replace("&amp;", "&")


def test_a_logged_out_visitor_gets_the_service_list_not_a_login_form(client):
    response = client.get("/")
    assert response.status_code == 200
    page = text(response)
    for title in (
        "食品经营许可（新办）",
        "食品经营许可变更",
        "食品经营许可延续",
        "食品经营许可补证",
        "食品经营许可注销",
        "仅销售预包装食品备案",
    ):
        assert title in page
    html = response.content.decode()
    assert 'name="password"' not in html
    assert 'href="/guide/licensing.licence.new/"' in html
    assert 'href="/gongshi/"' in html and 'href="/verify/"' in html
    assert "开始办理" in page


def test_the_service_list_is_also_at_services_for_everyone(client, cast, login):
    assert "仅销售预包装食品备案" in text(client.get("/services/"))
    assert "仅销售预包装食品备案" in text(login(cast.officer).get("/services/"))


def test_logged_in_staff_still_get_their_work_at_home(cast, login):
    page = text(login(cast.officer).get("/"))
    assert "我的工作" in page and "查看办事指南" not in page


def test_applicants_find_the_services_in_their_menu(cast, login):
    html = login(cast.applicant).get("/").content.decode()
    assert 'href="/services/"' in html and "办事服务" in html
    assert 'href="/services/"' not in login(cast.officer).get("/").content.decode()


def test_the_guide_tells_what_a_user_needs_before_starting(client):
    response = client.get(GUIDE)
    assert response.status_code == 200
    page = text(response)
    assert "食品经营许可（新办）" in page
    assert "营业执照" in page  # who it is for and what you need
    assert "热食类食品制售" in page and "防蝇、防鼠、防虫设施" in page  # what you tick
    assert "加工操作间" in page  # the capture guide's shots for a caterer
    assert 'data-testid="fees">不收费<' in response.content.decode()
    assert "《食品经营许可和备案管理办法》" in page
    assert "电子证照" in page and "窗口领取" in page  # how to get the certificate
    assert "12315" in page and "行政复议" in page  # how to complain
    assert "受理：5 个工作日" in page


def test_the_guide_shows_the_configured_decision_limit(client):
    assert "审批决定：10 个工作日" in text(client.get(GUIDE))
    CaseType.objects.filter(code="food_licence_decision").update(time_limit=7, extension_limit=3)
    page = text(client.get(GUIDE))
    assert "审批决定：7 个工作日" in page and "可延长 3 个工作日" in page
    assert "审批决定：10 个工作日" not in page


def test_the_complaints_phone_follows_the_setting(client, settings):
    settings.ZONEGOV_LICENSING_COMPLAINTS_PHONE = "0375-1234567"
    assert "投诉举报电话：0375-1234567" in text(client.get(GUIDE))


def test_a_filing_says_it_can_be_granted_at_once_and_needs_no_photos(client):
    page = text(client.get("/guide/licensing.filing.new/"))
    assert "即申即审" in page and "无需上传场所照片" in page
    assert "加工操作间" not in page
    assert "即申即审" not in text(client.get(GUIDE))  # a new licence is always checked


def test_an_unknown_service_is_a_404(client):
    assert client.get("/guide/licensing.nothing/").status_code == 404


def test_start_leads_a_visitor_through_login_to_the_apply_page_of_the_kind(client, cast):
    href = start_href(client.get("/guide/licensing.filing.new/"))
    url = urlparse(href)
    assert url.path == "/accounts/login/"
    nxt = parse_qs(url.query)["next"][0]
    assert nxt == "/licensing/apply/?kind=filing"
    assert client.get(href).status_code == 200
    sms = "/accounts/phone/?next=%2Flicensing%2Fapply%2F%3Fkind%3Dfiling"
    assert sms in client.get("/guide/licensing.filing.new/").content.decode()
    response = client.post(
        href, {"username": cast.applicant.username, "password": PASSWORD, "next": nxt}
    )
    assert response.status_code == 302 and response["Location"] == nxt
    form = client.get(nxt).content.decode()
    assert re.search(r'value="filing"[^>]*checked', form), "the filing kind is preselected"


def test_a_logged_in_applicant_starts_straight_on_the_apply_page(cast, login):
    client = login(cast.applicant)
    assert start_href(client.get(GUIDE)) == "/licensing/apply/?kind=licence"


def test_a_change_starts_from_the_applicants_licences(client, cast, login):
    href = start_href(client.get("/guide/licensing.licence.change/"))
    assert parse_qs(urlparse(href).query)["next"] == ["/licensing/mine/"]
    page = text(client.get("/guide/licensing.licence.change/"))
    assert "我的证照" in page and "申请变更的时间：10 个工作日" in page


def test_every_registered_guide_renders(client):
    for service in public_services():
        response = client.get(f"/guide/{service.key}/")
        assert response.status_code == 200, service.key
        assert "收费标准" in text(response)


def test_a_key_cannot_be_registered_for_two_different_services():
    def build() -> ServiceGuide:  # pragma: no cover - never built
        raise AssertionError

    with pytest.raises(ValueError):
        register_public_service(
            "licensing.licence.new",
            title="另一项服务",
            summary="",
            guide_builder=build,
            start_url_name="home",
        )


def test_without_a_configured_limit_the_guide_shows_the_statutory_default(client):
    CaseType.objects.filter(code="food_licence_decision").delete()
    response = client.get(GUIDE)
    assert response.status_code == 200 and "审批决定：10 个工作日" in text(response)
