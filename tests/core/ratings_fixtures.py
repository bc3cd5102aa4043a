"""A rated service for core's 好差评 tests: cases kept in a dict, standing in for a
module's case table (the ratings, rectifications and work items are real rows)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from zonegov.core.ratings import RatedCase, register_rated_service, unregister_rated_service

SERVICE = "testsvc"
CASES: dict[str, RatedCase] = {}


def finished(
    reference: str, applicant, unit, completed_at: datetime | None = None, *, done: bool = True
) -> RatedCase:
    case = RatedCase(
        reference=reference,
        title=f"测试事项 {reference}",
        unit=unit,
        applicant_id=applicant.pk,
        completed_at=(completed_at or timezone.now()) if done else None,
        url="/",
    )
    CASES[reference] = case
    return case


def ensure_case_type() -> None:
    import importlib

    from django.apps import apps

    importlib.import_module("zonegov.core.migrations.0017_ratings").forwards(apps, None)


@pytest.fixture
def rated(cast):
    ensure_case_type()
    CASES.clear()
    register_rated_service(SERVICE, "测试服务", CASES.get)
    yield CASES
    unregister_rated_service(SERVICE)
    CASES.clear()
