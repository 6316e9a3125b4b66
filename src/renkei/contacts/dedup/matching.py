"""Find the existing account or contact that incoming data describes.

Imports, forms and the API call these for every incoming record, so each lookup is a couple
of indexed queries (corporate number, name key, registrable domain for accounts; email,
phone, name key and reading key for contacts) followed by the pure engine on the few
candidates found. The best candidate wins: merge beats review; among equals, the oldest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

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
    clean_corporate_number,
    clean_email,
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
    """The outcome of a lookup: a decision, the record it concerns (None when separate)."""

    decision: Decision
    record: T | None = None
    reasons: list[str] = field(default_factory=list)

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
    number = clean_corporate_number(value) if value else ""
    return number if len(number) == 13 and number.isdigit() else ""


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


def _best[T: (Account, Contact)](
    candidates: list[tuple[T, Record]], incoming: Record, compare: Comparator
) -> Match[T]:
    best: Match[T] = Match(Decision.SEPARATE)  # first among equals wins
    for obj, record in candidates:
        verdict = compare(incoming, record)
        if _RANK[verdict.decision] > _RANK[best.decision]:
            best = Match(verdict.decision, obj, verdict.reasons)
            if verdict.decision == Decision.MERGE:
                break
    return best


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
    key = account_match_key(name) if name else ""
    domain = account_domain_key(website) if website else ""
    query = Q()
    if number:
        query |= Q(corporate_number=number)
    if key:
        query |= Q(match_key=key)
    if domain:
        query |= Q(domain_key=domain)
    if not query:
        return Match(Decision.SEPARATE)
    accounts = Account.objects.filter(query)
    if exclude_id is not None:
        accounts = accounts.exclude(pk=exclude_id)
    # Prefer the corporate number's account, then the oldest.
    found = list(accounts.order_by("id")[: STRONG_CANDIDATES + WEAK_CANDIDATES])
    found.sort(key=lambda a: (a.corporate_number != number if number else False, a.pk))
    incoming = Record(company=name, kana=name_kana, corporate_number=number, website=website)
    return _best([(a, account_record(a)) for a in found], incoming, compare_companies)


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
    name_key = person_name_key(full_name) if full_name else ""
    kana_key = reading_key(family_name_kana + given_name_kana)

    strong = Q()
    if address:
        strong |= Q(email=address)
    if parsed_phone:
        strong |= Q(phone=parsed_phone.e164)
    weak = Q()
    if name_key:
        weak |= Q(name_key=name_key)
    if kana_key:
        weak |= Q(kana_key=kana_key)

    base = Contact.objects.select_related("account").order_by("id")
    if exclude_id is not None:
        base = base.exclude(pk=exclude_id)
    found: dict[int, Contact] = {}
    if strong:
        found.update((c.pk, c) for c in base.filter(strong)[:STRONG_CANDIDATES])
    if weak:
        for contact in base.filter(weak)[:WEAK_CANDIDATES]:
            found.setdefault(contact.pk, contact)
    if not found:
        return Match(Decision.SEPARATE)
    incoming = Record(
        company=company,
        name=full_name,
        kana=f"{family_name_kana} {given_name_kana}".strip(),
        email=email,
        phone=phone,
        corporate_number=corporate_number,
        website=website,
    )
    # Candidates found by email or phone come first: on equal decisions they win.
    candidates = [(c, contact_record(c)) for c in found.values()]
    return _best(candidates, incoming, compare_people)
