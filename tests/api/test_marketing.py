"""The marketing API: personas and a contact's persona (campaigns and content below)."""

from __future__ import annotations

import pytest

from renkei.contacts.choices import Industry
from renkei.marketing import campaigns, personas, tracking
from renkei.marketing.models import CampaignMember, Persona, PersonaMatch
from tests.api.helpers import error_of
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


def test_marketing_creates_a_persona_and_reads_it_back(marketer, api_for):
    api = api_for(marketer)
    created = api.post(
        "/personas",
        {"name": "製造業の情シス", "industries": ["manufacturing"], "title_keywords": ["部長"]},
    )
    assert created.status_code == 201, created.content
    body = api.get(f"/personas/{created.json()['id']}").json()
    assert body["industries"] == ["manufacturing"] and body["title_keywords"] == ["部長"]
    assert Persona.objects.get().title_keyword_list == ["部長"]


def test_sales_may_read_personas_but_not_change_them(inside_rep, api_for):
    api = api_for(inside_rep)
    assert api.get("/personas").status_code == 200
    response = api.post("/personas", {"name": "x"})
    assert response.status_code == 403 and error_of(response)["code"] == "forbidden"


def test_a_duplicate_persona_name_is_a_field_error(marketer, api_for):
    personas.create_persona(actor=marketer, name="情シス")
    response = api_for(marketer).post("/personas", {"name": "情シス"})
    assert response.status_code == 422
    assert "name" in error_of(response)["fields"]


def test_the_persona_list_is_paginated(marketer, api_for, django_assert_max_num_queries):
    for n in range(5):
        personas.create_persona(actor=marketer, name=f"ペルソナ{n}")
    api = api_for(marketer)
    api.get("/me")
    with django_assert_max_num_queries(3):
        body = api.get("/personas", {"limit": 2, "offset": 2}).json()
    assert body["count"] == 5 and [p["name"] for p in body["items"]] == ["ペルソナ2", "ペルソナ3"]


def test_choosing_and_releasing_a_contacts_persona(marketer, api_for):
    account = make_account(industry=Industry.MANUFACTURING)
    auto = personas.create_persona(actor=marketer, name="製造", industries=["manufacturing"])
    other = personas.create_persona(actor=marketer, name="その他", title_keywords="社長")
    contact = make_contact(account=account)
    api = api_for(marketer)
    chosen = api.put(f"/contacts/{contact.pk}/persona", {"persona_id": other.pk}).json()
    assert chosen["persona"]["id"] == other.pk and chosen["manual"] is True
    assert chosen["chosen_by"]["id"] == marketer.pk
    released = api.put(f"/contacts/{contact.pk}/persona", {"persona_id": None}).json()
    assert released["persona"]["id"] == auto.pk and released["manual"] is False
    missing = api.put(f"/contacts/{contact.pk}/persona", {"persona_id": 999999})
    assert missing.status_code == 422 and "persona_id" in error_of(missing)["fields"]
    assert PersonaMatch.objects.get(contact=contact).persona == auto


# --- Campaigns --------------------------------------------------------------------------
@pytest.fixture
def webinar(marketer):
    return campaigns.create_campaign(
        actor=marketer, name="DXウェビナー", type="webinar", utm_campaign="dx-webinar"
    )


