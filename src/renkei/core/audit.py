"""The audit log: who changed which core record, when, and what it was before and after."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from renkei.core import bulk
from renkei.core.choices import AuditAction
from renkei.core.models import AuditLog, User


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


_UNAUDITED = {"id", "created_at", "updated_at", "search_text", "search_grams"}
_PLAIN_TYPES = (str, int, bool, type(None))


@functools.cache
def _audited_fields(model: type[models.Model]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (f.name, f.attname) for f in model._meta.concrete_fields if f.name not in _UNAUDITED
    )


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audited field values of a record, as JSON-ready values (foreign keys as ids)."""
    result: dict[str, Any] = {}
    for name, attname in _audited_fields(type(obj)):
        if fields is not None and name not in fields:
            continue
        value = getattr(obj, attname)
        result[name] = value if type(value) in _PLAIN_TYPES else _plain(value)
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


def record(
    obj: models.Model,
    *,
    action: AuditAction,
    actor: User | None,
    changes: dict[str, list[Any]],
    actor_label: str = "",
    at: dt.datetime | None = None,
) -> AuditLog | None:
    """Append an audit entry. An update that changed nothing writes nothing."""
    if action == AuditAction.UPDATE and not changes:
        return None
    return AuditLog.objects.create(
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor_label or (actor.display_name if actor else "system"),
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes,
    )


def record_created(objs: Sequence[models.Model], *, actor: User | None) -> None:
    """Append a "create" entry for each of many new records of one model, in bulk (an
    import's path; the same entries `record` writes one by one). Each entry is dated
    with the record's `created_at` when it has one."""
    if not objs:
        return
    now = timezone.now()
    content_type_id = ContentType.objects.get_for_model(type(objs[0])).pk
    actor_id = actor.pk if actor is not None and actor.pk else None
    label = actor.display_name if actor else "system"
    bulk.insert_rows(
        AuditLog,
        ("at", "actor_id", "actor_label", "action", "content_type_id", "object_id",
         "object_repr", "changes"),
        [
            (getattr(obj, "created_at", None) or now, actor_id, label, AuditAction.CREATE,
             content_type_id, str(obj.pk), str(obj)[:200],
             {k: [None, v] for k, v in snapshot(obj).items() if v is not None})
            for obj in objs
        ],
    )  # fmt: skip


def history(obj: models.Model) -> models.QuerySet[AuditLog]:
    return AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
