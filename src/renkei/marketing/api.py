"""API routes of marketing: personas (and the persona of a contact), campaigns and their
members, content assets. Thin: check the role, validate, call one service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from renkei.contacts.models import Contact
from renkei.core.api import error_responses, paginate, require_role
from renkei.core.choices import Role
from renkei.core.permissions import ALL_ROLES
from renkei.marketing import personas as persona_services
from renkei.marketing.api_schemas import (
    MatchStarted,
    PersonaChoice,
    PersonaCreate,
    PersonaMatchOut,
    PersonaOut,
    PersonaPage,
    PersonaPatch,
    PersonaQuery,
)
from renkei.marketing.models import Persona, PersonaMatch

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
