"""What imports hold about a person, for disclosure and erasure
(renkei.privacy.registry): the source rows that created or updated their contact, the
imported columns without a contact field, and their ids in other systems.

Erasure keeps each import row's number and outcome (the job's counts stay right) but
removes its source values and reason; imported attributes and external ids are deleted."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from renkei.imports.models import ContactAttributes, ExternalId, ImportRow
from renkei.privacy import registry


def _rows(contact: Any) -> Any:
    return ImportRow.objects.filter(contact_id=contact.pk)


def collect_rows(contact: Any) -> registry.Rows:
    return registry.rows(
        _rows(contact).order_by("job_id", "number"),
        ["job__file_name", "job__created_at", "number", "outcome", "reason", "raw"],
    )


def erase_rows(contact: Any, *, actor: Any) -> dict[str, int]:
    return {"anonymised": _rows(contact).update(raw={}, reason="")}


def collect_attributes(contact: Any) -> registry.Rows:
    return registry.rows(
        ContactAttributes.objects.filter(contact_id=contact.pk), ["data", "updated_at"]
    )


def erase_attributes(contact: Any, *, actor: Any) -> dict[str, int]:
    deleted, _detail = ContactAttributes.objects.filter(contact_id=contact.pk).delete()
    return {"deleted": deleted}


def collect_external_ids(contact: Any) -> registry.Rows:
    return registry.rows(
        ExternalId.objects.filter(contact_id=contact.pk).order_by("id"),
        ["source", "value", "created_at"],
    )


def erase_external_ids(contact: Any, *, actor: Any) -> dict[str, int]:
    deleted, _detail = ExternalId.objects.filter(contact_id=contact.pk).delete()
    return {"deleted": deleted}


def register() -> None:
    registry.register(
        "imports.rows", label=_("Import rows"), collect=collect_rows, erase=erase_rows,
        order=400,
    )  # fmt: skip
    registry.register(
        "imports.attributes",
        label=_("Imported attributes"),
        collect=collect_attributes,
        erase=erase_attributes,
        order=410,
    )
    registry.register(
        "imports.external_ids",
        label=_("External ids"),
        collect=collect_external_ids,
        erase=erase_external_ids,
        order=420,
    )
