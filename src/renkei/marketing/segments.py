"""Segments: saved, dynamic lists of contacts. A segment stores its filters (SegmentFilters);
its contacts are whoever matches them now.

Filters of different kinds combine with AND; the values of one filter with OR (stage MQL or
SAL). The touch filters describe one touch (of these types, of this content, within N days);
the campaign filters one membership (of these campaigns, with these statuses).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from renkei.contacts.choices import (
    ConsentStatus,
    EmployeeBand,
    Industry,
    LeadStatus,
    LifecycleStage,
    Prefecture,
    Region,
    SourceChannel,
)
from renkei.contacts.models import Contact
from renkei.contacts.querysets import ContactQuerySet
from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.core.models import User
from renkei.imports.exports import ExportResult, contacts_table, export
from renkei.marketing.choices import MemberStatus, TouchType
from renkei.marketing.models import CampaignMember, PersonaMatch, Segment, Touch


class SegmentFilters(BaseModel):
    """What a segment's contacts have in common. Empty filters are not used."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # the contact
    q: str = Field("", max_length=200, description="Words of the name, email, company.")
    stages: list[LifecycleStage] = Field(default_factory=list)
    statuses: list[LeadStatus] = Field(default_factory=list)
    sources: list[SourceChannel] = Field(default_factory=list)
    consent: list[ConsentStatus] = Field(default_factory=list)
    has_email: bool | None = Field(
        None, description="Only contacts with (true) or without an email."
    )
    owners: list[int] = Field(default_factory=list, description="Owner user ids.")
    created_within_days: int | None = Field(None, ge=1, le=3650)
    # the account
    industries: list[Industry] = Field(default_factory=list)
    employee_bands: list[EmployeeBand] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
    prefectures: list[Prefecture] = Field(default_factory=list)
    # the persona
    personas: list[int] = Field(default_factory=list, description="Persona ids.")
    no_persona: bool = Field(False, description="Also (or only) contacts without a persona.")
    # touches: one touch meeting all of these
    touch_types: list[TouchType] = Field(default_factory=list)
    touch_content: list[int] = Field(default_factory=list, description="Content asset ids.")
    touched_within_days: int | None = Field(None, ge=1, le=3650)
    # campaign membership: one membership meeting both
    campaigns: list[int] = Field(default_factory=list, description="Campaign ids.")
    member_statuses: list[MemberStatus] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return self == SegmentFilters()

    def apply(self, contacts: ContactQuerySet, now: dt.datetime | None = None) -> ContactQuerySet:
        now = now or timezone.now()
        if self.q:
            contacts = contacts.search(self.q)
        if self.stages:
            contacts = contacts.filter(lifecycle_stage__in=self.stages)
        if self.statuses:
            contacts = contacts.filter(lead_status__in=self.statuses)
        if self.sources:
            contacts = contacts.filter(source_channel__in=self.sources)
        if self.consent:
            contacts = contacts.filter(consent_status__in=self.consent)
        if self.has_email is not None:
            contacts = contacts.exclude(email="") if self.has_email else contacts.filter(email="")
        if self.owners:
            contacts = contacts.filter(owner_id__in=self.owners)
        if self.created_within_days:
            since = now - dt.timedelta(days=self.created_within_days)
            contacts = contacts.filter(created_at__gte=since)
        if self.industries:
            contacts = contacts.filter(account__industry__in=self.industries)
        if self.employee_bands:
            contacts = contacts.filter(account__employee_band__in=self.employee_bands)
        if self.regions or self.prefectures:
            contacts = contacts.filter(
                Q(account__region__in=self.regions) | Q(account__prefecture__in=self.prefectures)
            )
        # Related filters are semi-joins (`id IN (SELECT contact_id …)`): the database
        # evaluates each subquery once, whatever the number of contacts.
        if self.personas or self.no_persona:
            wanted = Q()
            if self.personas:
                chosen = PersonaMatch.objects.filter(persona_id__in=self.personas)
                wanted |= Q(pk__in=chosen.values("contact_id"))
            if self.no_persona:
                wanted |= ~Q(pk__in=PersonaMatch.objects.values("contact_id"))
            contacts = contacts.filter(wanted)
        if self.touch_types or self.touch_content or self.touched_within_days:
            touches = Touch.objects.filter(contact__isnull=False)
            if self.touch_types:
                touches = touches.filter(type__in=self.touch_types)
            if self.touch_content:
                touches = touches.filter(content_id__in=self.touch_content)
            if self.touched_within_days:
                touches = touches.filter(at__gte=now - dt.timedelta(days=self.touched_within_days))
            contacts = contacts.filter(pk__in=touches.values("contact_id"))
        if self.campaigns or self.member_statuses:
            members = CampaignMember.objects.all()
            if self.campaigns:
                members = members.filter(campaign_id__in=self.campaigns)
            if self.member_statuses:
                members = members.filter(status__in=self.member_statuses)
            contacts = contacts.filter(pk__in=members.values("contact_id"))
        return contacts


