"""A contact's timeline: every event about them, newest first.

Later apps (touches, emails, activities, appointments) add their events by registering a
source with `register_source`; the funnel contributes stage and status changes, and the
core audit log contributes record edits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.contacts.models import Contact
from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.funnel.choices import MoveKind
from renkei.funnel.models import StageChange, StatusChange


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "stage", "status", "audit", later "touch", "email", "activity" ...
    title: str
    actor: str = ""
    detail: str = ""
    tone: str = "secondary"  # a UI hint: "primary", "success", "warning", "danger", ...
    changes: dict[str, list[object]] = field(default_factory=dict)


TimelineSource = Callable[[Contact, int], Iterable[TimelineEntry]]
_SOURCES: list[TimelineSource] = []


def register_source(source: TimelineSource) -> TimelineSource:
    _SOURCES.append(source)
    return source


def _actor_name(actor, label: str) -> str:
    return actor.display_name if actor is not None else label


@register_source
def stage_entries(contact: Contact, limit: int) -> Iterable[TimelineEntry]:
    for change in StageChange.objects.filter(contact=contact).select_related("actor")[:limit]:
        if change.kind == MoveKind.ENTER:
            title = _("Entered the funnel as %(stage)s") % {
                "stage": LifecycleStage(change.to_stage).label
            }
            tone = "info"
        else:
            title = _("%(source)s → %(target)s") % {
                "source": LifecycleStage(change.from_stage).label,
                "target": LifecycleStage(change.to_stage).label,
            }
            tone = "warning" if change.kind == MoveKind.RECYCLE else "success"
        yield TimelineEntry(
            at=change.at,
            kind="stage",
            title=title,
            actor=_actor_name(change.actor, change.actor_label),
            detail=change.reason,
            tone=tone,
        )


@register_source
def status_entries(contact: Contact, limit: int) -> Iterable[TimelineEntry]:
    for change in StatusChange.objects.filter(contact=contact).select_related("actor")[:limit]:
        yield TimelineEntry(
            at=change.at,
            kind="status",
            title=_("Status: %(source)s → %(target)s")
            % {
                "source": LeadStatus(change.from_status).label,
                "target": LeadStatus(change.to_status).label,
            },
            actor=_actor_name(change.actor, change.actor_label),
            detail=change.reason,
            tone="danger" if change.to_status == LeadStatus.DISQUALIFIED else "secondary",
        )


@register_source
def audit_entries(contact: Contact, limit: int) -> Iterable[TimelineEntry]:
    for entry in audit.history(contact).filter(action=AuditAction.UPDATE)[:limit]:
        labels = {f.name: str(f.verbose_name) for f in Contact._meta.fields}
        yield TimelineEntry(
            at=entry.at,
            kind="audit",
            title=_("Details edited"),
            actor=_actor_name(entry.actor, entry.actor_label),
            detail=", ".join(labels.get(k, k) for k in entry.changes),
            changes=entry.changes,
        )


def timeline_for(contact: Contact, limit: int = 100) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for source in _SOURCES:
        entries.extend(source(contact, limit))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
