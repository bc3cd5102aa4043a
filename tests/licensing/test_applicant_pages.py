"""The applicant's pages: start by ticking, errors keep everything typed, sign, submit,
download the certificate at once."""

import pytest

from tests.conftest import PASSWORD
from tests.identity_helpers import session_login, verified_login
from tests.licensing.conftest import FILING_TICKS, instant_filing, submitted_licence
from zonegov.licensing.models import Application

pytestmark = pytest.mark.django_db


def _post_ticks(client, app, **extra):
    data = {
        "subject_type": "2",
        "item_prepack": "on",
        "fact_area": "le60",
        "fact_tenure": "lease",
        "fact_cold_storage": "na",
        "fact_warehouse": "none",
        "declarations": "on",
        **extra,
    }
    for name in ("operator_name", "holder_code", "legal_rep", "address", "premises_address"):
        data.setdefault(name, getattr(app, name))
    return client.post(f"/licensing/applications/{app.pk}/save/", data)


def test_an_applicant_starts_signs_and_gets_an_instant_certificate(cast, lic, login):
    client = login(cast.applicant)
    session_login(client, verified_login(cast.applicant, enterprise=lic.enterprise))
    assert client.get("/licensing/mine/").status_code == 200
    response = client.post("/licensing/apply/", {"kind": "filing", "holder_kind": "enterprise"})
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == app.get_absolute_url()
    page = client.get(app.get_absolute_url()).content.decode()
    assert lic.enterprise.name in page  # pre-filled from the registry
    assert "已核验，无需上传" in page
    response = _post_ticks(client, app, then="sign")
    assert response["Location"] == f"/licensing/applications/{app.pk}/sign/"
    response = client.post(response["Location"], {"sign": "1", "password": PASSWORD})
    app.refresh_from_db()
    assert app.form_is_current, response
    response = client.post(f"/licensing/applications/{app.pk}/submit/", follow=True)
    page = response.content.decode()
    assert "即申即审" in page and "下载电子证书" in page
    app.refresh_from_db()
    pdf = client.get(f"/licensing/licences/{app.licence.pk}/certificate/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_wrong_check_digit_is_explained_and_nothing_is_lost(cast, lic, login):
    client = login(cast.applicant)
    app = Application.objects.get(
        pk=__import__("zonegov.licensing.services", fromlist=["x"])
        .application_start(actor=cast.applicant, kind="filing")
        .pk
    )
    response = _post_ticks(
        client, app, holder_code="91410400MA9F8U6X34", premises_address="我新填的地址9号"
    )
    page = client.get(response["Location"]).content.decode()
    assert "校验位不正确" in page
    assert "91410400MA9F8U6X34" in page  # what was typed is shown again
    assert "我新填的地址9号" in page
    app.refresh_from_db()
    assert app.premises_address == "我新填的地址9号"


def test_missing_ticks_are_listed_on_the_page(cast, lic, login):
    client = login(cast.applicant)
    from zonegov.licensing import services

    app = services.application_start(actor=cast.applicant, kind="licence")
    page = client.get(app.get_absolute_url()).content.decode()
    assert "请勾选主体业态" in page and "请至少勾选一项经营项目" in page
    response = client.post(f"/licensing/applications/{app.pk}/sign/", follow=True)
    assert "申请还不完整" in response.content.decode()


def test_a_non_image_upload_is_refused_in_chinese(cast, lic, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.licensing.conftest import draft

    app = draft(cast)
    client = login(cast.applicant)
    response = client.post(
        f"/licensing/applications/{app.pk}/capture/",
        {"code": "kitchen", "file": SimpleUploadedFile("厨房.jpg", b"not a picture at all")},
        follow=True,
    )
    assert "文件内容不是可接受的类型" in response.content.decode()


def test_the_applicant_sees_state_and_time_left(cast, lic, login):
    submitted_licence(cast)
    page = login(cast.applicant).get("/licensing/mine/").content.decode()
    assert "待受理" in page and "法定时限剩余" in page


def test_the_certificate_page_offers_the_follow_up_requests(cast, lic, login):
    app = instant_filing(cast)
    client = login(cast.applicant)
    page = client.get(f"/licensing/licences/{app.licence.pk}/").content.decode()
    assert "备案变更" in page and "备案注销" in page
    response = client.post(f"/licensing/licences/{app.licence.pk}/request/cancel/")
    new = Application.objects.exclude(pk=app.pk).get()
    assert response["Location"] == new.get_absolute_url()
    assert new.app_type == "cancel" and new.operator_name == app.operator_name
    assert FILING_TICKS


def test_a_too_long_name_is_refused_without_erasing_the_saved_one(cast, lic, login):
    from zonegov.licensing import services

    app = services.application_start(actor=cast.applicant, kind="filing")
    client = login(cast.applicant)
    response = _post_ticks(client, app, operator_name="长" * 300)
    page = client.get(response["Location"]).content.decode()
    assert "长" * 300 in page  # what was typed comes back with its message
    app.refresh_from_db()
    assert app.operator_name == lic.enterprise.name
