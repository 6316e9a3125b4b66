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
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from renkei.contacts.dedup.engine import Decision, Record, compare_people
from renkei.contacts.dedup.matching import STRONG_CANDIDATES, WEAK_CANDIDATES
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
    # (email, phone, name key, reading key) when the caller has them already (a contact
    # built by `build_contact` holds them normalized), saving their computation.
    known_keys: tuple[str, str, str, str] | None = field(default=None, compare=False)

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    def keys(self) -> tuple[str, str, str, str]:
        """(email, phone, name key, reading key) as find_contact_match computes them."""
        if self.known_keys is not None:
            return self.known_keys
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
    """The decision for one record and the id of the contact it concerns (None when
    separate)."""

    decision: Decision
    contact_id: int | None = None
    reasons: list[str] = field(default_factory=list)
    # Set instead of contact_id when the record matches an earlier record of the batch.
    batch_index: int | None = None


@dataclass(frozen=True)
class _Candidate:
    pk: int
    email: str
    phone: str
    name_key: str
    kana_key: str
    record: Record


_COLUMNS = (
    "id", "family_name", "given_name", "family_name_kana", "given_name_kana", "email", "phone",
    "name_key", "kana_key", "account__name", "account__corporate_number", "account__website",
    "account__domain",
)  # fmt: skip


def _candidate(row: tuple) -> _Candidate:
    pk, family, given, f_kana, g_kana, email, phone, name_key, kana_key = row[:9]
    company, number, website, domain = row[9:]
    return _Candidate(
        pk,
        email,
        phone,
        name_key,
        kana_key,
        Record(
            company=company or "",
            name=f"{family} {given}".strip(),
            kana=f"{f_kana} {g_kana}".strip(),
            email=email,
            phone=phone,
            corporate_number=number or "",
            website=website or domain or "",
        ),
    )


