"""Writes of the privacy app: privacy notices, data-subject requests and what is done for
them (disclosure export, stop of use, erasure). Every step is written to the request's
history (RequestEvent) and to the audit log; neither ever holds the person's values."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.contacts import services as contact_services
from renkei.contacts.choices import ConsentStatus
from renkei.contacts.models import Contact
from renkei.contacts.normalize import (
    InvalidPhoneNumber,
    normalize_email,
    normalize_phone,
    person_name_key,
    reading_key,
)
from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.core.models import Organisation, User
from renkei.privacy import registry, tombstones
from renkei.privacy.choices import (
    OPEN_STATUSES,
    EventKind,
    HitSource,
    IdentityStatus,
    Regime,
    RequestKind,
    RequestStatus,
)
from renkei.privacy.models import DataSubjectRequest, PrivacyNotice, RequestEvent, TombstoneHit

logger = logging.getLogger(__name__)

REQUEST_FIELDS = {
    "kind", "regime", "requester_name", "requester_email", "requester_phone",
    "requester_contact", "identity_status", "identity_method", "received_at", "due_on",
    "status", "handler", "outcome", "notes",
}  # fmt: skip
# Request fields whose values may name the person: the audit log records that they
# changed, not what they were.
PERSONAL_REQUEST_FIELDS = {
    "requester_name", "requester_email", "requester_phone", "requester_contact", "notes",
    "outcome", "identity_method",
}  # fmt: skip


class PrivacyError(Exception):
    """A privacy action that cannot be done; `message` is translated."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- notices ---------------------------------------------------------------------------
def current_notice() -> PrivacyNotice | None:
    """The newest privacy notice: the one forms link to."""
    return PrivacyNotice.objects.order_by("-version").first()


def default_notice_text(language: str) -> str:
    """A starting point for the first version (R-APPI-1: purposes as specific as possible,
    profiling named so that it is foreseeable); admins edit it before publishing."""
    name = "en" if language.startswith("en") else "ja"
    return render_to_string(f"privacy/default_notice_{name}.txt").strip()


@transaction.atomic
def publish_notice(
    *, actor: User, title_ja: str, text_ja: str, title_en: str = "", text_en: str = ""
) -> PrivacyNotice:
    """Publish a new version of the privacy notice; earlier versions stay as they were
    (consent and contact records may refer to what a person saw)."""
    latest = PrivacyNotice.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0
    notice = PrivacyNotice(
        version=latest + 1,
        title_ja=title_ja.strip(),
        title_en=title_en.strip(),
        text_ja=text_ja.strip(),
        text_en=text_en.strip(),
        created_at=timezone.now(),
        created_by=actor,
    )
    notice.full_clean()
    notice.save()
    audit.record(
        notice,
        action=AuditAction.CREATE,
        actor=actor,
        changes={"version": [None, notice.version]},
    )
    return notice


