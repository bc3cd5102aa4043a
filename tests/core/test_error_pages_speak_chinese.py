"""Issue 12 defect 5: with DEBUG off, 403 / 404 / 500 and a CSRF failure answer with a
Chinese page in the site shell and a way back; a 500 shows a reference id that is in the
log with the traceback."""

import logging
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False


def test_an_unknown_address_gets_the_chinese_404_in_the_shell(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在（404）" in page
    assert "高新区数字政务" in page and 'class="navbar' in page  # the site shell
    assert 'href="/"' in page and "返回首页" in page
    assert "Not Found" not in page


def test_a_refused_page_gets_the_chinese_403_naming_why(cast, login):
    client = login(cast.applicant)
    response = client.get("/audit/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权访问（403）" in page and "此功能仅供工作人员使用" in page
    assert "返回首页" in page and cast.applicant.display_name in page  # the shell knows who


def test_an_expired_form_gets_the_chinese_csrf_page(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in page and "刷新页面后重新填写" in page
    assert "高新区数字政务" in page and "返回首页" in page
    assert "CSRF verification failed" not in page


@pytest.mark.urls("tests.core.error_urls")
def test_a_failure_gets_the_chinese_500_with_a_reference_in_the_log(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="zonegov.errors"):
        response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误（500）" in page and "返回首页" in page and "高新区数字政务" in page
    match = re.search(r'data-testid="error-reference">(E\d{8}-[0-9A-F]{6})<', page)
    assert match, page
    reference = match.group(1)
    assert response["X-Error-Reference"] == reference
    logged = [r for r in caplog.records if r.name == "zonegov.errors"]
    assert any(reference in r.getMessage() and r.exc_info for r in logged)
    assert "the database went away" in caplog.text
