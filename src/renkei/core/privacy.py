"""What the audit log holds about a person, for disclosure and erasure
(renkei.privacy.registry).

Erasure keeps every audit entry about the person's contact (who changed it, when, which
fields) but replaces the values before and after with "…" and the entry's title with "—":
the log still proves what was done, without the personal values."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.core.models import AuditLog
from renkei.privacy import registry

MASK = "…"


def _entries(obj: models.Model) -> Any:
    return AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    )


def collect_audit(obj: models.Model) -> registry.Rows:
    return registry.rows(
        _entries(obj).order_by("at", "id"), ["at", "action", "actor_label", "changes"]
    )


def _mask(value: Any) -> Any:
    return value if value in (None, "", [], {}) or isinstance(value, bool) else MASK


def erase_audit(obj: models.Model, *, actor: Any) -> dict[str, int]:
    masked = 0
    for entry in _entries(obj).only("id", "changes"):
        changes = {
            key: [_mask(v) for v in pair] if isinstance(pair, list) else _mask(pair)
            for key, pair in (entry.changes or {}).items()
        }
        AuditLog.objects.filter(pk=entry.pk).update(changes=changes, object_repr="—")
        masked += 1
    return {"masked": masked}


def register() -> None:
    registry.register(
        "core.audit", label=_("Audit log"), collect=collect_audit, erase=erase_audit, order=950
    )
