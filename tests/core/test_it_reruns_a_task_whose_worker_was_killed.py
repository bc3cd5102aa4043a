"""A real ``qcluster`` is SIGKILLed (the whole process group, as when its machine is lost)
in the middle of a task. The task was leased, not taken: once the lease runs out a new
cluster runs it again — exactly once more — and its effect is there once."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django_q.models import OrmQ, Success, Task
from django_q.tasks import async_task

PROJECT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 5  # Q_CLUSTER["retry"] for the subprocesses (timeout 4 s)

# The clusters read and write this test's own database, so its writes must be committed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        host = s["HOST"] or "127.0.0.1"
        return f"postgres://{s['USER']}{password}@{host}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"  # the test database is a file (settings.py)


def _start_cluster(log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PYTHONPATH": str(PROJECT / "src"),
        "ZONEGOV_TASK_WORKERS": "1",
        "ZONEGOV_TASK_TIMEOUT": str(LEASE_SECONDS - 1),
        "ZONEGOV_TASK_RETRY": str(LEASE_SECONDS),
        "ZONEGOV_TASK_SCHEDULER": "0",  # only the task under test runs
        "ZONEGOV_TASK_LOG_LEVEL": "INFO",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [sys.executable, str(PROJECT / "manage.py"), "qcluster"],
        cwd=PROJECT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: sentinel, pusher, worker, monitor
    )


def _wait_for(predicate, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; cluster log:\n{log.read_text()}")
        time.sleep(0.1)


def _attempts(where: Path) -> list[str]:
    path = where / "attempts.log"
    return path.read_text().splitlines() if path.exists() else []


def test_a_task_killed_mid_run_is_run_again_once_with_one_effect(tmp_path):
    log = tmp_path / "cluster.log"
    key = uuid.uuid4().hex
    task_id = async_task("tests.core.task_probe.record_and_sleep", str(tmp_path), key, 60)

    first = _start_cluster(log)
    try:
        _wait_for(lambda: len(_attempts(tmp_path)) == 1, 30, "the first attempt", log)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(10)
    time.sleep(0.5)  # the group's last processes gone
    assert not (tmp_path / f"effect-{key}").exists()
    assert not Task.objects.filter(id=task_id).exists()  # never reported...
    assert OrmQ.objects.count() == 1  # ...so still queued, under its lease

    second = _start_cluster(log)
    try:
        _wait_for(
            lambda: Success.objects.filter(id=task_id).exists(),
            LEASE_SECONDS + 30,
            "the task to be run again",
            log,
        )
    finally:
        # systemd's stop (KillMode=mixed): SIGTERM to the main process, which stops its own
        second.terminate()
        try:
            second.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(second.pid, signal.SIGKILL)
            second.wait(10)

    attempts = _attempts(tmp_path)
    assert len(attempts) == 2  # the killed attempt and one re-run
    assert attempts[0].split()[1] != attempts[1].split()[1]  # by another worker process
    assert sorted(p.name for p in tmp_path.glob("effect-*")) == [f"effect-{key}"]
    done = Success.objects.get(id=task_id)
    assert (done.result, done.attempt_count) == ("applied", 1)
    assert OrmQ.objects.count() == 0  # acknowledged: not run a third time


def test_a_worker_process_killed_mid_run_is_replaced_and_the_task_run_again(tmp_path):
    """Only the worker dies (out of memory, say): its cluster starts a new worker, and when
    the lease runs out the same cluster runs the task again — once."""
    log = tmp_path / "cluster.log"
    key = uuid.uuid4().hex
    task_id = async_task("tests.core.task_probe.record_and_sleep", str(tmp_path), key, 60)
    cluster = _start_cluster(log)
    try:
        _wait_for(lambda: len(_attempts(tmp_path)) == 1, 30, "the first attempt", log)
        worker_pid = int(_attempts(tmp_path)[0].split()[1])
        os.kill(worker_pid, signal.SIGKILL)
        _wait_for(
            lambda: Success.objects.filter(id=task_id).exists(),
            LEASE_SECONDS + 30,
            "the task to be run again",
            log,
        )
    finally:
        cluster.terminate()
        try:
            cluster.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(cluster.pid, signal.SIGKILL)
            cluster.wait(10)
    attempts = _attempts(tmp_path)
    assert len(attempts) == 2
    assert int(attempts[1].split()[1]) != worker_pid  # the replacement worker
    assert sorted(p.name for p in tmp_path.glob("effect-*")) == [f"effect-{key}"]
    assert Success.objects.get(id=task_id).result == "applied"
    assert OrmQ.objects.count() == 0
