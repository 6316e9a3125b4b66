"""API schemas of rule scoring."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema
from pydantic import AwareDatetime

from renkei.core.schemas import CreateSchema, PageOut, PageParams, PatchSchema
from renkei.scoring.choices import RuleSetStatus


class RuleOut(Schema):
    id: int
    kind: Literal["fit", "engagement"]
    field: str = Field(description="Fit: a contact or company field; engagement: a touch type.")
    values: list[str | int]
    buyer_stage: str
    campaign_type: str
    points: int
    cap: int | None = Field(description="Engagement: the most points the rule gives in all.")
    description: str = Field(description="The rule in words, in the request's language.")


class RuleIn(CreateSchema):
    kind: Literal["fit", "engagement"]
    field: str = Field(
        description="Fit: industry, employee_band, region, prefecture, department, title, "
        "persona, free_mail, competitor_domain, consent_status. Engagement: page_view, "
        "form_submit, email_click, download, custom."
    )
    values: list[str | int] = Field(
        default_factory=list,
        description="Choices, keywords, persona ids or domains; for custom events, names.",
    )
    points: int = Field(description="Between −1000 and 1000, not 0.")
    cap: int | None = None
    buyer_stage: str = ""
    campaign_type: str = ""


class RuleSetOut(Schema):
    id: int
    version: int
    name: str
    notes: str
    status: RuleSetStatus
    half_life_days: float
    fit_cap: int | None
    engagement_cap: int | None
    created_at: AwareDatetime
    activated_at: AwareDatetime | None
    archived_at: AwareDatetime | None
    rules: list[RuleOut]


class RuleSetPage(PageOut):
    items: list[RuleSetOut]


class RuleSetQuery(PageParams):
    status: RuleSetStatus | None = None


class RuleSetCreate(CreateSchema):
    name: str = ""
    copy_from_id: int | None = Field(
        None, description="Start as a copy of this version (default: the active one)."
    )
    half_life_days: float | None = None
    fit_cap: int | None = None
    engagement_cap: int | None = None


class RuleSetPatch(PatchSchema):
    name: str = None  # type: ignore[assignment]
    notes: str = None  # type: ignore[assignment]
    half_life_days: float = None  # type: ignore[assignment]
    fit_cap: int | None = None
    engagement_cap: int | None = None


class TouchReasonOut(Schema):
    touch_id: int | None
    type: str
    label: str
    at: AwareDatetime | None
    points: float


class ReasonOut(Schema):
    part: Literal["fit", "engagement"]
    rule_id: int | None
    text: str
    points: float
    is_cap: bool
    touches: list[TouchReasonOut]


class ContactScoreOut(Schema):
    contact_id: int
    total: float | None
    fit: float | None
    engagement: float | None
    rule_set_version: int | None
    computed_at: AwareDatetime | None
    reasons: list[ReasonOut] = Field(description="Their points add up to the total.")
