"""Shared set-up for the rule-scoring tests."""

from __future__ import annotations

from typing import Any

from renkei.scoring import services
from renkei.scoring.models import RuleSet


def active_set(actor: Any, rules: list[dict[str, Any]], **settings: Any) -> RuleSet:
    """A rule set with `rules`, activated by `actor` (a manager)."""
    draft = services.create_draft(actor=actor, name="テスト", **settings)
    for rule in rules:
        services.add_rule(draft, actor=actor, **rule)
    return services.activate(draft, actor=actor)