def test_marketing_creates_a_campaign_with_personas_and_an_owner(marketer, api_for):
    persona = personas.create_persona(actor=marketer, name="情シス")
    response = api_for(marketer).post(
        "/campaigns",
        {
            "name": "展示会 2026",
            "type": "exhibition",
            "budget": 1_000_000,
            "target_persona_ids": [persona.pk],
            "owner_id": marketer.pk,
            "start_date": "2026-04-08",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["target_personas"] == [{"id": persona.pk, "name": "情シス"}]
    assert body["owner"]["id"] == marketer.pk and body["utm_campaign"]


def test_a_negative_budget_is_refused(marketer, api_for):
    response = api_for(marketer).post("/campaigns", {"name": "x", "type": "ads", "budget": -1})
    assert response.status_code == 422 and "budget" in error_of(response)["fields"]


def test_members_are_added_and_their_status_history_is_returned(marketer, api_for, webinar):
    contacts = [make_contact() for _ in range(3)]
    api = api_for(marketer)
    added = api.post(
        f"/campaigns/{webinar.pk}/members",
        {"contact_ids": [c.pk for c in contacts], "status": "registered"},
    )
    assert added.json() == {"added": 3, "already": 0}
    member = CampaignMember.objects.get(contact=contacts[0])
    changed = api.patch(f"/campaigns/{webinar.pk}/members/{member.pk}", {"status": "attended"})
    history = changed.json()["history"]
    assert [h["to_status"] for h in history] == ["attended", "registered"]
    again = api.patch(f"/campaigns/{webinar.pk}/members/{member.pk}", {"status": "attended"})
    assert again.status_code == 422 and error_of(again)["code"] == "unchanged"
    listed = api.get(f"/campaigns/{webinar.pk}/members", {"status": "attended"}).json()
    assert listed["count"] == 1


def test_adding_an_unknown_contact_is_a_field_error(marketer, api_for, webinar):
    response = api_for(marketer).post(f"/campaigns/{webinar.pk}/members", {"contact_ids": [999999]})
    assert response.status_code == 422 and "contact_ids" in error_of(response)["fields"]


@pytest.mark.parametrize(("path", "allowed"), [("/campaigns", 4), ("/campaigns/{id}/members", 4)])
def test_campaign_lists_run_a_fixed_number_of_queries(
    marketer, api_for, webinar, path, allowed, django_assert_max_num_queries
):
    persona = personas.create_persona(actor=marketer, name="情シス")
    for n in range(5):
        campaigns.create_campaign(
            actor=marketer, name=f"c{n}", type="email", target_personas=[persona]
        )
    members = [make_contact() for _ in range(5)]
    campaigns.add_members(webinar, members, actor=marketer)
    for member in webinar.members.all():
        campaigns.change_member_status(member, "attended", actor=marketer)
    api = api_for(marketer)
    api.get("/me")
    # token, count, page and one prefetch (personas, or status histories)
    with django_assert_max_num_queries(allowed + (1 if "members" in path else 0)):
        body = api.get(path.replace("{id}", str(webinar.pk)), {"limit": 5}).json()
    assert len(body["items"]) == 5


# --- Content ----------------------------------------------------------------------------
def test_content_is_registered_and_its_stats_and_map_returned(marketer, api_for):
    persona = personas.create_persona(actor=marketer, name="情シス")
    api = api_for(marketer)
    created = api.post(
        "/content",
        {
            "title": "DXガイド",
            "kind": "white_paper",
            "url": "https://www.example.co.jp/wp/dx.pdf",
            "buyer_stage": "interest",
            "persona_ids": [persona.pk],
        },
    )
    assert created.status_code == 201, created.content
    asset_id = created.json()["id"]
    tracking.record_touch(
        type="download", contact=make_contact(), url="https://example.co.jp/wp/dx.pdf"
    )
    stats = api.get(f"/content/{asset_id}/stats").json()
    assert stats["downloads"] == 1 and stats["contacts"] == 1
    grid = api.get("/content-map").json()
    interest = next(r for r in grid["rows"] if r["stage"] == "interest")
    assert interest["cells"][0] == {
        "persona_id": persona.pk,
        "assets": 1,
        "touches": 1,
        "missing": False,
    }
    assert grid["missing"] == 3


def test_content_with_an_unknown_persona_is_refused(marketer, api_for):
    response = api_for(marketer).post(
        "/content",
        {
            "title": "x",
            "kind": "other",
            "url": "https://a.jp/x",
            "buyer_stage": "decision",
            "persona_ids": [999],
        },
    )
    assert response.status_code == 422 and "persona_ids" in error_of(response)["fields"]


# --- Segments ---------------------------------------------------------------------------
def test_a_segment_is_saved_counted_and_listed(marketer, api_for):
    for stage in ("mql", "mql", "lead"):
        make_contact(stage=stage)
    api = api_for(marketer)
    assert api.post("/segments/count", {"filters": {"stages": ["mql"]}}).json() == {"count": 2}
    created = api.post("/segments", {"name": "MQL", "filters": {"stages": ["mql"]}})
    assert created.status_code == 201, created.content
    segment_id = created.json()["id"]
    assert created.json()["filters"]["stages"] == ["mql"]
    contacts = api.get(f"/segments/{segment_id}/contacts", {"limit": 1}).json()
    assert contacts["count"] == 2 and len(contacts["items"]) == 1


def test_unknown_or_empty_segment_filters_are_refused(marketer, api_for):
    api = api_for(marketer)
    unknown = api.post("/segments", {"name": "x", "filters": {"colour": ["red"]}})
    assert unknown.status_code == 422
    empty = api.post("/segments", {"name": "x", "filters": {}})
    assert empty.status_code == 422 and "filters" in error_of(empty)["fields"]
