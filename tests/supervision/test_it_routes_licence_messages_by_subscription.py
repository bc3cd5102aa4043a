"""Licence messages go to the destinations subscribed to their topic (core.topics), not to
a destination the producer names: supervision subscribes ``supervision`` by default, the
setting ZONEGOV_OUTBOX_SUBSCRIPTIONS routes a topic elsewhere. ``emit`` checks a payload
against the contract licensing declared; the supervision consumer reads it through the
same contract and applies a message fanned out to several destinations once."""
# ruff: noqa: F811  (pytest fixtures imported from tests.licensing.conftest)

import pytest
from django.core import checks

from tests.licensing.conftest import _licensing_settings, instant_filing, lic, pki_dir  # noqa: F401
from tests.supervision.conftest import ensure_case_types, payload
from zonegov.core import topics
from zonegov.core.errors import ApplicationError
from zonegov.core.models import OutboxConsumption, OutboxMessage
from zonegov.core.services.outbox import emit, outbox_drain
from zonegov.supervision.models import OperatorEvent, SupervisedOperator

pytestmark = pytest.mark.django_db


def test_a_licence_message_goes_to_the_supervision_side_by_default(sup):
    messages = emit("licence.granted", payload())
    assert [m.destination for m in messages] == ["supervision"]
    outbox_drain()
    assert SupervisedOperator.objects.get().licence_number == "JY24104010000127"


def test_the_setting_fans_a_topic_out_and_supervision_applies_it_once(sup, settings):
    settings.ZONEGOV_OUTBOX_SUBSCRIPTIONS = {"licence.granted": ["supervision", "archive"]}
    messages = emit(topic="licence.granted", payload=payload())  # the keyword call shape
    assert sorted(m.destination for m in messages) == ["archive", "supervision"]
    assert {m.payload["licence_number"] for m in messages} == {"JY24104010000127"}
    outbox_drain()
    assert OperatorEvent.objects.count() == 1
    assert OutboxConsumption.objects.count() == 1
    # Other topics keep their default.
    assert topics.destinations("licence.changed") == ["supervision"]


def test_the_setting_can_silence_a_topic(sup, settings):
    settings.ZONEGOV_OUTBOX_SUBSCRIPTIONS = {"licence.granted": []}
    assert emit("licence.granted", payload()) == []
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"licence_no": "JY1"}, "licence_no"),  # a field the contract does not name
        ({"version": "第二版"}, "version"),  # of the wrong type
        ({"expired_on": "2031-11-26"}, "expired_on"),  # belongs to licence.expired only
    ],
)
def test_it_refuses_a_payload_outside_the_contract(sup, data, problem):
    with pytest.raises(ApplicationError, match=problem):
        emit("licence.granted", payload(**data))
    assert not OutboxMessage.objects.exists()


def test_it_refuses_a_payload_missing_a_required_field(sup):
    data = payload()
    del data["licence_number"]
    with pytest.raises(ApplicationError, match="licence_number"):
        emit("licence.granted", data)


def test_it_refuses_a_topic_no_app_declares(sup):
    with pytest.raises(ApplicationError, match="未声明的消息主题"):
        emit("licence.stolen", payload())


def test_what_licensing_sends_today_follows_its_declared_contract(cast, lic):
    ensure_case_types()
    instant_filing(cast)
    message = OutboxMessage.objects.get(topic="licence.granted")
    assert message.destination == "supervision"
    assert topics.topic("licence.granted").dump(message.payload) == message.payload


def test_a_subscription_to_an_undeclared_topic_is_reported(settings):
    settings.ZONEGOV_OUTBOX_SUBSCRIPTIONS = {"licence.grantd": ["supervision"]}
    ids = [m.id for m in topics.check_subscriptions()]
    assert ids == ["zonegov.W301"]
    assert [m.id for m in checks.run_checks() if m.id.startswith("zonegov.W30")] == ["zonegov.W301"]
