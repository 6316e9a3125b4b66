"""The scoring endpoints' calls for the OpenAPI contract test (test_openapi_contract):
every endpoint once with success, and some errors."""

from __future__ import annotations

from typing import Any

from renkei.contacts.models import Contact
from renkei.core.choices import Role
from renkei.scoring import services
from renkei.scoring.compute import compute_scores
from tests.api.helpers import ApiClient
from tests.factories import make_user


def scoring_calls(api: ApiClient, as_inside_sales: ApiClient, contact: Contact) -> list[Any]:
    from tests.api.test_openapi_contract import Call

    manager = make_user(Role.MANAGER, username="scoring-manager")
    active = services.create_draft(actor=manager, name="標準")
    services.add_rule(active, actor=manager, kind="fit", field="free_mail", points=-20)
    services.add_rule(active, actor=manager, kind="engagement", field="download", points=10)
    services.activate(active, actor=manager, rescore=False)
    compute_scores(active)
    draft = services.create_draft(actor=manager, name="下期案")
    doomed = services.create_draft(actor=manager, name="削除予定")
    rule = draft.rules.first()
    rules = f"/scoring/rule-sets/{draft.pk}/rules"
    return [
        Call("get", "/scoring/rule-sets", "/scoring/rule-sets", 200, params={"status": "active"}),
        Call("get", "/scoring/rule-sets/{rule_set_id}", f"/scoring/rule-sets/{active.pk}", 200),
        Call("post", "/scoring/rule-sets", "/scoring/rule-sets", 201,
             body={"name": "API案", "half_life_days": 14}),
        Call("post", "/scoring/rule-sets", "/scoring/rule-sets", 403, body={},
             client=as_inside_sales),
        Call("patch", "/scoring/rule-sets/{rule_set_id}", f"/scoring/rule-sets/{draft.pk}", 200,
             body={"half_life_days": 45, "engagement_cap": 80}),
        Call("patch", "/scoring/rule-sets/{rule_set_id}", f"/scoring/rule-sets/{draft.pk}", 422,
             body={"half_life_days": 0}),
        Call("patch", "/scoring/rule-sets/{rule_set_id}", f"/scoring/rule-sets/{active.pk}", 409,
             body={"name": "x"}),
        Call("post", "/scoring/rule-sets/{rule_set_id}/rules", rules, 201,
             body={"kind": "fit", "field": "industry", "values": ["it"], "points": 15}),
        Call("post", "/scoring/rule-sets/{rule_set_id}/rules", rules, 422,
             body={"kind": "fit", "field": "shoe_size", "values": ["27"], "points": 15}),
        Call("delete", "/scoring/rule-sets/{rule_set_id}/rules/{rule_id}",
             f"{rules}/{rule.pk}", 204),
        Call("delete", "/scoring/rule-sets/{rule_set_id}", f"/scoring/rule-sets/{doomed.pk}", 204),
        Call("post", "/scoring/rule-sets/{rule_set_id}/activate",
             f"/scoring/rule-sets/{draft.pk}/activate", 403),
        Call("post", "/scoring/rule-sets/{rule_set_id}/activate",
             f"/scoring/rule-sets/{draft.pk}/activate", 200, client=_client_for(manager)),
        Call("get", "/contacts/{contact_id}/score", f"/contacts/{contact.pk}/score", 200),
    ]  # fmt: skip


def _client_for(user: Any) -> ApiClient:
    from renkei.core.tokens import create_api_token

    _token, secret = create_api_token(user=user, name="tests")
    return ApiClient(secret)
