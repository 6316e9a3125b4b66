"""API routes that move contacts through the funnel and read the recorded moves.

The funnel services check who may make which move; a refusal comes back as a FunnelError,
which the API answers with 403 (forbidden), 409 (stale) or 422 (anything else).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from renkei.contacts.models import Contact
from renkei.core.api import error_responses, paginate, require_role
from renkei.core.permissions import ALL_ROLES
from renkei.funnel import services as funnel_services
from renkei.funnel.models import StageChange, StatusChange
from renkei.funnel.schemas import (
    ContactStageChangeQuery,
    StageChangeIn,
    StageChangeOut,
    StageChangePage,
    StageChangeQuery,
    StatusChangeIn,
    StatusChangeOut,
)

router = Router(tags=["funnel"])


@router.post(
    "/contacts/{int:contact_id}/stage",
    response={201: StageChangeOut, **error_responses(403, 404, 409, 422)},
    summary="Move a contact to another stage",
)
def change_stage(
    request: HttpRequest, contact_id: int, payload: StageChangeIn
) -> Status[StageChange]:
    """Move the contact, as the token's user, and return the recorded stage change.
    Send `expected_stage` to be refused (409 `stale`) if someone moved it meanwhile."""
    user = require_role(request, *ALL_ROLES)
    contact = get_object_or_404(Contact.objects.only("pk"), pk=contact_id)
    change = funnel_services.change_stage(
        contact.pk,
        to_stage=payload.to_stage,
        actor=user,
        reason=payload.reason,
        expected_stage=payload.expected_stage,
    )
    return Status(201, change)


@router.post(
    "/contacts/{int:contact_id}/status",
    response={201: StatusChangeOut, **error_responses(403, 404, 422)},
    summary="Set a contact's lead status",
)
def change_status(
    request: HttpRequest, contact_id: int, payload: StatusChangeIn
) -> Status[StatusChange]:
    """Set the lead status (new, working, nurture, disqualified) and return the recorded
    status change."""
    user = require_role(request, *ALL_ROLES)
    contact = get_object_or_404(Contact.objects.only("pk"), pk=contact_id)
    change = funnel_services.change_status(
        contact.pk, to_status=payload.to_status, actor=user, reason=payload.reason
    )
    return Status(201, change)


@router.get(
    "/stage-changes",
    response={200: StageChangePage, **error_responses(422)},
    summary="List stage changes",
)
def list_stage_changes(request: HttpRequest, query: Query[StageChangeQuery]) -> dict[str, Any]:
    """Every recorded move of every contact, newest first: the events all funnel metrics
    are computed from."""
    require_role(request, *ALL_ROLES)
    return paginate(query.apply(StageChange.objects.all()), query)


@router.get(
    "/contacts/{int:contact_id}/stage-changes",
    response={200: StageChangePage, **error_responses(404, 422)},
    summary="List a contact's stage changes",
)
def list_contact_stage_changes(
    request: HttpRequest, contact_id: int, query: Query[ContactStageChangeQuery]
) -> dict[str, Any]:
    """The contact's recorded moves, newest first."""
    require_role(request, *ALL_ROLES)
    contact = get_object_or_404(Contact.objects.only("pk"), pk=contact_id)
    return paginate(query.apply(StageChange.objects.filter(contact=contact)), query)
