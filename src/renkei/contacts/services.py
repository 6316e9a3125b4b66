"""Writes to accounts and contacts. Every change is validated and written to the audit log.

Lifecycle fields are not written here: renkei.funnel.services owns them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.contacts.models import Account, Contact
from renkei.contacts.normalize import InvalidPhoneNumber, normalize_phone
from renkei.core import audit, bulk
from renkei.core.choices import AuditAction
from renkei.core.models import User

ACCOUNT_FIELDS = {
    "name", "name_kana", "corporate_number", "website", "domain", "industry",
    "employee_band", "prefecture", "owner",
}  # fmt: skip
CONTACT_FIELDS = {
    "family_name", "given_name", "family_name_kana", "given_name_kana", "email", "phone",
    "department", "title", "account", "owner", "source_channel", "source_campaign",
    "first_touch_at", "first_touch_url", "consent_status",
}  # fmt: skip


def _apply(obj: Any, allowed: set[str], values: dict[str, Any]) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not writable here: {sorted(unknown)}")
    for key, value in values.items():
        setattr(obj, key, value.strip() if isinstance(value, str) else value)


def _clean_phone(contact: Contact) -> None:
    try:
        contact.phone = normalize_phone(contact.phone)
    except InvalidPhoneNumber:
        raise ValidationError(
            {"phone": _("Enter a valid phone number, such as 03-1234-5678 or +81 3 1234 5678.")}
        ) from None


def _validate(obj: Account | Contact, *, only: Iterable[str] | None = None) -> None:
    """full_clean; with `only`, of those fields and the required ones (a new record's
    other fields hold their defaults, which are valid)."""
    exclude = ["search_text", "normalized_name", "created_at"]
    if only is not None:
        wanted = set(only)
        exclude += [
            f.name
            for f in obj._meta.fields
            if f.name not in wanted and (f.blank or f.null or f.has_default())
        ]
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        # A duplicate 法人番号 is a problem of that field, not of the whole record.
        errors = exc.update_error_dict({})
        moved = [
            e for e in errors.get(NON_FIELD_ERRORS, []) if e.code == "duplicate_corporate_number"
        ]
        if moved:
            errors[NON_FIELD_ERRORS] = [e for e in errors[NON_FIELD_ERRORS] if e not in moved]
            if not errors[NON_FIELD_ERRORS]:
                del errors[NON_FIELD_ERRORS]
            errors.setdefault("corporate_number", []).extend(moved)
        raise ValidationError(errors) from None


@transaction.atomic
def create_account(*, actor: User | None, **values: Any) -> Account:
    account = Account()
    _apply(account, ACCOUNT_FIELDS, values)
    account.refresh_derived_fields()
    _validate(account)
    account.save()
    audit.record(
        account,
        action=AuditAction.CREATE,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(account)),
    )
    return account


def build_account(**values: Any) -> Account:
    """A validated, unsaved account (for `create_accounts`)."""
    account = Account()
    _apply(account, ACCOUNT_FIELDS, values)
    account.refresh_derived_fields()
    _validate(account, only=values)
    return account


def create_accounts(accounts: list[Account], *, actor: User | None) -> list[Account]:
    """Save many validated, unsaved accounts (from `build_account`) in bulk, with their
    audit entries: an import's path to `create_account`. Call it inside a transaction."""
    bulk.insert_objects(accounts)
    audit.record_created(accounts, actor=actor)
    return accounts


@transaction.atomic
def update_account(account: Account, *, actor: User | None, **values: Any) -> Account:
    account = Account.objects.select_for_update().get(pk=account.pk)
    before = audit.snapshot(account)
    _apply(account, ACCOUNT_FIELDS, values)
    if "website" in values and "domain" not in values:
        account.domain = ""
    account.refresh_derived_fields()
    _validate(account)
    account.save()
    changes = audit.diff(before, audit.snapshot(account))
    audit.record(account, action=AuditAction.UPDATE, actor=actor, changes=changes)
    if "name" in changes:
        for contact in account.contacts.select_related("account"):
            contact.refresh_derived_fields()
            Contact.objects.filter(pk=contact.pk).update(
                search_text=contact.search_text, search_grams=contact.search_grams
            )
    return account


def build_contact(**values: Any) -> Contact:
    """A validated, unsaved contact. renkei.funnel.services.add_contact saves it and
    records its entry into the funnel."""
    contact = Contact(created_at=values.pop("created_at", None) or timezone.now())
    _apply(contact, CONTACT_FIELDS, values)
    _clean_phone(contact)
    contact.refresh_derived_fields()
    _validate(contact, only=values)
    return contact


def record_contact_created(contact: Contact, *, actor: User | None) -> None:
    audit.record(
        contact,
        action=AuditAction.CREATE,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(contact)),
        at=contact.created_at,
    )


@transaction.atomic
def update_contact(contact: Contact, *, actor: User | None, **values: Any) -> Contact:
    contact = (
        Contact.objects.select_for_update(of=("self",)).select_related("account").get(pk=contact.pk)
    )
    before = audit.snapshot(contact)
    searched = (contact.search_text, contact.search_grams)
    _apply(contact, CONTACT_FIELDS, values)
    if "phone" in values:
        _clean_phone(contact)
    contact.refresh_derived_fields()
    _validate(contact)
    changes = audit.diff(before, audit.snapshot(contact))
    if not changes:
        return contact
    # Only the changed columns: the search index is rewritten only when the search text
    # changed (its SQLite triggers fire on that column).
    fields = [*changes, "updated_at"]
    if (contact.search_text, contact.search_grams) != searched:
        fields += ["search_text", "search_grams"]
    contact.save(update_fields=fields)
    audit.record(contact, action=AuditAction.UPDATE, actor=actor, changes=changes)
    return contact
