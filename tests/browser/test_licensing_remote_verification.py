"""Real Chromium: a caterer's application with site photos and a video goes through 受理,
remote verification (the inspector's browser plays the video with range requests, so it
can seek, and records a verdict per capture-guide item) and approval."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import (
    OTHER_VALID_ID,
    PASSWORD,
    VALID_ID,
    VALID_USCC,
    fresh_content_types,
    make_unit,
    make_user,
)
from tests.core import documents_fixtures
from zonegov.core.models import Enterprise, Person
from zonegov.core.models.org import UnitKind
from zonegov.core.services.attachments import attachment_add
from zonegov.licensing import services
from zonegov.licensing.models import Application
from zonegov.licensing.roles import INSPECTOR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

pki_dir = documents_fixtures.pki_dir

JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb0043000806060706050807070709090"
    "80a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c3031"
    "3434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f000001050101"
    "0101010100000000000000000102030405060708090a0bffda0008010100003f00fbd3ffd9"
)
MP4 = (
    b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    + b"\x00\x00\x00\x08free"
    + bytes(range(256)) * 2000
)
TICKS = {
    "subject_type": "2",
    "items": [{"code": "hot"}],
    "premises": {
        "area": "le60", "tenure": "lease", "water": "public", "changing_room": "yes",
        "pest_control": "yes", "disinfection": "yes", "cold_storage": "yes", "warehouse": "none",
    },
    "declarations": True,
}  # fmt: skip


@pytest.fixture
def case(settings, pki_dir, cast):
    fresh_content_types()
    settings.ZONEGOV_LICENSING_UNIT_CODE = "xzfw"
    settings.ZONEGOV_LICENSING_INSPECTION_UNIT_CODE = "scjg-b"
    settings.AXES_ENABLED = False
    inspection = make_unit("市场监管分局", "scjg-b", UnitKind.DEPARTMENT, cast.zone)
    make_user("inspector", inspection, INSPECTOR, full_name="核查员甲")
    cast.applicant.person = Person.objects.create(name="张三", id_number=VALID_ID)
    cast.applicant.save()
    Person.objects.create(name="李四", id_number=OTHER_VALID_ID)
    Enterprise.objects.create(
        uscc=VALID_USCC,
        name="平顶山市测试餐饮管理有限公司",
        kind="llc",
        legal_representative="张三",
        registered_address="平顶山市高新区神马大道88号",
    )
    # pyHanko signs with its own event loop: not in the thread Playwright's loop runs in.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_submit_case, cast.applicant).result()


def _submit_case(applicant):
    from django.db import connection

    try:
        return _build(applicant)
    finally:
        connection.close()


def _build(applicant):
    app = services.application_start(actor=applicant, kind="licence")
    app = services.application_update(actor=applicant, application=app, data=TICKS)
    app = services.application_sign(actor=applicant, application=app)
    for row in services.capture_guide(app):
        data = MP4 if row.shot.kind == "video" else JPEG
        attachment_add(
            actor=applicant,
            owner=app,
            uploaded_file=SimpleUploadedFile(f"{row.shot.code}.bin", data),
            label=row.shot.code,
            expected_kinds=[row.shot.kind],
        )
    return services.application_submit(actor=applicant, application=app)


def _login(context_page, username):
    context_page.goto("/accounts/login/")
    context_page.fill("#id_username", username)
    context_page.fill("#id_password", PASSWORD)
    context_page.click("button[type=submit]")
    context_page.wait_for_load_state()
    assert "/accounts/login/" not in context_page.url, context_page.inner_text("main")


def test_a_video_case_is_verified_remotely_and_approved(page, browser, live_server, case):
    # 受理 by the licensing officer
    _login(page, "officer")
    page.goto("/licensing/workbench/")
    page.click(f"text={case.reference}")
    page.click("[data-testid=accept]")
    assert "开始计算法定办理时限" in page.inner_text("[data-testid=consequence]")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("text=已受理")
    assert page.inner_text("[data-testid=state]") == "核查中"

    # 核查 by the inspector in another browser session
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    inspector = context.new_page()
    inspector.set_default_timeout(15000)
    _login(inspector, "inspector")
    inspector.goto("/licensing/workbench/")
    video_hits = []
    inspector.on(
        "response",
        lambda r: (
            video_hits.append(r.status)
            if "/attachments/" in r.url and r.request.headers.get("range")
            else None
        ),
    )
    inspector.click(f"text={case.reference}")
    inspector.locator("[data-testid=video]").wait_for()
    for _ in range(50):
        if 206 in video_hits:
            break
        inspector.wait_for_timeout(100)
    assert 206 in video_hits, video_hits
    codes = inspector.locator("[data-testid=shot]").evaluate_all(
        "els => els.map(e => e.dataset.code)"
    )
    for code in codes:
        form = inspector.locator(f"[data-testid=check-form-{code}]")
        form.locator("input[value=pass]").check()
        if code == "storage":
            form.locator("input[name=note]").fill("货架离地离墙，符合")
        form.locator("button").click()
        inspector.wait_for_selector(f"[data-code={code}] [data-testid=verdict]")
    inspector.click("[data-testid=finish-inspection]")
    inspector.wait_for_selector("text=核查完毕，已提交审查")
    context.close()

    # 审批 by the licensing officer
    page.reload()
    assert page.inner_text("[data-testid=state]") == "审查中"
    page.fill("#id_note", "经远程核查，符合许可条件")
    page.click("[data-testid=approve]")
    assert "立即签发电子证书" in page.inner_text("[data-testid=consequence]")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("text=已准予许可")
    case.refresh_from_db()
    assert case.state == "issued"
    assert Application.objects.get(pk=case.pk).licence.number.startswith("JY2")
    assert "货架离地离墙" in page.inner_text("[data-testid=capture-guide]")
