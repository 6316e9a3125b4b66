"""Writes of rule scoring: drafts of rule sets and their rules, activation (which archives
the active version and rescores everyone in the worker).

Who may do what (also in docs/scoring.md):
- marketing (and managers, admins) create and edit drafts;
- managers and admins activate a draft. Renkei has no separate "leader" flag yet, so a
  marketing leader who activates versions is given the manager role.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.core import audit
from renkei.core.choices import AuditAction, Role
from renkei.core.models import User
from renkei.scoring import rules as rule_logic
from renkei.scoring.choices import RuleSetStatus
from renkei.scoring.models import Rule, RuleSet

logger = logging.getLogger(__name__)

EDIT_ROLES = (Role.MARKETING,)
ACTIVATE_ROLES = (Role.MANAGER,)


class ScoringError(Exception):
    """A rule-set change that is not allowed in its state, with a translated message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def can_edit(user: Any) -> bool:
    return bool(getattr(user, "has_role", None) and user.has_role(*EDIT_ROLES))


def can_activate(user: Any) -> bool:
    return bool(getattr(user, "has_role", None) and user.has_role(*ACTIVATE_ROLES))


def _require(user: User | None, check: Any) -> None:
    if user is not None and not check(user):
        raise PermissionDenied


def _locked_draft(rule_set: RuleSet) -> RuleSet:
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if not rule_set.is_draft:
        raise ScoringError(
            "not_draft",
            _("Version %(version)s is %(status)s and cannot be changed; make a new draft.")
            % {"version": rule_set.version, "status": rule_set.get_status_display()},
        )
    return rule_set


@transaction.atomic
def create_draft(
    *, actor: User | None, name: str = "", copy_from: RuleSet | None = None, **settings: Any
) -> RuleSet:
    """A new draft with the next version number; it starts as a copy of `copy_from` (by
    default the active version), rules and settings included."""
    _require(actor, can_edit)
    now = timezone.now()
    source = copy_from or RuleSet.objects.filter(status=RuleSetStatus.ACTIVE).first()
    version = (RuleSet.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    values = {
        "half_life_days": source.half_life_days if source else 30,
        "fit_cap": source.fit_cap if source else None,
        "engagement_cap": source.engagement_cap if source else None,
    }
    values.update(settings)
    values = rule_logic.validate_settings(**values)
    name = name.strip() or (source.name if source else _("Lead scoring"))
    rule_set = RuleSet.objects.create(
        version=version, name=name[:200], created_at=now, created_by=actor, **values
    )
    if source is not None:
        Rule.objects.bulk_create(
            Rule(
                rule_set=rule_set, kind=r.kind, field=r.field, values=r.values,
                buyer_stage=r.buyer_stage, campaign_type=r.campaign_type, points=r.points,
                cap=r.cap, created_at=now,
            )
            for r in source.rules.all()
        )  # fmt: skip
    audit.record(
        rule_set, action=AuditAction.CREATE, actor=actor,
        changes=audit.diff({}, audit.snapshot(rule_set)),
    )  # fmt: skip
    return rule_set


@transaction.atomic
def update_draft(
    rule_set: RuleSet,
    *,
    actor: User | None,
    name: str,
    half_life_days: Any,
    fit_cap: Any = None,
    engagement_cap: Any = None,
    notes: str = "",
) -> RuleSet:
    """Change a draft's name, notes, half-life and caps."""
    _require(actor, can_edit)
    rule_set = _locked_draft(rule_set)
    if not name.strip():
        raise ValidationError({"name": [_("Give the rule set a name.")]})
    values = rule_logic.validate_settings(
        half_life_days=half_life_days, fit_cap=fit_cap, engagement_cap=engagement_cap
    )
    before = audit.snapshot(rule_set)
    rule_set.name = name.strip()[:200]
    rule_set.notes = notes.strip()
    for key, value in values.items():
        setattr(rule_set, key, value)
    rule_set.save()
    audit.record(
        rule_set, action=AuditAction.UPDATE, actor=actor,
        changes=audit.diff(before, audit.snapshot(rule_set)),
    )  # fmt: skip
    return rule_set


@transaction.atomic
def add_rule(rule_set: RuleSet, *, actor: User | None, **values: Any) -> Rule:
    """Add a validated rule to a draft (see renkei.scoring.rules.validate_rule)."""
    _require(actor, can_edit)
    rule_set = _locked_draft(rule_set)
    cleaned = rule_logic.validate_rule(**values)
    rule = Rule.objects.create(
        rule_set=rule_set,
        kind=cleaned.kind,
        field=cleaned.field,
        values=cleaned.values,
        points=cleaned.points,
        cap=cleaned.cap,
        buyer_stage=cleaned.buyer_stage,
        campaign_type=cleaned.campaign_type,
        created_at=timezone.now(),
    )
    audit.record(
        rule_set, action=AuditAction.UPDATE, actor=actor,
        changes={"rule_added": [None, rule_logic.describe(rule)]},
    )  # fmt: skip
    return rule


@transaction.atomic
def remove_rule(rule: Rule, *, actor: User | None) -> None:
    _require(actor, can_edit)
    rule_set = _locked_draft(rule.rule_set)
    audit.record(
        rule_set, action=AuditAction.UPDATE, actor=actor,
        changes={"rule_removed": [rule_logic.describe(rule), None]},
    )  # fmt: skip
    rule.delete()


@transaction.atomic
def delete_draft(rule_set: RuleSet, *, actor: User | None) -> None:
    _require(actor, can_edit)
    rule_set = _locked_draft(rule_set)
    audit.record(rule_set, action=AuditAction.DELETE, actor=actor, changes={})
    rule_set.delete()


@transaction.atomic
def activate(rule_set: RuleSet, *, actor: User | None, rescore: bool = True) -> RuleSet:
    """Make a draft the active version: the active one is archived (it stays readable),
    and every contact is rescored with the new rules in the worker after commit (bulk
    loaders that score themselves pass `rescore=False`)."""
    _require(actor, can_activate)
    rule_set = _locked_draft(rule_set)
    if not rule_set.rules.exists():
        raise ScoringError("empty", _("Add at least one rule before activating this version."))
    now = timezone.now()
    previous = RuleSet.objects.select_for_update().filter(status=RuleSetStatus.ACTIVE).first()
    if previous is not None:
        previous.status = RuleSetStatus.ARCHIVED
        previous.archived_at = now
        previous.save(update_fields=["status", "archived_at"])
    rule_set.status = RuleSetStatus.ACTIVE
    rule_set.activated_at = now
    rule_set.activated_by = actor
    rule_set.save(update_fields=["status", "activated_at", "activated_by"])
    audit.record(
        rule_set, action=AuditAction.UPDATE, actor=actor,
        changes={"status": [RuleSetStatus.DRAFT, RuleSetStatus.ACTIVE]},
    )  # fmt: skip
    from renkei.scoring.tasks import rescore_all_contacts

    pk = rule_set.pk
    if rescore:
        transaction.on_commit(lambda: rescore_all_contacts.enqueue(pk))
    logger.info("rule set %s activated by user %s", pk, getattr(actor, "pk", None))
    return rule_set


def current_totals(contact_ids: list[int]) -> dict[int, int]:
    """The contacts' current total rule scores (those without a score are left out): what
    the lead agreement's score condition compares with its minimum."""
    from renkei.scoring.models import ContactScore

    return {
        pk: round(total)
        for pk, total in ContactScore.objects.filter(contact_id__in=contact_ids).values_list(
            "contact_id", "total"
        )
    }
