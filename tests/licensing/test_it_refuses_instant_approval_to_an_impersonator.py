"""Issue 10.1: anyone could self-register with an enterprise's legal representative's name
and a made-up (checksum-valid) ID number, give the enterprise's USCC, be pre-filled and
receive an instantly approved, signed certificate — announced in 公示 and pushed to
supervision. Now instant approval rests on this login's verification by an identity
provider; the impersonator's application goes to an officer's 受理 with the reason."""

import pytest
from stdnum.cn import ric

from tests.identity_helpers import session_login, verified_login
from zonegov.core.models import Enterprise, OutboxMessage
from zonegov.core.services.users import applicant_register
from zonegov.licensing.models import Application, Licence, PublicNotice

pytestmark = pytest.mark.django_db


PASSWORD = "Bu-Shi-Wo-2026"


def _made_up_id() -> str:
    body = "41040219900303777"
    return body + ric.calc_check_digit(body + "0")


def _victim() -> Enterprise:
    return Enterprise.objects.create(
        uscc="91410400MA9F8U6X33",
        name="平顶山市真老板餐饮有限公司",
        kind="llc",
        legal_representative="王真",
        registered_address="平顶山市高新区神马大道1号",
    )


def _apply_as(client, uscc: str) -> Application:
    client.post("/licensing/apply/", {"kind": "filing", "holder_kind": "enterprise", "uscc": uscc})
    app = Application.objects.get()
    data = {
        "subject_type": "2",
        "item_prepack": "on",
        "fact_area": "le60",
        "fact_tenure": "lease",
        "fact_cold_storage": "na",
        "fact_warehouse": "none",
        "declarations": "on",
        "then": "sign",
    }
    for name in ("operator_name", "holder_code", "legal_rep", "address", "premises_address"):
        data[name] = getattr(app, name)
    response = client.post(f"/licensing/applications/{app.pk}/save/", data)
    # Signing asks for the password again (issue 12 defect 6).
    client.post(response["Location"], {"sign": "1", "password": PASSWORD})
    app.refresh_from_db()
    assert app.form_is_current
    return app


def test_it_sends_the_impersonators_application_to_acceptance_with_the_reason(cast, client):
    victim = _victim()
    impostor = applicant_register(
        mobile="13912340000",
        full_name="王真",
        id_number=_made_up_id(),
        password="Bu-Shi-Wo-2026",
        privacy_consented=True,
    )
    client.force_login(impostor)
    app = _apply_as(client, victim.uscc)
    assert app.legal_rep == "王真" and app.verification_passed  # what the form check sees

    page = client.get(app.get_absolute_url()).content.decode()
    assert "本次登录未通过统一身份认证实名核验" in page  # told before submitting

    response = client.post(f"/licensing/applications/{app.pk}/submit/", follow=True)
    app.refresh_from_db()
    assert app.state == "submitted" and not app.instant
    page = response.content.decode()
    assert "未通过统一身份认证实名核验，转人工受理" in page
    assert "下载电子证书" not in page
    assert not Licence.objects.exists()
    assert not PublicNotice.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert app.identity_basis["level"] == "self_registered"


def test_a_verified_namesake_is_not_the_enterprises_legal_representative(cast, client):
    """A real person called 王真 — verified by the provider, but acting for no enterprise:
    the name matches, the enterprise's 电子营业执照 does not name him."""
    victim = _victim()
    namesake = applicant_register(
        mobile="13912340000",
        full_name="王真",
        id_number=_made_up_id(),
        password="Bu-Shi-Wo-2026",
        privacy_consented=True,
    )
    client.force_login(namesake)
    session_login(client, verified_login(namesake))
    app = _apply_as(client, victim.uscc)
    response = client.post(f"/licensing/applications/{app.pk}/submit/", follow=True)
    app.refresh_from_db()
    assert app.state == "submitted" and not app.instant
    assert "您不是该企业的法定代表人或被授权代理人" in response.content.decode()
    assert app.identity_basis["provider"] == "demo"
    assert not Licence.objects.exists() and not OutboxMessage.objects.exists()
