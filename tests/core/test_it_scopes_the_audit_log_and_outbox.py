"""Issue 10 item 14: a park-level leader or org admin sees only audit records of people in
their unit subtree, and no IP addresses; the outbox (zone-wide, its payloads carry mobile
numbers and texts) is for zone-level org admins and leaders, payloads for zone-level org
admins only."""

import pytest

from tests.conftest import make_user
from zonegov.core.roles import LEADER, ORG_ADMIN
from zonegov.core.services.audit import audit_append, current_ip
from zonegov.core.services.outbox import outbox_enqueue


@pytest.fixture
def park_staff(cast):
    return (
        make_user("parkadmin", cast.park, ORG_ADMIN),
        make_user("parkleader", cast.park, LEADER),
    )


@pytest.fixture
def records(cast):
    token = current_ip.set("203.0.113.9")
    try:
        audit_append(actor=cast.park_officer, action="test.park", obj=cast.park)
        audit_append(actor=cast.officer, action="test.dept", obj=cast.dept)
        audit_append(actor=None, action="test.system", obj=cast.zone)
    finally:
        current_ip.reset(token)


def test_a_park_admin_or_leader_sees_only_its_subtrees_records_without_addresses(
    cast, park_staff, records, login
):
    for user in park_staff:
        client = login(user)
        actions = {r["action"] for r in client.get("/api/audit?action=test.").json()}
        assert actions == {"test.park"}
        assert all(r["ip"] == "" for r in client.get("/api/audit").json())
        page = client.get("/audit/?action=test.").content.decode()
        assert "test.park" in page and "test.dept" not in page and "test.system" not in page
        assert "203.0.113.9" not in page


def test_zone_level_auditors_see_everything_with_addresses(cast, records, login):
    for user in (cast.admin, cast.leader):
        client = login(user)
        rows = client.get("/api/audit?action=test.").json()
        assert {r["action"] for r in rows} == {"test.park", "test.dept", "test.system"}
        assert "203.0.113.9" in {r["ip"] for r in rows}
        assert "203.0.113.9" in client.get("/audit/?action=test.").content.decode()


def test_park_level_staff_are_refused_the_outbox(cast, park_staff, login):
    message = outbox_enqueue(
        topic="sms", payload={"mobile": "13800000001", "text": "验证"}, destination="supervision"
    )
    for user in park_staff:
        client = login(user)
        assert client.get("/outbox/").status_code == 403
        assert client.get("/api/outbox").status_code == 403
        assert client.post(f"/api/outbox/{message.pk}/retry").status_code == 403


def test_only_zone_level_org_admins_see_outbox_payloads(cast, login):
    outbox_enqueue(
        topic="sms", payload={"mobile": "13800000001", "text": "验证"}, destination="supervision"
    )
    assert login(cast.admin).get("/api/outbox").json()[0]["payload"]["mobile"] == "13800000001"
    row = login(cast.leader).get("/api/outbox").json()[0]
    assert row["payload"] is None and row["topic"] == "sms"
