"""Touches as an export kind: `./renkei export touches FILE` (renkei.imports.exports)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from renkei.contacts.models import Contact
from renkei.imports.exports import local_time, register, rows_of
from renkei.marketing.models import Touch


def _columns() -> list[tuple[str, Callable[[Touch], Any]]]:
    def label(name: str) -> str:
        return str(Touch._meta.get_field(name).verbose_name)

    email_label = str(Contact._meta.get_field("email").verbose_name)
    return [
        ("ID", lambda t: t.pk),
        (label("at"), lambda t: local_time(t.at)),
        (label("type"), lambda t: t.get_type_display()),
        (label("name"), lambda t: t.name),
        ("contact ID", lambda t: t.contact_id or ""),
        (label("contact"), lambda t: t.contact.full_name if t.contact else ""),
        (email_label, lambda t: t.contact.email if t.contact else ""),
        (label("visitor_uid"), lambda t: t.visitor_uid),
        (label("url"), lambda t: t.url),
        (label("title"), lambda t: t.title),
        (label("referrer"), lambda t: t.referrer),
        (label("utm_source"), lambda t: t.utm_source),
        (label("utm_medium"), lambda t: t.utm_medium),
        (label("utm_campaign"), lambda t: t.utm_campaign),
        (label("utm_term"), lambda t: t.utm_term),
        (label("utm_content"), lambda t: t.utm_content),
        (label("metadata"), _metadata),
    ]


def _metadata(touch: Touch) -> str:
    return json.dumps(touch.metadata, ensure_ascii=False) if touch.metadata else ""


def touches_table() -> tuple[list[str], Iterator[list[Any]]]:
    touches = Touch.objects.select_related("contact").order_by("at", "id")
    return rows_of(_columns(), touches)


register("touches", touches_table)
