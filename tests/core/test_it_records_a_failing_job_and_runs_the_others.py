"""A job that raises is recorded as failed (with its error, in the admin), is retried with
back-off, and does not keep the other jobs from running. Through the library's own
scheduler, worker and monitor (tests/core/task_runner.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Failure, OrmQ, Schedule, Success
from django_q.tasks import async_task

from tests.core.task_runner import run_due_schedules, run_queued_tasks
from zonegov.core import tasks
from zonegov.core.tasks import RUNNER, periodic_job, schedules_sync

# The worker closes database connections between tasks, as in production.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RAN: list[str] = []


def broken_job():
    RAN.append("broken")
    raise RuntimeError("上游接口不可用")


def good_job():
    RAN.append("good")
    return "处理 3 条"


@pytest.fixture
def jobs():
    saved = dict(tasks._JOBS)
    RAN.clear()
    periodic_job("tests.broken", f"{__name__}.broken_job", minutes=5, description="坏", retries=1)
    periodic_job("tests.good", f"{__name__}.good_job", minutes=5, description="好的任务")
    yield
    tasks._JOBS.clear()
    tasks._JOBS.update(saved)


def _due_now(*names: str) -> None:
    """Only these schedules are due (the platform's own are pushed into the future)."""
    later = timezone.now() + timedelta(days=1)
    Schedule.objects.exclude(name__in=names).update(next_run=later)
    Schedule.objects.filter(name__in=names).update(next_run=timezone.now() - timedelta(seconds=1))


def test_a_failing_job_is_recorded_and_the_next_job_still_runs(jobs):
    schedules_sync()
    _due_now("tests.broken", "tests.good")
    run_due_schedules()
    assert OrmQ.objects.count() == 2
    assert run_queued_tasks() == 2
    assert sorted(RAN) == ["broken", "good"]
    [failure] = Failure.objects.all()
    assert failure.group == "tests.broken"
    assert "RuntimeError: 上游接口不可用" in failure.result  # with the traceback
    [success] = Success.objects.filter(group="tests.good")
    assert success.result == "处理 3 条"
    # Both taken off the queue: the failure is not run again by the broker...
    assert OrmQ.objects.count() == 0
    # ...but retried once, after the outbox's back-off (30 s ± 15 %).
    [retry] = Schedule.objects.filter(func=RUNNER, schedule_type=Schedule.ONCE)
    assert retry.kwargs == "{'attempt': 2}"
    wait = (retry.next_run - failure.stopped).total_seconds()
    assert 25 <= wait <= 35


def test_a_job_is_retried_with_back_off_until_its_retries_are_used_up(jobs):
    schedules_sync()
    _due_now("tests.broken")
    run_due_schedules()
    run_queued_tasks()
    # The retry comes due: it runs, fails again, and there is no third attempt.
    Schedule.objects.filter(schedule_type=Schedule.ONCE).update(next_run=timezone.now())
    _due_now(*Schedule.objects.filter(schedule_type=Schedule.ONCE).values_list("name", flat=True))
    run_due_schedules()
    assert not Schedule.objects.filter(schedule_type=Schedule.ONCE).exists()  # one-off: used
    assert run_queued_tasks() == 1
    assert RAN == ["broken", "broken"]
    assert Failure.objects.count() == 2
    assert not Schedule.objects.filter(schedule_type=Schedule.ONCE).exists()


def test_a_task_for_a_job_no_longer_declared_fails_visibly(jobs):
    async_task(RUNNER, "tests.never-declared")
    run_queued_tasks()
    [failure] = Failure.objects.all()
    assert "periodic job 'tests.never-declared' is not declared" in failure.result


def test_the_admin_lists_each_job_with_its_last_run_and_result(jobs, client, cast):
    schedules_sync()
    _due_now("tests.broken", "tests.good")
    run_due_schedules()
    run_queued_tasks()
    cast.admin.is_staff = cast.admin.is_superuser = True  # as the demo's admin
    cast.admin.save()
    client.force_login(cast.admin)
    page = client.get("/admin/django_q/schedule/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "好的任务" in text  # the description from the declaration
    assert "成功：处理 3 条" in text
    assert "失败：上游接口不可用" in text
    assert "licensing.daily" in text and "cron 15 0 * * *" in text
    assert "尚未运行" in text  # the jobs not due yet
    failures = client.get("/admin/django_q/failure/")
    assert "tests.broken" in failures.content.decode()


def test_only_staff_with_admin_access_see_the_jobs(client, cast):
    client.force_login(cast.officer)
    page = client.get("/admin/django_q/schedule/")
    assert page.status_code == 302 and "/admin/login/" in page["Location"]
