from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from renkei.contacts import api as contacts_api
from renkei.contacts.choices import LeadStatus, LifecycleStage, SourceChannel
from renkei.contacts.models import Contact
from renkei.core.choices import Role
from renkei.core.models import AuditLog
from renkei.funnel import services as funnel
from renkei.funnel.models import StageChange
from tests.api.helpers import error_of
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db

JST = dt.timezone(dt.timedelta(hours=9))


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# --- list -------------------------------------------------------------------------------


def test_the_contact_list_is_paginated_with_a_total_count(marketer, api_for):
    contacts = [make_contact() for _ in range(5)]
    response = api_for(marketer).get("/contacts", {"limit": 2, "offset": 2})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (5, 2, 2)
    newest_first = [c.pk for c in reversed(contacts)]
    assert [item["id"] for item in body["items"]] == newest_first[2:4]


def test_every_role_may_read_contacts(field_rep, manager, admin_user, api_for):
    make_contact()
    for user in (field_rep, manager, admin_user):
        assert api_for(user).get("/contacts").json()["count"] == 1


def test_contacts_are_searched_by_name_reading_email_and_company(marketer, api_for):
    account = make_account(name="株式会社サンプル商事")
    tanaka = make_contact(family_name="田中", family_name_kana="タナカ", account=account)
    make_contact(family_name="鈴木", family_name_kana="スズキ")
    api = api_for(marketer)
    assert ids(api.get("/contacts", {"q": "田中"})) == [tanaka.pk]
    assert ids(api.get("/contacts", {"q": "たなか"})) == [tanaka.pk]
    assert ids(api.get("/contacts", {"q": "サンプル"})) == [tanaka.pk]
    assert ids(api.get("/contacts", {"q": tanaka.email})) == [tanaka.pk]


def test_contacts_are_filtered_by_stage_and_status(marketer, inside_rep, api_for):
    lead = make_contact()
    mql = make_contact(stage=LifecycleStage.MQL)
    sal = make_contact()
    funnel.change_stage(sal, to_stage=LifecycleStage.SAL, actor=inside_rep)
    api = api_for(marketer)
    assert ids(api.get("/contacts", {"stage": "mql"})) == [mql.pk]
    assert sorted(ids(api.get("/contacts", {"stage": ["lead", "sal"]}))) == [lead.pk, sal.pk]
    assert ids(api.get("/contacts", {"status": LeadStatus.WORKING})) == [sal.pk]


def test_contacts_are_filtered_by_owner_source_and_account(marketer, inside_rep, api_for):
    account = make_account()
    owned = make_contact(owner=inside_rep)
    from_webinar = make_contact(source_channel=SourceChannel.WEBINAR)
    at_account = make_contact(account=account)
    api = api_for(marketer)
    assert ids(api.get("/contacts", {"owner": inside_rep.pk})) == [owned.pk]
    assert ids(api.get("/contacts", {"source": "webinar"})) == [from_webinar.pk]
    assert ids(api.get("/contacts", {"account": account.pk})) == [at_account.pk]


def test_contacts_are_filtered_by_last_change(marketer, api_for):
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=JST), tick=False):
        make_contact()
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, 0, tzinfo=JST), tick=False):
        recent = make_contact()
    response = api_for(marketer).get("/contacts", {"updated_since": "2026-04-02T00:00:00+09:00"})
    assert ids(response) == [recent.pk]


def test_an_updated_since_without_a_time_zone_is_refused(marketer, api_for):
    response = api_for(marketer).get("/contacts", {"updated_since": "2026-04-02T00:00:00"})
    assert response.status_code == 422
    assert "updated_since" in error_of(response)["fields"]


def test_contacts_are_ordered_as_asked(marketer, api_for):
    b = make_contact(family_name_kana="イトウ", given_name_kana="イチロウ")
    a = make_contact(family_name_kana="アベ", given_name_kana="ハナコ")
    api = api_for(marketer)
    assert ids(api.get("/contacts", {"ordering": "name"})) == [a.pk, b.pk]
    assert ids(api.get("/contacts", {"ordering": "-name"})) == [b.pk, a.pk]
    assert ids(api.get("/contacts", {"ordering": "created_at"})) == [b.pk, a.pk]
    assert ids(api.get("/contacts", {"ordering": "-created_at"})) == [a.pk, b.pk]
    response = api.get("/contacts", {"ordering": "email"})
    assert response.status_code == 422
    assert "ordering" in error_of(response)["fields"]


