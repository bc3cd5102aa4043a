"""The supervisors' inbox lists newly licensed operators until they are in this year's
plan and have been inspected."""

import pytest
from django.utils import timezone

from tests.supervision.conftest import deliver, payload
from zonegov.supervision import selectors, services
from zonegov.supervision.conf import CHECKLIST
from zonegov.supervision.models import Outcome

pytestmark = pytest.mark.django_db


def test_it_lists_new_operators_until_planned_and_inspected(sup, operator, login):
    assert list(selectors.inbox_for(sup.supervisor)) == [operator]
    assert list(selectors.inbox_for(sup.other_supervisor)) == []
    page = login(sup.supervisor).get("/supervision/")
    assert page.status_code == 200
    assert "平顶山某某餐饮有限公司" in page.content.decode()

    services.plan_generate(actor=sup.supervisor, unit=sup.scjg, year=timezone.localdate().year)
    assert list(selectors.inbox_for(sup.supervisor)) == [operator]  # planned, not inspected
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    services.inspection_record(
        actor=sup.supervisor,
        inspection=inspection,
        inspectors=[sup.supervisor, sup.partner],
        items=[services.ItemInput(code=c, result="compliant") for c, _ in CHECKLIST],
        outcome=Outcome.COMPLIANT,
    )
    assert list(selectors.inbox_for(sup.supervisor)) == []


def test_a_cancelled_operator_leaves_the_inbox(sup, operator):
    deliver("cancelled", payload("cancelled"))
    assert list(selectors.inbox_for(sup.supervisor)) == []
