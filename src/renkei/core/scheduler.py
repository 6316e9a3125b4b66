"""Periodic jobs, scheduled the same way whichever task backend runs them.

Every worker process runs `run_scheduler` in a thread. Each tick it claims the jobs that
are due with a conditional UPDATE on their ScheduledJob row, so however many workers
run, each due run is enqueued exactly once; the task backend (database or RQ) then runs it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from django.db import close_old_connections
from django.tasks import Task
from django.utils import timezone

from renkei.core.models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    task: Task


_REGISTRY: dict[str, PeriodicJob] = {}


def periodic(name: str, every: dt.timedelta, task: Task) -> None:
    """Register `task` to run every `every`. Later issues add SLA checks, sequences,
    rollups."""
    _REGISTRY[name] = PeriodicJob(name=name, every=every, task=task)


def registered_jobs() -> list[PeriodicJob]:
    return list(_REGISTRY.values())


def enqueue_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every registered job that is due; returns the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in registered_jobs():
        ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
        claimed = ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now).update(
            next_run_at=now + job.every, last_enqueued_at=now
        )
        if claimed:
            job.task.enqueue()
            enqueued.append(job.name)
            logger.info("enqueued periodic job %s", job.name)
    return enqueued


def run_scheduler(stop: threading.Event, tick_seconds: float = 30.0) -> None:
    while not stop.is_set():
        try:
            enqueue_due_jobs()
        except Exception:
            logger.exception("scheduler tick failed")
        finally:
            close_old_connections()
        stop.wait(tick_seconds)
