"""Attack review: the sign page asks for the password or an SMS code again, but the API
signed the 申请书 without it — a copied token or an open session was enough for an act
with legal effect. The API now asks the same: a ``password`` or a sign ``code``."""

import re

import pytest

from tests.conftest import PASSWORD
from tests.licensing.conftest import draft
from zonegov.core.models import PhoneLoginCode
from zonegov.core.services.users import api_token_create

pytestmark = pytest.mark.django_db

J = {"content_type": "application/json"}


def _token(user) -> dict:
    _, key = api_token_create(user=user, name="小程序")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _signed(app) -> bool:
    app.refresh_from_db()
    return bool(app.form_sha256)


def test_signing_without_reauthentication_is_refused_in_chinese(cast, lic, client):
    app = draft(cast)
    url = f"/api/licensing/applications/{app.pk}/sign"
    h = _token(cast.applicant)
    response = client.post(url, {}, **J, **h)
    assert response.status_code == 400
    assert "请输入登录密码或短信验证码" in response.json()["message"]
    assert client.post(url, **h).status_code == 400  # no body at all
    assert not _signed(app)


def test_a_wrong_password_is_refused_and_the_right_one_signs(cast, lic, client):
    app = draft(cast)
    url = f"/api/licensing/applications/{app.pk}/sign"
    h = _token(cast.applicant)
    response = client.post(url, {"password": "wrong-password"}, **J, **h)
    assert response.status_code == 403 and response.json()["message"] == "密码不正确。"
    assert not _signed(app)
    response = client.post(url, {"password": PASSWORD}, **J, **h)
    assert response.status_code == 200 and response.json()["form_signed"]
    assert _signed(app)


def test_signing_by_an_sms_code_through_the_api(cast, lic, client, settings):
    settings.ZONEGOV_LOGIN_SMS_CHANNEL = ""  # the demo channel hands the SMS back
    cast.applicant.mobile_verified_at = cast.applicant.date_joined
    cast.applicant.save()
    app = draft(cast)
    url = f"/api/licensing/applications/{app.pk}/sign"
    h = _token(cast.applicant)
    sent = client.post(f"{url}/code", **h)
    assert sent.status_code == 200 and sent.json()["masked_phone"] == "138****0001"
    code = re.search(r"验证码是 (\d{6})", sent.json()["demo_sms"]).group(1)
    assert PhoneLoginCode.objects.get(phone="13800000001", used_at=None).purpose == "sign"
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(url, {"code": wrong}, **J, **h)
    assert response.status_code == 403 and "还可以再试 4 次" in response.json()["message"]
    assert not _signed(app)
    assert client.post(url, {"code": code}, **J, **h).status_code == 200
    assert _signed(app)


def test_a_login_code_does_not_sign(cast, lic, client, settings):
    settings.ZONEGOV_LOGIN_SMS_CHANNEL = ""
    cast.applicant.mobile_verified_at = cast.applicant.date_joined
    cast.applicant.save()
    app = draft(cast)
    page = client.post("/accounts/phone/", {"phone": "13800000001"}, follow=True)
    code = re.search(r"验证码是 (\d{6})", page.content.decode()).group(1)
    h = _token(cast.applicant)
    response = client.post(f"/api/licensing/applications/{app.pk}/sign", {"code": code}, **J, **h)
    assert response.status_code == 403
    assert not _signed(app)


def test_an_account_whose_mobile_was_never_proved_signs_with_the_password(cast, lic, client):
    app = draft(cast)
    h = _token(cast.applicant)
    response = client.post(f"/api/licensing/applications/{app.pk}/sign/code", **h)
    assert response.status_code == 400 and "请用登录密码" in response.json()["message"]
    assert not PhoneLoginCode.objects.exists()


def test_someone_elses_application_is_not_found(cast, lic, client):
    app = draft(cast)
    h = _token(cast.other_applicant)
    url = f"/api/licensing/applications/{app.pk}/sign"
    assert client.post(url, {"password": PASSWORD}, **J, **h).status_code == 404
    assert client.post(f"{url}/code", **h).status_code == 404
    assert not _signed(app)


def test_the_openapi_document_names_the_reauthentication(cast, client, login):
    client = login(cast.applicant)
    paths = client.get("/api/openapi.json").json()["paths"]
    sign = paths["/api/licensing/applications/{app_id}/sign"]["post"]
    assert "password" in sign["description"] and "code" in sign["description"]
    assert "/api/licensing/applications/{app_id}/sign/code" in paths
