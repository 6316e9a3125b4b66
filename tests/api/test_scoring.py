"""Scoring API: rule-set versions and rules, activation by managers, and a contact's score
with reasons that add up to it."""

from __future__ import annotations

import pytest

from renkei.contacts.choices import Industry
from renkei.scoring import services
from renkei.scoring.compute import compute_scores
from renkei.scoring.models import RuleSet
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


def test_a_marketer_drafts_and_a_manager_activates(marketer, manager, api_for):
    api = api_for(marketer)
    created = api.post("/scoring/rule-sets", {"name": "2026年下期", "half_life_days": 21})
    assert created.status_code == 201
    draft_id = created.json()["id"]
    rule = api.post(
        f"/scoring/rule-sets/{draft_id}/rules",
        {"kind": "engagement", "field": "download", "points": 10, "cap": 30,
         "buyer_stage": "consideration"},
    )  # fmt: skip
    assert rule.status_code == 201
    assert rule.json()["description"] == (
        "Each Download of content for the Consideration stage (at most 30 points)"
    )
    assert api.post(f"/scoring/rule-sets/{draft_id}/activate").status_code == 403
    activated = api_for(manager).post(f"/scoring/rule-sets/{draft_id}/activate")
    assert activated.json()["status"] == "active"
    changed = api.patch(f"/scoring/rule-sets/{draft_id}", {"half_life_days": 7})
    assert changed.status_code == 409
    assert changed.json()["error"]["code"] == "not_draft"


def test_bad_rules_name_the_field_and_the_reason(marketer, api_for):
    draft = services.create_draft(actor=marketer)
    api = api_for(marketer)
    url = f"/scoring/rule-sets/{draft.pk}/rules"
    unknown = api.post(url, {"kind": "fit", "field": "blood_type", "values": ["A"], "points": 5})
    assert unknown.status_code == 422
    assert "Unknown field “blood_type”" in unknown.json()["error"]["fields"]["field"][0]
    absurd = api.post(url, {"kind": "fit", "field": "industry", "values": ["it"], "points": 9999})
    assert absurd.json()["error"]["fields"]["points"] == ["Points must be between −1000 and 1000."]
    empty = api.post(url, {"kind": "fit", "field": "title", "values": [], "points": 5})
    assert empty.json()["error"]["fields"]["values"] == ["Give at least one value for this rule."]
    assert not RuleSet.objects.get().rules.exists()


def test_a_contacts_score_comes_with_reasons_that_add_up(manager, inside_rep, api_for):
    draft = services.create_draft(actor=manager)
    services.add_rule(draft, actor=manager, kind="fit", field="industry", values=["it"], points=25)
    services.add_rule(draft, actor=manager, kind="fit", field="free_mail", points=-10)
    rule_set = services.activate(draft, actor=manager, rescore=False)
    contact = make_contact(account=make_account(industry=Industry.IT), email="k@gmail.com")
    unscored = api_for(inside_rep).get(f"/contacts/{contact.pk}/score").json()
    assert unscored["total"] is None and unscored["reasons"] == []
    compute_scores(rule_set)
    body = api_for(inside_rep, language="ja").get(f"/contacts/{contact.pk}/score").json()
    assert body["total"] == 15
    assert body["rule_set_version"] == rule_set.version
    assert sum(r["points"] for r in body["reasons"]) == body["total"]


def test_scores_need_a_token(anonymous_api):
    assert anonymous_api.get("/scoring/rule-sets").status_code == 401
