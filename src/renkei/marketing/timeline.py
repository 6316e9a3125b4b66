"""Touches and campaign status changes on the contact timeline."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from renkei.contacts.models import Contact
from renkei.funnel.timeline import TimelineEntry, register_source
from renkei.marketing.choices import MemberStatus, TouchType
from renkei.marketing.models import CampaignMemberChange, Touch


def _title(touch: Touch) -> str:
    if touch.type == TouchType.PAGE_VIEW:
        page = touch.content.title if touch.content_id else (touch.title or touch.url)
        return _("Viewed %(page)s") % {"page": page}
    if touch.type == TouchType.FORM_SUBMIT:
        return _("Submitted the form %(form)s") % {"form": touch.metadata.get("form_name", "")}
    if touch.type == TouchType.DOWNLOAD:
        return _("Downloaded %(file)s") % {
            "file": touch.content.title if touch.content_id else (touch.title or touch.url)
        }
    if touch.type == TouchType.EMAIL_CLICK:
        return _("Clicked a link in an email")
    if touch.type == TouchType.EMAIL_OPEN:
        return _("Opened the email %(name)s") % {"name": touch.title}
    if touch.type == TouchType.EMAIL_BOUNCE:
        return _("An email bounced")
    if touch.type == TouchType.EMAIL_COMPLAINT:
        return _("Marked an email as spam")
    if touch.type == TouchType.EMAIL_UNSUBSCRIBE:
        return _("Unsubscribed from marketing email")
    return _("Event: %(name)s") % {"name": touch.name}


def _detail(touch: Touch) -> str:
    parts = []
    if touch.title and touch.url:
        parts.append(touch.url)
    if touch.campaign_id is not None:
        parts.append(_("Campaign: %(campaign)s") % {"campaign": touch.campaign.name})
    elif touch.utm_campaign:
        parts.append(_("Campaign: %(campaign)s") % {"campaign": touch.utm_campaign})
    return " · ".join(parts)


@register_source
def touch_entries(contact: Contact, limit: int) -> Iterable[TimelineEntry]:
    touches = (
        Touch.objects.filter(contact=contact)
        .select_related("campaign", "content")
        .order_by("-at", "-id")
    )[:limit]
    for touch in touches:
        yield TimelineEntry(
            at=touch.at,
            kind="touch",
            title=_title(touch),
            actor="",
            detail=_detail(touch),
            tone="primary" if touch.type == TouchType.FORM_SUBMIT else "secondary",
        )


@register_source
def campaign_entries(contact: Contact, limit: int) -> Iterable[TimelineEntry]:
    changes = (
        CampaignMemberChange.objects.filter(member__contact=contact)
        .select_related("member__campaign", "actor")
        .order_by("-at", "-id")[:limit]
    )
    for change in changes:
        campaign = change.member.campaign.name
        if change.from_status:
            title = _("%(campaign)s: %(source)s → %(target)s") % {
                "campaign": campaign,
                "source": MemberStatus(change.from_status).label,
                "target": MemberStatus(change.to_status).label,
            }
        else:
            title = _("Added to the campaign %(campaign)s as %(status)s") % {
                "campaign": campaign,
                "status": MemberStatus(change.to_status).label,
            }
        yield TimelineEntry(
            at=change.at,
            kind="campaign",
            title=title,
            actor=change.actor.display_name if change.actor else change.actor_label,
            tone="info",
        )
