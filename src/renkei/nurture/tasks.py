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


@task
def run_sequences() -> int:
    """Enroll contacts in running nurture sequences and run their due steps; the emails
    they queue are delivered by deliver_email."""
    from renkei.nurture import sequences

    advanced = sequences.run_sequences()
    if advanced:
        services.run_delivery()
    return advanced


periodic("nurture.run_sequences", dt.timedelta(minutes=5), run_sequences)
