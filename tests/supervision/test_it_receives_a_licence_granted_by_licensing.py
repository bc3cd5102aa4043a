"""End to end 审 → 监: an instant filing approved in the licensing module reaches the
supervision side through the real outbox, on the supervising unit the licensing module
names, with the application on the operator's timeline."""
# ruff: noqa: F811  (pytest fixtures imported from tests.licensing.conftest)

import pytest

from tests.conftest import make_user
from tests.licensing.conftest import _licensing_settings, instant_filing, lic, pki_dir  # noqa: F401
from tests.supervision.conftest import ensure_case_types
from zonegov.core.models import Notification
from zonegov.core.services.outbox import outbox_drain
from zonegov.supervision import selectors
from zonegov.supervision.models import SupervisedOperator
from zonegov.supervision.roles import SUPERVISOR

pytestmark = pytest.mark.django_db


def test_an_instant_filing_appears_in_the_supervisors_inbox(cast, lic):
    ensure_case_types()
    supervisor = make_user("sup-e2e", lic.inspection, SUPERVISOR, full_name="监管员")
    app = instant_filing(cast)
    outbox_drain()
    operator = SupervisedOperator.objects.get()
    assert operator.unit == lic.inspection
    assert operator.application_reference == app.reference
    assert operator.account == cast.applicant  # told of inspections (issue 12 defect 12)
    assert list(selectors.inbox_for(supervisor)) == [operator]
    assert Notification.objects.filter(
        recipient=supervisor, title="新取证经营者，请纳入日常监管"
    ).exists()
    rows = selectors.operator_timeline(supervisor, operator)
    assert rows[0].kind == "licence" and app.reference in rows[0].detail
