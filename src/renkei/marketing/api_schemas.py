"""API schemas of personas, campaigns and content: what the API returns, accepts and
filters by."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import AwareDatetime

from renkei.contacts.choices import EmployeeBand, Industry, Prefecture, Region
from renkei.core.schemas import CreateSchema, PageOut, PageParams, PatchSchema, UserSummary
from renkei.marketing.models import PersonaMatch

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
