"""审 → 监: each licence topic updates the one supervised-operator record."""

import pytest

from tests.supervision.conftest import deliver, drain_later, payload
from zonegov.core.models import Notification, OutboxConsumption
from zonegov.supervision.models import OperatorEvent, OperatorStatus, SupervisedOperator

pytestmark = pytest.mark.django_db


def test_it_creates_the_operator_and_notifies_the_units_supervisors_on_grant(sup):
    deliver("granted", payload())
    op = SupervisedOperator.objects.get(licence_number="JY24104010000127")
    assert op.unit == sup.scjg
    assert op.status == OperatorStatus.ACTIVE
    assert op.holder_name == "平顶山某某餐饮有限公司"
    assert op.business_items == ["热食类食品制售"]
    assert [e.event for e in op.events.all()] == ["granted"]
    notes = Notification.objects.filter(title="新取证经营者，请纳入日常监管")
    assert {n.recipient for n in notes} == {sup.supervisor, sup.partner}
    assert notes.first().url == op.get_absolute_url()
    assert not Notification.objects.filter(recipient=sup.other_supervisor).exists()


def test_it_keeps_the_latest_facts_on_change_renewal_and_replacement(sup):
    deliver("granted", payload())
    deliver(
        "changed",
        payload(
            "changed",
            version=2,
            premises_address="高新区新华路8号",
            occurred_at="2026-12-01T09:00:00+08:00",
        ),
    )
    deliver("replaced", payload("replaced", version=3, occurred_at="2026-12-02T09:00:00+08:00"))
    deliver(
        "renewed",
        payload(
            "renewed", version=4, valid_until="2036-11-25", occurred_at="2031-10-01T09:00:00+08:00"
        ),
    )
    op = SupervisedOperator.objects.get()
    assert op.version == 4
    assert op.valid_until.isoformat() == "2036-11-25"
    assert op.premises_address == "高新区建设路1号"  # the renewal message's facts
    assert [e.event for e in op.events.all()] == ["granted", "changed", "replaced", "renewed"]
    # Only the grant is an inbox entry.
    assert Notification.objects.filter(recipient=sup.supervisor).count() == 1


def test_it_marks_the_operator_cancelled(sup):
    deliver("granted", payload())
    deliver("cancelled", payload("cancelled", version=1, occurred_at="2027-01-05T09:00:00+08:00"))
    op = SupervisedOperator.objects.get()
    assert op.status == OperatorStatus.CANCELLED
    assert op.cancelled_at is not None


def test_it_applies_a_message_once_when_drained_twice(sup):
    deliver("granted", payload())
    drain_later()
    drain_later()
    assert OperatorEvent.objects.count() == 1
    assert (
        OutboxConsumption.objects.filter(consumer="zonegov.supervision:licence.granted").count()
        == 1
    )
    assert Notification.objects.filter(recipient=sup.supervisor).count() == 1


def test_it_ignores_the_same_event_replayed_as_a_new_message(sup):
    deliver("granted", payload())
    deliver("changed", payload("changed", version=2, holder_name="新名称"))
    deliver("granted", payload())  # a second message with the same event and version
    deliver("changed", payload("changed", version=2, holder_name="新名称"))
    op = SupervisedOperator.objects.get()
    assert op.events.count() == 2
    assert op.holder_name == "新名称"
    assert Notification.objects.filter(recipient=sup.supervisor).count() == 1


def test_a_late_older_version_lands_on_the_timeline_but_keeps_the_newest_facts(sup):
    deliver("changed", payload("changed", version=2, holder_name="新名称"))
    deliver("granted", payload(holder_name="旧名称"))
    op = SupervisedOperator.objects.get()
    assert op.holder_name == "新名称"
    assert op.events.count() == 2


def test_it_uses_the_configured_unit_when_the_message_names_none(sup, settings):
    settings.ZONEGOV_SUPERVISION_UNIT_CODE = "scjg2"
    data = payload()
    del data["supervision_unit_code"]
    deliver("granted", data)
    assert SupervisedOperator.objects.get().unit == sup.other_branch


def test_a_message_outside_the_contract_is_skipped_without_blocking_delivery(sup):
    from zonegov.core.models import OutboxMessage
    from zonegov.core.services.outbox import outbox_drain, outbox_enqueue

    message = outbox_enqueue(
        topic="licence.granted", payload={"licence": "JY1"}, destination="supervision"
    )
    report = outbox_drain()
    assert not SupervisedOperator.objects.exists()
    message.refresh_from_db()
    assert "许可证编号" not in message.last_error  # waiting for its webhook, not failed
    assert report.failed == 0
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 0


def test_it_marks_the_operator_expired_and_stops_its_plan_entries(sup):
    from datetime import date

    from zonegov.supervision.services import plan_generate

    deliver("granted", payload())
    plan = plan_generate(actor=sup.supervisor, unit=sup.scjg, year=2027, today=date(2027, 1, 4))
    assert plan.entries.get().next_due is not None
    deliver("expired", payload("expired", occurred_at="2031-11-26T02:00:00+08:00"))
    op = SupervisedOperator.objects.get()
    assert op.status == OperatorStatus.EXPIRED
    assert op.cancelled_at is not None
    entry = plan.entries.get(operator=op)
    assert entry.stopped and entry.next_due is None
    assert [e.label for e in op.events.all()] == ["准予许可（新办）", "许可有效期届满"]


def test_an_expiry_message_arriving_after_the_renewal_changes_no_status(sup):
    deliver("granted", payload())
    deliver("renewed", payload("renewed", version=2, occurred_at="2031-11-27T09:00:00+08:00"))
    deliver("expired", payload("expired", version=1, occurred_at="2031-11-26T02:00:00+08:00"))
    op = SupervisedOperator.objects.get()
    assert op.status == OperatorStatus.ACTIVE
    assert op.events.filter(event="expired").exists()  # still on the timeline


def test_an_expiry_does_not_turn_a_cancelled_operator_into_an_expired_one(sup):
    deliver("granted", payload())
    deliver("cancelled", payload("cancelled", occurred_at="2027-01-05T09:00:00+08:00"))
    deliver("expired", payload("expired", occurred_at="2031-11-26T02:00:00+08:00"))
    assert SupervisedOperator.objects.get().status == OperatorStatus.CANCELLED


def test_a_new_licence_after_expiry_is_a_new_operator_record(sup):
    """After expiry a licence cannot be renewed: the same enterprise comes back with a new
    licence (新办), i.e. a new licence number. The expired record stays 已过期 with its
    history; the new one starts in the inbox like any newly licensed operator."""
    deliver("granted", payload())
    deliver("expired", payload("expired", occurred_at="2031-11-26T02:00:00+08:00"))
    deliver(
        "granted",
        payload(licence_number="JY24104010000999", occurred_at="2031-12-10T09:00:00+08:00"),
    )
    old = SupervisedOperator.objects.get(licence_number="JY24104010000127")
    new = SupervisedOperator.objects.get(licence_number="JY24104010000999")
    assert old.status == OperatorStatus.EXPIRED
    assert new.status == OperatorStatus.ACTIVE
    assert new.enterprise_uscc == old.enterprise_uscc
