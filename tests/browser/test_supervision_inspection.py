"""Real Chromium: a supervisor opens the newly licensed operator from the inbox, schedules
an inspection, fills in the checklist with a photo and two inspectors, orders
rectification, and sees the inspection on the operator's one timeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.core.documents_fixtures import pki_dir  # noqa: F401  (recording signs a notice)
from tests.supervision.conftest import deliver, payload, sup  # noqa: F401
from zonegov.core.models import Attachment
from zonegov.supervision.models import Inspection, InspectionState

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb0043000806060706050807070709090"
    "80a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c3031"
    "3434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f000001050101"
    "0101010100000000000000000102030405060708090a0bffda0008010100003f00fbd3ffd9"
)


def test_a_supervisor_records_an_inspection_through_the_page(page, sup, pki_dir, tmp_path):  # noqa: F811
    deliver("granted", payload())
    photo = tmp_path / "site.jpg"
    photo.write_bytes(JPEG)

    page.goto("/accounts/login/?next=/supervision/")
    page.fill("#id_username", "sup1")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/supervision/")
    page.locator("[data-testid=inbox] a", has_text="平顶山某某餐饮有限公司").click()
    page.get_by_role("button", name="安排检查").click()
    page.wait_for_url("**/record/")

    items = page.locator("[data-testid=item]")
    for n in range(items.count()):
        items.nth(n).get_by_label("符合", exact=True).check()
    third = items.nth(2)
    third.get_by_label("不符合", exact=True).check()
    third.get_by_label("问题说明").fill("一名从业人员健康证过期")
    page.get_by_label("监管员乙").check()
    page.select_option("#id_outcome", "basically")
    deadline = timezone.localdate() + timedelta(days=10)
    page.fill("#id_rectification_deadline", deadline.isoformat())
    page.fill("#id_summary", "整体良好，健康证需更新")
    page.set_input_files("#id_photos", str(photo))
    page.get_by_role("button", name="提交检查结果").click()

    page.wait_for_url("**/inspections/*/")
    assert page.locator("[data-testid=state]").inner_text() == "整改中"
    assert page.locator("[data-testid=deadline]").inner_text() == deadline.isoformat()
    inspection = Inspection.objects.get()
    assert inspection.state == InspectionState.RECTIFYING
    assert set(inspection.inspectors.values_list("username", flat=True)) == {"sup1", "sup2"}
    assert inspection.items.get(code="3").note == "一名从业人员健康证过期"
    assert Attachment.objects.filter(owner_id=str(inspection.pk)).count() == 1

    page.get_by_role("link", name="平顶山某某餐饮有限公司").click()
    kinds = page.locator("[data-testid=timeline] li").evaluate_all(
        "els => els.map(e => e.dataset.kind)"
    )
    assert kinds == ["licence", "inspection"]
