"""Periodic work of the marketing app."""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import task
from django.utils import timezone

from renkei.core.scheduler import periodic
from renkei.marketing import content, personas, services

logger = logging.getLogger(__name__)


@task
def retry_form_submissions() -> int:
    """Process again form submissions that failed or were left unprocessed."""
    tried = services.retry_failed_submissions()
    if tried:
        logger.info("retried %d form submissions", tried)
    return tried


periodic("marketing.retry_form_submissions", dt.timedelta(minutes=5), retry_form_submissions)


# Recently changed contacts are matched every RECENT_EVERY, looking back twice as far so a
# late or skipped run misses nobody (matching is idempotent).
RECENT_EVERY = dt.timedelta(minutes=10)


@task
def match_all_personas() -> int:
    """Match every contact to its best-fitting persona (after a persona changed)."""
    return personas.match_personas().checked


@task
def match_contact_personas(contact_ids: list[int]) -> int:
    """Match these contacts to their best-fitting persona."""
    return personas.match_personas(contact_ids).checked


@task
def match_recent_personas() -> int:
    """Match the contacts created or edited lately (or whose account was)."""
    ids = personas.recently_changed_contact_ids(timezone.now() - 2 * RECENT_EVERY)
    return personas.match_personas(ids).checked if ids else 0


periodic("marketing.match_recent_personas", RECENT_EVERY, match_recent_personas)


@task
def link_content_touches(content_id: int) -> int:
    """Link the touches of a content asset's URL to it (after it was created or moved)."""
    return content.link_touches(content_id)
