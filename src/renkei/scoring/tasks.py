"""Worker tasks of rule scoring: rescoring contacts whose touches arrived (queued by the
marketing touch hook), contacts edited lately (periodic), and everyone after a rule set is
activated."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from renkei.contacts.models import Contact
from renkei.core.scheduler import periodic
from renkei.scoring import compute

# Contacts (or their companies, or their persona) changed lately are rescored every
# RECENT_EVERY, looking back twice as far so a late or skipped run misses nobody.
RECENT_EVERY = dt.timedelta(minutes=10)
CHUNK = 2000
# Past this many changed contacts (a persona re-match, an import), one set-based rescore of
# everyone is faster than rescoring them in chunks.
FULL_RESCORE_ABOVE = 10_000


@task
def rescore_contacts(contact_ids: list[int]) -> int:
    """Score these contacts with the active rule set; returns how many were scored."""
    result = compute.rescore_contacts(contact_ids)
    return result.contacts if result else 0


@task
def rescore_all_contacts(rule_set_id: int | None = None) -> int:
    """Score every contact with the active rule set (nothing when `rule_set_id` was
    replaced meanwhile); returns how many were scored."""
    result = compute.rescore_all(rule_set_id)
    return result.contacts if result else 0


@task
def rescore_recent_contacts() -> int:
    """Score the contacts edited lately: their own fields, their company's, their persona."""
    if compute.active_rule_set() is None:
        return 0
    since = timezone.now() - 2 * RECENT_EVERY
    ids = list(
        Contact.objects.filter(
            Q(updated_at__gte=since)
            | Q(account__updated_at__gte=since)
            | Q(persona_match__matched_at__gte=since)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(ids) > FULL_RESCORE_ABOVE:
        result = compute.rescore_all()
        return result.contacts if result else 0
    scored = 0
    for start in range(0, len(ids), CHUNK):
        result = compute.rescore_contacts(ids[start : start + CHUNK])
        scored += result.contacts if result else 0
    return scored


periodic("scoring.rescore_recent_contacts", RECENT_EVERY, rescore_recent_contacts)


def enqueue_rescore(contact_ids: list[int]) -> None:
    """The marketing touch hook's callback (runs after the touches are committed)."""
    rescore_contacts.enqueue(list(contact_ids))
