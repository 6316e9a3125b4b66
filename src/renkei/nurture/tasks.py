"""Background work of the nurture app: preparing due sends and delivering their messages."""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import task

from renkei.core.scheduler import periodic
from renkei.nurture import services

logger = logging.getLogger(__name__)


@task
def deliver_email() -> int:
    """Prepare sends that are due and deliver queued messages (retries included). Safe to
    run in several workers at once: every message is claimed before it is sent."""
    delivered = services.run_delivery()
    if delivered:
        logger.info("delivered %d email messages", delivered)
    return delivered


periodic("nurture.deliver_email", dt.timedelta(minutes=1), deliver_email)
