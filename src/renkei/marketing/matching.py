"""Which existing contact a form submission belongs to.

One small function, so that the Japanese-aware matching engine
(renkei.contacts.dedup.matching.find_contact_match) replaces it in one place. Until then a
submission matches a contact with the same normalized email, and nothing else: a public
form must never attach one person's data to another on a weaker signal.
"""

from __future__ import annotations

from renkei.contacts.models import Contact
from renkei.contacts.normalize import normalize_email


def find_contact_for_submission(values: dict[str, str]) -> Contact | None:
    """The contact these mapped values (contact field name → value) describe, or None."""
    email = normalize_email(values.get("email", ""))
    if not email:
        return None
    return Contact.objects.filter(email=email).order_by("created_at", "id").first()
