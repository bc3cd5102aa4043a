"""Registering and editing an enterprise are audited; the detail page shows who changed
which field from what to what."""

import pytest

from tests.core.enterprise_fixtures import register
from zonegov.core.errors import ApplicationError
from zonegov.core.models import AuditRecord, IndustryCode
from zonegov.core.selectors.enterprises import enterprise_history
from zonegov.core.services.audit import audit_verify
from zonegov.core.services.enterprises import enterprise_update


def test_registering_appends_one_audit_record(cast):
    enterprise = register(cast.admin, park=cast.park)
    record = AuditRecord.objects.get(action="enterprise.create")
    assert record.object_id == str(enterprise.pk)
    assert record.actor_id == cast.admin.pk
    assert record.changes["uscc"] == enterprise.uscc
    assert record.changes["park"] == cast.park.pk
    assert audit_verify().ok


def test_editing_records_before_and_after_of_changed_fields_only(cast):
    enterprise = register(cast.admin)
    enterprise_update(
        actor=cast.admin,
        enterprise=enterprise,
        name="平顶山新名称电气有限公司",
        industry=IndustryCode.objects.get(code="38"),
        contact_name="李联系",  # unchanged
    )
    record = AuditRecord.objects.get(action="enterprise.update")
    assert record.changes == {
        "name": {"before": "平顶山测试电气有限公司1", "after": "平顶山新名称电气有限公司"},
        "industry": {"before": None, "after": "38"},
    }
    enterprise.refresh_from_db()
    assert enterprise.name == "平顶山新名称电气有限公司"


def test_an_edit_that_changes_nothing_is_not_recorded(cast):
    enterprise = register(cast.admin)
    enterprise_update(actor=cast.admin, enterprise=enterprise, name=enterprise.name)
    assert not AuditRecord.objects.filter(action="enterprise.update").exists()


def test_a_refused_edit_changes_nothing(cast):
    enterprise = register(cast.admin)
    with pytest.raises(ApplicationError) as exc:
        enterprise_update(
            actor=cast.admin, enterprise=enterprise, name="新名称", contact_phone="123"
        )
    assert set(exc.value.field_errors) == {"contact_phone"}
    enterprise.refresh_from_db()
    assert enterprise.name == "平顶山测试电气有限公司1"
    assert not AuditRecord.objects.filter(action="enterprise.update").exists()


def test_history_speaks_in_field_names_and_labels(cast):
    enterprise = register(cast.admin)
    enterprise_update(
        actor=cast.admin,
        enterprise=enterprise,
        kind="joint_stock",
        park=cast.park,
        size="small",
    )
    newest, first = enterprise_history(enterprise)
    assert newest.action_label == "修改"
    assert newest.actor_name == "管理员"
    changes = {c.label: (c.before, c.after) for c in newest.changes}
    assert changes == {
        "类型": ("有限责任公司", "股份有限公司"),
        "所属园区/属地": ("", "电气装备产业园区"),
        "规模": ("", "小型"),
    }
    assert first.action_label == "登记"


def test_the_detail_page_shows_the_edit_history(cast, login):
    enterprise = register(cast.admin)
    enterprise_update(actor=cast.admin, enterprise=enterprise, legal_representative="张新")
    response = login(cast.grid_worker).get(f"/enterprises/{enterprise.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "修改记录" in html
    assert "法定代表人/负责人" in html
    assert "王测试" in html and "张新" in html
    assert "管理员" in html
