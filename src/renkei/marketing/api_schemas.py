"""API schemas of personas, campaigns and content: what the API returns, accepts and
filters by."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import AwareDatetime

from renkei.contacts.choices import (
    EmployeeBand,
    Industry,
    LifecycleStage,
    Prefecture,
    Region,
    SourceChannel,
)
from renkei.core.schemas import CreateSchema, PageOut, PageParams, PatchSchema, UserSummary
from renkei.marketing.choices import BuyerStage, CampaignType, ContentKind, MemberStatus
from renkei.marketing.models import Campaign, PersonaMatch
from renkei.marketing.segments import SegmentFilters

# --- Personas ---------------------------------------------------------------------------


class PersonaSummary(Schema):
    id: int
    name: str


class PersonaOut(Schema):
    id: int
    name: str
    description: str
    pains: str
    industries: list[Industry]
    employee_bands: list[EmployeeBand]
    department_keywords: list[str] = Field(description="A department containing one fits.")
    title_keywords: list[str] = Field(description="A title containing one fits.")
    regions: list[Region]
    prefectures: list[Prefecture]
    is_active: bool = Field(description="Whether contacts are matched to it automatically.")
    created_at: AwareDatetime
    updated_at: AwareDatetime

    @staticmethod
    def resolve_department_keywords(obj: object) -> list[str]:
        return obj.department_keyword_list  # type: ignore[attr-defined]

    @staticmethod
    def resolve_title_keywords(obj: object) -> list[str]:
        return obj.title_keyword_list  # type: ignore[attr-defined]


class PersonaPage(PageOut):
    items: list[PersonaOut]


class PersonaCreate(CreateSchema):
    name: str
    description: str = ""
    pains: str = ""
    industries: list[Industry] = Field(default_factory=list)
    employee_bands: list[EmployeeBand] = Field(default_factory=list)
    department_keywords: list[str] = Field(default_factory=list)
    title_keywords: list[str] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
    prefectures: list[Prefecture] = Field(default_factory=list)
    is_active: bool = True


class PersonaPatch(PatchSchema):
    name: str = None  # type: ignore[assignment]
    description: str = None  # type: ignore[assignment]
    pains: str = None  # type: ignore[assignment]
    industries: list[Industry] = None  # type: ignore[assignment]
    employee_bands: list[EmployeeBand] = None  # type: ignore[assignment]
    department_keywords: list[str] = None  # type: ignore[assignment]
    title_keywords: list[str] = None  # type: ignore[assignment]
    regions: list[Region] = None  # type: ignore[assignment]
    prefectures: list[Prefecture] = None  # type: ignore[assignment]
    is_active: bool = None  # type: ignore[assignment]


class PersonaQuery(PageParams):
    q: str = Field("", description="Part of the name.")


class PersonaMatchOut(Schema):
    persona: PersonaSummary | None = Field(description="None when the contact fits none.")
    manual: bool = Field(description="Chosen by hand (kept by the automatic matching).")
    matched_at: AwareDatetime | None
    chosen_by: UserSummary | None

    @staticmethod
    def resolve_chosen_by(obj: PersonaMatch) -> object:
        return obj.actor


class PersonaChoice(CreateSchema):
    persona_id: int | None = Field(
        description="The persona to keep for this contact, or null to match automatically."
    )


class MatchStarted(Schema):
    status: str = Field(description="`queued`: the worker matches every contact.")


# --- Campaigns --------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    name: str
    type: CampaignType
    channel: SourceChannel | None
    description: str
    start_date: dt.date | None
    end_date: dt.date | None
    budget: int = Field(description="Japanese yen.")
    actual_cost: int = Field(description="Japanese yen.")
    target_personas: list[PersonaSummary]
    buyer_stage: BuyerStage | None
    owner: UserSummary | None
    utm_campaign: str = Field(description="The utm_campaign value; touches with it belong here.")
    created_at: AwareDatetime
    updated_at: AwareDatetime

    @staticmethod
    def resolve_channel(obj: Campaign) -> str | None:
        return obj.channel or None

    @staticmethod
    def resolve_buyer_stage(obj: Campaign) -> str | None:
        return obj.buyer_stage or None

    @staticmethod
    def resolve_target_personas(obj: Campaign) -> list[Any]:
        return list(obj.target_personas.all())


class CampaignPage(PageOut):
    items: list[CampaignOut]


class CampaignCreate(CreateSchema):
    name: str
    type: CampaignType
    channel: SourceChannel | None = None
    description: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    budget: int = Field(0, ge=0, description="Japanese yen, not negative.")
    actual_cost: int = Field(0, ge=0, description="Japanese yen, not negative.")
    target_persona_ids: list[int] = Field(default_factory=list)
    buyer_stage: BuyerStage | None = None
    owner_id: int | None = None
    utm_campaign: str = Field("", description="Made from the name when left empty.")


class CampaignPatch(PatchSchema):
    name: str = None  # type: ignore[assignment]
    type: CampaignType = None  # type: ignore[assignment]
    channel: SourceChannel | None = None
    description: str = None  # type: ignore[assignment]
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    budget: int = Field(None, ge=0)  # type: ignore[assignment]
    actual_cost: int = Field(None, ge=0)  # type: ignore[assignment]
    target_persona_ids: list[int] = None  # type: ignore[assignment]
    buyer_stage: BuyerStage | None = None
    owner_id: int | None = None
    utm_campaign: str = None  # type: ignore[assignment]


class CampaignQuery(PageParams):
    q: str = Field("", description="Part of the name or UTM code.")
    type: list[CampaignType] = Field(default_factory=list, description="Repeat for several.")


class CountOut(Schema):
    value: str
    label: str
    count: int


class StageReachedOut(Schema):
    stage: LifecycleStage
    ever: int = Field(description="Members who entered this stage at any time.")
    since_joining: int = Field(description="Members who entered it after joining the campaign.")


class CampaignReportOut(Schema):
    member_count: int
    members_by_status: list[CountOut]
    touch_count: int
    touches_by_type: list[CountOut]
    contacts_reached: int = Field(description="Members and contacts with a campaign touch.")
    stages: list[StageReachedOut]
    leads: int = Field(description="Members who reached lead or a later stage.")
    opportunities: int
    cost_per_lead: int | None = Field(description="Actual cost ÷ leads, in yen.")
    cost_per_opportunity: int | None


class MemberChangeOut(Schema):
    from_status: MemberStatus | None
    to_status: MemberStatus
    at: AwareDatetime
    actor: UserSummary | None
    actor_label: str

    @staticmethod
    def resolve_from_status(obj: Any) -> str | None:
        return obj.from_status or None


class ContactSummary(Schema):
    id: int
    full_name: str
    email: str


class MemberOut(Schema):
    id: int
    contact: ContactSummary
    status: MemberStatus
    created_at: AwareDatetime
    updated_at: AwareDatetime
    history: list[MemberChangeOut] = Field(description="Status changes, newest first.")

    @staticmethod
    def resolve_history(obj: Any) -> list[Any]:
        return list(obj.changes.all())


class MemberPage(PageOut):
    items: list[MemberOut]


class MemberQuery(PageParams):
    status: list[MemberStatus] = Field(default_factory=list, description="Repeat for several.")


class MembersAdd(CreateSchema):
    contact_ids: list[int] = Field(min_length=1, max_length=1000)
    status: MemberStatus = MemberStatus.INVITED


class MembersAdded(Schema):
    added: int
    already: int = Field(description="Contacts that were members already (status kept).")


class MemberPatch(CreateSchema):
    status: MemberStatus


# --- Content ----------------------------------------------------------------------------


class CampaignSummary(Schema):
    id: int
    name: str


class ContentOut(Schema):
    id: int
    title: str
    kind: ContentKind
    url: str
    buyer_stage: BuyerStage
    personas: list[PersonaSummary] = Field(description="Empty: content for any persona.")
    campaign: CampaignSummary | None
    description: str
    created_at: AwareDatetime
    updated_at: AwareDatetime

    @staticmethod
    def resolve_personas(obj: Any) -> list[Any]:
        return list(obj.personas.all())


class ContentPage(PageOut):
    items: list[ContentOut]


class ContentCreate(CreateSchema):
    title: str
    kind: ContentKind
    url: str = Field(description="http(s); page views, downloads and forms at it count.")
    buyer_stage: BuyerStage
    persona_ids: list[int] = Field(default_factory=list)
    campaign_id: int | None = None
    description: str = ""


class ContentPatch(PatchSchema):
    title: str = None  # type: ignore[assignment]
    kind: ContentKind = None  # type: ignore[assignment]
    url: str = None  # type: ignore[assignment]
    buyer_stage: BuyerStage = None  # type: ignore[assignment]
    persona_ids: list[int] = None  # type: ignore[assignment]
    campaign_id: int | None = None
    description: str = None  # type: ignore[assignment]


class ContentQuery(PageParams):
    q: str = Field("", description="Part of the title or URL.")
    stage: list[BuyerStage] = Field(default_factory=list, description="Repeat for several.")
    kind: list[ContentKind] = Field(default_factory=list, description="Repeat for several.")
    persona: int | None = Field(None, description="Content made for this persona.")


class ContentStatsOut(Schema):
    views: int
    downloads: int
    form_submissions: int
    contacts: int = Field(description="Known contacts with a touch of it.")
    moved_forward: int = Field(
        description="Of those, how many made a forward stage move within 90 days after "
        "their first touch with it."
    )
    moved_forward_share: float | None = Field(description="Percent, one decimal.")


class ContentMapCell(Schema):
    persona_id: int | None = Field(description="null: the content for any persona.")
    assets: int
    touches: int
    missing: bool = Field(description="No content for this persona at this stage.")


class ContentMapRow(Schema):
    stage: BuyerStage
    cells: list[ContentMapCell]


class ContentMapOut(Schema):
    personas: list[PersonaSummary]
    rows: list[ContentMapRow]
    missing: int = Field(description="Persona × stage cells without content.")


# --- Segments ---------------------------------------------------------------------------


class SegmentOut(Schema):
    id: int
    name: str
    description: str
    filters: SegmentFilters
    owner: UserSummary | None
    created_at: AwareDatetime
    updated_at: AwareDatetime


class SegmentPage(PageOut):
    items: list[SegmentOut]


class SegmentCreate(CreateSchema):
    name: str
    description: str = ""
    filters: SegmentFilters


class SegmentPatch(PatchSchema):
    name: str = None  # type: ignore[assignment]
    description: str = None  # type: ignore[assignment]
    filters: SegmentFilters = None  # type: ignore[assignment]


class SegmentCountIn(CreateSchema):
    filters: SegmentFilters


class SegmentCountOut(Schema):
    count: int = Field(description="Contacts matching the filters now.")