# --- deadlines -------------------------------------------------------------------------
def _add_month(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def local_date(at: dt.datetime) -> dt.date:
    return at.astimezone(ZoneInfo(Organisation.current().time_zone)).date()


def today() -> dt.date:
    return local_date(timezone.now())


def due_date(received_at: dt.datetime, regime: str) -> dt.date:
    """The answer's deadline: APPI "without delay" as a target of
    PRIVACY_REQUEST_DUE_DAYS days (14 by default); GDPR one month (Art. 12(3))."""
    day = local_date(received_at)
    if regime == Regime.GDPR:
        return _add_month(day)
    return day + dt.timedelta(days=settings.PRIVACY_REQUEST_DUE_DAYS)


# --- requests --------------------------------------------------------------------------
def _event(
    request: DataSubjectRequest,
    kind: EventKind,
    *,
    actor: User | None,
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        kind=kind,
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.display_name if actor else "system",
        detail=detail or {},
    )


def _audit_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    changes = audit.diff(before, after)
    return {k: (["…", "…"] if k in PERSONAL_REQUEST_FIELDS else v) for k, v in changes.items()}


def _apply(request: DataSubjectRequest, values: dict[str, Any]) -> None:
    unknown = set(values) - REQUEST_FIELDS
    if unknown:
        raise ValueError(f"not writable here: {sorted(unknown)}")
    for key, value in values.items():
        setattr(request, key, value.strip() if isinstance(value, str) else value)
    request.requester_email = normalize_email(request.requester_email)
    if request.requester_phone:
        try:
            request.requester_phone = normalize_phone(request.requester_phone)
        except InvalidPhoneNumber:
            raise ValidationError(
                {"requester_phone": _("Enter a valid phone number, such as 03-1234-5678.")}
            ) from None
    if request.status in OPEN_STATUSES:
        request.closed_at = None
    elif request.closed_at is None:
        request.closed_at = timezone.now()


@transaction.atomic
def create_request(*, actor: User, **values: Any) -> DataSubjectRequest:
    """Record a request as received. Without `due_on`, the deadline follows the regime."""
    request = DataSubjectRequest(created_by=actor)
    values.setdefault("received_at", timezone.now())
    _apply(request, values)
    if not values.get("due_on"):
        request.due_on = due_date(request.received_at, request.regime)
    request.full_clean(exclude=["contacts"])
    request.save()
    _event(request, EventKind.RECEIVED, actor=actor, detail={"kind": request.kind})
    audit.record(
        request,
        action=AuditAction.CREATE,
        actor=actor,
        changes=_audit_changes({}, audit.snapshot(request)),
    )
    logger.info("privacy request %s received by user %s", request.pk, actor.pk)
    return request


@transaction.atomic
def update_request(
    request: DataSubjectRequest, *, actor: User, **values: Any
) -> DataSubjectRequest:
    request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
    before = audit.snapshot(request)
    _apply(request, values)
    if "regime" in values and "due_on" not in values and values["regime"] != before["regime"]:
        request.due_on = due_date(request.received_at, request.regime)
    request.full_clean(exclude=["contacts"])
    request.save()
    after = audit.snapshot(request)
    changes = _audit_changes(before, after)
    if changes:
        _event(request, EventKind.UPDATED, actor=actor, detail={"fields": sorted(changes)})
        audit.record(request, action=AuditAction.UPDATE, actor=actor, changes=changes)
    return request


@dataclass
class Candidate:
    """A contact that may be the requester, and why."""

    contact: Contact
    reasons: list[str] = field(default_factory=list)


def find_contacts(
    *, email: str = "", phone: str = "", name: str = "", kana: str = "", limit: int = 50
) -> list[Candidate]:
    """Contacts matching normalized email, phone (E.164), name or reading, the strongest
    reasons first (the same keys the duplicate finder uses)."""
    conditions: list[tuple[str, Q]] = []
    if email := normalize_email(email):
        conditions.append((_("same email"), Q(email=email)))
    if phone:
        try:
            number = normalize_phone(phone)
        except InvalidPhoneNumber:
            number = ""
        if number:
            conditions.append((_("same phone"), Q(phone=number)))
    if name and (key := person_name_key(name)[:200]):
        conditions.append((_("same name"), Q(name_key=key)))
    if kana and (key := reading_key(kana)[:200]):
        conditions.append((_("same reading"), Q(kana_key=key)))
    if not conditions:
        return []
    query = Q()
    for _label, condition in conditions:
        query |= condition
    found = list(Contact.objects.filter(query).select_related("account").order_by("pk")[:limit])
    candidates = []
    for contact in found:
        reasons = [
            label
            for label, condition in conditions
            if Contact.objects.filter(condition, pk=contact.pk).exists()
        ]
        candidates.append(Candidate(contact, reasons))
    candidates.sort(key=lambda c: (-len(c.reasons), c.contact.pk))
    return candidates


def candidates_for(request: DataSubjectRequest) -> list[Candidate]:
    return find_contacts(
        email=request.requester_email, phone=request.requester_phone, name=request.requester_name
    )


@transaction.atomic
def link_contacts(
    request: DataSubjectRequest, contacts: Iterable[Contact], *, actor: User
) -> DataSubjectRequest:
    """Set the contacts the request is about (what disclosure and erasure act on)."""
    ids = sorted({c.pk for c in contacts})
    before = sorted(request.contacts.values_list("pk", flat=True))
    if ids == before:
        return request
    request.contacts.set(ids)
    _event(request, EventKind.CONTACTS_LINKED, actor=actor, detail={"contacts": ids})
    audit.record(
        request, action=AuditAction.UPDATE, actor=actor, changes={"contacts": [before, ids]}
    )
    return request


# --- disclosure ------------------------------------------------------------------------
def collect(contact: Contact) -> dict[str, Any]:
    """Everything every registered app holds about one contact."""
    return {
        holder.name: {"label": str(holder.label), "rows": holder.collect(contact)}
        for holder in registry.holders()
    }


def disclosure(request: DataSubjectRequest) -> dict[str, Any]:
    """The disclosure document of a request: per linked contact, every holder's rows."""
    return {
        "request": request.pk,
        "generated_at": timezone.now().isoformat(),
        "contacts": [
            {"contact_id": contact.pk, "data": collect(contact)}
            for contact in request.contacts.order_by("pk")
        ],
    }


def _require_contacts(request: DataSubjectRequest) -> list[Contact]:
    contacts = list(request.contacts.order_by("pk"))
    if not contacts:
        raise PrivacyError(_("Link the contacts this request is about first."), "no_contacts")
    return contacts


def export_disclosure(request: DataSubjectRequest, *, actor: User, fmt: str) -> tuple[bytes, str]:
    """The disclosure as JSON or as a zip of CSV files (one per holder); returns the bytes
    and a file name. Logged on the request."""
    if fmt not in ("json", "csv"):
        raise PrivacyError(_("Choose JSON or CSV."))
    _require_contacts(request)
    document = disclosure(request)
    if fmt == "json":
        content = json.dumps(document, ensure_ascii=False, indent=2).encode()
        name = f"disclosure-{request.pk}.json"
    else:
        content = _csv_zip(document)
        name = f"disclosure-{request.pk}.zip"
    with transaction.atomic():
        _event(
            request,
            EventKind.EXPORTED,
            actor=actor,
            detail={"format": fmt, "contacts": [c["contact_id"] for c in document["contacts"]]},
        )
        audit.record(
            request, action=AuditAction.UPDATE, actor=actor, changes={"exported": [None, fmt]}
        )
    return content, name


def _csv_zip(document: dict[str, Any]) -> bytes:
    tables: dict[str, list[dict[str, Any]]] = {}
    for person in document["contacts"]:
        for name, section in person["data"].items():
            for row in section["rows"]:
                tables.setdefault(name, []).append({"contact_id": person["contact_id"], **row})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in sorted(tables.items()):
            columns: list[str] = []
            for row in table:
                columns += [k for k in row if k not in columns]
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\r\n")
            writer.writeheader()
            for row in table:
                writer.writerow(
                    {
                        k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                        for k, v in row.items()
                    }
                )
            # UTF-8 with a byte-order mark, so Excel opens Japanese text correctly.
            archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()


# --- stop of use and erasure -----------------------------------------------------------
@transaction.atomic
def stop_use(request: DataSubjectRequest, *, actor: User) -> int:
    """Stop marketing use of the linked contacts: their email consent becomes "opted out"
    (the send gate and segments respect it). Returns how many contacts changed."""
    if request.kind not in (RequestKind.STOP_USE, RequestKind.ERASURE):
        raise PrivacyError(_("Only a stop-of-use or erasure request stops use."), "wrong_kind")
    changed = 0
    for contact in _require_contacts(request):
        if contact.consent_status != ConsentStatus.OPTED_OUT:
            contact_services.update_contact(
                contact, actor=actor, consent_status=ConsentStatus.OPTED_OUT
            )
            changed += 1
    _event(request, EventKind.STOPPED_USE, actor=actor, detail={"contacts_changed": changed})
    return changed


def erase_request(request: DataSubjectRequest, *, actor: User) -> dict[str, Any]:
    """Erase the linked contacts everywhere the registry knows, in one transaction.

    Only an erasure request whose requester's identity is verified may erase, and only
    the contacts linked to it. Each holder removes or anonymises its rows; a tombstone
    (hashed email and phone) is kept per contact and for the requester's own address, so
    imports and forms recognise the person. Returns the holders' counts per contact.
    """
    if request.kind != RequestKind.ERASURE:
        raise PrivacyError(_("Only an erasure request erases data."), "wrong_kind")
    if request.identity_status != IdentityStatus.VERIFIED:
        raise PrivacyError(
            _("Verify the requester's identity before erasing anything."), "not_verified"
        )
    if request.erased_at is not None:
        raise PrivacyError(_("This request's data was already erased."), "already_erased")
    with transaction.atomic():
        request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
        contacts = _require_contacts(request)
        summary: dict[str, Any] = {}
        # One tombstone per distinct (email, phone) of the contacts, and the requester's
        # own address when it differs (they may have written from another address).
        keys = [(c.email, c.phone) for c in contacts]
        keys.append((request.requester_email, request.requester_phone))
        for contact in contacts:
            contact = Contact.objects.select_for_update().get(pk=contact.pk)
            summary[str(contact.pk)] = {
                holder.name: holder.erase(contact, actor=actor) for holder in registry.holders()
            }
        covered: set[str] = {""}
        hashes_written = 0
        for email, phone in keys:
            hashed = {tombstones.email_hash(email), tombstones.phone_hash(phone)}
            if hashed <= covered:
                continue
            tombstones.write_tombstone(email=email, phone=phone, request_id=request.pk)
            covered |= hashed
            hashes_written += 1
        now = timezone.now()
        request.erased_at = now
        if request.status == RequestStatus.RECEIVED:
            request.status = RequestStatus.IN_PROGRESS
        request.save(update_fields=["erased_at", "status"])
        _event(
            request,
            EventKind.ERASED,
            actor=actor,
            at=now,
            detail={"contacts": summary, "tombstones": hashes_written},
        )
        audit.record(
            request,
            action=AuditAction.DELETE,
            actor=actor,
            changes={"erased_contacts": [None, sorted(int(k) for k in summary)]},
            at=now,
        )
    logger.info("privacy request %s: %s contacts erased", request.pk, len(summary))
    return summary


# --- overdue ---------------------------------------------------------------------------
def flag_overdue_requests(now: dt.datetime | None = None) -> list[int]:
    """Mark open requests past their due date that were not flagged yet, with a history
    event and a warning in the log; returns their ids (the periodic job)."""
    now = now or timezone.now()
    flagged = []
    for request in DataSubjectRequest.objects.overdue(local_date(now)).filter(
        overdue_flagged_at__isnull=True
    ):
        with transaction.atomic():
            updated = DataSubjectRequest.objects.filter(
                pk=request.pk, overdue_flagged_at__isnull=True
            ).update(overdue_flagged_at=now)
            if updated:
                _event(request, EventKind.OVERDUE, actor=None, at=now,
                       detail={"due_on": request.due_on.isoformat()})  # fmt: skip
                flagged.append(request.pk)
                logger.warning("privacy request %s is overdue (due %s)", request.pk,
                               request.due_on)  # fmt: skip
    return flagged


# --- erased people seen again ----------------------------------------------------------
def review_hit(hit: TombstoneHit, *, actor: User, discard: bool = False) -> TombstoneHit:
    """Close the notice that an erased person's email or phone came back. With `discard`,
    a held form submission loses its data (marketing's own function does it)."""
    from renkei.marketing.privacy import discard_submission_data

    with transaction.atomic():
        discarded = False
        if discard and hit.source == HitSource.FORM:
            submission_id = int(hit.reference.rsplit(" ", 1)[-1])
            discarded = discard_submission_data(submission_id)
        hit.reviewed_at = timezone.now()
        hit.save(update_fields=["reviewed_at"])
        if hit.tombstone.request_id:
            _event(
                hit.tombstone.request,
                EventKind.SEEN_AGAIN,
                actor=actor,
                detail={"source": hit.source, "reference": hit.reference,
                        "discarded": discarded},
            )  # fmt: skip
    return hit
