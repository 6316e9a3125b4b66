"""Which existing contact and account a form submission belongs to, through the
Japanese-aware matching engine (renkei.contacts.dedup).

- merge (an exact match): the submission updates that contact;
- review (a probable match): a new contact is created and the pair goes to the duplicate
  review queue, so a public form never attaches one person's data to another on a guess;
- separate: a new contact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from renkei.contacts.dedup.engine import Decision
from renkei.contacts.dedup.matching import find_account_match, find_contact_match
from renkei.contacts.models import Account, Contact


@dataclass(frozen=True)
class SubmissionMatch:
    """The contact to update (exact match), or a contact to flag as a probable duplicate
    of the new one (review), with the engine's reasons."""

    contact: Contact | None = None
    review: Contact | None = None
    reasons: list[str] = field(default_factory=list)


def find_contact_for_submission(values: dict[str, str]) -> SubmissionMatch:
    """Match mapped values (contact field name, or "company"/"website" → value)."""
    match = find_contact_match(
        family_name=values.get("family_name", ""),
        given_name=values.get("given_name", ""),
        family_name_kana=values.get("family_name_kana", ""),
        given_name_kana=values.get("given_name_kana", ""),
        email=values.get("email", ""),
        phone=values.get("phone", ""),
        company=values.get("company", ""),
        website=values.get("website", ""),
    )
    if match.decision == Decision.MERGE:
        return SubmissionMatch(contact=match.contact, reasons=list(match.reasons))
    if match.decision == Decision.REVIEW:
        return SubmissionMatch(review=match.contact, reasons=list(match.reasons))
    return SubmissionMatch()


def find_account_for_submission(
    company: str, website: str
) -> tuple[Account | None, Account | None, list[str]]:
    """(account to use, account to flag as a probable duplicate, reasons)."""
    match = find_account_match(name=company, website=website)
    if match.decision == Decision.MERGE:
        return match.account, None, list(match.reasons)
    if match.decision == Decision.REVIEW:
        return None, match.account, list(match.reasons)
    return None, None, []
