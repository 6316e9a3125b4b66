"""API schemas of funnel moves and their recorded events."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import AwareDatetime

from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.core.schemas import CreateSchema, PageOut, PageParams
from renkei.funnel.choices import ActorKind, MoveKind
from renkei.funnel.models import StageChange, StageChangeQuerySet


class StageChangeIn(CreateSchema):
    to_stage: LifecycleStage
    reason: str = Field("", description="Required when moving a contact back to lead.")
    expected_stage: LifecycleStage | None = Field(
        None,
        description=(
            "The stage you saw. If the contact has moved meanwhile, nothing changes and "
            "the answer is 409 `stale`."
        ),
    )


class StatusChangeIn(CreateSchema):
    to_status: LeadStatus
    reason: str = Field(
        "", description="Required for nurture and disqualified, and to reopen a disqualified one."
    )


class StageChangeOut(Schema):
    id: int
    contact_id: int
    from_stage: LifecycleStage | None = Field(description="Null when the contact entered.")
    to_stage: LifecycleStage
    kind: MoveKind
    at: AwareDatetime
    actor_kind: ActorKind = Field(description="A person (`user`), the `system` or a `rule`.")
    actor_id: int | None = Field(description="The user's id when a person made the move.")
    actor_label: str = Field(description="The name of the person, system or rule.")
    reason: str

    @staticmethod
    def resolve_from_stage(obj: StageChange) -> str | None:
        return obj.from_stage or None


class StatusChangeOut(Schema):
    id: int
    contact_id: int
    from_status: LeadStatus
    to_status: LeadStatus
    at: AwareDatetime
    actor_kind: ActorKind
    actor_id: int | None
    actor_label: str
    reason: str


class StageChangePage(PageOut):
    items: list[StageChangeOut]


class ContactStageChangeQuery(PageParams):
    to_stage: list[LifecycleStage] = Field(
        default_factory=list, description="Repeat to match any of several stages."
    )
    since: AwareDatetime | None = Field(None, description="At or after this time.")
    until: AwareDatetime | None = Field(None, description="Before this time.")

    def apply(self, queryset: StageChangeQuerySet) -> StageChangeQuerySet:
        """Matching stage changes, newest first."""
        if self.to_stage:
            queryset = queryset.filter(to_stage__in=self.to_stage)
        if self.since is not None:
            queryset = queryset.filter(at__gte=self.since)
        if self.until is not None:
            queryset = queryset.filter(at__lt=self.until)
        return queryset.order_by("-at", "-id")


class StageChangeQuery(ContactStageChangeQuery):
    contact: int | None = Field(None, description="Contact id.")

    def apply(self, queryset: StageChangeQuerySet) -> StageChangeQuerySet:
        if self.contact is not None:
            queryset = queryset.filter(contact_id=self.contact)
        return super().apply(queryset)
