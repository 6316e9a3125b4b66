"""Periodic work of the marketing app."""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import task

from renkei.core.scheduler import periodic
from renkei.marketing import services

logger = logging.getLogger(__name__)


@task
def retry_form_submissions() -> int:
    """Process again form submissions that failed or were left unprocessed."""
    tried = services.retry_failed_submissions()
    if tried:
        logger.info("retried %d form submissions", tried)
    return tried


periodic("marketing.retry_form_submissions", dt.timedelta(minutes=5), retry_form_submissions)
