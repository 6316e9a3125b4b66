"""Periodic work of the privacy app."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from renkei.core.scheduler import periodic
from renkei.privacy import services


@task
def flag_overdue_requests() -> int:
    """Flag open privacy requests past their due date (a history event and a warning)."""
    return len(services.flag_overdue_requests())


periodic("privacy.flag_overdue_requests", dt.timedelta(hours=1), flag_overdue_requests)
