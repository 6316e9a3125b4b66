"""API routes of rule scoring: rule-set versions and their rules, activation, and a
contact's score with its reasons. Thin: check the role, validate, call one service."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from renkei.contacts.models import Contact
from renkei.core.api import error_responses, paginate, require_role
from renkei.core.permissions import ALL_ROLES
from renkei.scoring import rules as rule_logic
from renkei.scoring import services
from renkei.scoring.explain import explain
from renkei.scoring.models import Rule, RuleSet
from renkei.scoring.schemas import (
    ContactScoreOut,
    RuleIn,
    RuleOut,
    RuleSetCreate,
    RuleSetOut,
    RuleSetPage,
    RuleSetPatch,
    RuleSetQuery,
)

router = Router(tags=["scoring"])


def _rule_out(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.pk, "kind": rule.kind, "field": rule.field, "values": rule.values,
        "buyer_stage": rule.buyer_stage, "campaign_type": rule.campaign_type,
        "points": rule.points, "cap": rule.cap, "description": rule_logic.describe(rule),
    }  # fmt: skip


def _rule_set_out(rule_set: RuleSet) -> dict[str, Any]:
    fields = ("id", "version", "name", "notes", "status", "half_life_days", "fit_cap",
              "engagement_cap", "created_at", "activated_at", "archived_at")  # fmt: skip
    return {
        **{f: getattr(rule_set, f) for f in fields},
        "rules": [_rule_out(r) for r in rule_set.rules.all()],
    }


@router.get(
    "/scoring/rule-sets",
    response={200: RuleSetPage, **error_responses(422)},
    summary="List scoring rule sets",
)
def list_rule_sets(request: HttpRequest, query: Query[RuleSetQuery]) -> dict[str, Any]:
    """Every version, newest first, with its rules."""
    require_role(request, *ALL_ROLES)
    rule_sets = RuleSet.objects.prefetch_related("rules").order_by("-version")
    if query.status:
        rule_sets = rule_sets.filter(status=query.status)
    page = paginate(rule_sets, query)
    page["items"] = [_rule_set_out(r) for r in page["items"]]
    return page


@router.get(
    "/scoring/rule-sets/{int:rule_set_id}",
    response={200: RuleSetOut, **error_responses(404)},
    summary="Get a scoring rule set",
)
def get_rule_set(request: HttpRequest, rule_set_id: int) -> dict[str, Any]:
    require_role(request, *ALL_ROLES)
    return _rule_set_out(get_object_or_404(RuleSet, pk=rule_set_id))


@router.post(
    "/scoring/rule-sets",
    response={201: RuleSetOut, **error_responses(403, 404, 422)},
    summary="Create a draft rule set",
)
def create_rule_set(request: HttpRequest, payload: RuleSetCreate) -> Status[dict[str, Any]]:
    """A new draft version, starting as a copy of `copy_from_id` or of the active version."""
    user = require_role(request, *services.EDIT_ROLES)
    source = get_object_or_404(RuleSet, pk=payload.copy_from_id) if payload.copy_from_id else None
    settings = {
        k: v
        for k, v in payload.model_dump(
            include={"half_life_days", "fit_cap", "engagement_cap"}
        ).items()
        if v is not None
    }
    rule_set = services.create_draft(actor=user, name=payload.name, copy_from=source, **settings)
    return Status(201, _rule_set_out(rule_set))


@router.patch(
    "/scoring/rule-sets/{int:rule_set_id}",
    response={200: RuleSetOut, **error_responses(403, 404, 409, 422)},
    summary="Change a draft's settings",
)
def update_rule_set(
    request: HttpRequest, rule_set_id: int, payload: RuleSetPatch
) -> dict[str, Any]:
    """Change the name, notes, half-life or caps of a draft (send null for no cap)."""
    user = require_role(request, *services.EDIT_ROLES)
    rule_set = get_object_or_404(RuleSet, pk=rule_set_id)
    values = {
        "name": rule_set.name, "notes": rule_set.notes, "half_life_days": rule_set.half_life_days,
        "fit_cap": rule_set.fit_cap, "engagement_cap": rule_set.engagement_cap,
        **payload.model_dump(exclude_unset=True),
    }  # fmt: skip
    return _rule_set_out(services.update_draft(rule_set, actor=user, **values))


@router.delete(
    "/scoring/rule-sets/{int:rule_set_id}",
    response={204: None, **error_responses(403, 404, 409)},
    summary="Delete a draft rule set",
)
def delete_rule_set(request: HttpRequest, rule_set_id: int) -> Status[None]:
    user = require_role(request, *services.EDIT_ROLES)
    services.delete_draft(get_object_or_404(RuleSet, pk=rule_set_id), actor=user)
    return Status(204, None)


@router.post(
    "/scoring/rule-sets/{int:rule_set_id}/rules",
    response={201: RuleOut, **error_responses(403, 404, 409, 422)},
    summary="Add a rule to a draft",
)
def add_rule(request: HttpRequest, rule_set_id: int, payload: RuleIn) -> Status[dict[str, Any]]:
    """Unknown fields, empty values, points beyond ±1000 and the like are refused with
    the field and the reason."""
    user = require_role(request, *services.EDIT_ROLES)
    rule_set = get_object_or_404(RuleSet, pk=rule_set_id)
    rule = services.add_rule(rule_set, actor=user, **payload.model_dump())
    return Status(201, _rule_out(rule))


@router.delete(
    "/scoring/rule-sets/{int:rule_set_id}/rules/{int:rule_id}",
    response={204: None, **error_responses(403, 404, 409)},
    summary="Remove a rule from a draft",
)
def remove_rule(request: HttpRequest, rule_set_id: int, rule_id: int) -> Status[None]:
    user = require_role(request, *services.EDIT_ROLES)
    services.remove_rule(get_object_or_404(Rule, pk=rule_id, rule_set_id=rule_set_id), actor=user)
    return Status(204, None)


@router.post(
    "/scoring/rule-sets/{int:rule_set_id}/activate",
    response={200: RuleSetOut, **error_responses(403, 404, 409, 422)},
    summary="Activate a draft rule set",
)
def activate_rule_set(request: HttpRequest, rule_set_id: int) -> dict[str, Any]:
    """Managers only. The active version is archived; every contact is rescored in the
    background."""
    user = require_role(request, *services.ACTIVATE_ROLES)
    rule_set = services.activate(get_object_or_404(RuleSet, pk=rule_set_id), actor=user)
    return _rule_set_out(rule_set)


@router.get(
    "/contacts/{int:contact_id}/score",
    response={200: ContactScoreOut, **error_responses(404)},
    summary="Get a contact's score and its reasons",
)
def get_contact_score(request: HttpRequest, contact_id: int) -> dict[str, Any]:
    """The rule score (nulls when not scored yet) and the rules and touches behind it."""
    require_role(request, *ALL_ROLES)
    contact = get_object_or_404(Contact, pk=contact_id)
    explanation = explain(contact)
    if explanation is None:
        return {"contact_id": contact.pk, "total": None, "fit": None, "engagement": None,
                "rule_set_version": None, "computed_at": None, "reasons": []}  # fmt: skip
    score = explanation.score
    return {
        "contact_id": contact.pk,
        "total": score.total,
        "fit": score.fit,
        "engagement": score.engagement,
        "rule_set_version": score.rule_set.version,
        "computed_at": score.computed_at,
        "reasons": [
            {
                "part": line.part,
                "rule_id": line.rule_id,
                "text": line.text,
                "points": line.points,
                "is_cap": line.is_cap,
                "touches": [vars(t) for t in line.touches],
            }
            for line in explanation.lines
        ],
    }
