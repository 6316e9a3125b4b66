"""The only code that moves contacts through the funnel.

Every move locks the contact row, checks the transition table and the actor's role,
writes the new stage, and appends an immutable StageChange (and a StatusChange when the
lead status changes with it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.contacts import services as contact_services
from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.contacts.models import Contact
from renkei.core.models import User
from renkei.funnel.choices import ActorKind, MoveKind
from renkei.funnel.models import StageChange, StatusChange
from renkei.funnel.transitions import (
    ENTRY_STAGES,
    STATUS_ON_ENTRY,
    STATUSES_NEEDING_REASON,
    entry_stages_reached,
    stages_between,
    transition,
)


class FunnelError(Exception):
    """A move the funnel refuses; `message` is translated for the user."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a user, the system, or a named rule."""

    kind: ActorKind
    user: User | None = None
    label: str = ""

    @classmethod
    def of(cls, actor: Actor | User) -> Actor:
        if isinstance(actor, Actor):
            return actor
        return cls(kind=ActorKind.USER, user=actor, label=actor.display_name)

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(kind=ActorKind.SYSTEM, label=label)

    @classmethod
    def rule(cls, name: str) -> Actor:
        return cls(kind=ActorKind.RULE, label=name)


def _check_time(contact: Contact, at: dt.datetime) -> None:
    if contact.stage_changed_at and at < contact.stage_changed_at:
        raise FunnelError(
            _("A change cannot be dated before the contact's last stage change."),
            "before_last_change",
        )


def _set_status(
    contact: Contact, status: str, *, actor: Actor, at: dt.datetime, reason: str
) -> StatusChange | None:
    if contact.lead_status == status:
        return None
    change = StatusChange.objects.create(
        contact=contact,
        from_status=contact.lead_status,
        to_status=status,
        at=at,
        actor_kind=actor.kind,
        actor=actor.user,
        actor_label=actor.label[:100],
        reason=reason,
    )
    contact.lead_status = status
    return change


@transaction.atomic
def add_contact(
    *,
    actor: Actor | User,
    stage: str = LifecycleStage.LEAD,
    at: dt.datetime | None = None,
    reason: str = "",
    **values: Any,
) -> Contact:
    """Create a contact and record its entry into the funnel at `stage`."""
    who = Actor.of(actor)
    if stage not in ENTRY_STAGES:
        raise FunnelError(
            _("A new contact starts as a subscriber, a lead or an MQL."), "invalid_entry_stage"
        )
    now = at or timezone.now()
    values.setdefault("created_at", now)
    contact = contact_services.build_contact(**values)
    contact.lifecycle_stage = stage
    contact.lead_status = STATUS_ON_ENTRY[stage]
    for reached in entry_stages_reached(stage):
        setattr(contact, f"became_{reached}_at", now)
    contact.stage_changed_at = now
    contact.save()
    StageChange.objects.create(
        contact=contact,
        from_stage="",
        to_stage=stage,
        kind=MoveKind.ENTER,
        at=now,
        actor_kind=who.kind,
        actor=who.user,
        actor_label=who.label[:100],
        reason=reason,
    )
    contact_services.record_contact_created(contact, actor=who.user)
    return contact


