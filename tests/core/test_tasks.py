"""Background tasks run on both backends: the database worker (default) and RQ on Redis."""

from __future__ import annotations

import datetime as dt

import pytest
import redis
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone

from renkei.core import scheduler
from renkei.core.models import ScheduledJob
from renkei.core.tasks import clear_expired_sessions
from renkei.core.worker import run_worker

REDIS_TEST_URL = "redis://127.0.0.1:6379/14"
RQ_SETTINGS = {
    "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
    "RQ_QUEUES": {"default": {"URL": REDIS_TEST_URL}},
    "TASKS_BACKEND": "rq",
}


def _sessions() -> tuple[str, str]:
    expired = SessionStore()
    expired["x"] = 1
    expired.set_expiry(timezone.now() - dt.timedelta(days=1))
    expired.create()
    live = SessionStore()
    live["y"] = 2
    live.create()
    return expired.session_key, live.session_key


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_an_enqueued_task():
    expired, live = _sessions()
    result = clear_expired_sessions.enqueue()
    assert Session.objects.filter(session_key=expired).exists()
    run_worker(burst=True)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == 1
    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=live).exists()


@pytest.fixture
def rq_redis():
    conn = redis.Redis.from_url(REDIS_TEST_URL)
    conn.flushdb()
    yield conn
    conn.flushdb()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_rq_worker_runs_an_enqueued_task(rq_redis):
    expired, live = _sessions()
    with override_settings(**RQ_SETTINGS):
        result = clear_expired_sessions.enqueue()
        assert rq_redis.llen("rq:queue:default") == 1
        run_worker(burst=True)
        result.refresh()
        assert result.status == "SUCCESSFUL"
    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=live).exists()


@pytest.mark.django_db
def test_a_due_periodic_job_is_enqueued_once_however_many_workers_ask():
    now = timezone.now()
    first = scheduler.enqueue_due_jobs(now)
    assert "core.clear_expired_sessions" in first
    # A second worker ticking at the same moment finds nothing due.
    assert scheduler.enqueue_due_jobs(now) == []
    job = ScheduledJob.objects.get(name="core.clear_expired_sessions")
    assert job.next_run_at == now + dt.timedelta(hours=6)
    later = scheduler.enqueue_due_jobs(now + dt.timedelta(hours=6, seconds=1))
    assert "core.clear_expired_sessions" in later


@pytest.mark.redis
@pytest.mark.django_db
def test_periodic_jobs_are_scheduled_on_the_rq_backend_too(rq_redis):
    with override_settings(**RQ_SETTINGS):
        enqueued = scheduler.enqueue_due_jobs(timezone.now())
    assert enqueued
    assert rq_redis.llen("rq:queue:default") == len(enqueued)


@pytest.mark.django_db
def test_the_planner_statistics_are_refreshed_on_sqlite():
    from django.db import connection

    from renkei.core.tasks import optimize_database

    result = optimize_database.call()
    assert result == ("optimized" if connection.vendor == "sqlite" else "skipped")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone()[0] == 1
