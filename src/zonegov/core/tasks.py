"""Background and periodic work: the one place periodic jobs are declared.

The task library is django-q2 (docs/decisions.md). ``manage.py qcluster`` runs the workers
and the scheduler (``make run`` starts it; docs/deployment.md runs it under systemd on
several machines). The queue is the database by default (settings.Q_CLUSTER).

Declaring a job
    An app declares its periodic jobs in its ``tasks`` module, imported from its
    ``AppConfig.ready()``::

        periodic_job(
            "licensing.daily",
            "zonegov.licensing.tasks.licensing_daily_job",
            cron="15 0 * * *",          # or minutes=5
            description=_("…"),
            retries=3,
        )

    ``schedules_sync()`` (``manage.py sync_schedules``; also run after every ``migrate``)
    makes the library's schedule rows match the declarations: a new job gets a row, a
    changed one is updated, a job no longer declared is disabled (kept, with its history).
    So the schedules are code, and the admin shows each with its description, next run,
    last run and result (core/admin.py).

What a job may rely on, and must do
    - Every run is a task of its own in a worker process: a job that raises does not stop
      the others. The failure is recorded (Failure, with the traceback, in the admin) and
      the run is retried ``retries`` times with back-off — 30 s, 60 s, 120 s … (the
      outbox's ``backoff_delay``) — through a one-off schedule.
    - At least once: a worker that dies mid-run (killed, machine lost) never reports, its
      task's lease (``Q_CLUSTER["retry"]``) runs out and another worker runs it again. So a
      job must be idempotent: running it twice has the effect of running it once (the
      outbox claims messages under leases and records each application; the licensing
      daily job only moves licences that have not moved yet).
    - It runs on the machine clock of whichever node picks it up, in settings.TIME_ZONE
      for cron expressions (Asia/Shanghai).

Outbox delivery
    The outbox table stays: it is what makes a business change and its message one
    transaction. Its delivery is the task ``outbox_deliver`` — run every minute by the
    schedule (messages waiting for their back-off, or missed), and queued at once when a
    transaction that wrote a message commits (``_request_prompt_delivery``), so a licence
    granted reaches supervision within a second or two.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from croniter import croniter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, transaction
from django.db.models.signals import post_migrate, post_save
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

#: Every schedule made from the registry calls this function with the job's name.
RUNNER = "zonegov.core.tasks.run_periodic_job"
#: The outbox delivery task, and the group its prompt (on-commit) runs are recorded under.
OUTBOX_TASK = "zonegov.core.tasks.outbox_deliver"
OUTBOX_PROMPT_GROUP = "core.outbox.prompt"
#: One delivery task drains passes of this many messages until the outbox is caught up or
#: OUTBOX_TASK_SECONDS have passed (the next run goes on), well inside the task timeout.
OUTBOX_BATCH = 50
OUTBOX_TASK_SECONDS = 60
NAME_MAX = 80  # leaves room in Schedule.name (100) for a retry's suffix


@dataclass(frozen=True)
class PeriodicJob:
    """A job declared in code. Exactly one of ``cron`` (5 fields, settings.TIME_ZONE) and
    ``minutes`` (every N minutes) is set."""

    name: str
    func: str
    description: Any  # str or lazy translation
    cron: str = ""
    minutes: int | None = None
    retries: int = 0

    @property
    def schedule_text(self) -> str:
        return f"cron {self.cron}" if self.cron else f"每 {self.minutes} 分钟"


_JOBS: dict[str, PeriodicJob] = {}


def periodic_job(
    name: str,
    func: str,
    *,
    description: Any,
    cron: str | None = None,
    minutes: int | None = None,
    retries: int = 0,
) -> PeriodicJob:
    """Declare (or re-declare: the same name replaces) a periodic job. ``func`` is the
    dotted path of a function taking no arguments; what it returns is shown as the run's
    result. Raises ImproperlyConfigured on a malformed declaration, at start-up."""
    if not name or len(name) > NAME_MAX:
        raise ImproperlyConfigured(f"periodic job name must be 1–{NAME_MAX} characters: {name!r}")
    if bool(cron) == (minutes is not None):
        raise ImproperlyConfigured(f"periodic job {name}: give exactly one of cron= and minutes=")
    if cron and not croniter.is_valid(cron):
        raise ImproperlyConfigured(f"periodic job {name}: invalid cron expression {cron!r}")
    if minutes is not None and not (1 <= minutes <= 32767):
        raise ImproperlyConfigured(f"periodic job {name}: minutes must be 1–32767")
    if retries < 0:
        raise ImproperlyConfigured(f"periodic job {name}: retries must be 0 or more")
    job = PeriodicJob(
        name=name,
        func=func,
        description=description,
        cron=cron or "",
        minutes=minutes,
        retries=retries,
    )
    _JOBS[name] = job
    return job


def forget_periodic_job(name: str) -> None:
    """Remove a declaration (tests; a job removed from code simply is not declared)."""
    _JOBS.pop(name, None)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def periodic_job_named(name: str) -> PeriodicJob | None:
    return _JOBS.get(name)


# --------------------------------------------------------------------------- running


def run_periodic_job(name: str, attempt: int = 1) -> str:
    """What every registry schedule runs: the declared function of job ``name``. On an
    exception, schedules attempt ``attempt + 1`` after the back-off (while the job has
    retries left) and re-raises, so the run is recorded as failed."""
    job = _JOBS.get(name)
    if job is None:
        raise LookupError(
            f"periodic job {name!r} is not declared in this version of the code "
            "(run manage.py sync_schedules to disable its schedule)"
        )
    func = import_string(job.func)
    try:
        result = func()
    except Exception:
        if attempt <= job.retries:
            _schedule_retry(job, attempt)
        raise
    return "" if result is None else str(result)


def _schedule_retry(job: PeriodicJob, failed_attempt: int) -> None:
    from django_q.models import Schedule

    from zonegov.core.services.outbox import backoff_delay

    delay = backoff_delay(failed_attempt)
    try:
        Schedule.objects.create(
            name=f"{job.name} · 重试 {failed_attempt}/{job.retries}",
            func=RUNNER,
            args=repr(job.name),
            kwargs=repr({"attempt": failed_attempt + 1}),
            schedule_type=Schedule.ONCE,
            repeats=-1,  # a one-off: deleted once it has been turned into a task
            next_run=timezone.now() + delay,
        )
    except DatabaseError:
        # The database is what failed: the job's next scheduled run is its retry.
        logger.exception("could not schedule the retry of periodic job %s", job.name)
        return
    logger.warning(
        "periodic job %s failed (attempt %d); retrying in %.0f s",
        job.name,
        failed_attempt,
        delay.total_seconds(),
    )


# --------------------------------------------------------------------------- syncing


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"新建 {len(self.created)}，更新 {len(self.updated)}，未变 {len(self.unchanged)}，"
            f"停用 {len(self.disabled)}"
        )


def _first_run(job: PeriodicJob, now: datetime) -> datetime:
    if job.cron:
        local = timezone.localtime(now, timezone=_job_zone())
        return croniter(job.cron, local).get_next(datetime)
    return now  # an every-N-minutes job runs as soon as a scheduler sees it


def _job_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.Q_CLUSTER.get("time_zone") or settings.TIME_ZONE)


def schedules_sync(*, now: datetime | None = None) -> SyncReport:
    """Make the registry's schedule rows match the declarations (idempotent). Rows are
    found by name among the schedules that call RUNNER; one-off retry rows are left to run
    (they delete themselves)."""
    from django_q.models import Schedule

    now = now or timezone.now()
    report = SyncReport()
    with transaction.atomic():
        rows = list(
            Schedule.objects.select_for_update()
            .filter(func=RUNNER)
            .exclude(schedule_type=Schedule.ONCE)
            .order_by("pk")
        )
        by_name: dict[str, Any] = {}
        extra = []
        for row in rows:
            if row.name in by_name:
                extra.append(row)  # a duplicate (made by hand): the first one is kept
            else:
                by_name[row.name] = row
        for job in periodic_jobs():
            wanted = {
                "func": RUNNER,
                "args": repr(job.name),
                "kwargs": "",
                "schedule_type": Schedule.CRON if job.cron else Schedule.MINUTES,
                "cron": job.cron or None,
                "minutes": job.minutes,
                "repeats": -1,
                "cluster": None,
            }
            row = by_name.pop(job.name, None)
            if row is None:
                Schedule.objects.create(name=job.name, next_run=_first_run(job, now), **wanted)
                report.created.append(job.name)
                continue
            changed = {k: v for k, v in wanted.items() if getattr(row, k) != v}
            if not changed:
                report.unchanged.append(job.name)
                continue
            timing = {"schedule_type", "cron", "minutes"} & changed.keys()
            for key, value in changed.items():
                setattr(row, key, value)
            if timing or row.next_run is None:
                row.next_run = _first_run(job, now)
            row.save()
            report.updated.append(job.name)
        for row in [*by_name.values(), *extra]:
            if row.repeats != 0:
                row.repeats = 0  # the scheduler skips rows with no repeats left
                row.save(update_fields=["repeats"])
                report.disabled.append(row.name)
    return report


def _sync_after_migrate(sender, using: str = "default", plan=None, **kwargs) -> None:
    """``migrate`` (and ``flush``) leave the schedules in step with the code. Skipped when
    the task tables are not there (a migrate to an earlier state)."""
    if getattr(sender, "label", None) != "django_q":
        return
    from django_q.models import Schedule

    if Schedule._meta.db_table not in connections[using].introspection.table_names():
        return
    schedules_sync()


# --------------------------------------------------------------------------- outbox


def outbox_deliver() -> str:
    """Deliver due outbox messages: drain passes until caught up (or a minute has passed;
    the next run goes on). Several may run at once on several machines: each pass claims
    its messages under a lease (core/services/outbox.py)."""
    from zonegov.core.services.outbox import outbox_drain

    started = time.monotonic()
    totals = {"claimed": 0, "delivered": 0, "failed": 0, "dead": 0, "waiting": 0}
    while True:
        report = outbox_drain(limit=OUTBOX_BATCH)
        for key in totals:
            totals[key] += getattr(report, key)
        if report.claimed < OUTBOX_BATCH or time.monotonic() - started > OUTBOX_TASK_SECONDS:
            break
    return (
        f"取出 {totals['claimed']} 条：送达 {totals['delivered']}，失败待重试 {totals['failed']}，"
        f"放弃 {totals['dead']}，等待配置 {totals['waiting']}"
    )


def _enqueue_prompt_delivery() -> None:
    """After a commit that wrote outbox messages: queue one delivery task. Never raises —
    the caller's transaction has committed; the every-minute sweep delivers anyway."""
    try:
        from django_q.tasks import async_task

        async_task(OUTBOX_TASK, group=OUTBOX_PROMPT_GROUP)
    except Exception:
        logger.exception("could not queue a prompt outbox delivery; the sweep will deliver")


