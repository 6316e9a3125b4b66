"""The duplicate review queue and the merges of contacts and accounts.

A merge keeps everything: every row that points at the duplicate (stage and status history,
touches, consent records, form submissions, external ids, contacts of an account …) is moved
to the survivor with QuerySet.update, field conflicts are resolved by rule or by the
reviewer's choice, the duplicate row is deleted, and the audit log gets one `merge` entry
holding both records' snapshots, so the merge could be reconstructed by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.contacts.choices import ConsentStatus, LifecycleStage, SourceChannel
from renkei.contacts.dedup.choices import DuplicateKind, DuplicateStatus, MergeSide
from renkei.contacts.dedup.engine import Decision
from renkei.contacts.models import Account, Contact, DuplicateCandidate
from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.core.models import User

# Fields a reviewer may choose between; the others follow fixed rules (see merge_contacts).
CONTACT_MERGE_FIELDS = (
    "family_name", "given_name", "family_name_kana", "given_name_kana", "email", "phone",
    "department", "title", "account", "owner", "source_channel", "source_campaign",
)  # fmt: skip
ACCOUNT_MERGE_FIELDS = (
    "name", "name_kana", "corporate_number", "website", "domain", "industry",
    "employee_band", "prefecture", "owner",
)  # fmt: skip
# Values that count as blank, so the other record's value fills them.
_BLANK_DEFAULTS: dict[str, Any] = {"source_channel": SourceChannel.OTHER}


class MergeError(Exception):
    """A merge or review decision the queue refuses; `message` is translated for the user."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- the review queue --------------------------------------------------------------------


def _kind_of(record: Contact | Account) -> DuplicateKind:
    return DuplicateKind.CONTACT if isinstance(record, Contact) else DuplicateKind.ACCOUNT


def _sides(kind: str) -> tuple[str, str]:
    return (
        ("contact_a", "contact_b") if kind == DuplicateKind.CONTACT else ("account_a", "account_b")
    )


def flag_duplicate(
    a: Contact | Account,
    b: Contact | Account,
    *,
    reasons: list[str],
    decision: str = Decision.REVIEW,
) -> DuplicateCandidate:
    """Put a pair in the review queue. Flagging a pair again returns the existing row
    unchanged (a dismissed pair stays dismissed)."""
    if type(a) is not type(b):
        raise ValueError("a duplicate pair is two contacts or two accounts")
    if a.pk is None or b.pk is None or a.pk == b.pk:
        raise ValueError("a duplicate pair is two different saved records")
    kind = _kind_of(a)
    low, high = sorted((a, b), key=lambda r: r.pk)
    side_a, side_b = _sides(kind)
    candidate, _created = DuplicateCandidate.objects.get_or_create(
        pair_key=DuplicateCandidate.key_for(kind, low.pk, high.pk),
        defaults={
            "kind": kind,
            side_a: low,
            side_b: high,
            "decision": decision,
            "reasons": list(reasons),
        },
    )
    return candidate


def flag_duplicates(
    kind: str, pairs: list[tuple[int, int, list[str]]], *, decision: str = Decision.REVIEW
) -> int:
    """`flag_duplicate` for many pairs of saved records of one kind, given by id, in one
    statement (an import's path). Pairs already in the queue stay as they are; returns the
    number of pairs sent."""
    side_a, side_b = _sides(kind)
    rows = {}
    for a, b, reasons in pairs:
        if a == b:
            raise ValueError("a duplicate pair is two different saved records")
        low, high = sorted((a, b))
        key = DuplicateCandidate.key_for(kind, low, high)
        rows.setdefault(
            key,
            DuplicateCandidate(
                pair_key=key,
                kind=kind,
                decision=decision,
                reasons=list(reasons),
                **{f"{side_a}_id": low, f"{side_b}_id": high},
            ),
        )
    DuplicateCandidate.objects.bulk_create(rows.values(), batch_size=500, ignore_conflicts=True)
    return len(rows)


def _lock_open_candidate(candidate: DuplicateCandidate) -> DuplicateCandidate:
    locked = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.status != DuplicateStatus.OPEN:
        raise MergeError(_("This pair has already been decided."), code="already_decided")
    return locked


