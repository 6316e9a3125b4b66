"""Writes to the organisation's settings and business calendar, each written to the audit
log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.core.models import ClosedDay, Organisation, User

ORGANISATION_FIELDS = {
    "name", "time_zone", "default_language", "fiscal_year_start_month", "business_day_start",
    "business_day_end", "workdays", "observe_public_holidays", "close_year_end",
}  # fmt: skip


@transaction.atomic
def update_organisation(*, actor: User | None, **values: Any) -> Organisation:
    """Change the organisation's settings; refuses unknown fields and invalid values."""
    unknown = set(values) - ORGANISATION_FIELDS
    if unknown:
        raise ValueError(f"not writable here: {sorted(unknown)}")
    Organisation.current()
    org = Organisation.objects.select_for_update().get(pk=1)
    before = audit.snapshot(org)
    for key, value in values.items():
        setattr(org, key, value.strip() if isinstance(value, str) else value)
    if isinstance(org.workdays, list):
        org.workdays = sorted(set(org.workdays))
    org.full_clean()
    org.save()
    audit.record(
        org, action=AuditAction.UPDATE, actor=actor, changes=audit.diff(before, audit.snapshot(org))
    )
    return org


@transaction.atomic
def add_closed_day(*, actor: User | None, date: dt.date, name: str) -> ClosedDay:
    day = ClosedDay(date=date, name=name.strip())
    day.full_clean()
    day.save()
    audit.record(
        day,
        action=AuditAction.CREATE,
        actor=actor,
        changes={"date": [None, date.isoformat()], "name": [None, day.name]},
    )
    return day


@transaction.atomic
def remove_closed_day(day: ClosedDay, *, actor: User | None) -> None:
    """Remove a closed day the user chose to remove; the audit log keeps what it was."""
    audit.record(
        day,
        action=AuditAction.DELETE,
        actor=actor,
        changes={"date": [day.date.isoformat(), None], "name": [day.name, None]},
    )
    day.delete()
