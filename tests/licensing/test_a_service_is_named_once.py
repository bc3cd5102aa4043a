"""A filing's notices and case title name the service once: 仅销售预包装食品备案, not
"仅销售预包装食品备案备案" (the kind already ends with the type's label, 备案)."""

from zonegov.licensing import notices
from zonegov.licensing.models import Application


def test_a_filing_says_filing_once():
    app = Application(kind="filing", app_type="new", reference="SQ-2026-000009")
    app.operator_name = "高新区王小二便利店"
    assert app.service_name == "仅销售预包装食品备案"
    assert app.case_title() == "仅销售预包装食品备案：高新区王小二便利店"
    assert notices._case(app) == "仅销售预包装食品备案申请（申请编号 SQ-2026-000009）"


def test_other_kinds_and_types_keep_both_names():
    assert Application(kind="filing", app_type="change").service_name == "仅销售预包装食品备案变更"
    assert Application(kind="licence", app_type="new").service_name == "食品经营许可证新办"
    app = Application(kind="licence", app_type="renew", reference="SQ-2026-000010")
    assert notices._case(app) == "食品经营许可证延续申请（申请编号 SQ-2026-000010）"


def test_a_filing_change_says_filing_once_in_its_notice():
    app = Application(kind="filing", app_type="change", reference="SQ-2026-000011")
    assert notices._case(app) == "仅销售预包装食品备案变更申请（申请编号 SQ-2026-000011）"