def _request_prompt_delivery(sender, instance, created: bool, using: str, **kwargs) -> None:
    if not created or kwargs.get("raw") or not settings.ZONEGOV_OUTBOX_PROMPT_DELIVERY:
        return
    # One task per transaction however many messages it writes. (Django keeps the pending
    # callbacks as (savepoints, callable, robust); a rolled-back savepoint drops its own.)
    pending = connections[using].run_on_commit
    if any(entry[1] is _enqueue_prompt_delivery for entry in pending):
        return
    transaction.on_commit(_enqueue_prompt_delivery, using=using)


# --------------------------------------------------------------------------- core's jobs


def audit_checkpoint_job() -> str:
    """Seal the audit chain's head hourly (see docs/deployment.md, checkpoints)."""
    from zonegov.core.services.audit_checkpoints import audit_checkpoint

    checkpoint, exported = audit_checkpoint()
    return (
        f"第 {checkpoint.pk} 号检查点：封存至第 {checkpoint.head_record_id} 号记录"
        f"（共 {checkpoint.count} 条），导出 {exported} 行"
    )


def _declare_core_jobs() -> None:
    from django.utils.translation import gettext_lazy as _

    from zonegov.core.models import OutboxMessage

    periodic_job(
        "core.outbox",
        OUTBOX_TASK,
        minutes=1,
        description=_(
            "投递外发消息（监管推送、短信、审计归档）：补发到期重试的消息；"
            "新消息在提交时即已排队投递"
        ),
        # No retry of a failed run: the next minute's run is the retry, and each message
        # keeps its own back-off in the outbox.
        retries=0,
    )
    periodic_job(
        "core.audit_checkpoint",
        "zonegov.core.tasks.audit_checkpoint_job",
        cron="17 * * * *",
        description=_("每小时：签名封存审计日志链的当前末尾，导出并推送到外部归档"),
        retries=2,
    )
    post_save.connect(
        _request_prompt_delivery, sender=OutboxMessage, dispatch_uid="zonegov.outbox.prompt"
    )
    post_migrate.connect(_sync_after_migrate, dispatch_uid="zonegov.tasks.sync")


_declare_core_jobs()