def parse_filters(data: dict[str, Any]) -> SegmentFilters:
    """Filters from JSON, or a ValidationError on `filters` naming what is wrong."""
    try:
        return SegmentFilters.model_validate(data)
    except PydanticError as exc:
        problems = [
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
        ]
        raise ValidationError({"filters": problems}) from None


def contacts_of(segment: Segment, now: dt.datetime | None = None) -> ContactQuerySet:
    """The segment's contacts now."""
    return SegmentFilters.model_validate(segment.filters).apply(Contact.objects.all(), now)


def count(filters: SegmentFilters) -> int:
    return filters.apply(Contact.objects.all()).count()


SEGMENT_FIELDS = {"name", "description", "owner"}


def _save(
    segment: Segment, filters: dict[str, Any] | SegmentFilters | None, values: dict[str, Any]
) -> None:
    unknown = set(values) - SEGMENT_FIELDS
    if unknown:
        raise ValueError(f"not writable here: {sorted(unknown)}")
    for key, value in values.items():
        setattr(segment, key, value.strip() if isinstance(value, str) else value)
    if filters is not None:
        parsed = filters if isinstance(filters, SegmentFilters) else parse_filters(filters)
        if parsed.is_empty():
            raise ValidationError({"filters": _("Choose at least one filter.")})
        segment.filters = parsed.model_dump(mode="json", exclude_defaults=True)
    segment.full_clean(exclude=["created_at", "filters"])
    segment.save()


@transaction.atomic
def create_segment(
    *, actor: User | None, filters: dict[str, Any] | SegmentFilters, **values: Any
) -> Segment:
    segment = Segment(created_at=timezone.now())
    values.setdefault("owner", actor)
    _save(segment, filters, values)
    audit.record(
        segment,
        action=AuditAction.CREATE,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(segment)),
    )
    return segment


@transaction.atomic
def update_segment(
    segment: Segment,
    *,
    actor: User | None,
    filters: dict[str, Any] | SegmentFilters | None = None,
    **values: Any,
) -> Segment:
    segment = Segment.objects.select_for_update().get(pk=segment.pk)
    before = audit.snapshot(segment)
    _save(segment, filters, values)
    audit.record(
        segment,
        action=AuditAction.UPDATE,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(segment)),
    )
    return segment


@transaction.atomic
def delete_segment(segment: Segment, *, actor: User | None) -> None:
    audit.record(
        segment,
        action=AuditAction.DELETE,
        actor=actor,
        changes=audit.diff(audit.snapshot(segment), {}),
    )
    segment.delete()


def export_segment(
    segment: Segment,
    path: Path | str,
    *,
    actor: User | None,
    format: str = "csv",
    encoding: str = "utf-8-sig",
) -> ExportResult:
    """Write the segment's contacts now to `path` (the contacts export's columns; CSV in
    UTF-8 with BOM or CP932, or XLSX) and record who exported what in the audit log."""
    result = export(
        "contacts",
        path,
        format=format,
        encoding=encoding,
        table=contacts_table(contacts_of(segment)),
    )
    audit.record(
        segment,
        action=AuditAction.EXPORT,
        actor=actor,
        changes={"rows": [None, result.rows], "format": [None, result.format]},
    )
    return result
