"""Supervision test cast: the market-supervision branch (``scjg``) with two supervisors and
an inspector (law-enforcement pairs need two), another branch ``scjg2`` with its own
supervisor, and helpers that deliver licence messages through the real outbox."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from tests.conftest import make_unit, make_user
from tests.core import documents_fixtures
from zonegov.core.models import CaseType, Unit, User
from zonegov.core.models.org import UnitKind
from zonegov.core.services.outbox import outbox_drain, outbox_enqueue
from zonegov.supervision.models import SupervisedOperator
from zonegov.supervision.roles import INSPECTOR, SUPERVISOR


def ensure_case_types() -> None:
    """Transactional tests flush the data migration's rows; put them back."""
    if not CaseType.objects.filter(code="supervision_followup").exists():
        importlib.import_module("zonegov.supervision.migrations.0002_case_types").forwards(
            django_apps, None
        )
        importlib.import_module(
            "zonegov.supervision.migrations.0005_case_limit_unit"
        ).followup_in_months(django_apps, None)


pki_dir = documents_fixtures.pki_dir


@pytest.fixture(autouse=True)
def _signing_key(pki_dir):
    """Recording an inspection issues a signed 检查结果告知书 / 责令整改通知书."""
    return pki_dir


@dataclass
class Sup:
    scjg: Unit
    other_branch: Unit
    supervisor: User
    partner: User
    inspector: User
    other_supervisor: User


@pytest.fixture
def sup(cast) -> Sup:
    ensure_case_types()
    scjg = make_unit("市场监督管理局高新区分局", "scjg", UnitKind.DEPARTMENT, cast.zone)
    other = make_unit("市场监督管理局其他分局", "scjg2", UnitKind.DEPARTMENT, cast.zone)
    return Sup(
        scjg=scjg,
        other_branch=other,
        supervisor=make_user("sup1", scjg, SUPERVISOR, full_name="监管员甲"),
        partner=make_user("sup2", scjg, SUPERVISOR, full_name="监管员乙"),
        inspector=make_user("insp1", scjg, INSPECTOR, full_name="核查员丙"),
        other_supervisor=make_user("sup9", other, SUPERVISOR, full_name="外分局监管员"),
    )


def licensed_on() -> date:
    """The day the test operator was licensed: today on the suite's clock."""
    return timezone.localdate()


def payload(event: str = "granted", **overrides: Any) -> dict[str, Any]:
    """A licence message as licensing sends it, for a licence granted at the start of today
    (so before anything a test does next, whatever the time of day on the suite's clock)."""
    today = licensed_on()
    data: dict[str, Any] = {
        "event": event,
        "occurred_at": f"{today.isoformat()}T00:00:00+08:00",
        "licence_number": "JY24104010000127",
        "kind": "food_business_licence",
        "kind_name": "食品经营许可证",
        "version": 1,
        "certificate_number": "DZ-2026-0001",
        "application_reference": "SQ-2026-000012",
        "holder_name": "平顶山某某餐饮有限公司",
        "holder_code": "91410400MA9F8U6X33",
        "enterprise_uscc": "91410400MA9F8U6X33",
        "legal_representative": "张三",
        "premises_address": "高新区建设路1号",
        "main_business_type": "餐饮服务经营者",
        "business_items": ["热食类食品制售"],
        "valid_from": today.isoformat(),
        "valid_until": (today.replace(year=today.year + 5) - timedelta(days=1)).isoformat(),
        "issuer_name": "平顶山高新区管委会",
        "supervision_unit_code": "scjg",
    }
    data.update(overrides)
    return data


def deliver(topic: str, data: dict[str, Any], *, drain: bool = True) -> None:
    outbox_enqueue(topic=f"licence.{topic}", payload=data, destination="supervision")
    if drain:
        report = outbox_drain()
        assert not [e for e in report.errors if "supervision" in e and "未配置" not in e], (
            report.errors
        )


def drain_later() -> Any:
    """Drain as if a minute later (messages waiting for an unconfigured webhook are due
    again) — the same messages are offered to the consumers a second time."""
    return outbox_drain(now=timezone.now() + timedelta(hours=1))


@pytest.fixture
def operator(sup) -> SupervisedOperator:
    deliver("granted", payload())
    return SupervisedOperator.objects.get(licence_number="JY24104010000127")