def test_contacts_are_ordered_by_funnel_stage(marketer, inside_rep, api_for):
    lead = make_contact()
    sal = make_contact()
    funnel.change_stage(sal, to_stage=LifecycleStage.SAL, actor=inside_rep)
    mql = make_contact(stage=LifecycleStage.MQL)
    api = api_for(marketer)
    assert ids(api.get("/contacts", {"ordering": "-stage"})) == [sal.pk, mql.pk, lead.pk]
    assert ids(api.get("/contacts", {"ordering": "stage"})) == [lead.pk, mql.pk, sal.pk]


def test_an_unknown_stage_filter_is_refused(marketer, api_for):
    response = api_for(marketer).get("/contacts", {"stage": "prospect"})
    assert response.status_code == 422
    assert "stage" in error_of(response)["fields"]


# --- retrieve ---------------------------------------------------------------------------


def test_a_contact_is_returned_with_its_account_owner_and_funnel_dates(
    marketer, inside_rep, api_for
):
    account = make_account(name="株式会社サンプル商事")
    contact = make_contact(account=account, owner=inside_rep, phone="03-1234-5678")
    body = api_for(marketer).get(f"/contacts/{contact.pk}").json()
    assert body["full_name"] == contact.full_name
    assert body["phone"] == "+81312345678"
    assert body["account"] == {"id": account.pk, "name": "株式会社サンプル商事"}
    assert body["owner"]["id"] == inside_rep.pk
    assert body["lifecycle_stage"] == "lead"
    assert body["lead_status"] == "new"
    assert body["became_lead_at"] is not None
    assert body["became_mql_at"] is None


def test_an_unknown_contact_is_404_json(marketer, api_for):
    response = api_for(marketer).get("/contacts/999999")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


# --- create -----------------------------------------------------------------------------


