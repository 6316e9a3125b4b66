"""API schemas of email templates, sends, their messages and the suppression list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from renkei.contacts.choices import LifecycleStage
from renkei.core.schemas import CreateSchema, PageOut, PageParams, PatchSchema
from renkei.nurture.choices import MessageStatus, SuppressionReason


class TemplateOut(Schema):
    id: int
    name: str
    subject_ja: str
    html_ja: str
    text_ja: str
    subject_en: str
    html_en: str
    text_en: str
    languages: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime


class TemplatePage(PageOut):
    items: list[TemplateOut]


class TemplateIn(CreateSchema):
    name: str = Field(max_length=200)
    subject_ja: str = Field("", max_length=300)
    html_ja: str = ""
    text_ja: str = ""
    subject_en: str = Field("", max_length=300)
    html_en: str = ""
    text_en: str = ""


class TemplatePatch(PatchSchema):
    name: str | None = Field(None, max_length=200)
    subject_ja: str | None = Field(None, max_length=300)
    html_ja: str | None = None
    text_ja: str | None = None
    subject_en: str | None = Field(None, max_length=300)
    html_en: str | None = None
    text_en: str | None = None


class ContactFilters(Schema):
    """The filters of the contacts list (GET /contacts uses the same words)."""

    q: str = ""
    stage: str = ""
    status: str = ""
    owner: str = Field("", description="`me`, `none` or a user id.")
    source: str = ""
    team: str = Field("", description="A team id.")


class SendIn(CreateSchema):
    name: str = Field(max_length=200)
    template_id: int
    filters: ContactFilters = Field(default_factory=ContactFilters)
    segment_id: int | None = Field(
        None, description="Send to this segment's contacts instead of `filters`."
    )
    scheduled_at: dt.datetime | None = Field(
        None, description="When to send (with a time zone); omitted or null: now."
    )


class SendOut(Schema):
    id: int
    name: str
    template_id: int
    audience: str = Field(alias="audience_label")
    status: str
    scheduled_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    created_at: dt.datetime


class SendCounts(Schema):
    total: int
    queued: int
    sending: int
    sent: int
    skipped: int
    failed: int
    unknown: int
    opened: int
    clicked: int


class SendDetail(SendOut):
    counts: SendCounts


class SendPage(PageOut):
    items: list[SendOut]


class MessageOut(Schema):
    id: int
    contact_id: int | None
    email: str
    language: str
    status: MessageStatus
    skip_reason: str
    lawful_basis: str
    error: str
    attempts: int
    next_attempt_at: dt.datetime | None
    sent_at: dt.datetime | None
    message_id: str
    opened_at: dt.datetime | None
    clicked_at: dt.datetime | None


class MessagePage(PageOut):
    items: list[MessageOut]


class MessageQuery(PageParams):
    status: MessageStatus | None = None


class SuppressionOut(Schema):
    id: int
    email: str
    reason: SuppressionReason
    note: str
    at: dt.datetime


class SuppressionPage(PageOut):
    items: list[SuppressionOut]


class SuppressionIn(CreateSchema):
    email: str = Field(max_length=254)
    reason: SuppressionReason = SuppressionReason.MANUAL
    note: str = Field("", max_length=500)


class SequenceOut(Schema):
    id: int
    name: str
    audience: str = Field(alias="audience_label")
    exit_stage: str
    steps: list[dict[str, Any]]
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class SequencePage(PageOut):
    items: list[SequenceOut]


class SequenceIn(CreateSchema):
    name: str = Field(max_length=200)
    exit_stage: LifecycleStage = LifecycleStage.MQL
    filters: ContactFilters = Field(default_factory=ContactFilters)
    segment_id: int | None = Field(
        None, description="Enroll this segment's contacts instead of those of `filters`."
    )
    steps: list[dict[str, Any]] = Field(
        description=(
            'Steps in order: {"kind": "send", "template": id}, {"kind": "wait", "days": n}, '
            '{"kind": "branch", "condition": "opened"|"clicked"|"stage", "stage": ..., '
            '"otherwise": step number or 0}, {"kind": "notify", "user": id|null, "note": ...}.'
        )
    )


class SequenceRun(Schema):
    running: bool


class EnrollmentOut(Schema):
    id: int
    contact_id: int
    status: str
    exit_reason: str
    step: int = Field(description="The next step's index (0 = the first step).")
    next_run_at: dt.datetime | None
    enrolled_at: dt.datetime
    finished_at: dt.datetime | None


class EnrollmentPage(PageOut):
    items: list[EnrollmentOut]
