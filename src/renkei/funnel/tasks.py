"""Background work of the funnel: qualifying leads under the active lead agreement."""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import task

from renkei.core.scheduler import periodic

logger = logging.getLogger(__name__)


@task
def qualify_leads() -> int:
    """Move every lead that meets the active agreement's MQL definition to MQL."""
    from renkei.funnel.agreement import qualify

    result = qualify()
    if result.qualified:
        logger.info(
            "lead agreement v%s qualified %d leads", result.agreement, len(result.qualified)
        )
    return len(result.qualified)


# Scores and contacts change all the time; a lead that now meets the definition becomes an
# MQL within this interval (the scoring app may also qualify a contact as soon as its score
# changes).
periodic("funnel.qualify_leads", dt.timedelta(minutes=5), qualify_leads)
