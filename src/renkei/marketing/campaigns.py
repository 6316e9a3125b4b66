"""Campaigns: writes (audited), members and their status history, the link between touches
and campaigns, and a campaign's roll-up.

A touch belongs to the campaign whose UTM code equals the touch's utm_campaign. A form
submission's touch carries the visitor's utm_campaign, or else the form's campaign, so
both resolve the same way. Touches are linked when recorded (tracking.record_batch,
tracking.record_touch) and, for touches recorded before the campaign existed or got its
code, when a campaign is saved (link_touches; backfill_touch_campaigns for all).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from renkei.contacts.choices import LifecycleStage
from renkei.contacts.models import Contact
from renkei.contacts.normalize import normalize_email
from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.core.models import User
from renkei.funnel.models import StageChange
from renkei.marketing.choices import MemberStatus, TouchType
from renkei.marketing.models import (
    Campaign,
    CampaignMember,
    CampaignMemberChange,
    Persona,
    Touch,
)

logger = logging.getLogger(__name__)

CAMPAIGN_FIELDS = {
    "name", "type", "channel", "description", "start_date", "end_date", "budget",
    "actual_cost", "buyer_stage", "owner", "utm_campaign",
}  # fmt: skip
# Stages that count as a lead for "cost per lead": a subscriber is not yet one.
LEAD_STAGES = [s for s in LifecycleStage.values if s != LifecycleStage.SUBSCRIBER]


class CampaignError(Exception):
    """A campaign change that cannot be made, with a translated message."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def suggest_utm_code(name: str) -> str:
    """A free UTM code derived from a campaign's name (ASCII when the name allows)."""
    base = slugify(name)[:60] or slugify(name, allow_unicode=True)[:60] or "campaign"
    code, n = base, 1
    while Campaign.objects.filter(utm_campaign=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _apply(campaign: Campaign, values: dict[str, Any]) -> None:
    unknown = set(values) - CAMPAIGN_FIELDS
    if unknown:
        raise ValueError(f"not writable here: {sorted(unknown)}")
    for key, value in values.items():
        setattr(campaign, key, value.strip() if isinstance(value, str) else value)
    if not campaign.utm_campaign:
        campaign.utm_campaign = suggest_utm_code(campaign.name)
    campaign.full_clean(exclude=["created_at"])


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    values = audit.snapshot(campaign)
    values["target_personas"] = sorted(campaign.target_personas.values_list("pk", flat=True))
    return values


@transaction.atomic
def create_campaign(
    *, actor: User | None, target_personas: Iterable[Persona] = (), **values: Any
) -> Campaign:
    campaign = Campaign(created_at=timezone.now())
    _apply(campaign, values)
    campaign.save()
    campaign.target_personas.set(list(target_personas))
    audit.record(
        campaign,
        action=AuditAction.CREATE,
        actor=actor,
        changes=audit.diff({}, _snapshot(campaign)),
    )
    link_touches(campaign)
    return campaign


@transaction.atomic
def update_campaign(
    campaign: Campaign,
    *,
    actor: User | None,
    target_personas: Iterable[Persona] | None = None,
    **values: Any,
) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = _snapshot(campaign)
    _apply(campaign, values)
    campaign.save()
    if target_personas is not None:
        campaign.target_personas.set(list(target_personas))
    changes = audit.diff(before, _snapshot(campaign))
    audit.record(campaign, action=AuditAction.UPDATE, actor=actor, changes=changes)
    if "utm_campaign" in changes:
        link_touches(campaign)
    return campaign


@transaction.atomic
def delete_campaign(campaign: Campaign, *, actor: User | None) -> None:
    """Delete a campaign with its members; its touches stay, unlinked."""
    audit.record(
        campaign,
        action=AuditAction.DELETE,
        actor=actor,
        changes=audit.diff(_snapshot(campaign), {}),
    )
    campaign.delete()


def link_touches(campaign: Campaign) -> int:
    """Link the touches whose utm_campaign is the campaign's code to it, and unlink those
    that no longer carry it; returns how many touches were linked."""
    Touch.objects.filter(campaign=campaign).exclude(utm_campaign=campaign.utm_campaign).update(
        campaign=None
    )
    return (
        Touch.objects.filter(utm_campaign=campaign.utm_campaign)
        .exclude(campaign=campaign)
        .update(campaign=campaign)
    )


def backfill_touch_campaigns() -> int:
    """Link every touch recorded before its campaign existed; returns how many."""
    return sum(link_touches(c) for c in Campaign.objects.all())


def campaign_ids_for(codes: Iterable[str]) -> dict[str, int]:
    """The campaign id of each UTM code that names a campaign (one query)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return dict(Campaign.objects.filter(utm_campaign__in=wanted).values_list("utm_campaign", "pk"))


# --- members --------------------------------------------------------------------------
def _actor_label(actor: User | None, label: str) -> str:
    return actor.display_name if actor is not None else label


@dataclass
class AddResult:
    added: list[CampaignMember] = field(default_factory=list)
    already: int = 0
    unknown: list[str] = field(default_factory=list)


@transaction.atomic
def add_members(
    campaign: Campaign,
    contacts: Sequence[Contact],
    *,
    status: str = MemberStatus.INVITED,
    actor: User | None,
    actor_label: str = "",
    at: dt.datetime | None = None,
) -> AddResult:
    """Add contacts to a campaign with `status`; contacts already members keep theirs."""
    now = at or timezone.now()
    MemberStatus(status)
    existing = set(
        CampaignMember.objects.filter(campaign=campaign, contact__in=contacts).values_list(
            "contact_id", flat=True
        )
    )
    result = AddResult(already=len(existing))
    seen: set[int] = set(existing)
    rows = []
    for contact in contacts:
        if contact.pk in seen:
            continue
        seen.add(contact.pk)
        rows.append(
            CampaignMember(
                campaign=campaign, contact=contact, status=status, created_at=now, updated_at=now
            )
        )
    result.added = CampaignMember.objects.bulk_create(rows)
    if result.added and result.added[0].pk is None:  # backends that return no ids
        result.added = list(
            CampaignMember.objects.filter(campaign=campaign, contact__in=[r.contact for r in rows])
        )
    CampaignMemberChange.objects.bulk_create(
        CampaignMemberChange(
            member=m,
            from_status="",
            to_status=status,
            at=now,
            actor=actor,
            actor_label=_actor_label(actor, actor_label or "system"),
        )
        for m in result.added
    )
    return result


def add_members_by_email(
    campaign: Campaign, emails: str, *, status: str, actor: User | None
) -> AddResult:
    """Add the contacts with these email addresses (one a line, or separated by commas or
    spaces); addresses of no contact are returned in `unknown`."""
    wanted: list[str] = []
    for raw in emails.replace(",", " ").replace(";", " ").split():
        email = normalize_email(raw)
        if email and email not in wanted:
            wanted.append(email)
    contacts = {c.email: c for c in Contact.objects.filter(email__in=wanted).order_by("id")}
    result = add_members(
        campaign, [contacts[e] for e in wanted if e in contacts], status=status, actor=actor
    )
    result.unknown = [e for e in wanted if e not in contacts]
    return result


@transaction.atomic
def change_member_status(
    member: CampaignMember,
    status: str,
    *,
    actor: User | None,
    actor_label: str = "",
    at: dt.datetime | None = None,
) -> CampaignMember:
    """Set a member's status and record the change; the same status is an error."""
    MemberStatus(status)
    member = CampaignMember.objects.select_for_update().get(pk=member.pk)
    if member.status == status:
        raise CampaignError(
            _("The member is already %(status)s.") % {"status": MemberStatus(status).label},
            code="unchanged",
        )
    now = at or timezone.now()
    CampaignMemberChange.objects.create(
        member=member,
        from_status=member.status,
        to_status=status,
        at=now,
        actor=actor,
        actor_label=_actor_label(actor, actor_label or "system"),
    )
    member.status = status
    member.updated_at = now
    member.save(update_fields=["status", "updated_at"])
    return member


@transaction.atomic
def remove_member(member: CampaignMember, *, actor: User | None) -> None:
    """Take a contact out of a campaign (its status history goes with it)."""
    audit.record(
        member.campaign,
        action=AuditAction.UPDATE,
        actor=actor,
        changes={"members": [[member.contact_id], []]},
    )
    member.delete()


def record_response(campaign_id: int, contact: Contact, *, at: dt.datetime) -> None:
    """A contact answered a campaign (submitted its form): make them a member with the
    status "responded" unless they are one already."""
    try:
        with transaction.atomic():
            campaign = Campaign.objects.get(pk=campaign_id)
            add_members(
                campaign, [contact], status=MemberStatus.RESPONDED, actor=None,
                actor_label="form", at=at,
            )  # fmt: skip
    except IntegrityError:  # added meanwhile by someone else: nothing to do
        pass


# --- roll-up --------------------------------------------------------------------------
@dataclass
class CampaignReport:
    """A campaign's numbers. Stages come from StageChange events: a member "reached" a
    stage when they entered it at any time; "since joining" counts only entries at or
    after the moment they were added to the campaign."""

    members_by_status: list[tuple[str, str, int]]
    member_count: int
    touches_by_type: list[tuple[str, str, int]]
    touch_count: int
    contacts_reached: int
    stages: list[dict[str, Any]]
    leads: int
    opportunities: int
    cost_per_lead: int | None
    cost_per_opportunity: int | None


def campaign_report(campaign: Campaign) -> CampaignReport:
    statuses = dict(
        campaign.members.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    members_by_status = [(s, label, statuses.get(s, 0)) for s, label in MemberStatus.choices]
    types = dict(
        campaign.touches.values_list("type").annotate(n=Count("id")).values_list("type", "n")
    )
    touches_by_type = [(t, label, types[t]) for t, label in TouchType.choices if types.get(t)]
    member_ids = campaign.members.values("contact_id")
    touched_ids = campaign.touches.filter(contact__isnull=False).values("contact_id")
    contacts_reached = Contact.objects.filter(Q(pk__in=member_ids) | Q(pk__in=touched_ids)).count()
    changes = StageChange.objects.filter(contact__campaign_memberships__campaign=campaign)
    ever = dict(
        changes.values("to_stage")
        .annotate(n=Count("contact", distinct=True))
        .values_list("to_stage", "n")
    )
    since = dict(
        StageChange.objects.filter(
            contact__campaign_memberships__campaign=campaign,
            at__gte=F("contact__campaign_memberships__created_at"),
        )
        .values("to_stage")
        .annotate(n=Count("contact", distinct=True))
        .values_list("to_stage", "n")
    )
    stages = [
        {"stage": s, "label": label, "ever": ever.get(s, 0), "since": since.get(s, 0)}
        for s, label in LifecycleStage.choices
    ]
    leads = changes.filter(to_stage__in=LEAD_STAGES).values("contact").distinct().count()
    opportunities = ever.get(LifecycleStage.OPPORTUNITY, 0)
    cost = campaign.actual_cost
    return CampaignReport(
        members_by_status=members_by_status,
        member_count=sum(statuses.values()),
        touches_by_type=touches_by_type,
        touch_count=sum(types.values()),
        contacts_reached=contacts_reached,
        stages=stages,
        leads=leads,
        opportunities=opportunities,
        cost_per_lead=round(cost / leads) if leads and cost else None,
        cost_per_opportunity=round(cost / opportunities) if opportunities and cost else None,
    )
