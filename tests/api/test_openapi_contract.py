"""The API tested against its own OpenAPI document: the document is valid OpenAPI, every
request body sent here matches its documented schema, and every response (errors too)
matches the schema documented for its status."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from renkei.contacts.choices import LifecycleStage
from renkei.core.choices import Role
from renkei.funnel import services as funnel
from tests.api.helpers import API, ApiClient
from tests.api.marketing_calls import marketing_calls
from tests.api.scoring_calls import scoring_calls
from tests.factories import make_account, make_contact, make_user

pytestmark = pytest.mark.django_db

# 法人番号 with valid check digits.
CORPORATE_NUMBER = "5835678256246"


@dataclass
class Call:
    method: str
    template: str  # the path as the document names it, under /api/v1
    path: str
    status: int
    body: Any = None
    params: dict[str, Any] | None = None
    client: ApiClient | None = None


@pytest.fixture
def spec(marketer, api_for) -> dict[str, Any]:
    response = api_for(marketer).get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def schema_validator(spec: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A validator for `schema` whose `#/components/...` references resolve in `spec`."""
    rooted = {**schema, "components": spec["components"]}
    return Draft202012Validator(rooted, format_checker=Draft202012Validator.FORMAT_CHECKER)


def operation(spec: dict[str, Any], call: Call) -> dict[str, Any]:
    path_item = spec["paths"].get(API + call.template)
    assert path_item is not None, f"{call.template} is not in the document"
    assert call.method in path_item, f"{call.method.upper()} {call.template} is not documented"
    return path_item[call.method]


def check(spec: dict[str, Any], call: Call, default_client: ApiClient) -> None:
    op = operation(spec, call)
    client = call.client or default_client
    if call.body is not None:
        request_schema = op["requestBody"]["content"]["application/json"]["schema"]
        schema_validator(spec, request_schema).validate(call.body)
    if call.method == "get":
        response = client.get(call.path, call.params)
    elif call.method == "delete":
        response = client.delete(call.path)
    else:
        response = getattr(client, call.method)(call.path, call.body)
    label = f"{call.method.upper()} {call.path}"
    assert response.status_code == call.status, (label, response.content)
    documented = op["responses"].get(str(call.status))
    assert documented is not None, f"{label}: {call.status} is not documented"
    if call.status == 204:
        assert not response.content and "content" not in documented, label
        return
    schema = documented["content"]["application/json"]["schema"]
    errors = list(schema_validator(spec, schema).iter_errors(json.loads(response.content)))
    assert not errors, (label, [f"{list(e.absolute_path)}: {e.message}" for e in errors])


