"""The periodic jobs are declared in code (zonegov.core.tasks.periodic_job) and
``sync_schedules`` makes the task runner's schedules match: new jobs appear, changed ones
are updated, a job no longer declared is disabled; running it again changes nothing."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django_q.models import Schedule

from zonegov.core import tasks
from zonegov.core.tasks import RUNNER, forget_periodic_job, periodic_job, schedules_sync

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def registry():
    saved = dict(tasks._JOBS)
    yield
    tasks._JOBS.clear()
    tasks._JOBS.update(saved)


def _row(name: str) -> Schedule:
    return Schedule.objects.get(func=RUNNER, name=name)


def test_the_platforms_jobs_are_declared_and_scheduled():
    schedules_sync()
    rows = {s.name: s for s in Schedule.objects.filter(func=RUNNER)}
    assert {"core.outbox", "core.audit_checkpoint", "licensing.daily"} <= rows.keys()
    assert rows["core.outbox"].schedule_type == Schedule.MINUTES
    assert rows["core.outbox"].minutes == 1
    daily = rows["licensing.daily"]
    assert (daily.schedule_type, daily.cron, daily.repeats) == (Schedule.CRON, "15 0 * * *", -1)
    # 00:15 in the zone's time, the next one after now (the suite's clock: 10:00 on the 10th)
    assert daily.next_run.astimezone(SHANGHAI).strftime("%H:%M") == "00:15"


def test_a_second_sync_changes_nothing(registry):
    periodic_job(
        "tests.every5", "tests.core.task_probe.record_and_sleep", minutes=5, description="x"
    )
    first = schedules_sync()
    assert "tests.every5" in first.created
    before = {s.pk: (s.name, s.next_run, s.repeats) for s in Schedule.objects.all()}
    second = schedules_sync()
    assert second.created == second.updated == second.disabled == []
    assert {s.pk: (s.name, s.next_run, s.repeats) for s in Schedule.objects.all()} == before


def test_a_changed_schedule_is_updated_in_place(registry):
    periodic_job("tests.job", "tests.core.task_probe.record_and_sleep", minutes=5, description="x")
    schedules_sync()
    pk = _row("tests.job").pk
    periodic_job(
        "tests.job", "tests.core.task_probe.record_and_sleep", cron="0 17 * * *", description="x"
    )
    report = schedules_sync(now=datetime(2026, 6, 10, 10, 0, tzinfo=SHANGHAI))
    assert report.updated == ["tests.job"]
    row = _row("tests.job")
    assert row.pk == pk
    assert (row.schedule_type, row.cron, row.minutes) == (Schedule.CRON, "0 17 * * *", None)
    assert row.next_run == datetime(2026, 6, 10, 17, 0, tzinfo=SHANGHAI)


def test_a_job_removed_from_the_code_is_disabled_and_comes_back_when_declared_again(registry):
    periodic_job("tests.gone", "tests.core.task_probe.record_and_sleep", minutes=5, description="x")
    schedules_sync()
    forget_periodic_job("tests.gone")
    out = StringIO()
    call_command("sync_schedules", stdout=out)
    assert "停用 1" in out.getvalue()
    assert _row("tests.gone").repeats == 0  # kept with its history, never run again
    assert schedules_sync().disabled == []  # already disabled
    periodic_job("tests.gone", "tests.core.task_probe.record_and_sleep", minutes=5, description="x")
    assert schedules_sync().updated == ["tests.gone"]
    assert _row("tests.gone").repeats == -1


def test_a_duplicate_row_made_by_hand_is_disabled(registry):
    schedules_sync()
    original = _row("core.outbox")
    Schedule.objects.create(
        name="core.outbox",
        func=RUNNER,
        args="'core.outbox'",
        schedule_type=Schedule.MINUTES,
        minutes=1,
        repeats=-1,
    )
    assert schedules_sync().disabled == ["core.outbox"]
    rows = Schedule.objects.filter(func=RUNNER, name="core.outbox").order_by("pk")
    assert [(r.pk == original.pk, r.repeats) for r in rows] == [(True, -1), (False, 0)]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},  # neither cron nor minutes
        {"cron": "0 1 * * *", "minutes": 5},  # both
        {"cron": "every day at one"},
        {"minutes": 0},
        {"minutes": 5, "retries": -1},
    ],
)
def test_a_malformed_declaration_is_refused_at_start_up(registry, kwargs):
    with pytest.raises(ImproperlyConfigured):
        periodic_job(
            "tests.bad", "tests.core.task_probe.record_and_sleep", description="x", **kwargs
        )
    assert tasks.periodic_job_named("tests.bad") is None
