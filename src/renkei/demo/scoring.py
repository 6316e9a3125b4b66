"""The demo's scoring rules: one active rule set (fit by industry, size, region, title,
department and persona; free mail and competitors lower the score; engagement per touch
with caps and a 30-day half-life), and every contact scored with it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from renkei.marketing.models import Persona
from renkei.scoring import services
from renkei.scoring.compute import active_rule_set, compute_scores
from renkei.scoring.models import RuleSet

RULES: list[dict[str, Any]] = [
    {"kind": "fit", "field": "industry", "values": ["manufacturing", "it"], "points": 15},
    {"kind": "fit", "field": "employee_band", "values": ["300-999", "1000-4999", "5000+"],
     "points": 15},
    {"kind": "fit", "field": "region", "values": ["kanto", "kinki", "chubu"], "points": 5},
    {"kind": "fit", "field": "title", "values": ["部長", "課長", "マネージャー", "責任者"],
     "points": 10},
    {"kind": "fit", "field": "department", "values": ["情報システム", "IT", "DX"], "points": 10},
    {"kind": "fit", "field": "free_mail", "values": [], "points": -20},
    {"kind": "fit", "field": "competitor_domain", "values": ["rival-saas.co.jp"], "points": -100},
    {"kind": "fit", "field": "consent_status", "values": ["opted_out"], "points": -10},
    {"kind": "engagement", "field": "page_view", "points": 1, "cap": 15},
    {"kind": "engagement", "field": "page_view", "points": 10, "buyer_stage": "decision",
     "cap": 30},
    {"kind": "engagement", "field": "download", "points": 8, "cap": 40},
    {"kind": "engagement", "field": "form_submit", "points": 15, "cap": 45},
    {"kind": "engagement", "field": "form_submit", "points": 10, "campaign_type": "webinar",
     "cap": 20},
    {"kind": "engagement", "field": "email_click", "points": 3, "cap": 15},
]  # fmt: skip


def seed_rule_set(*, score: bool = True, now: dt.datetime | None = None) -> RuleSet:
    """The active rule set (created and activated when there is none), and, with `score`,
    every contact scored with it as of `now`."""
    rule_set = active_rule_set()
    if rule_set is None:
        rule_set = services.create_draft(
            actor=None, name="標準スコアリング", half_life_days=30, engagement_cap=100
        )
        persona = Persona.objects.order_by("name").first()
        rules = list(RULES)
        if persona is not None:
            rules.insert(5, {"kind": "fit", "field": "persona", "values": [persona.pk],
                             "points": 10})  # fmt: skip
        for rule in rules:
            services.add_rule(rule_set, actor=None, **rule)
        rule_set = services.activate(rule_set, actor=None, rescore=False)
    if score:
        compute_scores(rule_set, now=now)
    return rule_set
