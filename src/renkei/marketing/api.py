"""API routes of marketing: personas (and the persona of a contact), campaigns and their
members, content assets. Thin: check the role, validate, call one service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from renkei.contacts.models import Contact
from renkei.contacts.schemas import ContactPage
from renkei.core.api import active_user, error_responses, paginate, require_role
from renkei.core.choices import Role
from renkei.core.permissions import ALL_ROLES
from renkei.core.schemas import PageParams
from renkei.marketing import campaigns as campaign_services
from renkei.marketing import content as content_services
from renkei.marketing import personas as persona_services
from renkei.marketing import segments as segment_services
from renkei.marketing.api_schemas import (
    CampaignCreate,
    CampaignOut,
    CampaignPage,
    CampaignPatch,
    CampaignQuery,
    CampaignReportOut,
    ContentCreate,
    ContentMapOut,
    ContentOut,
    ContentPage,
    ContentPatch,
    ContentQuery,
    ContentStatsOut,
    MatchStarted,
    MemberOut,
    MemberPage,
    MemberPatch,
    MemberQuery,
    MembersAdd,
    MembersAdded,
    PersonaChoice,
    PersonaCreate,
    PersonaMatchOut,
    PersonaOut,
    PersonaPage,
    PersonaPatch,
    PersonaQuery,
    SegmentCountIn,
    SegmentCountOut,
    SegmentCreate,
    SegmentOut,
    SegmentPage,
    SegmentPatch,
)
from renkei.marketing.models import (
    Campaign,
    CampaignMember,
    CampaignMemberChange,
    ContentAsset,
    Persona,
    PersonaMatch,
    Segment,
)

router = Router(tags=["marketing"])
MARKETING = (Role.MARKETING,)


def _keywords(values: dict[str, Any]) -> dict[str, Any]:
    for key in ("department_keywords", "title_keywords"):
        if key in values:
            values[key] = "\n".join(values[key])
    return values


# --- Personas ---------------------------------------------------------------------------


@router.get(
    "/personas", response={200: PersonaPage, **error_responses(422)}, summary="List personas"
)
def list_personas(request: HttpRequest, query: Query[PersonaQuery]) -> dict[str, Any]:
    require_role(request, *ALL_ROLES)
    personas = Persona.objects.order_by("name", "id")
    if query.q.strip():
        personas = personas.filter(name__icontains=query.q.strip())
    return paginate(personas, query)


@router.get(
    "/personas/{int:persona_id}",
    response={200: PersonaOut, **error_responses(404)},
    summary="Get a persona",
)
def get_persona(request: HttpRequest, persona_id: int) -> Persona:
    require_role(request, *ALL_ROLES)
    return get_object_or_404(Persona, pk=persona_id)


@router.post(
    "/personas", response={201: PersonaOut, **error_responses(403, 422)}, summary="Create a persona"
)
def create_persona(request: HttpRequest, payload: PersonaCreate) -> Status[Persona]:
    """Create a persona; every contact is matched again in the background."""
    user = require_role(request, *MARKETING)
    values = _keywords(payload.model_dump())
    return Status(201, persona_services.create_persona(actor=user, **values))


@router.patch(
    "/personas/{int:persona_id}",
    response={200: PersonaOut, **error_responses(403, 404, 422)},
    summary="Update a persona",
)
def update_persona(request: HttpRequest, persona_id: int, payload: PersonaPatch) -> Persona:
    """Change the fields sent; a change of the fit criteria re-matches every contact in
    the background."""
    user = require_role(request, *MARKETING)
    persona = get_object_or_404(Persona, pk=persona_id)
    values = _keywords(payload.model_dump(exclude_unset=True))
    return persona_services.update_persona(persona, actor=user, **values)


@router.delete(
    "/personas/{int:persona_id}",
    response={204: None, **error_responses(403, 404)},
    summary="Delete a persona",
)
def delete_persona(request: HttpRequest, persona_id: int) -> Status[None]:
    """Delete a persona and its matches; its contacts are matched again to the others."""
    user = require_role(request, *MARKETING)
    persona_services.delete_persona(get_object_or_404(Persona, pk=persona_id), actor=user)
    return Status(204, None)


@router.post(
    "/personas/match",
    response={202: MatchStarted, **error_responses(403)},
    summary="Match every contact again",
)
def match_personas(request: HttpRequest) -> Status[dict[str, str]]:
    """Queue a matching of every contact to its best-fitting persona."""
    from renkei.marketing.tasks import match_all_personas

    require_role(request, *MARKETING)
    match_all_personas.enqueue()
    return Status(202, {"status": "queued"})


def _match_out(match: PersonaMatch | None) -> Any:
    if match is None:
        return {"persona": None, "manual": False, "matched_at": None, "chosen_by": None}
    return match


@router.get(
    "/contacts/{int:contact_id}/persona",
    response={200: PersonaMatchOut, **error_responses(404)},
    summary="Get a contact's persona",
)
def get_contact_persona(request: HttpRequest, contact_id: int) -> Any:
    require_role(request, *ALL_ROLES)
    contact = get_object_or_404(Contact, pk=contact_id)
    match = PersonaMatch.objects.select_related("persona", "actor").filter(contact=contact).first()
    return _match_out(match)


@router.put(
    "/contacts/{int:contact_id}/persona",
    response={200: PersonaMatchOut, **error_responses(403, 404, 422)},
    summary="Choose a contact's persona",
)
def set_contact_persona(request: HttpRequest, contact_id: int, payload: PersonaChoice) -> Any:
    """Keep `persona_id` for this contact whatever the automatic matching finds, or with
    null hand the contact back to the automatic matching (which runs at once)."""
    user = require_role(request, *MARKETING)
    contact = get_object_or_404(Contact, pk=contact_id)
    persona = None
    if payload.persona_id is not None:
        persona = Persona.objects.filter(pk=payload.persona_id).first()
        if persona is None:
            raise ValidationError(
                {
                    "persona_id": _(
                        "Select a valid choice. That choice is not one of the available choices."
                    )
                }
            )
    match = persona_services.choose_persona(contact, persona, actor=user)
    return _match_out(match)


# --- Campaigns --------------------------------------------------------------------------


def _campaign_values(values: dict[str, Any]) -> dict[str, Any]:
    if "owner_id" in values:
        values["owner"] = active_user(values.pop("owner_id"), field="owner_id")
    if "target_persona_ids" in values:
        ids = values.pop("target_persona_ids")
        found = list(Persona.objects.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise ValidationError(
                {
                    "target_persona_ids": _(
                        "Select a valid choice. That choice is not one of the available choices."
                    )
                }
            )
        values["target_personas"] = found
    for name in ("channel", "buyer_stage"):
        if name in values and values[name] is None:
            values[name] = ""
    return values


def _campaigns() -> Any:
    return Campaign.objects.select_related("owner").prefetch_related("target_personas")


@router.get(
    "/campaigns", response={200: CampaignPage, **error_responses(422)}, summary="List campaigns"
)
def list_campaigns(request: HttpRequest, query: Query[CampaignQuery]) -> dict[str, Any]:
    """Campaigns, latest start first (campaigns without dates last)."""
    require_role(request, *ALL_ROLES)
    campaigns = _campaigns().order_by(F("start_date").desc(nulls_last=True), "name", "id")
    if query.q.strip():
        q = query.q.strip()
        campaigns = campaigns.filter(Q(name__icontains=q) | Q(utm_campaign__icontains=q))
    if query.type:
        campaigns = campaigns.filter(type__in=query.type)
    return paginate(campaigns, query)


@router.get(
    "/campaigns/{int:campaign_id}",
    response={200: CampaignOut, **error_responses(404)},
    summary="Get a campaign",
)
def get_campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    require_role(request, *ALL_ROLES)
    return get_object_or_404(_campaigns(), pk=campaign_id)


@router.post(
    "/campaigns",
    response={201: CampaignOut, **error_responses(403, 422)},
    summary="Create a campaign",
)
def create_campaign(request: HttpRequest, payload: CampaignCreate) -> Status[Campaign]:
    """Create a campaign; touches already recorded with its UTM code are linked to it."""
    user = require_role(request, *MARKETING)
    values = _campaign_values(payload.model_dump())
    campaign = campaign_services.create_campaign(actor=user, **values)
    return Status(201, _campaigns().get(pk=campaign.pk))


@router.patch(
    "/campaigns/{int:campaign_id}",
    response={200: CampaignOut, **error_responses(403, 404, 422)},
    summary="Update a campaign",
)
def update_campaign(request: HttpRequest, campaign_id: int, payload: CampaignPatch) -> Campaign:
    """Change the fields sent; a new UTM code re-links the touches."""
    user = require_role(request, *MARKETING)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    values = _campaign_values(payload.model_dump(exclude_unset=True))
    campaign_services.update_campaign(campaign, actor=user, **values)
    return _campaigns().get(pk=campaign.pk)


@router.delete(
    "/campaigns/{int:campaign_id}",
    response={204: None, **error_responses(403, 404)},
    summary="Delete a campaign",
)
def delete_campaign(request: HttpRequest, campaign_id: int) -> Status[None]:
    """Delete a campaign and its members; its touches stay, without a campaign."""
    user = require_role(request, *MARKETING)
    campaign_services.delete_campaign(get_object_or_404(Campaign, pk=campaign_id), actor=user)
    return Status(204, None)


@router.get(
    "/campaigns/{int:campaign_id}/report",
    response={200: CampaignReportOut, **error_responses(404)},
    summary="A campaign's roll-up",
)
def campaign_report(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    """Members by status, touches by type, contacts reached, stages reached by members
    (from stage changes) and cost per lead and per opportunity."""
    require_role(request, *ALL_ROLES)
    report = campaign_services.campaign_report(get_object_or_404(Campaign, pk=campaign_id))
    return {
        **{
            k: v
            for k, v in vars(report).items()
            if k not in {"stages", "members_by_status", "touches_by_type"}
        },
        "members_by_status": [
            {"value": v, "label": str(label), "count": n}
            for v, label, n in report.members_by_status
        ],
        "touches_by_type": [
            {"value": v, "label": str(label), "count": n} for v, label, n in report.touches_by_type
        ],
        "stages": [
            {"stage": s["stage"], "ever": s["ever"], "since_joining": s["since"]}
            for s in report.stages
        ],
    }


def _members(campaign_id: int) -> Any:
    return (
        CampaignMember.objects.filter(campaign_id=campaign_id)
        .select_related("contact")
        .prefetch_related(
            Prefetch("changes", queryset=CampaignMemberChange.objects.select_related("actor"))
        )
        .order_by("-updated_at", "-id")
    )


@router.get(
    "/campaigns/{int:campaign_id}/members",
    response={200: MemberPage, **error_responses(404, 422)},
    summary="List a campaign's members",
)
def list_members(
    request: HttpRequest, campaign_id: int, query: Query[MemberQuery]
) -> dict[str, Any]:
    """Members with their status history, last status change first."""
    require_role(request, *ALL_ROLES)
    get_object_or_404(Campaign.objects.only("pk"), pk=campaign_id)
    members = _members(campaign_id)
    if query.status:
        members = members.filter(status__in=query.status)
    return paginate(members, query)


@router.post(
    "/campaigns/{int:campaign_id}/members",
    response={201: MembersAdded, **error_responses(403, 404, 422)},
    summary="Add members",
)
def add_members(
    request: HttpRequest, campaign_id: int, payload: MembersAdd
) -> Status[dict[str, int]]:
    """Add contacts with `status`; contacts already members keep theirs."""
    user = require_role(request, *MARKETING)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    contacts = list(Contact.objects.filter(pk__in=payload.contact_ids).order_by("id"))
    missing = set(payload.contact_ids) - {c.pk for c in contacts}
    if missing:
        raise ValidationError(
            {
                "contact_ids": _("No contact has the id %(ids)s.")
                % {"ids": ", ".join(map(str, sorted(missing)))}
            }
        )
    result = campaign_services.add_members(campaign, contacts, status=payload.status, actor=user)
    return Status(201, {"added": len(result.added), "already": result.already})


@router.patch(
    "/campaigns/{int:campaign_id}/members/{int:member_id}",
    response={200: MemberOut, **error_responses(403, 404, 422)},
    summary="Change a member's status",
)
def change_member_status(
    request: HttpRequest, campaign_id: int, member_id: int, payload: MemberPatch
) -> CampaignMember:
    """Set the status; the change is added to the member's history. Setting the status the
    member already has is refused (`unchanged`)."""
    user = require_role(request, *MARKETING)
    member = get_object_or_404(CampaignMember, pk=member_id, campaign_id=campaign_id)
    campaign_services.change_member_status(member, payload.status, actor=user)
    return _members(campaign_id).get(pk=member.pk)


@router.delete(
    "/campaigns/{int:campaign_id}/members/{int:member_id}",
    response={204: None, **error_responses(403, 404)},
    summary="Remove a member",
)
def remove_member(request: HttpRequest, campaign_id: int, member_id: int) -> Status[None]:
    user = require_role(request, *MARKETING)
    member = get_object_or_404(
        CampaignMember.objects.select_related("campaign"), pk=member_id, campaign_id=campaign_id
    )
    campaign_services.remove_member(member, actor=user)
    return Status(204, None)


# --- Content ----------------------------------------------------------------------------


def _content_values(values: dict[str, Any]) -> dict[str, Any]:
    if "persona_ids" in values:
        ids = values.pop("persona_ids")
        found = list(Persona.objects.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise ValidationError(
                {
                    "persona_ids": _(
                        "Select a valid choice. That choice is not one of the available choices."
                    )
                }
            )
        values["personas"] = found
    if "campaign_id" in values:
        campaign_id = values.pop("campaign_id")
        values["campaign"] = None
        if campaign_id is not None:
            values["campaign"] = Campaign.objects.filter(pk=campaign_id).first()
            if values["campaign"] is None:
                raise ValidationError(
                    {
                        "campaign_id": _(
                            "Select a valid choice. That choice is not one of the available "
                            "choices."
                        )
                    }
                )
    return values


def _assets() -> Any:
    return ContentAsset.objects.select_related("campaign").prefetch_related("personas")


@router.get("/content", response={200: ContentPage, **error_responses(422)}, summary="List content")
def list_content(request: HttpRequest, query: Query[ContentQuery]) -> dict[str, Any]:
    require_role(request, *ALL_ROLES)
    assets = _assets().order_by("title", "id")
    if query.q.strip():
        q = query.q.strip()
        assets = assets.filter(Q(title__icontains=q) | Q(url__icontains=q))
    if query.stage:
        assets = assets.filter(buyer_stage__in=query.stage)
    if query.kind:
        assets = assets.filter(kind__in=query.kind)
    if query.persona is not None:
        assets = assets.filter(personas=query.persona)
    return paginate(assets, query)


@router.get(
    "/content/{int:content_id}",
    response={200: ContentOut, **error_responses(404)},
    summary="Get a content asset",
)
def get_content(request: HttpRequest, content_id: int) -> ContentAsset:
    require_role(request, *ALL_ROLES)
    return get_object_or_404(_assets(), pk=content_id)


@router.get(
    "/content/{int:content_id}/stats",
    response={200: ContentStatsOut, **error_responses(404)},
    summary="A content asset's touches and effect",
)
def content_stats(request: HttpRequest, content_id: int) -> dict[str, Any]:
    """Views, downloads and form submissions, and the contacts who moved forward in the
    funnel within 90 days after their first touch with it."""
    require_role(request, *ALL_ROLES)
    asset = get_object_or_404(ContentAsset, pk=content_id)
    stats = content_services.content_stats([asset.pk]).get(asset.pk) or {}
    effect = content_services.content_effects([asset.pk]).get(asset.pk)
    return {
        "views": stats.get("views", 0),
        "downloads": stats.get("downloads", 0),
        "form_submissions": stats.get("forms", 0),
        "contacts": effect.contacts if effect else 0,
        "moved_forward": effect.moved_forward if effect else 0,
        "moved_forward_share": effect.share if effect else None,
    }


@router.post(
    "/content",
    response={201: ContentOut, **error_responses(403, 422)},
    summary="Create a content asset",
)
def create_content(request: HttpRequest, payload: ContentCreate) -> Status[ContentAsset]:
    """Register content; touches already recorded at its URL are linked in the background."""
    user = require_role(request, *MARKETING)
    asset = content_services.create_content(actor=user, **_content_values(payload.model_dump()))
    return Status(201, _assets().get(pk=asset.pk))


@router.patch(
    "/content/{int:content_id}",
    response={200: ContentOut, **error_responses(403, 404, 422)},
    summary="Update a content asset",
)
def update_content(request: HttpRequest, content_id: int, payload: ContentPatch) -> ContentAsset:
    user = require_role(request, *MARKETING)
    asset = get_object_or_404(ContentAsset, pk=content_id)
    values = _content_values(payload.model_dump(exclude_unset=True))
    content_services.update_content(asset, actor=user, **values)
    return _assets().get(pk=asset.pk)


@router.delete(
    "/content/{int:content_id}",
    response={204: None, **error_responses(403, 404)},
    summary="Delete a content asset",
)
def delete_content(request: HttpRequest, content_id: int) -> Status[None]:
    """Delete an asset; its touches stay, without content."""
    user = require_role(request, *MARKETING)
    content_services.delete_content(get_object_or_404(ContentAsset, pk=content_id), actor=user)
    return Status(204, None)


@router.get(
    "/content-map", response={200: ContentMapOut, **error_responses()}, summary="The content map"
)
def get_content_map(request: HttpRequest) -> dict[str, Any]:
    """Content assets and their touches by buyer stage × persona (the last cell of each row
    is the content for any persona)."""
    require_role(request, *ALL_ROLES)
    grid = content_services.content_map()
    return {
        "personas": grid.personas,
        "rows": [
            {
                "stage": stage,
                "cells": [
                    {
                        "persona_id": c.persona_id,
                        "assets": c.assets,
                        "touches": c.touches,
                        "missing": c.persona_id is not None and c.missing,
                    }
                    for c in cells
                ],
            }
            for stage, _label, cells in grid.rows
        ],
        "missing": grid.missing,
    }


# --- Segments ---------------------------------------------------------------------------


@router.get(
    "/segments", response={200: SegmentPage, **error_responses(422)}, summary="List segments"
)
def list_segments(request: HttpRequest, query: Query[PageParams]) -> dict[str, Any]:
    require_role(request, *ALL_ROLES)
    return paginate(Segment.objects.select_related("owner").order_by("name", "id"), query)


@router.get(
    "/segments/{int:segment_id}",
    response={200: SegmentOut, **error_responses(404)},
    summary="Get a segment",
)
def get_segment(request: HttpRequest, segment_id: int) -> Segment:
    require_role(request, *ALL_ROLES)
    return get_object_or_404(Segment.objects.select_related("owner"), pk=segment_id)


@router.post(
    "/segments", response={201: SegmentOut, **error_responses(403, 422)}, summary="Create a segment"
)
def create_segment(request: HttpRequest, payload: SegmentCreate) -> Status[Segment]:
    """Save filters as a segment (at least one filter). Its contacts are whoever matches
    them when it is used."""
    user = require_role(request, *MARKETING)
    return Status(
        201,
        segment_services.create_segment(
            actor=user, filters=payload.filters, name=payload.name, description=payload.description
        ),
    )


@router.patch(
    "/segments/{int:segment_id}",
    response={200: SegmentOut, **error_responses(403, 404, 422)},
    summary="Update a segment",
)
def update_segment(request: HttpRequest, segment_id: int, payload: SegmentPatch) -> Segment:
    """Change the fields sent; `filters` replaces all the filters."""
    user = require_role(request, *MARKETING)
    segment = get_object_or_404(Segment, pk=segment_id)
    values = payload.model_dump(exclude_unset=True, exclude={"filters"})
    filters = payload.filters if "filters" in payload.model_fields_set else None
    return segment_services.update_segment(segment, actor=user, filters=filters, **values)


@router.delete(
    "/segments/{int:segment_id}",
    response={204: None, **error_responses(403, 404)},
    summary="Delete a segment",
)
def delete_segment(request: HttpRequest, segment_id: int) -> Status[None]:
    user = require_role(request, *MARKETING)
    segment_services.delete_segment(get_object_or_404(Segment, pk=segment_id), actor=user)
    return Status(204, None)


@router.get(
    "/segments/{int:segment_id}/contacts",
    response={200: ContactPage, **error_responses(404, 422)},
    summary="A segment's contacts",
)
def segment_contacts(
    request: HttpRequest, segment_id: int, query: Query[PageParams]
) -> dict[str, Any]:
    """The contacts matching the segment now, last changed first; `count` is the segment's
    size."""
    require_role(request, *ALL_ROLES)
    segment = get_object_or_404(Segment, pk=segment_id)
    contacts = segment_services.contacts_of(segment).with_related().order_by("-updated_at", "-id")
    return paginate(contacts, query)


@router.post(
    "/segments/count",
    response={200: SegmentCountOut, **error_responses(403, 422)},
    summary="Count contacts for filters",
)
def count_segment(request: HttpRequest, payload: SegmentCountIn) -> dict[str, int]:
    """How many contacts match these filters now, without saving a segment."""
    require_role(request, *MARKETING)
    return {"count": segment_services.count(payload.filters)}
