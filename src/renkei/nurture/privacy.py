"""What the email app holds about a person, for disclosure and erasure
(renkei.privacy.registry): the messages sent to them, their suppressed address, the lawful
exceptions recorded for them and their sequence enrollments.

Erasure keeps each message's status and times (a send's counts stay right) but removes the
address and the provider's ids; it deletes the person's suppression row and lawful
exceptions — the erasure tombstone (renkei.privacy.tombstones) now keeps imports and forms
from bringing the address back, and the erased contact has no address to send to — and
ends their enrollments. The audit entries of the deleted rows are masked as the audit
log's own holder masks the contact's (renkei.core.privacy)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from renkei.contacts.normalize import normalize_email
from renkei.core.privacy import erase_audit
from renkei.nurture.models import Enrollment, LawfulException, Message, Suppression
from renkei.privacy import registry


def _addresses(contact: Any) -> set[str]:
    held = set(Message.objects.filter(contact_id=contact.pk).values_list("email", flat=True))
    return {normalize_email(a) for a in held | {contact.email} if a}


def collect_messages(contact: Any) -> registry.Rows:
    return registry.rows(
        Message.objects.filter(contact_id=contact.pk).order_by("id"),
        ["send__name", "email", "language", "status", "skip_reason", "sent_at", "opened_at",
         "clicked_at"],
    )  # fmt: skip


def erase_messages(contact: Any, *, actor: Any) -> dict[str, int]:
    count = Message.objects.filter(contact_id=contact.pk).update(
        email="", message_id="", provider_id="", error=""
    )
    return {"anonymised": count}


def collect_suppressions(contact: Any) -> registry.Rows:
    return registry.rows(
        Suppression.objects.filter(email__in=_addresses(contact)), ["email", "reason", "note", "at"]
    )


def erase_suppressions(contact: Any, *, actor: Any) -> dict[str, int]:
    rows = list(Suppression.objects.filter(email__in=_addresses(contact)))
    for row in rows:  # their audit entries name the address
        erase_audit(row, actor=actor)
    deleted, _detail = Suppression.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return {"deleted": deleted}


def collect_exceptions(contact: Any) -> registry.Rows:
    return registry.rows(
        LawfulException.objects.filter(contact_id=contact.pk), ["basis", "evidence", "at"]
    )


def erase_exceptions(contact: Any, *, actor: Any) -> dict[str, int]:
    rows = list(LawfulException.objects.filter(contact_id=contact.pk))
    for row in rows:
        erase_audit(row, actor=actor)
    deleted, _detail = LawfulException.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return {"deleted": deleted}


def collect_enrollments(contact: Any) -> registry.Rows:
    return registry.rows(
        Enrollment.objects.filter(contact_id=contact.pk), ["sequence__name", "status", "step"]
    )


def erase_enrollments(contact: Any, *, actor: Any) -> dict[str, int]:
    deleted, _detail = Enrollment.objects.filter(contact_id=contact.pk).delete()
    return {"deleted": deleted}


def register() -> None:
    # Before the contact itself (900): the suppression rows are found by its address.
    registry.register(
        "nurture.suppressions", label=_("Suppressed addresses"),
        collect=collect_suppressions, erase=erase_suppressions, order=500,
    )  # fmt: skip
    registry.register(
        "nurture.messages", label=_("Emails sent"), collect=collect_messages,
        erase=erase_messages, order=510,
    )  # fmt: skip
    registry.register(
        "nurture.exceptions", label=_("Lawful exceptions"), collect=collect_exceptions,
        erase=erase_exceptions, order=520,
    )  # fmt: skip
    registry.register(
        "nurture.enrollments", label=_("Sequence enrollments"), collect=collect_enrollments,
        erase=erase_enrollments, order=530,
    )  # fmt: skip
