from __future__ import annotations

import pytest
from django.urls import reverse

from renkei.contacts.choices import LifecycleStage
from renkei.contacts.models import Contact
from renkei.funnel.models import StageChange
from tests.factories import make_account, make_contact
from tests.web.conftest import HTMX

pytestmark = pytest.mark.django_db
NEW = reverse("web:contact_new")


def form_data(**overrides) -> dict[str, str]:
    data = {
        "family_name": "山本",
        "given_name": "陽菜",
        "family_name_kana": "ヤマモト",
        "given_name_kana": "ヒナ",
        "email": "hina@example.co.jp",
        "phone": "06-6123-4567",
        "department": "情報システム部",
        "title": "課長",
        "account": "",
        "owner": "",
        "source_channel": "webinar",
        "source_campaign": "DXセミナー 2026",
        "consent_status": "opted_in",
        "stage": "lead",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("fixture", ["marketer", "inside_rep", "field_rep", "manager"])
def test_every_working_role_may_open_the_new_contact_page(client_for, request, fixture):
    user = request.getfixturevalue(fixture)
    assert client_for(user).get(NEW).status_code == 200


def test_a_new_contact_enters_the_funnel_with_its_account(client_for, marketer):
    account = make_account(name="株式会社ナニワ製作所")
    response = client_for(marketer).post(
        NEW, form_data(account=str(account.pk), owner=str(marketer.pk), stage="mql")
    )
    contact = Contact.objects.get(email="hina@example.co.jp")
    assert response["Location"] == reverse("web:contact_detail", args=[contact.pk])
    assert contact.account == account
    assert contact.owner == marketer
    assert contact.phone == "+81661234567"
    assert contact.lifecycle_stage == LifecycleStage.MQL
    entry = StageChange.objects.get(contact=contact)
    assert (entry.to_stage, entry.actor) == ("mql", marketer)


def test_an_invalid_phone_number_is_shown_on_the_phone_field(client_for, marketer):
    response = client_for(marketer).post(NEW, form_data(phone="12-34"))
    assert response.status_code == 422
    assert response.context["form"].errors["phone"] == [
        "Enter a valid phone number, such as 03-1234-5678 or +81 3 1234 5678."
    ]
    assert not Contact.objects.exists()


def test_an_invalid_email_and_a_missing_family_name_are_shown(client_for, marketer):
    response = client_for(marketer).post(NEW, form_data(email="not-an-email", family_name=""))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {"email", "family_name"}
    assert "is-invalid" in response.content.decode()


def test_the_account_chooser_lists_matching_accounts(client_for, marketer):
    make_account(name="株式会社ヒカリ通信", website="https://hikari.example.jp")
    make_account(name="株式会社カゼ物流")
    response = client_for(marketer).get(
        reverse("web:account_choices"), {"account_q": "ひかり"}, headers=HTMX
    )
    html = response.content.decode()
    assert "株式会社ヒカリ通信" in html
    assert "カゼ物流" not in html
    assert "selected" in html


def test_searching_accounts_without_javascript_keeps_what_was_typed(client_for, marketer):
    account = make_account(name="株式会社ミナト商会")
    response = client_for(marketer).post(
        NEW, form_data(account_q="ミナト", search_accounts="1", given_name="蓮")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{account.pk}">' in html
    assert 'value="蓮"' in html
    assert not Contact.objects.exists()


def test_the_new_contact_page_preselects_the_account_from_the_link(client_for, marketer):
    account = make_account(name="株式会社アサヒ工業")
    html = client_for(marketer).get(NEW, {"account": account.pk}).content.decode()
    assert f'<option value="{account.pk}" selected>' in html


def test_editing_a_contact_saves_the_changes_and_keeps_the_phone_format(client_for, marketer):
    contact = make_contact(phone="0312345678", title="主任")
    url = reverse("web:contact_edit", args=[contact.pk])
    client = client_for(marketer)
    page = client.get(url)
    assert page.context["form"].initial["phone"] == "03-1234-5678"
    data = {k: ("" if v is None else v) for k, v in page.context["form"].initial.items()}
    data.update(title="課長", account="", owner="")
    response = client.post(url, data)
    assert response["Location"] == reverse("web:contact_detail", args=[contact.pk])
    contact.refresh_from_db()
    assert (contact.title, contact.phone) == ("課長", "+81312345678")
    timeline = client.get(reverse("web:contact_detail", args=[contact.pk])).content.decode()
    assert "Details edited" in timeline


def test_editing_with_an_invalid_phone_changes_nothing(client_for, marketer):
    contact = make_contact(title="主任")
    url = reverse("web:contact_edit", args=[contact.pk])
    response = client_for(marketer).post(
        url, form_data(phone="abc", title="部長", stage="", account="")
    )
    assert response.status_code == 422
    assert "phone" in response.context["form"].errors
    contact.refresh_from_db()
    assert contact.title == "主任"
