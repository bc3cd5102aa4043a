"""Issue 12 defect 6: 准予许可, 不予许可, 受理, 吊销, 删除草稿 and 撤回 took one click. Each now
answers with a page naming the consequence (a plain form: no script, nothing the CSP
refuses) and acts only when confirmed; signing the 申请书 asks for the password or an SMS
code again."""

import re

import pytest

from tests.conftest import PASSWORD
from tests.licensing.conftest import (
    CATERING_TICKS,
    draft,
    inspecting,
    issued_licence,
    pass_all,
    submitted_licence,
)
from zonegov.licensing.models import Application, Licence

pytestmark = pytest.mark.django_db


def _hidden(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))


def _confirm(client, url: str, data: dict, words: str) -> str:
    """Post as the page does; the answer is the confirmation naming ``words``; then press
    its button (which posts the same fields with ``confirmed=1``)."""
    page = client.post(url, data).content.decode()
    assert words in page, page
    assert 'data-testid="confirm"' in page and 'data-testid="cancel"' in page
    assert "<script>" not in page.split("</main>")[0]
    form = page[page.index('data-testid="consequence"') : page.index('data-testid="confirm"')]
    fields = _hidden(form)
    assert fields.pop("confirmed") == "1"
    assert {k: v for k, v in fields.items() if k != "csrfmiddlewaretoken"} == data
    return client.post(url, {**data, "confirmed": "1"}, follow=True).content.decode()


def test_accept_and_approve_ask_first(cast, lic, login):
    app = submitted_licence(cast)
    client = login(cast.officer)
    url = f"/licensing/applications/{app.pk}/act/accept/"
    _confirm(client, url, {"note": "材料齐全"}, "开始计算法定办理时限")
    app.refresh_from_db()
    assert app.state == "inspecting"
    app = pass_all(app, lic.inspector)
    url = f"/licensing/applications/{app.pk}/act/approve/"
    client.post(url, {"note": "同意"})
    app.refresh_from_db()
    assert app.state == "reviewing"  # not yet: only the confirmation was shown
    page = _confirm(client, url, {"note": "同意"}, "立即签发电子证书")
    app.refresh_from_db()
    assert app.state == "issued" and "已准予许可" in page


def test_reject_names_the_reason_before_deciding(cast, lic, login):
    app = pass_all(inspecting(cast), lic.inspector)
    client = login(cast.officer)
    url = f"/licensing/applications/{app.pk}/act/reject/"
    page = client.post(url, {"note": "无更衣室"}).content.decode()
    assert "确认不予许可" in page and "无更衣室" in page and "不能撤销" in page
    app.refresh_from_db()
    assert app.state == "reviewing"
    _confirm(client, url, {"note": "无更衣室"}, "本申请即告办结")
    app.refresh_from_db()
    assert app.state == "rejected"


def test_revoke_asks_first(cast, lic, login):
    licence = issued_licence(cast, lic)
    client = login(cast.officer)
    url = f"/licensing/licences/{licence.pk}/revoke/"
    data = {"reason": "情节严重", "decision_number": "平高市监罚〔2026〕12号"}
    page = client.post(url, data).content.decode()
    assert licence.number in page and "立即失效" in page
    licence.refresh_from_db()
    assert licence.status == "valid"
    _confirm(client, url, data, "吊销不能撤销")
    licence.refresh_from_db()
    assert licence.status == "revoked"
    assert Licence.objects.get(pk=licence.pk).status == "revoked"


def test_deleting_a_draft_and_withdrawing_ask_first(cast, lic, login):
    app = draft(cast)
    client = login(cast.applicant)
    url = f"/licensing/applications/{app.pk}/withdraw/"
    client.post(url)
    assert Application.objects.filter(pk=app.pk).exists()
    _confirm(client, url, {}, "不能恢复")
    assert not Application.objects.filter(pk=app.pk).exists()
    app = submitted_licence(cast)
    url = f"/licensing/applications/{app.pk}/withdraw/"
    page = client.post(url).content.decode()
    assert "确认撤回申请" in page and "终止办理" in page
    app.refresh_from_db()
    assert app.state == "submitted"
    client.post(url, {"confirmed": "1"})
    app.refresh_from_db()
    assert app.state == "withdrawn"


def test_signing_asks_for_the_password_again(cast, lic, login):
    app = draft(cast)
    client = login(cast.applicant)
    url = f"/licensing/applications/{app.pk}/sign/"
    page = client.get(url).content.decode()
    assert "电子签名与手写签名具有同等法律效力" in page and 'type="password"' in page
    page = client.post(url, {"sign": "1"}).content.decode()
    assert "请输入登录密码或短信验证码" in page
    page = client.post(url, {"sign": "1", "password": "wrong-password"}).content.decode()
    assert "密码不正确" in page
    app.refresh_from_db()
    assert not app.form_sha256
    response = client.post(url, {"sign": "1", "password": PASSWORD}, follow=True)
    assert "申请书已生成并完成电子签名" in response.content.decode()
    app.refresh_from_db()
    assert app.form_sha256


def test_signing_by_sms_code(cast, lic, login, settings):
    settings.ZONEGOV_LOGIN_SMS_CHANNEL = ""
    app = draft(cast)
    cast.applicant.set_unusable_password()  # opened by SMS login: no password
    cast.applicant.mobile_verified_at = cast.applicant.date_joined
    cast.applicant.save()
    client = login(cast.applicant)
    url = f"/licensing/applications/{app.pk}/sign/"
    page = client.get(url).content.decode()
    assert 'type="password"' not in page and 'data-testid="send-code"' in page
    page = client.post(url, {"sign": "1", "code": "123456"}).content.decode()
    assert "请先获取短信验证码" in page
    page = client.post(url, {"send": "1"}).content.decode()
    assert "验证码已发送至 138****0001" in page
    code = re.search(r"验证码是 (\d{6})", page).group(1)  # the demo SMS shown in development
    wrong = "000000" if code != "000000" else "111111"
    page = client.post(url, {"sign": "1", "code": wrong}).content.decode()
    assert "验证码不正确" in page
    response = client.post(url, {"sign": "1", "code": code}, follow=True)
    assert "申请书已生成并完成电子签名" in response.content.decode()
    app.refresh_from_db()
    assert app.form_sha256


def test_the_page_button_leads_to_the_signature_page(cast, lic, login):
    app = draft(cast)
    client = login(cast.applicant)
    data = {
        "then": "sign",
        "subject_type": "2",
        "item_hot": "on",
        "item_drinks": "on",
        "declarations": "on",
        **{f"fact_{k}": v for k, v in CATERING_TICKS["premises"].items()},
    }
    for name in ("operator_name", "holder_code", "legal_rep", "address", "premises_address"):
        data[name] = getattr(app, name)
    response = client.post(f"/licensing/applications/{app.pk}/save/", data)
    assert response["Location"] == f"/licensing/applications/{app.pk}/sign/"
    app.refresh_from_db()
    assert not app.form_sha256
