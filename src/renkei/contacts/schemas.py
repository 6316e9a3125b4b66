"""API schemas of accounts and contacts: what the API returns, accepts and filters by."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from django.db.models import Q
from ninja import Field, Schema
from pydantic import AwareDatetime

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
from renkei.contacts.models import Account
from renkei.contacts.querysets import AccountQuerySet, ContactQuerySet
from renkei.core.schemas import CreateSchema, PageOut, PageParams, PatchSchema, UserSummary

# --- Accounts ---------------------------------------------------------------------------


class AccountSummary(Schema):
    id: int
    name: str


class AccountOut(Schema):
    id: int
    name: str
    name_kana: str
    corporate_number: str = Field(description="法人番号, 13 digits, or empty.")
    website: str
    domain: str
    industry: Industry | None
    employee_band: EmployeeBand | None
    prefecture: Prefecture | None = Field(description="JIS X 0401 code, `13` for Tokyo.")
    region: Region | None = Field(description="Derived from the prefecture.")
    owner: UserSummary | None
    created_at: AwareDatetime
    updated_at: AwareDatetime

    @staticmethod
    def resolve_industry(obj: Account) -> str | None:
        return obj.industry or None

    @staticmethod
    def resolve_employee_band(obj: Account) -> str | None:
        return obj.employee_band or None

    @staticmethod
    def resolve_prefecture(obj: Account) -> str | None:
        return obj.prefecture or None

    @staticmethod
    def resolve_region(obj: Account) -> str | None:
        return obj.region or None


class AccountPage(PageOut):
    items: list[AccountOut]


class AccountCreate(CreateSchema):
    name: str
    name_kana: str = ""
    corporate_number: str = Field(
        "", description="法人番号: 13 digits with a valid check digit, or empty."
    )
    website: str = ""
    domain: str = Field("", description="Derived from the website when left empty.")
    industry: Industry | None = None
    employee_band: EmployeeBand | None = None
    prefecture: Prefecture | None = None
    owner_id: int | None = None


class AccountPatch(PatchSchema):
    name: str = None  # type: ignore[assignment]
    name_kana: str = None  # type: ignore[assignment]
    corporate_number: str = None  # type: ignore[assignment]
    website: str = None  # type: ignore[assignment]
    domain: str = None  # type: ignore[assignment]
    industry: Industry | None = None
    employee_band: EmployeeBand | None = None
    prefecture: Prefecture | None = None
    owner_id: int | None = None


class AccountOrdering(StrEnum):
    NAME = "name"
    NAME_DESC = "-name"
    KANA = "kana"
    KANA_DESC = "-kana"
    UPDATED = "updated_at"
    UPDATED_DESC = "-updated_at"


# API orderings as the sort keys the web pages use (AccountQuerySet.sorted_by), and whether
# to reverse them.
_ACCOUNT_SORTS = {
    AccountOrdering.NAME: ("name", False),
    AccountOrdering.NAME_DESC: ("name", True),
    AccountOrdering.KANA: ("kana", False),
    AccountOrdering.KANA_DESC: ("kana", True),
    AccountOrdering.UPDATED: ("updated", True),
    AccountOrdering.UPDATED_DESC: ("updated", False),
}


class AccountQuery(PageParams):
    q: str = Field("", description="Part of the company name, its reading or domain.")
    industry: list[Industry] = Field(
        default_factory=list, description="Repeat to match any of several industries."
    )
    prefecture: list[Prefecture] = Field(
        default_factory=list, description="JIS code (`13` = Tokyo); repeat for several."
    )
    ordering: AccountOrdering = AccountOrdering.NAME

    def apply(self, queryset: AccountQuerySet) -> AccountQuerySet:
        """The accounts matching these filters, in the requested order."""
        if self.q.strip():
            queryset = queryset.search(self.q)
        if self.industry:
            queryset = queryset.in_industry(*self.industry)
        if self.prefecture:
            queryset = queryset.in_prefecture(*self.prefecture)
        key, reverse = _ACCOUNT_SORTS[self.ordering]
        queryset = queryset.select_related("owner").sorted_by(key)
        return queryset.reverse() if reverse else queryset


# --- Contacts ---------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    full_name: str
    email: str
    phone: str = Field(description="E.164, such as +81312345678, or empty.")
    department: str
    title: str
    account: AccountSummary | None
    owner: UserSummary | None
    source_channel: SourceChannel
    source_campaign: str
    first_touch_at: AwareDatetime | None
    first_touch_url: str
    lifecycle_stage: LifecycleStage
    lead_status: LeadStatus
    stage_changed_at: AwareDatetime | None
    became_subscriber_at: AwareDatetime | None
    became_lead_at: AwareDatetime | None
    became_mql_at: AwareDatetime | None
    became_sal_at: AwareDatetime | None
    became_sql_at: AwareDatetime | None
    became_opportunity_at: AwareDatetime | None
    became_customer_at: AwareDatetime | None
    consent_status: ConsentStatus
    created_at: AwareDatetime
    updated_at: AwareDatetime


class ContactPage(PageOut):
    items: list[ContactOut]


class ContactCreate(CreateSchema):
    stage: Literal[LifecycleStage.SUBSCRIBER, LifecycleStage.LEAD, LifecycleStage.MQL] = Field(
        LifecycleStage.LEAD, description="The stage the contact enters the funnel in."
    )
    family_name: str
    given_name: str = ""
    family_name_kana: str = ""
    given_name_kana: str = ""
    email: str = ""
    phone: str = Field("", description="Any common notation; stored as E.164.")
    department: str = ""
    title: str = ""
    account_id: int | None = None
    owner_id: int | None = None
    source_channel: SourceChannel = SourceChannel.OTHER
    source_campaign: str = ""
    first_touch_at: AwareDatetime | None = None
    first_touch_url: str = ""
    consent_status: ConsentStatus = ConsentStatus.UNKNOWN


class ContactPatch(PatchSchema):
    """Lifecycle stage and lead status are not writable here; use the stage and status
    endpoints, which record the move."""

    family_name: str = None  # type: ignore[assignment]
    given_name: str = None  # type: ignore[assignment]
    family_name_kana: str = None  # type: ignore[assignment]
    given_name_kana: str = None  # type: ignore[assignment]
    email: str = None  # type: ignore[assignment]
    phone: str = None  # type: ignore[assignment]
    department: str = None  # type: ignore[assignment]
    title: str = None  # type: ignore[assignment]
    account_id: int | None = None
    owner_id: int | None = None
    source_channel: SourceChannel = None  # type: ignore[assignment]
    source_campaign: str = None  # type: ignore[assignment]
    first_touch_at: AwareDatetime | None = None
    first_touch_url: str = None  # type: ignore[assignment]
    consent_status: ConsentStatus = None  # type: ignore[assignment]


class ContactOrdering(StrEnum):
    UPDATED = "updated_at"
    UPDATED_DESC = "-updated_at"
    CREATED = "created_at"
    CREATED_DESC = "-created_at"
    NAME = "name"
    NAME_DESC = "-name"
    STAGE = "stage"
    STAGE_DESC = "-stage"


# API orderings as the sort keys the web pages use (ContactQuerySet.sorted_by), and whether
# to reverse them.
_CONTACT_SORTS = {
    ContactOrdering.UPDATED: ("updated", True),
    ContactOrdering.UPDATED_DESC: ("updated", False),
    ContactOrdering.CREATED: ("created", True),
    ContactOrdering.CREATED_DESC: ("created", False),
    ContactOrdering.NAME: ("kana", False),
    ContactOrdering.NAME_DESC: ("kana", True),
    ContactOrdering.STAGE: ("stage", True),
    ContactOrdering.STAGE_DESC: ("stage", False),
}


class ContactQuery(PageParams):
    q: str = Field(
        "", description="Words of the name, its reading, email, company or phone (+81…)."
    )
    stage: list[LifecycleStage] = Field(
        default_factory=list, description="Repeat to match any of several stages."
    )
    status: list[LeadStatus] = Field(
        default_factory=list, description="Repeat to match any of several statuses."
    )
    owner: int | None = Field(None, description="Owner's user id.")
    source: list[SourceChannel] = Field(
        default_factory=list, description="Repeat to match any of several sources."
    )
    account: int | None = Field(None, description="Account id.")
    updated_since: AwareDatetime | None = Field(
        None, description="Changed at or after this time (ISO 8601 with an offset)."
    )
    ordering: ContactOrdering = ContactOrdering.UPDATED_DESC

    def apply(self, queryset: ContactQuerySet) -> ContactQuerySet:
        """The contacts matching these filters, in the requested order."""
        if self.q.strip():
            queryset = queryset.search(self.q)
        if self.stage:
            queryset = queryset.in_stage(*self.stage)
        if self.status:
            queryset = queryset.with_status(*self.status)
        if self.source:
            queryset = queryset.from_source(*self.source)
        filters = Q()
        if self.owner is not None:
            filters &= Q(owner_id=self.owner)
        if self.account is not None:
            filters &= Q(account_id=self.account)
        if self.updated_since is not None:
            filters &= Q(updated_at__gte=self.updated_since)
        key, reverse = _CONTACT_SORTS[self.ordering]
        queryset = queryset.filter(filters).with_related().sorted_by(key)
        return queryset.reverse() if reverse else queryset
