"""Batched duplicate lookup for imports.

`renkei.contacts.dedup.matching.find_contact_match` runs two queries per record. An import
asks about a thousand records at a time, so `BatchContactMatcher` fetches the candidates of
a whole batch in two queries (strong keys: email and phone; weak keys: name and reading),
then picks each record's candidates exactly as `find_contact_match` does (the oldest
`STRONG_CANDIDATES` by email or phone first, then the oldest `WEAK_CANDIDATES` by name or
reading) and lets the same engine (`compare_people`) decide. A test checks that both give
the same decision and contact.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from renkei.contacts.dedup.engine import Decision, Record, compare_people
from renkei.contacts.dedup.matching import STRONG_CANDIDATES, WEAK_CANDIDATES, contact_record
from renkei.contacts.models import Contact
from renkei.contacts.normalize import (
    clean_email,
    normalize_email,
    parse_phone,
    person_name_key,
    reading_key,
)

_RANK = {Decision.MERGE: 2, Decision.REVIEW: 1, Decision.SEPARATE: 0}
_CHUNK = 900


@dataclass(frozen=True)
class Incoming:
    """The values of one incoming record, as `find_contact_match` takes them."""

    family_name: str = ""
    given_name: str = ""
    family_name_kana: str = ""
    given_name_kana: str = ""
    email: str = ""
    phone: str = ""
    company: str = ""
    corporate_number: str = ""
    website: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    def keys(self) -> tuple[str, str, str, str]:
        """(email, phone, name key, reading key) as find_contact_match computes them."""
        address = (clean_email(self.email) or normalize_email(self.email)) if self.email else ""
        parsed = parse_phone(self.phone) if self.phone else None
        name_key = person_name_key(self.full_name) if self.full_name else ""
        kana_key = reading_key(self.family_name_kana + self.given_name_kana)
        return address, parsed.e164 if parsed else "", name_key, kana_key

    def record(self) -> Record:
        return Record(
            company=self.company,
            name=self.full_name,
            kana=f"{self.family_name_kana} {self.given_name_kana}".strip(),
            email=self.email,
            phone=self.phone,
            corporate_number=self.corporate_number,
            website=self.website,
        )


@dataclass
class Found:
    """The decision for one record and the contact it concerns (None when separate)."""

    decision: Decision
    contact: Contact | None = None
    reasons: list[str] = field(default_factory=list)


def _chunks(values: set[str]) -> list[list[str]]:
    ordered = sorted(v for v in values if v)
    return [ordered[i : i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]


class BatchContactMatcher:
    """Candidates for a batch of incoming records, fetched at once."""

    def __init__(self, records: list[Incoming]) -> None:
        self.keys = [r.keys() for r in records]
        self.by_email: dict[str, list[Contact]] = defaultdict(list)
        self.by_phone: dict[str, list[Contact]] = defaultdict(list)
        self.by_name: dict[str, list[Contact]] = defaultdict(list)
        self.by_kana: dict[str, list[Contact]] = defaultdict(list)
        self._records: dict[int, Record] = {}
        emails = {k[0] for k in self.keys}
        phones = {k[1] for k in self.keys}
        names = {k[2] for k in self.keys}
        kanas = {k[3] for k in self.keys}
        base = Contact.objects.select_related("account").order_by("id")
        seen: set[int] = set()
        for column, values in (("email", emails), ("phone", phones)):
            for chunk in _chunks(values):
                for contact in base.filter(Q(**{f"{column}__in": chunk})):
                    self._index(contact, seen, emails, phones, names, kanas)
        for column, values in (("name_key", names), ("kana_key", kanas)):
            for chunk in _chunks(values):
                for contact in base.filter(Q(**{f"{column}__in": chunk})):
                    self._index(contact, seen, emails, phones, names, kanas)
        for index in (self.by_email, self.by_phone, self.by_name, self.by_kana):
            for contacts in index.values():
                contacts.sort(key=lambda c: c.pk)

    def _index(
        self,
        contact: Contact,
        seen: set[int],
        emails: set[str],
        phones: set[str],
        names: set[str],
        kanas: set[str],
    ) -> None:
        if contact.pk in seen:
            return
        seen.add(contact.pk)
        if contact.email and contact.email in emails:
            self.by_email[contact.email].append(contact)
        if contact.phone and contact.phone in phones:
            self.by_phone[contact.phone].append(contact)
        if contact.name_key and contact.name_key in names:
            self.by_name[contact.name_key].append(contact)
        if contact.kana_key and contact.kana_key in kanas:
            self.by_kana[contact.kana_key].append(contact)

    def _record(self, contact: Contact) -> Record:
        record = self._records.get(contact.pk)
        if record is None:
            record = self._records[contact.pk] = contact_record(contact)
        return record

    @staticmethod
    def _oldest(*groups: list[Contact], limit: int) -> list[Contact]:
        merged = {c.pk: c for group in groups for c in group}
        return [merged[pk] for pk in sorted(merged)[:limit]]

    def match(self, index: int, incoming: Incoming) -> Found:
        """The decision for the `index`-th record of the batch (see find_contact_match)."""
        address, phone, name_key, kana_key = self.keys[index]
        found: dict[int, Contact] = {}
        if address or phone:
            strong = self._oldest(
                self.by_email.get(address, []) if address else [],
                self.by_phone.get(phone, []) if phone else [],
                limit=STRONG_CANDIDATES,
            )
            found.update((c.pk, c) for c in strong)
        if name_key or kana_key:
            weak = self._oldest(
                self.by_name.get(name_key, []) if name_key else [],
                self.by_kana.get(kana_key, []) if kana_key else [],
                limit=WEAK_CANDIDATES,
            )
            for contact in weak:
                found.setdefault(contact.pk, contact)
        best = Found(Decision.SEPARATE)
        if not found:
            return best
        record = incoming.record()
        for contact in found.values():
            verdict = compare_people(record, self._record(contact))
            if _RANK[verdict.decision] > _RANK[best.decision]:
                best = Found(verdict.decision, contact, list(verdict.reasons))
                if verdict.decision == Decision.MERGE:
                    break
        return best