@transaction.atomic
def change_stage(
    contact: Contact | int,
    *,
    to_stage: str,
    actor: Actor | User,
    reason: str = "",
    at: dt.datetime | None = None,
    expected_stage: str | None = None,
) -> StageChange:
    """Move a contact to `to_stage`, or raise FunnelError and change nothing."""
    who = Actor.of(actor)
    reason = (reason or "").strip()
    pk = contact if isinstance(contact, int) else contact.pk
    locked = Contact.objects.select_for_update().get(pk=pk)
    source = locked.lifecycle_stage
    if expected_stage is not None and expected_stage != source:
        raise FunnelError(
            _("Someone else changed this contact's stage meanwhile; reload and try again."),
            "stale",
        )
    if to_stage not in LifecycleStage.values:
        raise FunnelError(_("Unknown lifecycle stage."), "unknown_stage")
    if to_stage == source:
        raise FunnelError(_("The contact is already in this stage."), "same_stage")
    move = transition(source, to_stage)
    if move is None:
        raise FunnelError(
            _("A contact cannot move from %(source)s to %(target)s.")
            % {
                "source": LifecycleStage(source).label,
                "target": LifecycleStage(to_stage).label,
            },
            "invalid_transition",
        )
    if who.kind == ActorKind.USER:
        if who.user is None or not who.user.has_role(*move.roles):
            raise FunnelError(_("Your role may not make this move."), "forbidden")
    elif not move.automatic:
        raise FunnelError(_("Only a person may make this move."), "needs_person")
    if move.needs_reason and not reason:
        raise FunnelError(_("Moving a contact back needs a reason."), "reason_required")
    if move.kind == MoveKind.FORWARD and locked.lead_status == LeadStatus.DISQUALIFIED:
        raise FunnelError(
            _("This contact is disqualified; reopen it before moving it forward."),
            "disqualified",
        )
    now = at or timezone.now()
    _check_time(locked, now)

    change = StageChange.objects.create(
        contact=locked,
        from_stage=source,
        to_stage=to_stage,
        kind=move.kind,
        at=now,
        actor_kind=who.kind,
        actor=who.user,
        actor_label=who.label[:100],
        reason=reason,
    )
    fields = ["lifecycle_stage", "lead_status", "stage_changed_at", "updated_at"]
    if move.kind == MoveKind.FORWARD:
        for reached in stages_between(source, to_stage):
            if locked.became_at(reached) is None:
                setattr(locked, f"became_{reached}_at", now)
                fields.append(f"became_{reached}_at")
        _set_status(locked, STATUS_ON_ENTRY[to_stage], actor=who, at=now, reason="")
    else:
        _set_status(locked, LeadStatus.NURTURE, actor=who, at=now, reason=reason)
    locked.lifecycle_stage = to_stage
    locked.stage_changed_at = now
    locked.save(update_fields=fields)
    if isinstance(contact, Contact):
        contact.refresh_from_db()
    return change


@transaction.atomic
def change_status(
    contact: Contact | int,
    *,
    to_status: str,
    actor: Actor | User,
    reason: str = "",
    at: dt.datetime | None = None,
) -> StatusChange:
    """Set a contact's lead status. Nurture and disqualify, and reopening a disqualified
    contact, are human actions that need a reason."""
    who = Actor.of(actor)
    reason = (reason or "").strip()
    pk = contact if isinstance(contact, int) else contact.pk
    locked = Contact.objects.select_for_update().get(pk=pk)
    if to_status not in LeadStatus.values:
        raise FunnelError(_("Unknown lead status."), "unknown_status")
    if to_status == locked.lead_status:
        raise FunnelError(_("The contact already has this status."), "same_status")
    needs_reason = (
        to_status in STATUSES_NEEDING_REASON or locked.lead_status == LeadStatus.DISQUALIFIED
    )
    if who.kind == ActorKind.USER:
        if who.user is None or not who.user.has_role(*_status_roles()):
            raise FunnelError(_("Your role may not change lead status."), "forbidden")
    elif needs_reason:
        raise FunnelError(_("Only a person may make this change."), "needs_person")
    if needs_reason and not reason:
        raise FunnelError(_("This change needs a reason."), "reason_required")
    now = at or timezone.now()
    _check_time(locked, now)
    change = _set_status(locked, to_status, actor=who, at=now, reason=reason)
    assert change is not None
    locked.save(update_fields=["lead_status", "updated_at"])
    if isinstance(contact, Contact):
        contact.refresh_from_db()
    return change


def _status_roles() -> tuple[str, ...]:
    from renkei.core.permissions import SALES_AND_MARKETING

    return SALES_AND_MARKETING
