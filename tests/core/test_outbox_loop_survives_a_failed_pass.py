"""``outbox_drain --loop`` outlives a failed pass: a database error (or any other) is
logged with its traceback, the connections are closed, the runner backs off (5 s doubling
to 60 s, reset by a good pass) and delivers on a later pass; SIGTERM still stops it.
No test sleeps: the waits are recorded instead."""

import logging
import os
import signal

import pytest
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, transaction

from zonegov.core import outbox_runner
from zonegov.core.models import OutboxMessage, OutboxStatus
from zonegov.core.outbox_runner import DrainLoop, failure_backoff, interruptible_sleep
from zonegov.core.services.outbox import (
    LOCAL_DESTINATION,
    outbox_drain,
    outbox_enqueue,
    register_consumer,
    unregister_consumer,
)

# The runner closes the database connections after a failure, so these tests do not run
# inside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def applied():
    seen: list[str] = []
    name = register_consumer("loop.test", lambda m: seen.append(str(m.pk)), name="tests.loop")
    yield seen
    unregister_consumer("loop.test", name)


@pytest.fixture
def restore_signals():
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def _message() -> OutboxMessage:
    with transaction.atomic():  # as a business change enqueues it
        return outbox_enqueue(topic="loop.test", payload={}, destination=LOCAL_DESTINATION)


def test_the_command_logs_a_database_error_backs_off_delivers_and_stops_on_sigterm(
    applied, restore_signals, monkeypatch, caplog
):
    message = _message()
    waits: list[float] = []
    passes: list[str] = []

    def record_wait(seconds, stopping):
        if not stopping():  # a real wait returns at once when asked to stop
            waits.append(seconds)

    def flaky_drain(**kwargs):
        passes.append("pass")
        if len(passes) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        report = outbox_drain(**kwargs)
        os.kill(os.getpid(), signal.SIGTERM)  # systemd stops the service
        return report

    monkeypatch.setattr(outbox_runner, "interruptible_sleep", record_wait)
    monkeypatch.setattr("zonegov.core.management.commands.outbox_drain.outbox_drain", flaky_drain)
    with caplog.at_level(logging.ERROR, logger="zonegov.core.outbox_runner"):
        call_command("outbox_drain", "--loop", "--interval", "2", verbosity=0)
    assert len(passes) == 2
    assert waits == [5.0]
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert applied == [str(message.pk)]
    [record] = [r for r in caplog.records if r.name == "zonegov.core.outbox_runner"]
    assert record.exc_info is not None and record.exc_info[0] is OperationalError
    assert "1 in a row" in record.getMessage()


def test_the_back_off_doubles_and_is_reset_by_a_good_pass(applied):
    first = _message()
    script = [
        OperationalError("the database system is starting up"),
        InterfaceError("connection already closed"),
        "drain",
        RuntimeError("a bug in a pass"),
        "drain",
    ]
    waits: list[float] = []
    loop: DrainLoop

    def scripted_pass():
        step = script.pop(0)
        if not script:
            loop.stop()
        if isinstance(step, Exception):
            raise step
        return outbox_drain(limit=10)

    loop = DrainLoop(
        drain_pass=scripted_pass,
        limit=10,
        interval=3,
        sleep=lambda seconds, stopping: waits.append(seconds),
    )
    loop.run_once()
    loop.run_once()
    loop.run_once()  # delivers the first message
    first.refresh_from_db()
    assert first.status == OutboxStatus.DELIVERED
    second = _message()
    loop.run()  # fails once more, then delivers the second and stops
    second.refresh_from_db()
    assert second.status == OutboxStatus.DELIVERED
    assert waits == [5.0, 10.0, 3, 5.0, 3]
    assert loop.failures == 0


def test_the_back_off_is_capped_at_a_minute():
    assert [failure_backoff(n) for n in range(1, 8)] == [5, 10, 20, 40, 60, 60, 60]
    assert failure_backoff(10_000) == 60


def test_a_wait_ends_as_soon_as_the_runner_is_asked_to_stop(monkeypatch):
    naps: list[float] = []
    monkeypatch.setattr(outbox_runner.time, "sleep", naps.append)
    interruptible_sleep(60, lambda: bool(naps))  # SIGTERM arrives during the first nap
    assert naps == [outbox_runner.STOP_CHECK_SECONDS]
