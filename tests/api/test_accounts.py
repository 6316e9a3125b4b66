from __future__ import annotations

import pytest

from renkei.contacts import api as contacts_api
from renkei.contacts.models import Account
from renkei.core.choices import Role
from tests.api.helpers import error_of
from tests.factories import make_account

pytestmark = pytest.mark.django_db

# 法人番号 with valid check digits (国税庁's examples).
VALID_CORPORATE_NUMBER = "5835678256246"
OTHER_VALID_CORPORATE_NUMBER = "2021001052596"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_the_account_list_is_paginated_in_name_order(marketer, api_for):
    names = ["株式会社ウエダ", "株式会社アオキ", "株式会社イトウ"]
    accounts = {name: make_account(name=name) for name in names}
    body = api_for(marketer).get("/accounts", {"limit": 2}).json()
    assert body["count"] == 3
    expected = [accounts["株式会社アオキ"].pk, accounts["株式会社イトウ"].pk]
    assert [item["id"] for item in body["items"]] == expected


def test_accounts_are_ordered_as_asked(marketer, api_for):
    first = make_account(name="株式会社アオキ", name_kana="ワタナベ")
    second = make_account(name="株式会社イトウ", name_kana="アベ")
    api = api_for(marketer)
    assert ids(api.get("/accounts", {"ordering": "-name"})) == [second.pk, first.pk]
    assert ids(api.get("/accounts", {"ordering": "kana"})) == [second.pk, first.pk]
    assert ids(api.get("/accounts", {"ordering": "updated_at"})) == [first.pk, second.pk]
    assert ids(api.get("/accounts", {"ordering": "-updated_at"})) == [second.pk, first.pk]


def test_accounts_are_searched_and_filtered_by_industry_and_prefecture(marketer, api_for):
    tokyo_it = make_account(name="サンプルソフト株式会社", industry="it", prefecture="13")
    osaka_it = make_account(name="大阪システム株式会社", industry="it", prefecture="27")
    make_account(name="東京製作所株式会社", industry="manufacturing", prefecture="13")
    api = api_for(marketer)
    assert ids(api.get("/accounts", {"q": "サンプル"})) == [tokyo_it.pk]
    assert sorted(ids(api.get("/accounts", {"industry": "it"}))) == [tokyo_it.pk, osaka_it.pk]
    assert ids(api.get("/accounts", {"industry": "it", "prefecture": "27"})) == [osaka_it.pk]
    both = ids(api.get("/accounts", {"prefecture": ["13", "27"], "industry": "it"}))
    assert sorted(both) == [tokyo_it.pk, osaka_it.pk]
    assert api.get("/accounts", {"prefecture": "48"}).status_code == 422


def test_an_account_is_returned_with_derived_fields(field_rep, api_for):
    account = make_account(
        name="株式会社サンプル商事", website="https://www.sample.co.jp/", prefecture="13"
    )
    body = api_for(field_rep).get(f"/accounts/{account.pk}").json()
    assert body["domain"] == "sample.co.jp"
    assert (body["prefecture"], body["region"]) == ("13", "kanto")
    assert (body["industry"], body["employee_band"], body["owner"]) == (None, None, None)


def test_an_unknown_account_is_404_json(marketer, api_for):
    response = api_for(marketer).get("/accounts/999999")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_creating_an_account(inside_rep, api_for):
    response = api_for(inside_rep).post(
        "/accounts",
        {
            "name": "株式会社サンプル商事",
            "name_kana": "サンプルショウジ",
            "corporate_number": VALID_CORPORATE_NUMBER,
            "industry": "retail",
            "employee_band": "50-299",
            "prefecture": "27",
            "owner_id": inside_rep.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    account = Account.objects.get(pk=body["id"])
    assert account.corporate_number == VALID_CORPORATE_NUMBER
    assert (body["region"], body["owner"]["id"]) == ("kinki", inside_rep.pk)


def test_a_corporate_number_with_a_wrong_check_digit_is_refused(marketer, api_for):
    response = api_for(marketer).post(
        "/accounts", {"name": "株式会社サンプル商事", "corporate_number": "1234567890123"}
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["fields"] == {
        "corporate_number": ["A corporate number (法人番号) is 13 digits with a valid check digit."]
    }
    assert not Account.objects.exists()


def test_a_corporate_number_already_in_use_is_refused(marketer, api_for):
    make_account(corporate_number=VALID_CORPORATE_NUMBER)
    response = api_for(marketer).post(
        "/accounts", {"name": "株式会社ほか", "corporate_number": VALID_CORPORATE_NUMBER}
    )
    assert response.status_code == 422
    error = error_of(response)
    assert (error["code"], bool(error["fields"])) == ("invalid", True)
    assert Account.objects.count() == 1


def test_an_account_needs_a_name(marketer, api_for):
    response = api_for(marketer).post("/accounts", {"name": "  "})
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["name"]


def test_a_partial_update_of_an_account(marketer, api_for):
    account = make_account(name="株式会社サンプル商事", industry="it", prefecture="13")
    response = api_for(marketer).patch(
        f"/accounts/{account.pk}",
        {"corporate_number": OTHER_VALID_CORPORATE_NUMBER, "industry": None},
    )
    assert response.status_code == 200, response.content
    account.refresh_from_db()
    assert account.corporate_number == OTHER_VALID_CORPORATE_NUMBER
    assert (account.industry, account.prefecture) == ("", "13")


def test_a_new_website_re_derives_the_domain(marketer, api_for):
    account = make_account(website="https://old.example.jp/")
    response = api_for(marketer).patch(
        f"/accounts/{account.pk}", {"website": "https://www.new.example.jp/about"}
    )
    assert response.json()["domain"] == "new.example.jp"


def test_an_account_update_with_a_bad_corporate_number_changes_nothing(marketer, api_for):
    account = make_account(name="株式会社サンプル商事")
    response = api_for(marketer).patch(
        f"/accounts/{account.pk}", {"name": "株式会社新社名", "corporate_number": "1234567890123"}
    )
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["corporate_number"]
    account.refresh_from_db()
    assert account.name == "株式会社サンプル商事"


def test_updating_an_unknown_account_is_404(marketer, api_for):
    assert api_for(marketer).patch("/accounts/999999", {"name": "x"}).status_code == 404


def test_a_role_outside_the_editors_may_read_but_not_write_accounts(marketer, api_for, monkeypatch):
    monkeypatch.setattr(contacts_api, "EDITORS", (Role.FIELD_SALES,))
    account = make_account(name="株式会社サンプル商事")
    api = api_for(marketer)
    assert api.get(f"/accounts/{account.pk}").status_code == 200
    assert api.post("/accounts", {"name": "株式会社ほか"}).status_code == 403
    response = api.patch(f"/accounts/{account.pk}", {"name": "株式会社新社名"})
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert Account.objects.get().name == "株式会社サンプル商事"