def test_the_openapi_document_is_valid_openapi(spec):
    validate_spec(spec)
    assert spec["openapi"].startswith("3.1")
    assert spec["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_operation_ids_are_short_and_unique(spec):
    ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert "list_contacts" in ids


def _email_calls(marketer) -> list[Call]:
    from renkei.nurture import sequences
    from renkei.nurture import services as email
    from tests.nurture_setup import configure_sender, make_template, start_send

    configure_sender()
    template = make_template(marketer)
    send = start_send(marketer, template)
    email.prepare_send(send.pk)
    later = start_send(marketer, template, scheduled_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    row = email.suppress("stop@example.co.jp", reason="manual")
    sequence = sequences.save_sequence(
        None, actor=marketer, name="育成", exit_stage="mql",
        steps=[{"kind": "send", "template": template.pk}],
    )  # fmt: skip
    return [
        Call("get", "/email/templates", "/email/templates", 200),
        Call(
            "post",
            "/email/templates",
            "/email/templates",
            201,
            body={
                "name": "ご案内",
                "subject_ja": "{{ family_name | ご担当者 }}様",
                "html_ja": "<p>本文</p>",
            },
        ),
        Call("get", "/email/templates/{template_id}", f"/email/templates/{template.pk}", 200),
        Call(
            "patch",
            "/email/templates/{template_id}",
            f"/email/templates/{template.pk}",
            200,
            body={"subject_en": "Hello {{ given_name | there }}", "html_en": "<p>Hi</p>"},
        ),
        Call("get", "/email/sends", "/email/sends", 200),
        Call(
            "post",
            "/email/sends",
            "/email/sends",
            201,
            body={"name": "API", "template_id": template.pk, "filters": {"stage": "lead"}},
        ),
        Call("get", "/email/sends/{send_id}", f"/email/sends/{send.pk}", 200),
        Call("get", "/email/sends/{send_id}/messages", f"/email/sends/{send.pk}/messages", 200),
        Call("post", "/email/sends/{send_id}/cancel", f"/email/sends/{later.pk}/cancel", 200),
        Call("get", "/email/suppressions", "/email/suppressions", 200),
        Call(
            "post",
            "/email/suppressions",
            "/email/suppressions",
            201,
            body={"email": "no@example.co.jp", "reason": "manual"},
        ),
        Call(
            "delete", "/email/suppressions/{suppression_id}", f"/email/suppressions/{row.pk}", 204
        ),
        Call("get", "/email/sequences", "/email/sequences", 200),
        Call(
            "post",
            "/email/sequences",
            "/email/sequences",
            201,
            body={
                "name": "育成",
                "steps": [{"kind": "send", "template": template.pk}, {"kind": "wait", "days": 3}],
            },
        ),
        Call("get", "/email/sequences/{sequence_id}", f"/email/sequences/{sequence.pk}", 200),
        Call(
            "post",
            "/email/sequences/{sequence_id}/run",
            f"/email/sequences/{sequence.pk}/run",
            200,
            body={"running": True},
        ),
        Call(
            "get",
            "/email/sequences/{sequence_id}/enrollments",
            f"/email/sequences/{sequence.pk}/enrollments",
            200,
        ),
    ]


def test_every_endpoint_answers_as_its_openapi_document_says(
    spec, marketer, inside_rep, field_rep, api_for
):
    account = make_account(
        name="株式会社サンプル商事", website="https://www.sample.co.jp/", prefecture="13"
    )
    make_account(name="株式会社ブランク")
    contact = make_contact(account=account, owner=inside_rep, phone="03-1234-5678")
    make_contact()
    mover = make_contact()
    funnel.change_stage(mover, to_stage=LifecycleStage.MQL, actor=marketer)
    api = api_for(marketer)
    as_inside_sales = api_for(inside_rep)
    as_field_sales = api_for(field_rep)

    calls = [
        Call("get", "/me", "/me", 200),
        Call("get", "/contacts", "/contacts", 200),
        Call(
            "get",
            "/contacts",
            "/contacts",
            200,
            params={"q": "佐藤", "stage": ["lead", "mql"], "ordering": "name", "limit": 2},
        ),
        Call("get", "/contacts/{contact_id}", f"/contacts/{contact.pk}", 200),
        Call(
            "post",
            "/contacts",
            "/contacts",
            201,
            body={
                "family_name": "高橋",
                "given_name": "一郎",
                "email": "ichiro@example.co.jp",
                "phone": "06-1234-5678",
                "account_id": account.pk,
                "owner_id": inside_rep.pk,
                "stage": "mql",
                "source_channel": "webinar",
                "first_touch_at": "2026-04-01T10:00:00+09:00",
                "consent_status": "opted_in",
            },
        ),
        Call(
            "patch",
            "/contacts/{contact_id}",
            f"/contacts/{contact.pk}",
            200,
            body={"title": "部長", "owner_id": None},
        ),
        Call("get", "/accounts", "/accounts", 200),
        Call("get", "/accounts/{account_id}", f"/accounts/{account.pk}", 200),
        Call(
            "post",
            "/accounts",
            "/accounts",
            201,
            body={"name": "株式会社テスト", "corporate_number": CORPORATE_NUMBER, "industry": "it"},
        ),
        Call(
            "patch",
            "/accounts/{account_id}",
            f"/accounts/{account.pk}",
            200,
            body={"employee_band": "300-999", "prefecture": None},
        ),
        Call(
            "post",
            "/contacts/{contact_id}/stage",
            f"/contacts/{contact.pk}/stage",
            201,
            body={"to_stage": "sal", "expected_stage": "lead"},
            client=as_inside_sales,
        ),
        Call(
            "post",
            "/contacts/{contact_id}/status",
            f"/contacts/{mover.pk}/status",
            201,
            body={"to_status": "nurture", "reason": "来期に再検討"},
        ),
        Call("get", "/stage-changes", "/stage-changes", 200, params={"to_stage": "mql"}),
        Call("get", "/stage-changes", "/stage-changes", 200),
        Call(
            "get",
            "/contacts/{contact_id}/stage-changes",
            f"/contacts/{contact.pk}/stage-changes",
            200,
        ),
        *_email_calls(marketer),
        # Errors have their documented shape too.
        Call("get", "/contacts", "/contacts", 401, client=ApiClient(None)),
        Call("get", "/contacts/{contact_id}", "/contacts/999999", 404),
        Call("post", "/contacts", "/contacts", 422, body={"family_name": "高橋", "email": "x"}),
        Call(
            "post",
            "/contacts/{contact_id}/stage",
            f"/contacts/{mover.pk}/stage",
            409,
            body={"to_stage": "sal", "expected_stage": "lead"},
        ),
        Call(
            "post",
            "/contacts/{contact_id}/stage",
            f"/contacts/{mover.pk}/stage",
            403,
            body={"to_stage": "sal"},
            client=as_field_sales,
        ),
        Call(
            "patch",
            "/accounts/{account_id}",
            f"/accounts/{account.pk}",
            422,
            body={"corporate_number": "1234567890123"},
        ),
        Call("get", "/stage-changes", "/stage-changes", 422, params={"limit": 1000}),
    ]
    calls += marketing_calls(api, as_inside_sales, contact)
    calls += privacy_calls(api_for(make_user(Role.ADMIN)), contact)
    calls += scoring_calls(api, as_inside_sales, contact)
    for call in calls:
        check(spec, call, api)

    documented = {(method, path) for path, item in spec["paths"].items() for method in item}
    exercised = {(call.method, API + call.template) for call in calls if call.status < 400}
    assert exercised == documented


def privacy_calls(admin: ApiClient, contact: Any) -> list[Call]:
    """The privacy requests API (admins only), in the order a request is handled."""
    request_id = admin.post(
        "/privacy/requests",
        {"kind": "disclosure", "requester_name": "佐藤 花子", "identity_status": "verified"},
    ).json()["id"]
    path = f"/privacy/requests/{request_id}"
    template = "/privacy/requests/{request_id}"
    erase = admin.post(
        "/privacy/requests",
        {"kind": "erasure", "requester_name": "佐藤 花子", "identity_status": "verified"},
    ).json()["id"]
    admin.put(f"/privacy/requests/{erase}/contacts", {"contact_ids": [contact.pk]})
    return [
        Call("get", "/privacy/requests", "/privacy/requests", 200, client=admin),
        Call("get", "/privacy/requests", "/privacy/requests", 200, client=admin,
             params={"status": ["received"], "overdue": True}),
        Call("post", "/privacy/requests", "/privacy/requests", 201, client=admin,
             body={"kind": "stop_use", "requester_name": "佐藤 花子", "regime": "gdpr",
                   "requester_phone": "03-1234-5678"}),
        Call("get", template, path, 200, client=admin),
        Call("patch", template, path, 200, client=admin, body={"notes": "電話で受付"}),
        Call("get", template + "/candidates", path + "/candidates", 200, client=admin),
        Call("put", template + "/contacts", path + "/contacts", 200, client=admin,
             body={"contact_ids": [contact.pk]}),
        Call("get", template + "/disclosure", path + "/disclosure", 200, client=admin),
        Call("post", template + "/stop-use", path + "/stop-use", 422, client=admin),
        Call("post", template + "/stop-use", f"/privacy/requests/{erase}/stop-use", 200,
             client=admin),
        Call("post", template + "/erase", f"/privacy/requests/{erase}/erase", 200,
             client=admin),
        Call("get", "/privacy/requests", "/privacy/requests", 403),
    ]  # fmt: skip
