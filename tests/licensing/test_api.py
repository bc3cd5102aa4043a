"""The licensing API: the whole applicant flow and the officers' decisions over JSON,
errors in the platform's one shape, OpenAPI document."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import PASSWORD
from tests.identity_helpers import session_login, verified_login
from tests.licensing.conftest import CATERING_TICKS, FILING_TICKS, JPEG, MP4
from zonegov.core.services.users import api_token_create

pytestmark = pytest.mark.django_db

J = {"content_type": "application/json"}


def test_the_code_tables_and_openapi_are_served(cast, lic, login):
    client = login(cast.applicant)
    codes = client.get("/api/licensing/codes").json()
    assert {k["code"] for k in codes["kinds"]} == {
        "licence",
        "filing",
        "small_shop",
        "small_workshop",
        "small_stall",
    }
    assert any(f["code"] == "pest_control" for f in codes["premises_facts"])
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/licensing/applications/{app_id}/submit" in paths


def test_instant_filing_through_the_api_from_a_verified_session(cast, lic, login):
    client = login(cast.applicant)
    session_login(client, verified_login(cast.applicant, enterprise=lic.enterprise))
    _, key = api_token_create(user=cast.applicant, name="小程序")
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    app = client.post("/api/licensing/applications", {"kind": "filing"}, **J).json()
    assert app["ticks"]["operator_name"] == lic.enterprise.name
    url = f"/api/licensing/applications/{app['id']}"
    assert client.patch(url, FILING_TICKS, **J).status_code == 200
    signed = client.post(f"{url}/sign", {"password": PASSWORD}, **J).json()
    assert signed["form_signed"] and signed["form_is_current"]
    done = client.post(f"{url}/submit").json()
    assert done["state"] == "issued" and done["instant"] and done["identity_refusal"] == ""
    assert done["licence_number"].startswith("YB")
    licence = client.get(f"/api/licensing/licences/{done['licence_id']}", **h).json()
    assert licence["versions"][0]["identifier"].startswith("1.2.156.3005.2.")
    pdf = client.get(f"/api/licensing/licences/{done['licence_id']}/certificate", **h)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_token_alone_is_no_verified_login_so_the_filing_goes_to_acceptance(cast, lic, client):
    verified_login(cast.applicant, enterprise=lic.enterprise)  # verified, but not this login
    _, key = api_token_create(user=cast.applicant, name="小程序")
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    app = client.post("/api/licensing/applications", {"kind": "filing"}, **J, **h).json()
    url = f"/api/licensing/applications/{app['id']}"
    client.patch(url, FILING_TICKS, **J, **h)
    client.post(f"{url}/sign", {"password": PASSWORD}, **J, **h)
    done = client.post(f"{url}/submit", **h).json()
    assert done["state"] == "submitted" and not done["instant"]
    assert "未通过统一身份认证实名核验，转人工受理" in done["identity_refusal"]


def test_bad_ticks_come_back_by_field_and_the_rest_is_kept(cast, lic, login):
    client = login(cast.applicant)
    app = client.post("/api/licensing/applications", {"kind": "licence"}, **J).json()
    url = f"/api/licensing/applications/{app['id']}"
    response = client.patch(
        url, {**CATERING_TICKS, "holder_code": "91410400MA9F8U6X34", "address": "新住所1号"}, **J
    )
    assert response.status_code == 400
    body = response.json()
    assert any(e["field"] == "holder_code" and "校验位" in e["message"] for e in body["errors"])
    assert client.get(url).json()["ticks"]["address"] == "新住所1号"


def test_the_capture_upload_checks_the_content(cast, lic, login):
    client = login(cast.applicant)
    app = client.post("/api/licensing/applications", {"kind": "licence"}, **J).json()
    url = f"/api/licensing/applications/{app['id']}"
    client.patch(url, CATERING_TICKS, **J)
    bad = client.post(
        f"{url}/capture", {"code": "walkthrough", "file": SimpleUploadedFile("v.mp4", JPEG)}
    )
    assert bad.status_code == 400 and "视频" in bad.json()["message"]
    ok = client.post(
        f"{url}/capture", {"code": "walkthrough", "file": SimpleUploadedFile("v.mp4", MP4)}
    )
    assert ok.status_code == 201
    guide = client.get(url).json()["capture_guide"]
    assert next(g for g in guide if g["code"] == "walkthrough")["done"]


def test_officers_decide_through_the_api(cast, lic, login):
    from tests.licensing.conftest import submitted_licence

    app = submitted_licence(cast)
    url = f"/api/licensing/applications/{app.pk}"
    officer = login(cast.officer)
    queue = officer.get("/api/licensing/applications?queue=accept").json()
    assert [r["id"] for r in queue] == [app.pk]
    assert officer.post(f"{url}/accept", {}, **J).json()["state"] == "inspecting"
    inspector = login(lic.inspector)
    for g in inspector.get(url).json()["capture_guide"]:
        r = inspector.post(f"{url}/site-checks", {"code": g["code"], "result": "pass"}, **J)
        assert r.status_code == 200
    assert inspector.post(f"{url}/finish-inspection", {}, **J).json()["state"] == "reviewing"
    officer = login(cast.officer)
    response = officer.post(f"{url}/reject", {"reason": ""}, **J)
    assert response.status_code == 400 and "理由" in response.json()["message"]
    done = officer.post(f"{url}/approve", {"note": "同意"}, **J).json()
    assert done["state"] == "issued" and done["licence_number"].startswith("JY")


def test_a_renewal_outside_the_window_is_refused_over_the_api(cast, lic, login):
    from tests.licensing.conftest import issued_licence

    licence = issued_licence(cast, lic)
    response = login(cast.applicant).post(
        "/api/licensing/applications",
        {"kind": "licence", "app_type": "renew", "licence_id": licence.pk},
        **J,
    )
    assert response.status_code == 400
    assert "90至15个工作日" in response.json()["message"]