@transaction.atomic
def dismiss_candidate(candidate: DuplicateCandidate, *, actor: User | None) -> DuplicateCandidate:
    """The reviewer says the pair are different records; it will not be flagged again."""
    locked = _lock_open_candidate(candidate)
    locked.status = DuplicateStatus.DISMISSED
    locked.decided_by = actor if actor is not None and actor.pk else None
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def merge_candidate(
    candidate: DuplicateCandidate,
    *,
    actor: User | None,
    survivor_id: int | None = None,
    field_choices: dict[str, str] | None = None,
) -> Contact | Account:
    """Merge a queued pair; the survivor is `a` (the older record) unless chosen."""
    locked = _lock_open_candidate(candidate)
    side_a, side_b = _sides(locked.kind)
    a, b = getattr(locked, side_a), getattr(locked, side_b)
    if a is None or b is None:
        raise MergeError(_("One of these records no longer exists."), code="missing_record")
    if survivor_id not in (None, a.pk, b.pk):
        raise MergeError(_("The surviving record must be one of the pair."), code="bad_survivor")
    survivor, duplicate = (b, a) if survivor_id == b.pk else (a, b)
    if locked.kind == DuplicateKind.CONTACT:
        return merge_contacts(survivor, duplicate, actor=actor, field_choices=field_choices)
    return merge_accounts(survivor, duplicate, actor=actor, field_choices=field_choices)


def _close_candidates(
    kind: str, survivor: models.Model, duplicate: models.Model, actor: User | None, now: dt.datetime
) -> None:
    """Mark the merged pair decided and point the duplicate's other open pairs at the survivor."""
    side_a, side_b = _sides(kind)
    DuplicateCandidate.objects.filter(
        pair_key=DuplicateCandidate.key_for(kind, survivor.pk, duplicate.pk)
    ).update(
        status=DuplicateStatus.MERGED,
        decided_by=actor if actor is not None and actor.pk else None,
        decided_at=now,
    )
    involved = DuplicateCandidate.objects.select_for_update().filter(
        Q(**{side_a: duplicate}) | Q(**{side_b: duplicate}), status=DuplicateStatus.OPEN
    )
    for candidate in involved:
        other_id = getattr(candidate, f"{side_b}_id")
        if other_id == duplicate.pk:
            other_id = getattr(candidate, f"{side_a}_id")
        if other_id is None or other_id == survivor.pk:
            candidate.delete()
            continue
        key = DuplicateCandidate.key_for(kind, survivor.pk, other_id)
        if DuplicateCandidate.objects.filter(pair_key=key).exists():
            candidate.delete()  # the survivor's own pair with that record says it already
            continue
        low, high = sorted((survivor.pk, other_id))
        DuplicateCandidate.objects.filter(pk=candidate.pk).update(
            pair_key=key, **{f"{side_a}_id": low, f"{side_b}_id": high}
        )


# --- merging -------------------------------------------------------------------------------


def _is_blank(field: str, value: Any) -> bool:
    return value is None or value == "" or value == _BLANK_DEFAULTS.get(field, object())


def _merge_fields(
    survivor: models.Model,
    duplicate: models.Model,
    fields: tuple[str, ...],
    field_choices: dict[str, str] | None,
) -> None:
    """Survivor's non-blank value wins unless `field_choices` picks the duplicate's;
    the survivor's blanks are filled from the duplicate."""
    choices = dict(field_choices or {})
    unknown = set(choices) - set(fields)
    if unknown:
        raise ValueError(f"cannot choose these fields: {sorted(unknown)}")
    for name, side in choices.items():
        if side not in MergeSide.values:
            raise ValueError(f"{name}: choose {MergeSide.SURVIVOR} or {MergeSide.DUPLICATE}")
    for name in fields:
        attname = survivor._meta.get_field(name).attname
        mine, theirs = getattr(survivor, attname), getattr(duplicate, attname)
        if choices.get(name) == MergeSide.DUPLICATE or (
            _is_blank(name, mine) and not _is_blank(name, theirs)
        ):
            setattr(survivor, attname, theirs)


