"""模拟统一身份认证（演示）: the round trip through the platform's pages binds the verified
identity and marks this login as verified; in production settings it is refused
everywhere (system check, start, page, callback, earlier verifications)."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tests.conftest import VALID_ID, VALID_USCC
from tests.identity_helpers import verified_login
from zonegov.core.identity.base import ProviderError, get_provider
from zonegov.core.models import Enterprise, IdentityVerification, Person
from zonegov.core.services.identity import SESSION_KEY, login_verification

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(cast):
    cast.applicant.person = Person.objects.create(name="张三", id_number=VALID_ID)
    cast.applicant.save()
    Enterprise.objects.create(
        uscc=VALID_USCC, name="张三餐馆", kind="individual", legal_representative="张三"
    )
    return cast.applicant


def _to_demo_page(client) -> str:
    response = client.post("/identity/demo/start/", {"next": "/licensing/mine/"})
    assert response.status_code == 302 and response["Location"].startswith("/identity/demo/?")
    return response["Location"]


def test_the_demo_round_trip_verifies_the_account_and_this_login(applicant, client):
    client.force_login(applicant)
    page = client.get("/identity/").content.decode()
    assert "未实名核验" in page and "模拟统一身份认证（演示）" in page
    url = _to_demo_page(client)
    form = client.get(url).content.decode()
    assert "生产环境不提供此页面" in form and VALID_USCC in form  # pre-filled
    response = client.post(
        url,
        {"name": "张三", "id_number": VALID_ID, "uscc": VALID_USCC, "role": "legal_representative"},
    )
    callback = urlparse(response["Location"])
    assert callback.path == "/identity/demo/callback/" and "code" in parse_qs(callback.query)
    done = client.get(response["Location"])
    assert done.status_code == 302 and done["Location"] == "/licensing/mine/"
    verification = IdentityVerification.objects.get(user=applicant)
    assert verification.level == "provider" and verification.enterprise_uscc == VALID_USCC
    assert client.session[SESSION_KEY]["verification"] == verification.pk
    page = client.get("/identity/").content.decode()
    assert "已实名核验" in page and "本次登录已于" in page
    # The code is single-use.
    again = client.get(response["Location"], follow=True)
    assert "已失效" in again.content.decode() or "已使用" in again.content.decode()


def test_the_demo_page_refuses_a_legal_representative_the_registry_does_not_name(applicant, client):
    client.force_login(applicant)
    url = _to_demo_page(client)
    response = client.post(
        url,
        {"name": "李四", "id_number": VALID_ID, "uscc": VALID_USCC, "role": "legal_representative"},
    )
    assert response.status_code == 200 and "该企业的法定代表人是“张三”" in response.content.decode()
    assert not IdentityVerification.objects.exists()


def test_a_callback_not_started_here_is_refused(applicant, client):
    client.force_login(applicant)
    response = client.get("/identity/demo/callback/?code=x&state=forged", follow=True)
    assert "不是从本页面发起" in response.content.decode()
    assert not IdentityVerification.objects.exists()


def test_the_system_check_refuses_the_demo_provider_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(SystemCheckError, match=r"zonegov\.E101"):
        call_command("check")
    settings.ZONEGOV_IDENTITY_PROVIDERS = {}
    call_command("check")


def test_production_settings_refuse_the_demo_provider_everywhere(applicant, client, settings):
    client.force_login(applicant)
    with_demo = verified_login(applicant)
    assert login_verification(user=applicant, login=with_demo)[0] is not None

    settings.PRODUCTION = True
    verification, why = login_verification(user=applicant, login=with_demo)
    assert verification is None and "生产环境" in why
    page = client.get("/identity/").content.decode()
    assert 'data-testid="identity-start-demo"' not in page
    response = client.post("/identity/demo/start/", follow=True)
    assert "不能在生产环境使用" in response.content.decode()
    assert client.get("/identity/demo/?state=x").status_code == 404
    response = client.get("/identity/demo/callback/?code=x&state=y", follow=True)
    assert "不能在生产环境使用" in response.content.decode()
    with pytest.raises(ProviderError, match="生产环境"):
        get_provider("demo").issue_code(None, None)
