"""Run what is queued for the task runner, in this process, through the library's own
worker and monitor (the code a ``qcluster`` worker runs: execute, record Success/Failure,
acknowledge). Tests that use it run with ``transaction=True``: the worker closes the
process's database connections between tasks, as it does in production."""

from __future__ import annotations

from multiprocessing import Value

from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.monitor import monitor
from django_q.queues import Queue
from django_q.scheduler import scheduler
from django_q.signing import SignedPackage
from django_q.worker import worker


def run_queued_tasks(max_tasks: int = 50) -> int:
    """Take every queued task off the broker (as the pusher does), run each in a worker
    and record the results (as the monitor does). Returns how many ran."""
    broker = get_broker()
    task_queue: Queue = Queue()
    result_queue: Queue = Queue()
    count = 0
    for _ in range(max_tasks):
        batch = broker.dequeue()
        if not batch:
            break
        for ack_id, payload in batch:
            task = SignedPackage.loads(payload)
            task["cluster"] = Conf.CLUSTER_NAME
            task["ack_id"] = ack_id
            task_queue.put(task)
            count += 1
    task_queue.put("STOP")
    worker(task_queue, result_queue, Value("f", -1))
    result_queue.put("STOP")
    monitor(result_queue, broker)
    for queue in (task_queue, result_queue):
        queue.close()
        queue.join_thread()
    return count


def run_due_schedules() -> None:
    """One scheduler turn (the sentinel's, every 30 s): due schedules become tasks."""
    scheduler(broker=get_broker())
