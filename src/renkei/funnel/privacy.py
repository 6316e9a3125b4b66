"""What the funnel holds about a person, for disclosure and erasure
(renkei.privacy.registry): the contact's stage and status history.

Erasure keeps the events — every metric (商談化率, conversion, velocity) counts them, and
they name no one: a contact id, stages, times and the acting user — but blanks their free
text reasons, which may quote the person. This is the one change ever made to these
otherwise immutable rows."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from renkei.funnel.models import StageChange, StatusChange
from renkei.privacy import registry


def collect_stages(contact: Any) -> registry.Rows:
    return registry.rows(
        StageChange.objects.filter(contact=contact).order_by("at", "id"),
        ["from_stage", "to_stage", "kind", "at", "actor_label", "reason"],
    )


def collect_statuses(contact: Any) -> registry.Rows:
    return registry.rows(
        StatusChange.objects.filter(contact=contact).order_by("at", "id"),
        ["from_status", "to_status", "at", "actor_label", "reason"],
    )


def erase_stages(contact: Any, *, actor: Any) -> dict[str, int]:
    kept = StageChange.objects.filter(contact=contact).count()
    redacted = StageChange.objects.filter(contact=contact).exclude(reason="").update(reason="")
    return {"kept": kept, "reasons_removed": redacted}


def erase_statuses(contact: Any, *, actor: Any) -> dict[str, int]:
    kept = StatusChange.objects.filter(contact=contact).count()
    redacted = StatusChange.objects.filter(contact=contact).exclude(reason="").update(reason="")
    return {"kept": kept, "reasons_removed": redacted}


def register() -> None:
    registry.register(
        "funnel.stage_changes",
        label=_("Stage history"),
        collect=collect_stages,
        erase=erase_stages,
        order=500,
    )
    registry.register(
        "funnel.status_changes",
        label=_("Status history"),
        collect=collect_statuses,
        erase=erase_statuses,
        order=510,
    )
