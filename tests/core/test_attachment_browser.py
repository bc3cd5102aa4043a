"""Through real Chromium: upload a photo on a case page, see its thumbnail, and watch the
video element fetch its file with a range request (which is what lets users seek)."""
# ruff: noqa: F811  (pytest fixtures imported from test_attachment_samples)

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, fresh_content_types
from tests.core.test_attachment_samples import JPEG, MP4, case, upload  # noqa: F401
from zonegov.core.models import Attachment
from zonegov.core.services.attachments import attachment_add

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def chromium_page(page, settings, tmp_path):
    fresh_content_types()
    settings.MEDIA_ROOT = tmp_path / "media"
    return page


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_an_officer_uploads_a_photo_and_sees_it(chromium_page, cast, case, tmp_path):
    page = chromium_page
    photo = tmp_path / "后厨照片.jpg"
    photo.write_bytes(JPEG)
    log_in(page, "officer")
    page.goto(case.get_absolute_url())
    form = page.locator("[data-testid=attachment-upload]")
    form.locator("input[type=file]").set_input_files(str(photo))
    form.locator("input[name=label]").fill("后厨")
    form.locator("button").click()
    page.wait_for_load_state()
    assert "已上传附件：后厨照片.jpg" in page.locator(".alert-success").inner_text()
    image = page.locator("[data-testid=attachment] img")
    image.wait_for()
    # Polled through the protocol (a string predicate would be eval'd in the page, which the
    # platform's CSP forbids whenever the image is not complete at the first check).
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") == 1
    assert Attachment.objects.get().label == "后厨"


def test_a_refused_file_is_explained_on_the_page(chromium_page, cast, case, tmp_path):
    page = chromium_page
    fake = tmp_path / "照片.jpg"
    fake.write_text("不是图片")
    log_in(page, "officer")
    page.goto(case.get_absolute_url())
    form = page.locator("[data-testid=attachment-upload]")
    form.locator("input[type=file]").set_input_files(str(fake))
    form.locator("button").click()
    page.wait_for_load_state()
    assert "文件内容不是可接受的类型" in page.locator(".alert-danger").inner_text()


def test_the_video_element_asks_for_ranges(chromium_page, cast, case):
    page = chromium_page
    content = MP4 + bytes(range(256)) * 400
    video = attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(content, "v.mp4"))
    seen = []
    page.on(
        "response",
        lambda r: (
            seen.append((r.status, r.request.headers.get("range")))
            if f"/attachments/{video.pk}/" in r.url
            else None
        ),
    )
    log_in(page, "officer")
    page.goto(case.get_absolute_url())
    page.locator("video").wait_for()
    for _ in range(50):
        if any(status == 206 for status, _range in seen):
            break
        page.wait_for_timeout(100)
    assert any(status == 206 and (rng or "").startswith("bytes=") for status, rng in seen), seen
