"""`renkei worker`: run background tasks and the periodic scheduler with the configured
backend (the database worker by default, RQ on Redis when TASKS_BACKEND=rq)."""

from __future__ import annotations

import importlib
import logging
import threading

from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from renkei.core.scheduler import run_scheduler

logger = logging.getLogger(__name__)

# How often an idle database worker looks for new tasks. Half a second keeps a contact's
# rescore after a touch visible within a second (issue #5); the query is an indexed read.
POLL_INTERVAL_SECONDS = 0.5


def load_task_modules() -> None:
    """Import every app's tasks module so its periodic jobs are registered."""
    for config in apps.get_app_configs():
        if config.name.startswith("renkei."):
            try:
                importlib.import_module(f"{config.name}.tasks")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.tasks":
                    raise


def run_worker(*, burst: bool = False, schedule: bool = True) -> None:
    load_task_modules()
    stop = threading.Event()
    scheduler = None
    if schedule and not burst:
        scheduler = threading.Thread(target=run_scheduler, args=(stop,), daemon=True)
        scheduler.start()
    try:
        if settings.TASKS_BACKEND == "rq":
            import django_rq
            from django_tasks_rq.backend import Job
            from rq.worker import SimpleWorker

            # SimpleWorker runs each job in this process instead of a fork: a forked child
            # would share this process's database connections and scheduler thread. Scale
            # by running more worker processes.
            worker = django_rq.get_worker(
                *settings.TASKS["default"]["QUEUES"], job_class=Job, worker_class=SimpleWorker
            )
            worker.work(burst=burst, with_scheduler=True)
        else:
            call_command(
                "db_worker",
                reload=False,
                batch=burst,
                startup_delay=not burst,
                interval=POLL_INTERVAL_SECONDS,
            )
    finally:
        stop.set()
