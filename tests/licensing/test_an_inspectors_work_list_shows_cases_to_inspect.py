"""Issue 12 defect 7: an inspector's 我的工作 (the home page) omitted the licensing cases
waiting for them (待核查) that the workbench shows: the work item belongs to the licensing
unit, the inspector to the inspection unit."""

import pytest

from tests.conftest import make_user
from tests.licensing.conftest import inspecting, pass_all
from zonegov.core.selectors.workflow import work_items_for
from zonegov.licensing.roles import INSPECTOR

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_what_the_workbench_queues(cast, lic, login):
    app = inspecting(cast)
    client = login(lic.inspector)
    queue = client.get("/licensing/workbench/?queue=inspect").content.decode()
    assert app.reference in queue
    home = client.get("/").content.decode()
    assert app.reference in home
    assert [i.reference for i in work_items_for(lic.inspector)] == [app.reference]


def test_only_while_inspection_is_pending_and_only_to_inspectors(cast, lic, login):
    app = inspecting(cast)
    clerk = make_user("clerk", lic.inspection)  # same unit, no inspector role
    assert app.reference not in login(clerk).get("/").content.decode()
    other = make_user("far_inspector", cast.park, INSPECTOR)  # another unit
    assert app.reference not in login(other).get("/").content.decode()
    pass_all(app, lic.inspector)
    assert app.reference not in login(lic.inspector).get("/").content.decode()
