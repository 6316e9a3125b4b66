"""Worker tasks of rule scoring: rescoring contacts whose touches arrived (queued by the
marketing touch hook) and everyone after a rule set is activated."""

from __future__ import annotations

from django.tasks import task

from renkei.scoring import compute


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


def enqueue_rescore(contact_ids: list[int]) -> None:
    """The marketing touch hook's callback (runs after the touches are committed)."""
    rescore_contacts.enqueue(list(contact_ids))
