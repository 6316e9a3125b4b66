"""Find the existing account or contact that incoming data describes.

Imports, forms and the API call these for every incoming record (an import may make 100,000
lookups), so each lookup is one or two indexed queries (corporate number, name key,
registrable domain for accounts; email or phone, then name key or reading key for contacts)
followed by the pure engine on the few candidates found. The candidate queries are plain
SQL built once from the models' table and column names: building them through the ORM cost
more than running them. The best candidate wins: merge beats review; among equals, the
candidates found by email or phone, then the oldest. The winning record is loaded from the
database only when the caller asks for it (`match.contact`, `match.account`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import connection

from renkei.contacts.dedup.engine import (
    Decision,
    Record,
    Verdict,
    compare_companies,
    compare_people,
)
from renkei.contacts.models import Account, Contact
from renkei.contacts.normalize import (
    account_domain_key,
    account_match_key,
    clean_email,
    corporate_number_key,
    normalize_email,
    parse_phone,
    person_name_key,
    reading_key,
)

# Caps on candidates per lookup: a common name (山田太郎) or a shared mailbox can match many
# rows; the strong keys are fetched first so they are never crowded out.
STRONG_CANDIDATES = 20
WEAK_CANDIDATES = 30
_RANK = {Decision.MERGE: 2, Decision.REVIEW: 1, Decision.SEPARATE: 0}
Comparator = Callable[[Record, Record], Verdict]


@dataclass
class Match[T: (Account, Contact)]:
    """The outcome of a lookup: a decision and the record it concerns (none when separate).

    `record_id` is known at once; `record` (alias `account` / `contact`) is loaded on first use.
    """

    decision: Decision
    record_id: int | None = None
    reasons: list[str] = field(default_factory=list)
    model: type[T] | None = field(default=None, repr=False, compare=False)
    _record: T | None = field(default=None, repr=False, compare=False)

    @property
    def record(self) -> T | None:
        if self._record is None and self.record_id is not None and self.model is not None:
            manager = self.model._default_manager
            if self.model is Contact:
                manager = manager.select_related("account")
            self._record = manager.get(pk=self.record_id)
        return self._record

    @property
    def account(self) -> T | None:
        return self.record

    @property
    def contact(self) -> T | None:
        return self.record

    @property
    def is_merge(self) -> bool:
        return self.decision == Decision.MERGE

    @property
    def is_review(self) -> bool:
        return self.decision == Decision.REVIEW


def _corporate_number(value: str) -> str:
    return corporate_number_key(value) if value else ""


def account_record(account: Account) -> Record:
    """An account as the engine sees it."""
    return Record(
        company=account.name,
        kana=account.name_kana,
        corporate_number=account.corporate_number,
        website=account.website or account.domain,
    )


def contact_record(contact: Contact) -> Record:
    """A contact as the engine sees it (its account gives the company side)."""
    account = contact.account if contact.account_id else None
    return Record(
        company=account.name if account else "",
        name=f"{contact.family_name} {contact.given_name}".strip(),
        kana=f"{contact.family_name_kana} {contact.given_name_kana}".strip(),
        email=contact.email,
        phone=contact.phone,
        corporate_number=account.corporate_number if account else "",
        website=(account.website or account.domain) if account else "",
    )


Best = tuple[Decision, int | None, list[str]]


def _best(candidates: Sequence[tuple[int, Record]], incoming: Record, compare: Comparator) -> Best:
    """(decision, id, reasons) of the best candidate; the first among equals wins."""
    best: Best = (Decision.SEPARATE, None, [])
    for pk, record in candidates:
        verdict = compare(incoming, record)
        if _RANK[verdict.decision] > _RANK[best[0]]:
            best = (verdict.decision, pk, verdict.reasons)
            if verdict.decision == Decision.MERGE:
                break
    return best


def _column(model: type[Contact] | type[Account], name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


@cache
def _contact_sql(keys: tuple[str, ...], exclude: bool, limit: int) -> str:
    contact, account = Contact._meta.db_table, Account._meta.db_table
    q = connection.ops.quote_name
    c_cols = ", ".join(
        f"c.{_column(Contact, n)}"
        for n in (
            "id", "family_name", "given_name", "family_name_kana", "given_name_kana", "email",
            "phone",
        )
    )  # fmt: skip
    a_cols = ", ".join(
        f"a.{_column(Account, n)}" for n in ("name", "corporate_number", "website", "domain")
    )
    where = " OR ".join(f"c.{_column(Contact, k)} = %s" for k in keys)
    if exclude:
        where = f"({where}) AND c.{_column(Contact, 'id')} <> %s"
    # Only names from the models' metadata go into the text; values are parameters.
    return (
        f"SELECT {c_cols}, {a_cols} FROM {q(contact)} c "  # noqa: S608
        f"LEFT JOIN {q(account)} a ON a.{_column(Account, 'id')} = c.{_column(Contact, 'account')} "
        f"WHERE {where} ORDER BY c.{_column(Contact, 'id')} LIMIT {int(limit)}"
    )


@cache
def _account_sql(keys: tuple[str, ...], exclude: bool, limit: int) -> str:
    q = connection.ops.quote_name
    cols = ", ".join(
        _column(Account, n)
        for n in ("id", "name", "name_kana", "corporate_number", "website", "domain")
    )
    where = " OR ".join(f"{_column(Account, k)} = %s" for k in keys)
    if exclude:
        where = f"({where}) AND {_column(Account, 'id')} <> %s"
    # Only names from the models' metadata go into the text; values are parameters.
    return (
        f"SELECT {cols} FROM {q(Account._meta.db_table)} WHERE {where} "  # noqa: S608
        f"ORDER BY {_column(Account, 'id')} LIMIT {int(limit)}"
    )


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _contact_row_record(row: tuple[Any, ...]) -> Record:
    _, family, given, f_kana, g_kana, email, phone, company, number, site, domain = row
    return Record(
        company=company or "",
        name=f"{family} {given}".strip(),
        kana=f"{f_kana} {g_kana}".strip(),
        email=email,
        phone=phone,
        corporate_number=number or "",
        website=site or domain or "",
    )


def find_account_match(
    *,
    name: str = "",
    corporate_number: str = "",
    website: str = "",
    name_kana: str = "",
    exclude_id: int | None = None,
) -> Match[Account]:
    """The existing account these values describe: merge, review, or separate (no account)."""
    number = _corporate_number(corporate_number)
    wanted = {
        "corporate_number": number,
        "match_key": account_match_key(name) if name else "",
        "domain_key": account_domain_key(website) if website else "",
    }
    keys = tuple(k for k, v in wanted.items() if v)
    if not keys:
        return Match(Decision.SEPARATE, model=Account)
    params: list[Any] = [wanted[k] for k in keys]
    if exclude_id is not None:
        params.append(exclude_id)
    sql = _account_sql(keys, exclude_id is not None, STRONG_CANDIDATES + WEAK_CANDIDATES)
    rows = _fetch(sql, params)
    # The account holding the corporate number first, then the oldest.
    rows.sort(key=lambda r: (bool(number) and r[3] != number, r[0]))
    candidates = [
        (pk, Record(company=nm, kana=kana, corporate_number=cn, website=site or domain))
        for pk, nm, kana, cn, site, domain in rows
    ]
    incoming = Record(company=name, kana=name_kana, corporate_number=number, website=website)
    decision, pk, reasons = _best(candidates, incoming, compare_companies)
    return Match(decision, pk, reasons, model=Account)


def find_account_matches(companies: Sequence[dict[str, str]]) -> list[Match[Account]]:
    """`find_account_match` for many companies (dicts with `name`, `corporate_number`,
    `website`, `name_kana`) with one query per key kind and chunk instead of one per
    company: the same candidates (the lowest ids matching any key, at most as many) and the
    same decisions. An import resolves a batch's companies with it."""
    limit = STRONG_CANDIDATES + WEAK_CANDIDATES
    wanted = []
    for company in companies:
        name = company.get("name", "")
        website = company.get("website", "")
        wanted.append(
            {
                "corporate_number": _corporate_number(company.get("corporate_number", "")),
                "match_key": account_match_key(name) if name else "",
                "domain_key": account_domain_key(website) if website else "",
            }
        )
    found: dict[str, dict[str, list[tuple[Any, ...]]]] = {
        key: {} for key in ("corporate_number", "match_key", "domain_key")
    }
    columns = ("id", "name", "name_kana", "corporate_number", "website", "domain")
    for key, index in found.items():
        values = sorted({w[key] for w in wanted if w[key]})
        for start in range(0, len(values), 900):
            chunk = values[start : start + 900]
            rows = Account.objects.filter(**{f"{key}__in": chunk}).values_list(key, *columns)
            for value, *row in rows:
                index.setdefault(value, []).append(tuple(row))
    matches: list[Match[Account]] = []
    for company, keys in zip(companies, wanted, strict=True):
        if not any(keys.values()):
            matches.append(Match(Decision.SEPARATE, model=Account))
            continue
        union = {
            row[0]: row for key, value in keys.items() if value for row in found[key].get(value, [])
        }
        rows = [union[pk] for pk in sorted(union)[:limit]]
        number = keys["corporate_number"]
        rows.sort(key=lambda r: (bool(number) and r[3] != number, r[0]))
        candidates = [
            (pk, Record(company=nm, kana=kana, corporate_number=cn, website=site or domain))
            for pk, nm, kana, cn, site, domain in rows
        ]
        incoming = Record(
            company=company.get("name", ""),
            kana=company.get("name_kana", ""),
            corporate_number=number,
            website=company.get("website", ""),
        )
        decision, pk, reasons = _best(candidates, incoming, compare_companies)
        matches.append(Match(decision, pk, reasons, model=Account))
    return matches


