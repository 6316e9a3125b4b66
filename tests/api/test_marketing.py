"""The marketing API: personas and a contact's persona (campaigns and content below)."""

from __future__ import annotations

import pytest

from renkei.contacts.choices import Industry
from renkei.marketing import personas
from renkei.marketing.models import Persona, PersonaMatch
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
