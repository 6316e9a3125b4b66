"""The only code that moves contacts through the funnel.

Every move locks the contact row, checks the transition table and the actor's role,
writes the new stage, and appends an immutable StageChange (and a StatusChange when the
lead status changes with it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
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
    Transition,
    entry_stages_reached,
    stages_between,
    transition,
)

# The fields a stage or status change reads and writes.
_LIFECYCLE_FIELDS = (
    "lifecycle_stage",
    "lead_status",
    "stage_changed_at",
    *(f"became_{stage}_at" for stage in LifecycleStage.values),
)


_LOCKED_FIELDS = frozenset(("id", *_LIFECYCLE_FIELDS))


def _lock(pk: int) -> Contact:
    """Lock a contact's row and read its lifecycle fields (raises Contact.DoesNotExist).

    The hottest statement of every move, written once as SQL: building it through the
    ORM cost more than running it (see docs/performance.md)."""
    table = Contact._meta.db_table
    # from_db takes the values in the model's field order.
    names = [f.attname for f in Contact._meta.concrete_fields if f.attname in _LOCKED_FIELDS]
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        sql = f"SELECT {columns} FROM {table} WHERE id = %s{lock}"  # noqa: S608 - names only
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        raise Contact.DoesNotExist(pk)
    values = []
    for name, value in zip(names, row, strict=True):
        col = Contact._meta.get_field(name).get_col(table)
        for converter in connection.ops.get_db_converters(col) + col.get_db_converters(connection):
            value = converter(value, col, connection)
        values.append(value)
    return Contact.from_db(connection.alias, names, values)


def _write(pk: int, changes: dict[str, Any]) -> None:
    """UPDATE the contact's lifecycle fields (the other half of every move, see _lock)."""
    fields = [Contact._meta.get_field(name) for name in changes]
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    params = [f.get_db_prep_save(changes[f.name], connection) for f in fields]
    table = Contact._meta.db_table
    sql = f"UPDATE {table} SET {assignments} WHERE id = %s"  # noqa: S608 - names only
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, pk])


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


def _status_event(
    contact: Contact, status: str, *, actor: Actor, at: dt.datetime, reason: str
) -> StatusChange | None:
    """The unsaved StatusChange for setting `status` (None when it is already set); the
    contact's status is updated in memory."""
    if contact.lead_status == status:
        return None
    change = StatusChange(
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


def _set_status(
    contact: Contact, status: str, *, actor: Actor, at: dt.datetime, reason: str
) -> StatusChange | None:
    change = _status_event(contact, status, actor=actor, at=at, reason=reason)
    if change is not None:
        change.save()
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


def _check_move(locked: Contact, source: str, to_stage: str, who: Actor, reason: str) -> Transition:
    """The transition for this move, or FunnelError if the table, the role, the reason or
    the lead status forbid it."""
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
    return move


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
    locked = _lock(pk)
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
    move = _check_move(locked, source, to_stage, who, reason)
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
    changes: dict[str, Any] = {"lifecycle_stage": to_stage, "stage_changed_at": now}
    if move.kind == MoveKind.FORWARD:
        for reached in stages_between(source, to_stage):
            if locked.became_at(reached) is None:
                changes[f"became_{reached}_at"] = now
        _set_status(locked, STATUS_ON_ENTRY[to_stage], actor=who, at=now, reason="")
    else:
        _set_status(locked, LeadStatus.NURTURE, actor=who, at=now, reason=reason)
    changes["lead_status"] = locked.lead_status
    changes["updated_at"] = timezone.now()
    _write(pk, changes)
    if isinstance(contact, Contact):
        for field, value in changes.items():
            setattr(contact, field, value)
    return change


@dataclass(frozen=True)
class BatchResult:
    """What a batch move did: the stage changes written, and why the others were refused."""

    moved: list[StageChange]
    refused: dict[int, FunnelError]


_BATCH = 500


@transaction.atomic
def change_stages(
    contact_ids: Iterable[int],
    *,
    to_stage: str,
    actor: Actor | User,
    reason: str = "",
    at: dt.datetime | None = None,
) -> BatchResult:
    """Move many contacts to `to_stage` in one transaction — a rule qualifying the leads it
    found, a manager's bulk action. Each contact is locked and checked exactly as
    `change_stage` checks it and gets its own StageChange; the ones that may not move are
    left unchanged and reported in `refused`."""
    who = Actor.of(actor)
    reason = (reason or "").strip()
    if to_stage not in LifecycleStage.values:
        raise FunnelError(_("Unknown lifecycle stage."), "unknown_stage")
    ids = list(dict.fromkeys(contact_ids))
    locked: dict[int, Contact] = {}
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        query = Contact.objects.select_for_update().only(*_LIFECYCLE_FIELDS)
        locked.update((c.pk, c) for c in query.filter(pk__in=chunk))
    now = at or timezone.now()
    stage_events: list[StageChange] = []
    status_events: list[StatusChange] = []
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    refused: dict[int, FunnelError] = {}
    for pk in ids:
        contact = locked.get(pk)
        if contact is None:
            refused[pk] = FunnelError(_("Contact not found."), "not_found")
            continue
        source = contact.lifecycle_stage
        try:
            if to_stage == source:
                raise FunnelError(_("The contact is already in this stage."), "same_stage")
            move = _check_move(contact, source, to_stage, who, reason)
            _check_time(contact, now)
        except FunnelError as err:
            refused[pk] = err
            continue
        stage_events.append(
            StageChange(
                contact=contact,
                from_stage=source,
                to_stage=to_stage,
                kind=move.kind,
                at=now,
                actor_kind=who.kind,
                actor=who.user,
                actor_label=who.label[:100],
                reason=reason,
            )
        )
        changes: dict[str, Any] = {"lifecycle_stage": to_stage, "stage_changed_at": now}
        if move.kind == MoveKind.FORWARD:
            for reached in stages_between(source, to_stage):
                if contact.became_at(reached) is None:
                    changes[f"became_{reached}_at"] = now
            status, status_reason = STATUS_ON_ENTRY[to_stage], ""
        else:
            status, status_reason = LeadStatus.NURTURE, reason
        event = _status_event(contact, status, actor=who, at=now, reason=status_reason)
        if event is not None:
            status_events.append(event)
        changes["lead_status"] = contact.lead_status
        groups.setdefault(tuple(sorted(changes.items())), []).append(pk)
    StageChange.objects.bulk_create(stage_events, batch_size=_BATCH)
    StatusChange.objects.bulk_create(status_events, batch_size=_BATCH)
    updated_at = timezone.now()
    for key, pks in groups.items():
        for start in range(0, len(pks), _BATCH):
            Contact.objects.filter(pk__in=pks[start : start + _BATCH]).update(
                **dict(key), updated_at=updated_at
            )
    return BatchResult(moved=stage_events, refused=refused)


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
    locked = _lock(pk)
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
    changes = {"lead_status": to_status, "updated_at": timezone.now()}
    _write(pk, changes)
    if isinstance(contact, Contact):
        for field, value in changes.items():
            setattr(contact, field, value)
    return change


def _status_roles() -> tuple[str, ...]:
    from renkei.core.permissions import SALES_AND_MARKETING

    return SALES_AND_MARKETING
