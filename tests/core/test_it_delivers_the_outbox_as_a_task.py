"""Outbox delivery is a task: a transaction that writes messages queues one delivery task
when it commits (nothing when it rolls back), the task delivers them, and the every-minute
job delivers whatever is due without such a task. ``outbox_drain`` stays as a one-shot
pass for operators; its old ``--loop`` says what replaced it."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django_q.models import OrmQ, Success

from tests.core.task_runner import run_queued_tasks
from zonegov.core.models import OutboxMessage, OutboxStatus
from zonegov.core.services.outbox import (
    LOCAL_DESTINATION,
    outbox_enqueue,
    register_consumer,
    unregister_consumer,
)
from zonegov.core.tasks import OUTBOX_PROMPT_GROUP, OUTBOX_TASK, run_periodic_job

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def applied():
    seen: list[str] = []
    name = register_consumer("tasks.test", lambda m: seen.append(str(m.pk)), name="tests.tasks")
    yield seen
    unregister_consumer("tasks.test", name)


def _emit(count: int = 1) -> list[OutboxMessage]:
    with transaction.atomic():  # as a business change writes its messages
        return [
            outbox_enqueue(topic="tasks.test", payload={"n": n}, destination=LOCAL_DESTINATION)
            for n in range(count)
        ]


def test_a_committed_message_is_delivered_by_the_task_it_queued(applied):
    messages = _emit(2)
    [queued] = OrmQ.objects.all()  # one task for the transaction, not one per message
    assert queued.func() == OUTBOX_TASK
    assert run_queued_tasks() == 1
    for message in messages:
        message.refresh_from_db()
        assert message.status == OutboxStatus.DELIVERED
    assert sorted(applied) == sorted(str(m.pk) for m in messages)
    [success] = Success.objects.filter(group=OUTBOX_PROMPT_GROUP)
    assert success.result.startswith("取出 2 条：送达 2")


def test_a_rolled_back_transaction_queues_nothing(applied):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(topic="tasks.test", payload={}, destination=LOCAL_DESTINATION)
        raise RuntimeError("the business change failed")
    assert not OutboxMessage.objects.exists()
    assert not OrmQ.objects.exists()
    # A later transaction still queues its delivery (the rolled-back request is gone).
    _emit()
    assert OrmQ.objects.count() == 1


def test_the_every_minute_job_delivers_what_is_due(applied, settings):
    settings.ZONEGOV_OUTBOX_PROMPT_DELIVERY = False
    [message] = _emit()
    assert not OrmQ.objects.exists()
    assert run_periodic_job("core.outbox").startswith("取出 1 条：送达 1")
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert run_periodic_job("core.outbox").startswith("取出 0 条")
    assert applied == [str(message.pk)]  # applied once


def test_the_one_shot_command_still_drains_and_the_loop_points_to_the_task_runner(applied):
    [message] = _emit()
    call_command("outbox_drain", verbosity=0)
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    with pytest.raises(CommandError, match="qcluster"):
        call_command("outbox_drain", "--loop")
