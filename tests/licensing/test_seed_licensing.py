"""The demo data: 38 operators approved fully electronically, applications in every
state, and running it twice changes nothing."""

import pytest
from django.core.management import call_command

from tests.conftest import make_unit, make_user
from zonegov.core.models import Person, User
from zonegov.core.models.org import UnitKind
from zonegov.core.roles import RoleCode
from zonegov.licensing.models import Application, Licence

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_zone(settings, cast):
    settings.ZONEGOV_LICENSING_UNIT_CODE = "xzfwzx"
    settings.ZONEGOV_LICENSING_INSPECTION_UNIT_CODE = "scjg"
    dept = make_unit("行政服务中心", "xzfwzx", UnitKind.DEPARTMENT, cast.zone)
    scjg = make_unit("市场监督管理局高新区分局", "scjg", UnitKind.DEPARTMENT, cast.zone)
    make_user("shenpi", dept, RoleCode.LICENSING_OFFICER)
    make_user("hecha", scjg, RoleCode.INSPECTOR)
    make_user("hecha2", scjg, RoleCode.INSPECTOR)
    person = Person.objects.create(name="张三", id_number="410402199001011230")
    User.objects.create_user(username="13800138000", password="x", person=person)


def test_the_seed_has_38_operators_and_every_state(demo_zone, settings):
    call_command("seed_licensing", verbosity=0)
    operators = Licence.objects.filter(owner__username__startswith="1370375")
    assert operators.count() == 38
    assert all(lic.current_document_id for lic in operators)
    states = set(Application.objects.values_list("state", flat=True))
    assert states >= {
        "draft", "submitted", "correction_requested", "resubmitted", "accepted",
        "inspecting", "reviewing", "issued", "rejected", "withdrawn",
    }  # fmt: skip
    assert Application.objects.filter(instant=True).exists()
    before = (Application.objects.count(), Licence.objects.count())
    call_command("seed_licensing", verbosity=0)
    assert (Application.objects.count(), Licence.objects.count()) == before
