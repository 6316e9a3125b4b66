"""Erasure tombstones: keyed hashes of an erased person's normalized email and phone.

`is_erased(email=..., phone=...)` answers whether values belong to someone erased;
`erased_matches` does it for many values in one query (an import batch); `note_hit`
records that one came back, for admins to review.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from renkei.contacts.normalize import InvalidPhoneNumber, normalize_email, normalize_phone
from renkei.privacy.choices import HitSource
from renkei.privacy.models import Tombstone, TombstoneHit


def _hash(kind: str, value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def email_hash(email: str) -> str:
    value = normalize_email(email or "")
    return _hash("email", value) if value else ""


def phone_hash(phone: str) -> str:
    if not phone:
        return ""
    try:
        value = normalize_phone(phone)
    except InvalidPhoneNumber:
        return ""
    return _hash("phone", value) if value else ""


def find_tombstone(*, email: str = "", phone: str = "") -> Tombstone | None:
    """The tombstone of a person erased with this email, if any; without an email, of a
    person erased with this phone number. (A phone is often a company's main line, so a
    different email with the same phone is someone else.)"""
    if h := email_hash(email):
        condition = Q(email_hash=h)
    elif h := phone_hash(phone):
        condition = Q(phone_hash=h)
    else:
        return None
    return Tombstone.objects.filter(condition).order_by("pk").first()


def is_erased(*, email: str = "", phone: str = "") -> bool:
    """Whether an erased person had this email or phone number."""
    return find_tombstone(email=email, phone=phone) is not None


def erased_matches(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Tombstone]:
    """For many (email, phone) pairs, the ones that belong to erased people (the rule of
    `find_tombstone`), with their tombstone: one query however many pairs."""
    if not Tombstone.objects.exists():
        # Nearly always so: no hashing (a phone number's parsing is the slow part of an
        # import row, and an import asks this for every batch).
        return {}
    hashed = [(pair, email_hash(pair[0]), phone_hash(pair[1])) for pair in pairs]
    emails = {e for _, e, _p in hashed if e}
    phones = {p for _, e, p in hashed if p and not e}
    if not emails and not phones:
        return {}
    by_email: dict[str, Tombstone] = {}
    by_phone: dict[str, Tombstone] = {}
    for tomb in Tombstone.objects.filter(Q(email_hash__in=emails) | Q(phone_hash__in=phones)):
        if tomb.email_hash:
            by_email.setdefault(tomb.email_hash, tomb)
        if tomb.phone_hash:
            by_phone.setdefault(tomb.phone_hash, tomb)
    found = {}
    for pair, e, p in hashed:
        tomb = by_email.get(e) if e else by_phone.get(p) if p else None
        if tomb is not None:
            found[pair] = tomb
    return found


def note_hit(tombstone: Tombstone, *, source: HitSource, reference: str) -> TombstoneHit:
    """Record that an erased person's email or phone came back (no values are stored)."""
    return TombstoneHit.objects.create(
        tombstone=tombstone, source=source, reference=reference[:200], at=timezone.now()
    )


def write_tombstone(*, email: str, phone: str, request_id: int | None) -> Tombstone | None:
    e, p = email_hash(email), phone_hash(phone)
    if not e and not p:
        return None
    return Tombstone.objects.create(
        email_hash=e, phone_hash=p, request_id=request_id, created_at=timezone.now()
    )
