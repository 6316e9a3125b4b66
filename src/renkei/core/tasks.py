"""Housekeeping tasks of the core app."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.sessions.models import Session
from django.db import connection
from django.tasks import task
from django.utils import timezone

from renkei.core.scheduler import periodic

logger = logging.getLogger(__name__)


@task
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry date (users whose sessions expired are signed out
    already); returns how many were removed."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("cleared %d expired sessions", deleted)
    return deleted


@task
def prune_finished_task_results(days: int = 14) -> int:
    """Remove the database task backend's records of tasks that finished over `days` ago."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    return deleted


@task
def optimize_database() -> str:
    """Refresh the query planner's statistics. PostgreSQL's autovacuum does this by
    itself; SQLite needs `PRAGMA optimize` now and then, or its planner picks poor
    indexes as the data grows."""
    if connection.vendor != "sqlite":
        return "skipped"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA optimize=0x10002")
    return "optimized"


periodic("core.optimize_database", dt.timedelta(hours=6), optimize_database)
periodic("core.clear_expired_sessions", dt.timedelta(hours=6), clear_expired_sessions)
periodic("core.prune_finished_task_results", dt.timedelta(days=1), prune_finished_task_results)
