"""First-party web tracking: validation of collected batches, writes of touches, and the
attachment of an anonymous visitor's history to a contact when they identify."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, field_validator

from renkei.contacts.models import Contact
from renkei.marketing.campaigns import campaign_ids_for
from renkei.marketing.choices import TouchType
from renkei.marketing.content import CONTENT_TOUCH_TYPES, content_ids_for
from renkei.marketing.hooks import touches_recorded
from renkei.marketing.models import Touch, Visitor, url_key

MAX_EVENTS = 50
EVENT_TYPES = {
    "page_view": TouchType.PAGE_VIEW,
    "download": TouchType.DOWNLOAD,
    "custom": TouchType.CUSTOM,
}
MAX_PAYLOAD_BYTES = 64 * 1024
VISITOR_ID = r"^[A-Za-z0-9_-]{16,64}$"

BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|scrape|headless|phantomjs|lighthouse|pingdom|uptime|monitor|"
    r"curl/|wget/|python-requests|python-urllib|aiohttp|httpx|go-http-client|java/|okhttp|"
    r"libwww|facebookexternalhit|preview",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """Obvious robots: no user agent, or one naming a crawler, a monitor or an HTTP library."""
    return not user_agent.strip() or bool(BOT_PATTERN.search(user_agent))


class EventIn(BaseModel):
    """One event sent by renkei.js."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    type: Literal["page_view", "download", "custom"]
    name: str = Field(default="", max_length=100)
    url: str = Field(default="", max_length=2000)
    title: str = Field(default="", max_length=500)
    referrer: str = Field(default="", max_length=2000)
    utm_source: str = Field(default="", max_length=200)
    utm_medium: str = Field(default="", max_length=200)
    utm_campaign: str = Field(default="", max_length=200)
    utm_term: str = Field(default="", max_length=200)
    utm_content: str = Field(default="", max_length=200)
    props: dict[str, str | int | float | bool | None] = Field(default_factory=dict, max_length=20)
    ts: int | None = None  # client clock, milliseconds since the epoch; kept, not trusted

    @field_validator("url", "referrer")
    @classmethod
    def _http_only(cls, value: str) -> str:
        if value and not value.lower().startswith(("http://", "https://")):
            raise ValueError("not an http(s) URL")
        return value

    @field_validator("props")
    @classmethod
    def _short_props(
        cls, value: dict[str, str | int | float | bool | None]
    ) -> dict[str, str | int | float | bool | None]:
        for key, item in value.items():
            if len(key) > 50 or (isinstance(item, str) and len(item) > 500):
                raise ValueError("property too long")
        return value


class BatchIn(BaseModel):
    """A batch: one visitor, up to MAX_EVENTS events."""

    model_config = ConfigDict(extra="ignore")

    visitor: str = Field(pattern=VISITOR_ID)
    events: list[EventIn] = Field(min_length=1, max_length=MAX_EVENTS)


def record_batch(batch: BatchIn, *, user_agent: str = "", now: dt.datetime | None = None) -> int:
    """Write a validated batch as touches in one INSERT; returns how many were written.
    A visitor already linked to a contact has the touches attached at once."""
    now = now or timezone.now()
    visitor, created = Visitor.objects.get_or_create(
        uid=batch.visitor, defaults={"first_seen": now, "last_seen": now}
    )
    if not created:
        Visitor.objects.filter(pk=visitor.pk).update(last_seen=now)
    campaigns = campaign_ids_for(e.utm_campaign for e in batch.events)
    assets = content_ids_for(e.url for e in batch.events if e.type != "custom")
    touches = []
    for offset, event in enumerate(batch.events):
        metadata: dict[str, Any] = dict(event.props)
        if event.ts is not None:
            metadata["client_ts"] = event.ts
        if user_agent:
            metadata.setdefault("ua", user_agent[:300])
        touches.append(
            Touch(
                type=EVENT_TYPES[event.type],
                name=event.name,
                # Keep the batch's order on the timeline: a microsecond apart each.
                at=now + dt.timedelta(microseconds=offset),
                contact_id=visitor.contact_id,
                visitor_uid=batch.visitor,
                url=event.url,
                title=event.title,
                referrer=event.referrer,
                utm_source=event.utm_source,
                utm_medium=event.utm_medium,
                utm_campaign=event.utm_campaign,
                utm_term=event.utm_term,
                utm_content=event.utm_content,
                metadata=metadata,
                campaign_id=campaigns.get(event.utm_campaign),
                content_id=None if event.type == "custom" else assets.get(url_key(event.url)),
            )
        )
    Touch.objects.bulk_create(touches)
    touches_recorded([visitor.contact_id])
    return len(touches)


@transaction.atomic
def identify_visitor(uid: str, contact: Contact, *, now: dt.datetime | None = None) -> int:
    """Link the visitor `uid` to `contact` and attach their anonymous touches to it;
    returns how many touches were attached. A visitor id that is already linked to another
    contact keeps that link (a shared computer must not merge two people's histories)."""
    now = now or timezone.now()
    visitor, _created = Visitor.objects.select_for_update().get_or_create(
        uid=uid, defaults={"first_seen": now, "last_seen": now, "contact": contact}
    )
    if visitor.contact_id not in (None, contact.pk):
        return 0
    if visitor.contact_id is None:
        visitor.contact = contact
        visitor.save(update_fields=["contact"])
    attached = Touch.objects.filter(visitor_uid=uid, contact__isnull=True).update(contact=contact)
    if attached:
        touches_recorded([contact.pk])
    return attached


def record_touch(
    *,
    type: str,
    contact: Contact | None,
    visitor_uid: str = "",
    at: dt.datetime | None = None,
    **fields: Any,
) -> Touch:
    """One server-side touch (a form submission, an email click), linked to the campaign
    its utm_campaign names and to the content at its URL."""
    code = fields.get("utm_campaign", "")
    fields.setdefault("campaign_id", campaign_ids_for([code]).get(code))
    if type in CONTENT_TOUCH_TYPES:
        url = fields.get("url", "")
        fields.setdefault("content_id", content_ids_for([url]).get(url_key(url)))
    touch = Touch.objects.create(
        type=type,
        contact=contact,
        visitor_uid=visitor_uid,
        at=at or timezone.now(),
        **fields,
    )
    touches_recorded([contact.pk if contact else None])
    return touch
