"""Issue 12 defect 13: the 审计日志 shows labels instead of raw action codes and a
readable change summary instead of Python dicts; the raw data is one click away."""

import html

import pytest

from zonegov.core.audit_labels import action_label, change_summary
from zonegov.core.services.audit import audit_append

pytestmark = pytest.mark.django_db


def test_the_log_shows_labels_and_a_change_summary(cast, login):
    audit_append(
        actor=None,
        action="supervision.operator.renewed",
        obj=cast.park,
        changes={"version": 2, "status": "active", "message_id": "m-1"},
    )
    audit_append(
        actor=cast.admin,
        action="unit.update",
        obj=cast.park,
        changes={"name": {"before": "旧园区", "after": "电气装备产业园区"}},
    )
    page = html.unescape(login(cast.admin).get("/audit/").content.decode())
    assert "监管对象：收到许可延续" in page
    assert "修改单位" in page
    assert "名称：旧园区 → 电气装备产业园区" in page
    assert "版本：2" in page
    assert "{'version'" not in page and "{'name'" not in page  # no Python dicts
    assert "<details" in page and '"message_id": "m-1"' in page  # the raw data, one click away


def test_an_unregistered_code_falls_back_to_itself_and_workflow_steps_are_named():
    assert action_label("nobody.registered.this") == "nobody.registered.this"
    assert action_label("assignment.close").endswith("验收办结")
    assert action_label("assignment.open").endswith("立案")


def test_a_summary_says_yes_no_and_empty():
    lines = change_summary({"is_active": {"before": True, "after": False}, "note": ""}, "core.unit")
    assert [(line.label, line.before, line.after) for line in lines] == [
        ("启用", "是", "否"),
        ("意见/说明", None, "—"),
    ]


def test_a_coded_value_is_shown_by_its_label():
    lines = change_summary({"kind": {"before": "park", "after": "street"}}, "core.unit")
    assert (lines[0].label, lines[0].before, lines[0].after) == ("类型", "园区", "街道")


def test_a_stored_moment_reads_as_local_date_and_minute():
    lines = change_summary({"due_at": "2026-05-14T15:59:59+00:00"}, "core.assignment")
    assert lines[0].after == "2026-05-14 23:59"
