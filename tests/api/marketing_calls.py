"""The marketing endpoints' calls for the OpenAPI contract test (test_openapi_contract):
every endpoint once with success, and some errors."""

from __future__ import annotations

from typing import Any

from renkei.contacts.models import Contact
from renkei.marketing import campaigns, content, personas, segments, tracking
from renkei.marketing.models import Persona
from tests.api.helpers import ApiClient
from tests.factories import make_contact


def marketing_calls(api: ApiClient, as_inside_sales: ApiClient, contact: Contact) -> list[Any]:
    from tests.api.test_openapi_contract import Call

    persona = personas.create_persona(actor=None, name="情シス部長", title_keywords="部長")
    doomed = Persona.objects.create(name="削除予定", created_at=persona.created_at)
    expo = campaigns.create_campaign(
        actor=None, name="展示会", type="exhibition", utm_campaign="expo", budget=100
    )
    old = campaigns.create_campaign(actor=None, name="旧", type="other")
    (member, leaving) = campaigns.add_members(
        expo, [contact, make_contact()], status="registered", actor=None
    ).added
    guide = content.create_content(
        actor=None, title="DXガイド", kind="white_paper", url="https://example.co.jp/wp",
        buyer_stage="interest", personas=[persona],
    )  # fmt: skip
    tracking.record_touch(type="page_view", contact=contact, url="https://example.co.jp/wp")
    stale = content.create_content(
        actor=None, title="旧資料", kind="other", url="https://example.co.jp/old",
        buyer_stage="awareness",
    )  # fmt: skip
    mqls = segments.create_segment(actor=None, name="MQL", filters={"stages": ["mql"]})
    spare = segments.create_segment(actor=None, name="予備", filters={"has_email": False})
    return [
        Call("get", "/personas", "/personas", 200, params={"q": "情シス"}),
        Call("get", "/personas/{persona_id}", f"/personas/{persona.pk}", 200),
        Call(
            "post",
            "/personas",
            "/personas",
            201,
            body={
                "name": "関西の製造業",
                "industries": ["manufacturing"],
                "employee_bands": ["300-999"],
                "department_keywords": ["生産管理", "工場"],
                "regions": ["kinki"],
                "prefectures": ["27"],
            },
        ),
        Call(
            "patch",
            "/personas/{persona_id}",
            f"/personas/{persona.pk}",
            200,
            body={"pains": "紙の日報", "title_keywords": ["部長", "課長"]},
        ),
        Call("delete", "/personas/{persona_id}", f"/personas/{doomed.pk}", 204),
        Call("post", "/personas/match", "/personas/match", 202),
        Call(
            "put",
            "/contacts/{contact_id}/persona",
            f"/contacts/{contact.pk}/persona",
            200,
            body={"persona_id": persona.pk},
        ),
        Call("get", "/contacts/{contact_id}/persona", f"/contacts/{contact.pk}/persona", 200),
        Call("post", "/personas", "/personas", 422, body={"name": "  "}),
        Call(
            "put",
            "/contacts/{contact_id}/persona",
            f"/contacts/{contact.pk}/persona",
            403,
            body={"persona_id": None},
            client=as_inside_sales,
        ),
        Call("get", "/campaigns", "/campaigns", 200, params={"type": ["exhibition"]}),
        Call("get", "/campaigns/{campaign_id}", f"/campaigns/{expo.pk}", 200),
        Call(
            "post",
            "/campaigns",
            "/campaigns",
            201,
            body={
                "name": "DXウェビナー",
                "type": "webinar",
                "channel": "webinar",
                "buyer_stage": "interest",
                "start_date": "2026-06-01",
                "end_date": "2026-06-01",
                "budget": 200000,
                "target_persona_ids": [persona.pk],
            },
        ),
        Call(
            "patch",
            "/campaigns/{campaign_id}",
            f"/campaigns/{expo.pk}",
            200,
            body={"actual_cost": 80, "channel": None},
        ),
        Call("delete", "/campaigns/{campaign_id}", f"/campaigns/{old.pk}", 204),
        Call("get", "/campaigns/{campaign_id}/report", f"/campaigns/{expo.pk}/report", 200),
        Call("get", "/campaigns/{campaign_id}/members", f"/campaigns/{expo.pk}/members", 200),
        Call(
            "post",
            "/campaigns/{campaign_id}/members",
            f"/campaigns/{expo.pk}/members",
            201,
            body={"contact_ids": [make_contact().pk], "status": "invited"},
        ),
        Call(
            "patch",
            "/campaigns/{campaign_id}/members/{member_id}",
            f"/campaigns/{expo.pk}/members/{member.pk}",
            200,
            body={"status": "attended"},
        ),
        Call(
            "delete",
            "/campaigns/{campaign_id}/members/{member_id}",
            f"/campaigns/{expo.pk}/members/{leaving.pk}",
            204,
        ),
        Call(
            "patch",
            "/campaigns/{campaign_id}/members/{member_id}",
            f"/campaigns/{expo.pk}/members/{member.pk}",
            422,
            body={"status": "attended"},
        ),
        Call(
            "post",
            "/campaigns",
            "/campaigns",
            422,
            body={"name": "x", "type": "ads", "utm_campaign": "expo"},
        ),
        Call("get", "/content", "/content", 200, params={"stage": ["interest"]}),
        Call("get", "/content/{content_id}", f"/content/{guide.pk}", 200),
        Call("get", "/content/{content_id}/stats", f"/content/{guide.pk}/stats", 200),
        Call(
            "post",
            "/content",
            "/content",
            201,
            body={
                "title": "導入事例",
                "kind": "case_study",
                "url": "https://example.co.jp/case",
                "buyer_stage": "consideration",
                "persona_ids": [persona.pk],
                "campaign_id": expo.pk,
            },
        ),
        Call(
            "patch",
            "/content/{content_id}",
            f"/content/{guide.pk}",
            200,
            body={"description": "最新版", "campaign_id": None},
        ),
        Call("delete", "/content/{content_id}", f"/content/{stale.pk}", 204),
        Call("get", "/content-map", "/content-map", 200),
        Call(
            "post",
            "/content",
            "/content",
            422,
            body={
                "title": "重複",
                "kind": "other",
                "url": "https://www.example.co.jp/wp/",
                "buyer_stage": "awareness",
            },
        ),
        Call("get", "/segments", "/segments", 200),
        Call("get", "/segments/{segment_id}", f"/segments/{mqls.pk}", 200),
        Call(
            "post",
            "/segments",
            "/segments",
            201,
            body={
                "name": "製造業の参加者",
                "filters": {
                    "industries": ["manufacturing"],
                    "campaigns": [expo.pk],
                    "member_statuses": ["attended"],
                    "touched_within_days": 30,
                    "has_email": True,
                },
            },
        ),
        Call(
            "patch",
            "/segments/{segment_id}",
            f"/segments/{mqls.pk}",
            200,
            body={"filters": {"stages": ["mql", "sal"]}},
        ),
        Call("delete", "/segments/{segment_id}", f"/segments/{spare.pk}", 204),
        Call("get", "/segments/{segment_id}/contacts", f"/segments/{mqls.pk}/contacts", 200),
        Call(
            "post",
            "/segments/count",
            "/segments/count",
            200,
            body={"filters": {"personas": [persona.pk], "no_persona": True}},
        ),
        Call("post", "/segments", "/segments", 422, body={"name": "空", "filters": {}}),
    ]
