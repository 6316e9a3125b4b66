"""API schemas of privacy requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import AwareDatetime

from renkei.core.schemas import CreateSchema, PageOut, PageParams, PatchSchema, UserSummary
from renkei.privacy.choices import IdentityStatus, Regime, RequestKind, RequestStatus


class RequestOut(Schema):
    id: int
    kind: RequestKind
    regime: Regime
    requester_name: str
    requester_email: str
    requester_phone: str = Field(description="E.164, e.g. +81312345678, or empty.")
    requester_contact: str
    identity_status: IdentityStatus
    identity_method: str
    received_at: AwareDatetime
    due_on: dt.date
    overdue: bool
    status: RequestStatus
    handler: UserSummary | None
    outcome: str
    notes: str
    contact_ids: list[int]
    closed_at: AwareDatetime | None
    erased_at: AwareDatetime | None

    @staticmethod
    def resolve_contact_ids(obj: Any) -> list[int]:
        return sorted(c.pk for c in obj.contacts.all())

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj.overdue_now)


class RequestPage(PageOut):
    items: list[RequestOut]


class RequestQuery(PageParams):
    status: list[RequestStatus] = Field(default_factory=list, description="Any of these.")
    kind: list[RequestKind] = Field(default_factory=list, description="Any of these.")
    overdue: bool | None = Field(None, description="Only open requests past their due date.")


class RequestCreate(CreateSchema):
    kind: RequestKind
    regime: Regime = Regime.APPI
    requester_name: str
    requester_email: str = ""
    requester_phone: str = ""
    requester_contact: str = ""
    identity_status: IdentityStatus = IdentityStatus.PENDING
    identity_method: str = ""
    received_at: AwareDatetime | None = Field(None, description="Default: now.")
    due_on: dt.date | None = Field(
        None, description="Default: from the regime (APPI: 14 days; GDPR: one month)."
    )
    handler_id: int | None = None
    notes: str = ""


class RequestPatch(PatchSchema):
    kind: RequestKind | None = None
    regime: Regime | None = None
    requester_name: str | None = None
    requester_email: str | None = None
    requester_phone: str | None = None
    requester_contact: str | None = None
    identity_status: IdentityStatus | None = None
    identity_method: str | None = None
    due_on: dt.date | None = None
    status: RequestStatus | None = None
    handler_id: int | None = None
    outcome: str | None = None
    notes: str | None = None


class ContactIds(CreateSchema):
    contact_ids: list[int] = Field(description="The contacts the request is about.")


class CandidateOut(Schema):
    contact_id: int
    name: str
    email: str
    phone: str
    account: str
    reasons: list[str]


class ActionOut(Schema):
    request: RequestOut
    summary: dict[str, Any] = Field(description="Counts per contact and holder.")