def _chunks(values: set[str]) -> list[list[str]]:
    ordered = sorted(v for v in values if v)
    return [ordered[i : i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]


_LATERAL_COLUMNS = (
    "c.id, c.family_name, c.given_name, c.family_name_kana, c.given_name_kana, c.email, "
    "c.phone, c.name_key, c.kana_key, a.name, a.corporate_number, a.website, a.domain"
)


def _candidate_rows(column: str, values: list[str], limit: int) -> Iterable[tuple]:
    """The oldest `limit` contacts for each of `values` of `column`, as _COLUMNS tuples."""
    if connection.vendor == "postgresql":
        # One index lookup per value (LATERAL … LIMIT): the window function below made
        # PostgreSQL scan and sort every contact sharing a common name.
        sql = (
            f"SELECT {_LATERAL_COLUMNS} FROM unnest(%s::text[]) AS k(v) "  # noqa: S608
            "CROSS JOIN LATERAL (SELECT * FROM contacts_contact c0 "
            f"WHERE c0.{column} = k.v ORDER BY c0.id LIMIT %s) c "
            "LEFT JOIN contacts_account a ON a.id = c.account_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [values, limit])
            return cursor.fetchall()
    return (
        Contact.objects.filter(Q(**{f"{column}__in": values}))
        .annotate(rank=Window(RowNumber(), partition_by=F(column), order_by=F("id").asc()))
        .filter(rank__lte=limit)
        .order_by()
        .values_list(*_COLUMNS)
    )


class BatchContactMatcher:
    """Candidates for a batch of incoming records, fetched at once."""

    def __init__(self, records: list[Incoming]) -> None:
        self.keys = [r.keys() for r in records]
        self.by_email: dict[str, list[_Candidate]] = defaultdict(list)
        self.by_phone: dict[str, list[_Candidate]] = defaultdict(list)
        self.by_name: dict[str, list[_Candidate]] = defaultdict(list)
        self.by_kana: dict[str, list[_Candidate]] = defaultdict(list)
        emails = {k[0] for k in self.keys}
        phones = {k[1] for k in self.keys}
        names = {k[2] for k in self.keys}
        kanas = {k[3] for k in self.keys}
        seen: set[int] = set()
        for column, values, limit in (
            ("email", emails, STRONG_CANDIDATES), ("phone", phones, STRONG_CANDIDATES),
            ("name_key", names, WEAK_CANDIDATES), ("kana_key", kanas, WEAK_CANDIDATES),
        ):  # fmt: skip
            for chunk in _chunks(values):
                # Only the oldest `limit` contacts of each value: a record is compared with
                # at most that many per kind of key (find_contact_match's rule), and a
                # common name (佐藤 太郎) can have hundreds. No ORDER BY: sorted below.
                rows = _candidate_rows(column, chunk, limit)
                for row in rows:
                    if row[0] in seen:
                        continue
                    seen.add(row[0])
                    candidate = _candidate(row)
                    if candidate.email and candidate.email in emails:
                        self.by_email[candidate.email].append(candidate)
                    if candidate.phone and candidate.phone in phones:
                        self.by_phone[candidate.phone].append(candidate)
                    if candidate.name_key and candidate.name_key in names:
                        self.by_name[candidate.name_key].append(candidate)
                    if candidate.kana_key and candidate.kana_key in kanas:
                        self.by_kana[candidate.kana_key].append(candidate)
        for index in (self.by_email, self.by_phone, self.by_name, self.by_kana):
            for candidates in index.values():
                candidates.sort(key=lambda c: c.pk)
        # The batch's own records, so that two records of one file that describe the same
        # person are found whether or not they land in the same batch.
        self.records = records
        self.batch_strong: dict[str, list[int]] = defaultdict(list)
        self.batch_weak: dict[str, list[int]] = defaultdict(list)
        for position, (address, phone, name_key, kana_key) in enumerate(self.keys):
            for key in (f"e:{address}" if address else "", f"p:{phone}" if phone else ""):
                if key:
                    self.batch_strong[key].append(position)
            for key in (f"n:{name_key}" if name_key else "", f"k:{kana_key}" if kana_key else ""):
                if key:
                    self.batch_weak[key].append(position)

    @staticmethod
    def _oldest(*groups: list[_Candidate], limit: int) -> list[_Candidate]:
        merged = {c.pk: c for group in groups for c in group}
        return [merged[pk] for pk in sorted(merged)[:limit]]

    def match(self, index: int, incoming: Incoming) -> Found:
        """The decision for the `index`-th record of the batch (see find_contact_match)."""
        address, phone, name_key, kana_key = self.keys[index]
        found: dict[int, _Candidate] = {}
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
            for candidate in weak:
                found.setdefault(candidate.pk, candidate)
        best = Found(Decision.SEPARATE)
        record = incoming.record()
        for candidate in found.values():
            verdict = compare_people(record, candidate.record)
            if _RANK[verdict.decision] > _RANK[best.decision]:
                best = Found(verdict.decision, candidate.pk, list(verdict.reasons))
                if verdict.decision == Decision.MERGE:
                    return best
        for earlier in self._earlier(index, address, phone, name_key, kana_key):
            verdict = compare_people(record, self.records[earlier].record())
            if _RANK[verdict.decision] > _RANK[best.decision]:
                best = Found(verdict.decision, None, list(verdict.reasons), batch_index=earlier)
                if verdict.decision == Decision.MERGE:
                    break
        return best

    def _earlier(
        self, index: int, address: str, phone: str, name_key: str, kana_key: str
    ) -> list[int]:
        """Records before `index` in the batch sharing a key with it, nearest first, as
        many as find_contact_match would compare from the database."""
        strong = {
            i
            for key in (f"e:{address}" if address else "", f"p:{phone}" if phone else "")
            if key
            for i in self.batch_strong.get(key, ())
            if i < index
        }
        weak = {
            i
            for key in (f"n:{name_key}" if name_key else "", f"k:{kana_key}" if kana_key else "")
            if key
            for i in self.batch_weak.get(key, ())
            if i < index
        } - strong
        return (
            sorted(strong, reverse=True)[:STRONG_CANDIDATES]
            + sorted(weak, reverse=True)[:WEAK_CANDIDATES]
        )