def find_contact_match(
    *,
    family_name: str = "",
    given_name: str = "",
    family_name_kana: str = "",
    given_name_kana: str = "",
    email: str = "",
    phone: str = "",
    company: str = "",
    corporate_number: str = "",
    website: str = "",
    exclude_id: int | None = None,
) -> Match[Contact]:
    """The existing contact these values describe: merge, review, or separate (no contact)."""
    address = (clean_email(email) or normalize_email(email)) if email else ""
    parsed_phone = parse_phone(phone) if phone else None
    full_name = f"{family_name} {given_name}".strip()
    strong = {"email": address, "phone": parsed_phone.e164 if parsed_phone else ""}
    weak = {
        "name_key": person_name_key(full_name) if full_name else "",
        "kana_key": reading_key(family_name_kana + given_name_kana),
    }
    incoming = Record(
        company=company,
        name=full_name,
        kana=f"{family_name_kana} {given_name_kana}".strip(),
        email=email,
        phone=phone,
        corporate_number=corporate_number,
        website=website,
    )
    seen: set[int] = set()
    best: Best = (Decision.SEPARATE, None, [])
    # Email and phone first: a merge found there needs no name lookup.
    for wanted, cap in ((strong, STRONG_CANDIDATES), (weak, WEAK_CANDIDATES)):
        keys = tuple(k for k, v in wanted.items() if v)
        if not keys:
            continue
        params: list[Any] = [wanted[k] for k in keys]
        if exclude_id is not None:
            params.append(exclude_id)
        rows = _fetch(_contact_sql(keys, exclude_id is not None, cap), params)
        candidates = [(row[0], _contact_row_record(row)) for row in rows if row[0] not in seen]
        seen.update(pk for pk, _ in candidates)
        found = _best(candidates, incoming, compare_people)
        if _RANK[found[0]] > _RANK[best[0]]:
            best = found
        if best[0] == Decision.MERGE:
            break
    decision, pk, reasons = best
    return Match(decision, pk, reasons, model=Contact)
