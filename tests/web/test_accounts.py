from __future__ import annotations

import pytest
from django.urls import reverse

from renkei.contacts.models import Account
from tests.factories import make_account, make_contact
from tests.web.conftest import HTMX

pytestmark = pytest.mark.django_db
LIST = reverse("web:accounts")
NEW = reverse("web:account_new")
# Valid 法人番号 (the first digit is the check digit).
VALID_NUMBER = "5010401067252"


def test_the_accounts_list_counts_each_accounts_contacts(client_for, marketer):
    busy = make_account(name="株式会社イロハ")
    make_account(name="株式会社ホヘト")
    for _ in range(3):
        make_contact(account=busy)
    response = client_for(marketer).get(LIST)
    counts = {a.name: a.contact_count for a in response.context["page"].object_list}
    assert counts == {"株式会社イロハ": 3, "株式会社ホヘト": 0}


def test_accounts_are_found_by_name_kana_or_domain_and_filtered(client_for, marketer):
    make_account(name="株式会社アオバ", name_kana="アオバ", industry="it", prefecture="13")
    make_account(name="株式会社ミドリ", website="https://midori.example.jp", prefecture="27")
    client = client_for(marketer)

    def found(**params) -> list[str]:
        return [a.name for a in client.get(LIST, params).context["page"].object_list]

    assert found(q="あおば") == ["株式会社アオバ"]
    assert found(q="midori.example") == ["株式会社ミドリ"]
    assert found(industry="it") == ["株式会社アオバ"]
    assert found(prefecture="27") == ["株式会社ミドリ"]


def test_the_accounts_list_answers_htmx_with_the_results_only(client_for, marketer):
    make_account()
    html = client_for(marketer).get(LIST, headers=HTMX).content.decode()
    assert html.lstrip().startswith('<div id="account-results"')


def test_the_accounts_list_makes_a_fixed_number_of_queries(
    client_for, marketer, django_assert_max_num_queries
):
    for n in range(60):
        account = make_account(owner=marketer if n % 2 else None)
        make_contact(account=account)
    client = client_for(marketer)
    with django_assert_max_num_queries(4):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 50


def test_the_account_page_lists_its_contacts_by_stage(client_for, marketer):
    account = make_account(name="株式会社サクラ", corporate_number=VALID_NUMBER)
    make_contact(account=account, family_name="木村")
    make_contact(account=account, family_name="林", stage="mql")
    make_contact(family_name="他社")
    response = client_for(marketer).get(reverse("web:account_detail", args=[account.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert VALID_NUMBER in html
    assert "木村" in html and "林" in html
    assert "他社" not in html
    assert [(r["stage"], r["count"]) for r in response.context["stage_counts"]] == [
        ("lead", 1),
        ("mql", 1),
    ]


def test_a_new_account_is_created_with_a_valid_corporate_number(client_for, marketer):
    response = client_for(marketer).post(
        NEW,
        {
            "name": "株式会社テスト",
            "name_kana": "テスト",
            "corporate_number": "5-0104-0106-7252",
            "website": "https://www.test.example.jp/",
            "industry": "it",
            "employee_band": "50-299",
            "prefecture": "13",
            "owner": str(marketer.pk),
        },
    )
    account = Account.objects.get()
    assert response["Location"] == reverse("web:account_detail", args=[account.pk])
    assert account.corporate_number == VALID_NUMBER
    assert account.domain == "test.example.jp"


def test_an_invalid_corporate_number_is_refused_with_a_translated_message(client_for, marketer):
    client = client_for(marketer)
    response = client.post(NEW, {"name": "株式会社テスト", "corporate_number": "1234567890123"})
    assert response.status_code == 422
    assert response.context["form"].errors["corporate_number"] == [
        "A corporate number (法人番号) is 13 digits with a valid check digit."
    ]
    assert not Account.objects.exists()


def test_a_corporate_number_already_in_use_is_refused(client_for, marketer):
    make_account(corporate_number=VALID_NUMBER)
    response = client_for(marketer).post(
        NEW, {"name": "株式会社ベツ", "corporate_number": VALID_NUMBER}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["corporate_number"] == [
        "Another account already has this corporate number (法人番号)."
    ]


def test_editing_an_account_keeps_its_own_corporate_number(client_for, marketer):
    account = make_account(name="株式会社旧名", corporate_number=VALID_NUMBER)
    response = client_for(marketer).post(
        reverse("web:account_edit", args=[account.pk]),
        {"name": "株式会社新名", "corporate_number": VALID_NUMBER},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.name == "株式会社新名"


def test_a_website_with_a_script_address_is_never_a_script_link(client_for, marketer):
    account = make_account(name="株式会社危険", website="javascript://x%0Aalert(1)")
    html = (
        client_for(marketer).get(reverse("web:account_detail", args=[account.pk])).content.decode()
    )
    assert 'href="javascript:' not in html


def test_accounts_are_listed_by_reading_with_unread_names_last(client_for, marketer):
    make_account(name="株式会社和光", name_kana="ワコウ")
    make_account(name="Zeta株式会社")
    make_account(name="株式会社青葉", name_kana="アオバ")
    response = client_for(marketer).get(LIST)
    assert [a.name for a in response.context["page"].object_list] == [
        "株式会社青葉",
        "株式会社和光",
        "Zeta株式会社",
    ]


def test_paging_an_accounts_contacts_with_htmx_swaps_only_that_list(client_for, marketer):
    account = make_account()
    for n in range(51):
        make_contact(account=account, family_name=f"K{n:02d}", family_name_kana=f"カ{n:02d}")
    response = client_for(marketer).get(
        reverse("web:account_detail", args=[account.pk]), {"page": 2}, headers=HTMX
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="contacts"')
    assert "K50" in html
    assert "K00" not in html
