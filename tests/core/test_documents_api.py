"""The documents API: public verification by number and by upload, staff-only download."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.core import documents_fixtures
from tests.core.documents_fixtures import issue, stored_bytes, tamper
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.services.documents import document_set_status
from zonegov.core.services.users import api_token_create

pytestmark = pytest.mark.django_db

pki_dir = documents_fixtures.pki_dir


@pytest.fixture
def doc(pki_dir, cast):
    return issue(actor=cast.officer)


def post_file(client, data: bytes, name: str = "a.pdf", **extra):
    return client.post(
        "/api/documents/verify",
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
        **extra,
    )


def test_verify_by_number_is_public(client, doc):
    response = client.get(f"/api/documents/verify/{doc.number}")
    assert response.status_code == 200
    body = response.json()
    assert body["genuine"] is True
    assert body["valid_now"] is True
    assert body["verdict"] == "真实有效"
    assert body["signature_valid"] and body["signed_by_us"] and body["on_record"]
    assert body["covers_whole_file"] is True
    assert body["reasons"] == []
    assert body["sha256"] == doc.sha256
    document = body["document"]
    assert document["number"] == doc.number
    assert document["status"] == "valid"
    assert document["status_label"] == "有效"
    assert document["issuer_name"] == "测试高新技术产业开发区管理委员会"
    assert document["valid_until"] == "2031-03-04"
    assert document["public_fields"] == [
        {"label": "经营项目", "value": "热食类食品制售"},
        {"label": "经营场所", "value": "高新区创新大厦"},
    ]
    assert "file" not in document and "status_reason" not in document


def test_verify_by_number_shows_revocation(client, doc, cast):
    document_set_status(
        actor=cast.officer, document=doc, status=DocumentStatus.REVOKED, reason="违法"
    )
    body = client.get(f"/api/documents/verify/{doc.number}").json()
    assert body["genuine"] is True and body["valid_now"] is False
    assert body["document"]["status"] == "revoked"
    assert body["document"]["status_since"]


def test_an_unknown_number_is_404_in_the_error_shape(client, db):
    response = client.get("/api/documents/verify/ZG-1999-000001")
    assert response.status_code == 404
    assert set(response.json()) == {"message", "errors"}


def test_verify_upload_of_the_genuine_file(client, doc):
    response = post_file(client, stored_bytes(doc))
    assert response.status_code == 200
    body = response.json()
    assert body["genuine"] is True
    assert body["document"]["number"] == doc.number


def test_verify_upload_of_a_tampered_file(client, doc):
    body = post_file(client, tamper(stored_bytes(doc))).json()
    assert body["genuine"] is False
    assert body["document"] is None
    assert "文件已被改动：签名覆盖的内容与签名不符" in body["reasons"]


@pytest.mark.parametrize("data", [b"not a pdf", os.urandom(2000), b"%PDF-1.7\n" + os.urandom(99)])
def test_verify_upload_of_garbage_answers_not_genuine(client, pki_dir, data):
    response = post_file(client, data)
    assert response.status_code == 200
    body = response.json()
    assert body["genuine"] is False and body["reasons"]


def test_verify_upload_without_a_file_is_400(client, pki_dir):
    response = client.post("/api/documents/verify", {})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"


def test_verify_upload_does_not_need_csrf(doc):
    client = Client(enforce_csrf_checks=True)
    assert post_file(client, stored_bytes(doc)).status_code == 200


def test_anonymous_cannot_download_the_pdf(client, doc):
    response = client.get(f"/api/documents/{doc.number}/pdf")
    assert response.status_code == 401
    assert "message" in response.json()


def test_an_applicant_cannot_download_the_pdf(login, cast, doc):
    response = login(cast.applicant).get(f"/api/documents/{doc.number}/pdf")
    assert response.status_code == 404


def test_a_document_no_module_claims_is_for_zone_level_org_admins_only(login, cast, doc):
    # Documents of a module (a licence's certificate) follow that module's page rule:
    # tests/licensing/test_it_scopes_the_document_pdf_like_the_certificate.py.
    for user in (cast.officer, cast.leader, cast.park_officer):
        assert login(user).get(f"/api/documents/{doc.number}/pdf").status_code == 404


def test_staff_download_the_signed_pdf(login, cast, doc):
    response = login(cast.admin).get(f"/api/documents/{doc.number}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{doc.number}.pdf"' in response["Content-Disposition"]
    assert response.content == stored_bytes(doc)


def test_staff_download_with_a_token(client, cast, doc):
    _, key = api_token_create(user=cast.admin, name="test")
    response = client.get(f"/api/documents/{doc.number}/pdf", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_staff_get_404_for_an_unknown_number(login, cast, pki_dir):
    assert login(cast.officer).get("/api/documents/NOPE-1/pdf").status_code == 404


def test_the_operations_are_in_the_openapi_document(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/documents/verify/{number}" in paths
    assert "/api/documents/verify" in paths
    assert "/api/documents/{number}/pdf" in paths