def test_creating_a_contact_enters_it_into_the_funnel_as_the_token_user(marketer, api_for):
    account = make_account()
    response = api_for(marketer).post(
        "/contacts",
        {
            "family_name": "高橋",
            "given_name": "一郎",
            "family_name_kana": "たかはし",
            "email": "Ichiro.Takahashi@Example.co.jp",
            "phone": "０３－１２３４－５６７８",
            "account_id": account.pk,
            "owner_id": marketer.pk,
            "source_channel": "webinar",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    contact = Contact.objects.get(pk=body["id"])
    assert contact.lifecycle_stage == LifecycleStage.LEAD
    assert body["email"] == "ichiro.takahashi@example.co.jp"
    assert body["phone"] == "+81312345678"
    assert body["account"]["id"] == account.pk
    entry = StageChange.objects.get(contact=contact)
    assert (entry.to_stage, entry.actor) == (LifecycleStage.LEAD, marketer)


def test_a_contact_may_be_created_as_an_mql(marketer, api_for):
    response = api_for(marketer).post("/contacts", {"family_name": "高橋", "stage": "mql"})
    assert response.status_code == 201
    assert response.json()["lifecycle_stage"] == "mql"
    assert response.json()["became_lead_at"] is not None


def test_a_contact_cannot_be_created_past_mql(inside_rep, api_for):
    response = api_for(inside_rep).post("/contacts", {"family_name": "高橋", "stage": "sal"})
    assert response.status_code == 422
    assert "stage" in error_of(response)["fields"]
    assert not Contact.objects.exists()


def test_sales_and_marketing_roles_may_create_contacts(
    marketer, inside_rep, field_rep, manager, api_for
):
    for user in (marketer, inside_rep, field_rep, manager):
        response = api_for(user).post("/contacts", {"family_name": user.username})
        assert response.status_code == 201


def test_a_role_outside_the_editors_may_read_but_not_create_contacts(
    marketer, api_for, monkeypatch
):
    # Every role may edit contacts today; narrow the editors to see the check refuse.
    monkeypatch.setattr(contacts_api, "EDITORS", (Role.INSIDE_SALES,))
    api = api_for(marketer)
    assert api.get("/contacts").status_code == 200
    response = api.post("/contacts", {"family_name": "高橋"})
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert not Contact.objects.exists()


def test_a_bad_email_is_refused_with_a_field_message(marketer, api_for):
    response = api_for(marketer).post("/contacts", {"family_name": "高橋", "email": "nope"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["fields"] == {"email": ["Enter a valid email address."]}


def test_a_bad_email_message_is_in_japanese_for_japanese_clients(marketer, api_for):
    response = api_for(marketer, language="ja").post(
        "/contacts", {"family_name": "高橋", "email": "nope"}
    )
    assert error_of(response)["fields"] == {"email": ["有効なメールアドレスを入力してください。"]}


def test_a_bad_phone_number_is_refused_with_a_field_message(marketer, api_for):
    response = api_for(marketer).post("/contacts", {"family_name": "高橋", "phone": "12345"})
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["phone"]
    assert not Contact.objects.exists()


def test_an_unknown_account_or_owner_is_refused(marketer, api_for):
    api = api_for(marketer)
    response = api.post("/contacts", {"family_name": "高橋", "account_id": 999999})
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["account_id"]
    response = api.post("/contacts", {"family_name": "高橋", "owner_id": 999999})
    assert list(error_of(response)["fields"]) == ["owner_id"]


def test_unknown_fields_are_refused_on_create(marketer, api_for):
    response = api_for(marketer).post("/contacts", {"family_name": "高橋", "nickname": "タカ"})
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["nickname"]


# --- update -----------------------------------------------------------------------------


def test_a_partial_update_changes_only_the_fields_sent(marketer, api_for):
    contact = make_contact(department="営業部", title="部長")
    response = api_for(marketer).patch(
        f"/contacts/{contact.pk}", {"title": "本部長", "phone": "06-1234-5678"}
    )
    assert response.status_code == 200, response.content
    contact.refresh_from_db()
    assert (contact.department, contact.title, contact.phone) == (
        "営業部",
        "本部長",
        "+81612345678",
    )
    entry = AuditLog.objects.filter(object_id=str(contact.pk), action="update").get()
    assert entry.actor == marketer


def test_an_update_may_clear_the_account_and_owner(marketer, api_for):
    contact = make_contact(account=make_account(), owner=marketer)
    response = api_for(marketer).patch(
        f"/contacts/{contact.pk}", {"account_id": None, "owner_id": None}
    )
    assert response.status_code == 200
    assert (response.json()["account"], response.json()["owner"]) == (None, None)


def test_lifecycle_fields_are_not_writable_by_update(marketer, api_for):
    contact = make_contact()
    response = api_for(marketer).patch(
        f"/contacts/{contact.pk}", {"lifecycle_stage": "customer", "lead_status": "working"}
    )
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"lifecycle_stage", "lead_status"}
    contact.refresh_from_db()
    assert (contact.lifecycle_stage, contact.lead_status) == ("lead", "new")


def test_an_update_with_a_bad_email_changes_nothing(marketer, api_for):
    contact = make_contact(title="部長")
    response = api_for(marketer).patch(
        f"/contacts/{contact.pk}", {"title": "課長", "email": "nope"}
    )
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["email"]
    contact.refresh_from_db()
    assert contact.title == "部長"


def test_a_required_name_cannot_be_blanked(marketer, api_for):
    contact = make_contact()
    response = api_for(marketer).patch(f"/contacts/{contact.pk}", {"family_name": ""})
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["family_name"]


def test_updating_an_unknown_contact_is_404(marketer, api_for):
    response = api_for(marketer).patch("/contacts/999999", {"title": "部長"})
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_role_outside_the_editors_may_not_update_contacts(marketer, api_for, monkeypatch):
    monkeypatch.setattr(contacts_api, "EDITORS", (Role.INSIDE_SALES,))
    contact = make_contact(title="部長")
    response = api_for(marketer).patch(f"/contacts/{contact.pk}", {"title": "課長"})
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.title == "部長"


def test_contacts_cannot_be_deleted_through_the_api(marketer, api_for):
    contact = make_contact()
    response = api_for(marketer).delete(f"/contacts/{contact.pk}")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert "DELETE" not in response["Allow"]
    assert Contact.objects.filter(pk=contact.pk).exists()
