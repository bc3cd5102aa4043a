"""The public verification pages: lookup, QR target, upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.core import documents_fixtures
from tests.core.documents_fixtures import issue, sample_layout, stored_bytes, tamper
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.services.documents import document_set_status, render_pdf

pytestmark = pytest.mark.django_db

pki_dir = documents_fixtures.pki_dir


@pytest.fixture
def doc(pki_dir, cast):
    return issue(actor=cast.officer)


def text(response) -> str:
    return response.content.decode()


def upload(client, data: bytes, name: str = "证照.pdf", **extra):
    return client.post(
        reverse("verify_lookup"),
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
        **extra,
    )


def test_the_lookup_page_is_public(client, db):
    response = client.get(reverse("verify_lookup"))
    assert response.status_code == 200
    page = text(response)
    assert "按编号查询" in page and "上传文件核验" in page
    assert 'enctype="multipart/form-data"' in page
    assert "csrfmiddlewaretoken" in page
    assert 'name="robots" content="noindex"' in page


def test_looking_up_a_number_opens_its_page(client, doc):
    response = client.get(reverse("verify_lookup"), {"number": doc.number})
    assert response.status_code == 302
    assert response["Location"] == reverse("verify_document", args=[doc.number])


def test_a_number_typed_in_full_width_or_lower_case_is_found(client, doc):
    full_width = doc.number.lower().translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789zg"} | {ord("-"): ord("－")}
    )
    response = client.get(reverse("verify_lookup"), {"number": f" {full_width} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("verify_document", args=[doc.number])


def test_an_unknown_number_in_the_form_says_so(client, db):
    response = client.get(reverse("verify_lookup"), {"number": "ZG-1999-000001"})
    assert response.status_code == 200
    assert "没有找到编号为 ZG-1999-000001 的文书" in text(response)


def test_the_qr_page_shows_the_three_checks_and_public_fields(client, doc):
    response = client.get(reverse("verify_document", args=[doc.number]))
    assert response.status_code == 200
    page = text(response)
    assert "真实有效" in page
    assert "完整性" in page and "电子签名有效" in page
    assert "状态" in page and "有效（有效期至 2031年3月4日）" in page
    assert "签发机关" in page and "测试高新技术产业开发区管理委员会" in page
    assert "平顶山市测试餐饮管理有限公司" in page
    assert "热食类食品制售" in page and "高新区创新大厦" in page
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_qr_page_offers_no_download(client, doc):
    page = text(client.get(reverse("verify_document", args=[doc.number])))
    assert doc.file.name not in page
    assert "/media/" not in page
    assert client.get(f"/verify/{doc.number}/download/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("verify_download", args=[doc.number])


def test_a_revoked_document_shows_revoked_with_its_date(client, doc, cast):
    document_set_status(
        actor=cast.officer, document=doc, status=DocumentStatus.REVOKED, reason="内部原因"
    )
    page = text(client.get(reverse("verify_document", args=[doc.number])))
    assert "已吊销" in page
    doc.refresh_from_db()
    assert f"{doc.status_changed_at.astimezone().year}年" in page
    assert "内部原因" not in page  # the reason is internal
    assert "真实有效" not in page.replace("不是真实有效", "")


def test_a_document_without_end_date_says_it_is_valid_for_good(client, pki_dir, cast):
    filing = issue(actor=cast.officer, valid_until=None)
    page = text(client.get(reverse("verify_document", args=[filing.number])))
    issued = timezone.localdate(filing.issued_at)
    assert f"有效（长期有效，{issued.year}年{issued.month}月{issued.day}日 起）" in page


def test_an_expired_document_shows_expired(client, doc, cast):
    document_set_status(actor=cast.officer, document=doc, status="expired", reason="")
    page = text(client.get(reverse("verify_document", args=[doc.number])))
    assert "已过期（有效期至 2031年3月4日）" in page


def test_a_replaced_document_names_its_successor(client, doc, cast):
    new = issue(actor=cast.officer, replaces=doc)
    page = text(client.get(reverse("verify_document", args=[doc.number])))
    assert "已变更" in page and new.number in page


def test_an_altered_archive_copy_is_reported(client, doc):
    altered = tamper(stored_bytes(doc))
    with open(doc.file.path, "wb") as fh:
        fh.write(altered)
    page = text(client.get(reverse("verify_document", args=[doc.number])))
    assert "不是真实有效的文件" in page
    assert "存档文件与登记的哈希值不符" in page


def test_an_unknown_number_is_a_friendly_404(client, db):
    response = client.get(reverse("verify_document", args=["ZG-1999-999999"]))
    assert response.status_code == 404
    page = text(response)
    assert "未找到该文书" in page and "ZG-1999-999999" in page
    assert "重新查询" in page


def test_uploading_the_genuine_file(client, doc):
    response = upload(client, stored_bytes(doc))
    assert response.status_code == 200
    page = text(response)
    assert "真实有效" in page and doc.number in page
    assert "证照.pdf" in page


def test_uploading_a_tampered_file_says_it_is_not_genuine(client, doc):
    response = upload(client, tamper(stored_bytes(doc)))
    assert response.status_code == 200
    page = text(response)
    assert "不是真实有效的文件" in page
    assert "文件已被改动：签名覆盖的内容与签名不符" in page
    assert "本平台没有这个文件的签发记录" in page


def test_uploading_an_unsigned_pdf(client, pki_dir):
    page = text(upload(client, render_pdf(sample_layout())))
    assert "不是真实有效的文件" in page and "文件中没有电子签名" in page


def test_uploading_a_revoked_document(client, doc, cast):
    document_set_status(
        actor=cast.officer, document=doc, status=DocumentStatus.REVOKED, reason="违法"
    )
    page = text(upload(client, stored_bytes(doc)))
    assert "文件真实，但当前状态为“已吊销”" in page


def test_uploading_something_else_gets_a_clear_message(client, pki_dir):
    response = upload(client, b"\x89PNG\r\n\x1a\n" + b"0" * 100, name="photo.png")
    assert response.status_code == 400
    assert "所选文件不是 PDF 文件" in text(response)


def test_uploading_nothing_gets_a_clear_message(client, pki_dir):
    response = client.post(reverse("verify_lookup"), {})
    assert response.status_code == 400
    assert "请选择要核验的 PDF 文件" in text(response)


def test_an_empty_file_gets_a_clear_message(client, pki_dir):
    response = upload(client, b"")
    assert response.status_code == 400
    assert "空文件" in text(response)


def test_a_file_over_the_limit_is_refused(client, pki_dir, monkeypatch):
    from zonegov.core.views import verify

    monkeypatch.setattr(verify, "MAX_VERIFY_BYTES", 10_000)
    response = upload(client, b"%PDF-1.7\n" + b"0" * 20_000)
    assert response.status_code == 400
    assert "文件超过" in text(response)


def test_a_declared_huge_body_is_refused_before_reading(client, pki_dir):
    response = client.post(
        reverse("verify_lookup"),
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "文件超过 20 MB" in text(response)


def test_uploads_need_the_csrf_token(doc):
    client = Client(enforce_csrf_checks=True)
    assert upload(client, stored_bytes(doc)).status_code == 403
    client.get(reverse("verify_lookup"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("verify_lookup"),
        {
            "file": SimpleUploadedFile("a.pdf", stored_bytes(doc)),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 200
    assert "真实有效" in text(response)


def test_garbage_uploads_never_error(client, pki_dir):
    import os

    for data in [b"%PDF-" + os.urandom(3000), b"%PDF-1.4\n%%EOF", b"%PDF-1.7\n" * 200]:
        response = upload(client, data)
        assert response.status_code == 200
        assert "不是真实有效的文件" in text(response)
