"""A drain that dies between sending and recording the result: the message is neither
lost nor applied twice. The receiver applied it; after the lease expires another drain
sends it again with the same idempotency key and the receiver ignores the repeat."""

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests.core.outbox_receiver import SECRET, Receiver, machine_clock, use_webhook
from zonegov.core.models import OutboxDelivery, OutboxStatus
from zonegov.core.services import outbox as outbox_service
from zonegov.core.services.outbox import lease_seconds, outbox_drain, outbox_enqueue

PROJECT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_drain_dying_before_its_acknowledgement_is_redone_after_the_lease(settings, monkeypatch):
    """In-process version: the acknowledgement step raises SystemExit."""
    with Receiver() as receiver:
        use_webhook(settings, receiver.url)
        message = outbox_enqueue(
            topic="licence.granted", payload={"licence": "JY1"}, destination="supervision"
        )

        def die(*args, **kwargs):
            raise SystemExit("killed")

        monkeypatch.setattr(outbox_service, "_record_result", die)
        with pytest.raises(SystemExit):
            outbox_drain()
        monkeypatch.undo()
        assert receiver.effects[str(message.pk)] == 1
        message.refresh_from_db()
        assert message.status == OutboxStatus.PENDING
        assert message.locked_until is not None
        # Another drain while the lease holds leaves the message alone...
        assert outbox_drain().claimed == 0
        # ...and after it expires sends it again, with the same key.
        later = timezone.now() + timedelta(seconds=lease_seconds() + 1)
        assert outbox_drain(now=later).delivered == 1
    assert [r["key"] for r in receiver.requests] == [str(message.pk)] * 2
    assert receiver.effects[str(message.pk)] == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert OutboxDelivery.objects.filter(message=message).count() == 1


def _manage(db_url: str, env_extra: dict, *args: str, **popen) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "ZONEGOV_WEBHOOK_SUPERVISION_SECRET": SECRET,
        "PYTHONPATH": str(PROJECT / "src"),
        **env_extra,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [sys.executable, str(PROJECT / "manage.py"), *args],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def _run(db_url: str, env_extra: dict, *args: str) -> str:
    proc = _manage(db_url, env_extra, *args)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return out


def _last_json(output: str):
    return json.loads(output.strip().splitlines()[-1])


SHOW = textwrap.dedent(
    """
    import json
    from zonegov.core.models import OutboxMessage
    print(json.dumps([
        {"id": str(m.pk), "status": m.status, "attempts": m.attempts,
         "locked": m.locked_until is not None, "log": m.deliveries.count()}
        for m in OutboxMessage.objects.all()
    ]))
    """
)


def _database_url(tmp_path: Path) -> str:
    """A database both this test and its subprocesses can open."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        return (
            f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
            f"/{s['NAME']}"
        )
    # SQLite test databases live in memory; use a migrated file shared by subprocesses.
    url = f"sqlite:///{tmp_path / 'outbox.sqlite3'}"
    _run(url, {}, "migrate", "-v0")
    return url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_drain_process_killed_after_sending_loses_nothing_and_doubles_nothing(tmp_path):
    """Honest version: ``manage.py outbox_drain`` in a subprocess, SIGKILLed while the
    receiver holds the request it has already applied."""
    with Receiver(clock=machine_clock) as receiver:
        env = {"ZONEGOV_WEBHOOK_SUPERVISION_URL": receiver.url}
        db_url = _database_url(tmp_path)
        _run(
            db_url,
            env,
            "shell",
            "-c",
            "from zonegov.core.services.outbox import outbox_enqueue; "
            "outbox_enqueue(topic='licence.granted', payload={'licence': 'JY1'}, "
            "destination='supervision')",
        )
        receiver.hold = True
        drain = _manage(db_url, env, "outbox_drain")
        try:
            assert receiver.got_request.wait(60), "the drain never sent the message"
            os.kill(drain.pid, signal.SIGKILL)
            drain.wait(10)
        finally:
            if drain.poll() is None:
                drain.kill()
            drain.communicate()
        assert drain.returncode == -signal.SIGKILL
        receiver.hold = False
        receiver.release.set()
        (key,) = receiver.effects
        assert receiver.effects[key] == 1

        [state] = _last_json(_run(db_url, env, "shell", "-c", SHOW))
        assert state == {"id": key, "status": "pending", "attempts": 0, "locked": True, "log": 0}

        # A second runner before the lease expires: nothing to do.
        assert "claimed" not in _run(db_url, env, "outbox_drain")
        # After the lease: re-sent with the same key, recorded once. (The subprocesses run
        # on the machine's clock, not the suite's, so "after the lease" is reckoned there.)
        _run(
            db_url,
            env,
            "shell",
            "-c",
            "from datetime import timedelta; from django.utils import timezone; "
            "from zonegov.core.services.outbox import lease_seconds, outbox_drain; "
            "print(outbox_drain(now=timezone.now() + timedelta(seconds=lease_seconds() + 1)))",
        )
        [state] = _last_json(_run(db_url, env, "shell", "-c", SHOW))
    assert [r["key"] for r in receiver.requests] == [key, key]
    assert receiver.effects[key] == 1
    assert state == {"id": key, "status": "delivered", "attempts": 1, "locked": False, "log": 1}