def _plain_row(obj: models.Model) -> dict[str, Any]:
    return {f.attname: audit._plain(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}


MergePreparer = Callable[[models.Model, models.Model], None]
_MERGE_PREPARERS: list[MergePreparer] = []


def register_merge_preparer(preparer: MergePreparer) -> MergePreparer:
    """Apps above contacts register `preparer(survivor, duplicate)`, run before a merge
    moves the rows: it resolves rows of theirs that the move would make clash (two
    memberships of one campaign), so contacts never imports them."""
    _MERGE_PREPARERS.append(preparer)
    return preparer


def _move_related(survivor: models.Model, duplicate: models.Model) -> dict[str, Any]:
    """Point every row that references the duplicate at the survivor.

    A one-to-one row the survivor already has keeps its values and takes the duplicate's
    where it has none (dicts are combined, the survivor's keys winning); the duplicate's row
    is deleted with it and its values are returned for the audit log. A unique constraint
    that a move would break aborts the whole merge (the transaction rolls back).
    """
    for prepare in _MERGE_PREPARERS:
        prepare(survivor, duplicate)
    moved: dict[str, int] = {}
    combined: list[dict[str, Any]] = []
    for relation in type(survivor)._meta.related_objects:
        model = relation.related_model
        if model is DuplicateCandidate:
            continue
        label = model._meta.label
        if relation.many_to_many:
            accessor = relation.get_accessor_name()
            assert accessor is not None
            targets = list(getattr(duplicate, accessor).all())
            getattr(survivor, accessor).add(*targets)
            moved[label] = len(targets)
            continue
        field_name = relation.field.name
        rows = model._base_manager.filter(**{field_name: duplicate})
        if relation.one_to_one:
            theirs = rows.first()
            if theirs is None:
                continue
            mine = model._base_manager.filter(**{field_name: survivor}).first()
            if mine is None:
                moved[label] = rows.update(**{field_name: survivor})
                continue
            updates: dict[str, Any] = {}
            for f in model._meta.concrete_fields:
                if f.primary_key or f.name == field_name:
                    continue
                a, b = getattr(mine, f.attname), getattr(theirs, f.attname)
                if isinstance(a, dict) and isinstance(b, dict):
                    if {**b, **a} != a:
                        updates[f.attname] = {**b, **a}
                elif _is_blank(f.name, a) and not _is_blank(f.name, b):
                    updates[f.attname] = b
            if updates:
                model._base_manager.filter(pk=mine.pk).update(**updates)
            combined.append({"model": label, "row": _plain_row(theirs)})
            continue
        moved[label] = rows.update(**{field_name: survivor})
    return {"moved": {k: v for k, v in moved.items() if v}, "combined": combined}


def _lock_pair[T: (Contact, Account)](model: type[T], survivor: T, duplicate: T) -> tuple[T, T]:
    if survivor.pk is None or duplicate.pk is None or survivor.pk == duplicate.pk:
        raise MergeError(_("A record cannot be merged into itself."), code="same_record")
    # Lock in id order so two merges of overlapping pairs cannot deadlock.
    rows = {
        row.pk: row
        for row in model._base_manager.select_for_update()
        .filter(pk__in=[survivor.pk, duplicate.pk])
        .order_by("pk")
    }
    if len(rows) != 2:
        raise MergeError(_("One of these records no longer exists."), code="missing_record")
    return rows[survivor.pk], rows[duplicate.pk]


def _earliest(*values: dt.datetime | None) -> dt.datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _merge_lifecycle(survivor: Contact, duplicate: Contact) -> None:
    """The further-along stage wins (with its status); each became_*_at is the earliest."""
    if LifecycleStage.rank(duplicate.lifecycle_stage) > LifecycleStage.rank(
        survivor.lifecycle_stage
    ):
        survivor.lifecycle_stage = duplicate.lifecycle_stage
        survivor.lead_status = duplicate.lead_status
        survivor.stage_changed_at = duplicate.stage_changed_at
    for stage in LifecycleStage.values:
        name = f"became_{stage}_at"
        setattr(survivor, name, _earliest(getattr(survivor, name), getattr(duplicate, name)))


def _merge_log(
    survivor: models.Model,
    *,
    before: dict[str, Any],
    duplicate_id: int,
    duplicate_snapshot: dict[str, Any],
    related: dict[str, Any],
    actor: User | None,
    at: dt.datetime,
) -> None:
    after = audit.snapshot(survivor)
    changes: dict[str, Any] = {
        "fields": audit.diff(before, after),
        "survivor_id": survivor.pk,
        "survivor_before": before,
        "duplicate_id": duplicate_id,
        "duplicate": duplicate_snapshot,
        **related,
    }
    audit.record(
        survivor,
        action=AuditAction.MERGE,
        actor=actor,
        changes=cast(dict[str, list[Any]], changes),
        at=at,
    )


@transaction.atomic
def merge_contacts(
    survivor: Contact,
    duplicate: Contact,
    *,
    actor: User | None,
    field_choices: dict[str, str] | None = None,
) -> Contact:
    """Merge `duplicate` into `survivor` and delete it; returns the updated survivor.

    Rules: the survivor's non-blank values win unless `field_choices` maps a field to
    "duplicate"; its blanks are filled from the duplicate. The lifecycle stage is the
    further along of the two and every became_*_at the earliest; the first touch and the
    creation time are the earliest; an opt-out on either side wins (a person who said no
    must not be mailed). Everything that pointed at the duplicate moves to the survivor.
    """
    survivor, duplicate = _lock_pair(Contact, survivor, duplicate)
    now = timezone.now()
    before = audit.snapshot(survivor)
    duplicate_snapshot = audit.snapshot(duplicate)
    duplicate_snapshot["created_at"] = audit._plain(duplicate.created_at)
    duplicate_id = duplicate.pk

    _merge_fields(survivor, duplicate, CONTACT_MERGE_FIELDS, field_choices)
    _merge_lifecycle(survivor, duplicate)
    if duplicate.first_touch_at and (
        survivor.first_touch_at is None or duplicate.first_touch_at < survivor.first_touch_at
    ):
        survivor.first_touch_at = duplicate.first_touch_at
        survivor.first_touch_url = duplicate.first_touch_url or survivor.first_touch_url
    elif not survivor.first_touch_url:
        survivor.first_touch_url = duplicate.first_touch_url
    survivor.created_at = min(survivor.created_at, duplicate.created_at)
    consents = {survivor.consent_status, duplicate.consent_status}
    if ConsentStatus.OPTED_OUT in consents:
        survivor.consent_status = ConsentStatus.OPTED_OUT
    elif ConsentStatus.OPTED_IN in consents:
        survivor.consent_status = ConsentStatus.OPTED_IN

    related = _move_related(survivor, duplicate)
    _close_candidates(DuplicateKind.CONTACT, survivor, duplicate, actor, now)
    duplicate.delete()
    survivor.refresh_derived_fields()
    survivor.save()
    _merge_log(
        survivor,
        before=before,
        duplicate_id=duplicate_id,
        duplicate_snapshot=duplicate_snapshot,
        related=related,
        actor=actor,
        at=now,
    )
    return survivor


@transaction.atomic
def merge_accounts(
    survivor: Account,
    duplicate: Account,
    *,
    actor: User | None,
    field_choices: dict[str, str] | None = None,
) -> Account:
    """Merge `duplicate` into `survivor` and delete it; returns the updated survivor.

    The duplicate's contacts (and anything else pointing at it) move to the survivor; field
    conflicts follow the same rule as contacts (survivor's non-blank values win unless
    `field_choices` says otherwise; blanks are filled from the duplicate).
    """
    survivor, duplicate = _lock_pair(Account, survivor, duplicate)
    now = timezone.now()
    before = audit.snapshot(survivor)
    duplicate_snapshot = audit.snapshot(duplicate)
    duplicate_id = duplicate.pk
    moved_contact_ids = list(duplicate.contacts.values_list("pk", flat=True))

    _merge_fields(survivor, duplicate, ACCOUNT_MERGE_FIELDS, field_choices)
    related = _move_related(survivor, duplicate)
    related["contact_ids"] = moved_contact_ids
    _close_candidates(DuplicateKind.ACCOUNT, survivor, duplicate, actor, now)
    duplicate.delete()  # first, so a corporate number taken from it stays unique
    survivor.refresh_derived_fields()
    survivor.save()
    # The moved contacts' search text names their (new) company.
    contacts = list(Contact.objects.filter(pk__in=moved_contact_ids).select_related("account"))
    for contact in contacts:
        contact.refresh_derived_fields()
    Contact.objects.bulk_update(contacts, ["search_text", "search_grams"], batch_size=500)
    _merge_log(
        survivor,
        before=before,
        duplicate_id=duplicate_id,
        duplicate_snapshot=duplicate_snapshot,
        related=related,
        actor=actor,
        at=now,
    )
    return survivor
