"""What the contacts app holds about a person, for disclosure and erasure
(renkei.privacy.registry): the contact itself and the duplicate pairs it is part of.

Erasure anonymises the contact in place rather than deleting it: the row keeps its
lifecycle stage, stage dates, source and owner, so the funnel's events (StageChange,
which belongs to it) and every metric built on them still count it; names, kana, email,
phone, department, title, the account link and the first page are removed, and email
consent becomes "opted out".
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renkei.contacts.choices import ConsentStatus
from renkei.contacts.models import Contact, DuplicateCandidate
from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.privacy import registry

# What an erased contact is called from then on (stored data, not a UI string).
ERASED_NAME = "（消去済み）"
PERSONAL_FIELDS = (
    "family_name", "given_name", "family_name_kana", "given_name_kana", "email", "phone",
    "department", "title", "first_touch_url",
)  # fmt: skip


def collect_contact(contact: Contact) -> registry.Rows:
    row = {
        name: registry.plain(getattr(contact, name))
        for name in (
            "id", *PERSONAL_FIELDS, "source_channel", "source_campaign", "first_touch_at",
            "lifecycle_stage", "lead_status", "consent_status", "created_at", "updated_at",
        )
    }  # fmt: skip
    row["account"] = contact.account.name if contact.account_id and contact.account else ""
    row["owner"] = contact.owner.display_name if contact.owner_id and contact.owner else ""
    return [row]


def erase_contact(contact: Contact, *, actor: Any) -> dict[str, int]:
    contact = Contact.objects.get(pk=contact.pk)
    for name in PERSONAL_FIELDS:
        setattr(contact, name, "")
    contact.family_name = ERASED_NAME
    contact.account = None
    contact.consent_status = ConsentStatus.OPTED_OUT
    contact.refresh_derived_fields()
    contact.refresh_search_fields(account_name="")
    contact.save()
    audit.record(
        contact,
        action=AuditAction.UPDATE,
        actor=actor,
        changes={"personal_data": ["…", None]},
    )
    return {"anonymised": 1}


def _pairs(contact: Contact) -> Any:
    return DuplicateCandidate.objects.filter(Q(contact_a=contact) | Q(contact_b=contact))


def collect_duplicates(contact: Contact) -> registry.Rows:
    return registry.rows(_pairs(contact), ["kind", "decision", "reasons", "status", "created_at"])


def erase_duplicates(contact: Contact, *, actor: Any) -> dict[str, int]:
    deleted, _detail = _pairs(contact).delete()
    return {"deleted": deleted}


def register() -> None:
    registry.register(
        "contacts.duplicates",
        label=_("Possible duplicates"),
        collect=collect_duplicates,
        erase=erase_duplicates,
        order=800,
    )
    registry.register(
        "contacts.contact",
        label=_("Contact"),
        collect=collect_contact,
        erase=erase_contact,
        order=900,
    )
