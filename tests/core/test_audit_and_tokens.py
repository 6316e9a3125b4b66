from __future__ import annotations

import pytest

from renkei.contacts import services as contact_services
from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.core.models import ApiToken
from renkei.core.tokens import authenticate_token, create_api_token, revoke_api_token
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


def test_editing_a_contact_records_who_changed_what_before_and_after(marketer):
    contact = make_contact(actor=marketer, title="課長")
    contact_services.update_contact(contact, actor=marketer, title="部長", department="営業部")
    entry = audit.history(contact).filter(action=AuditAction.UPDATE).get()
    assert entry.actor == marketer
    assert entry.changes["title"] == ["課長", "部長"]
    assert entry.changes["department"] == ["", "営業部"]


def test_saving_without_changes_writes_no_audit_entry(marketer):
    account = make_account(actor=marketer, name="株式会社サンプル")
    contact_services.update_account(account, actor=marketer, name="株式会社サンプル")
    assert audit.history(account).count() == 1  # the creation only


def test_an_invalid_corporate_number_is_refused_and_nothing_is_saved(marketer):
    from django.core.exceptions import ValidationError

    account = make_account(actor=marketer, corporate_number="7010001008844")
    with pytest.raises(ValidationError) as err:
        contact_services.update_account(account, actor=marketer, corporate_number="1234567890123")
    assert "corporate_number" in err.value.message_dict
    account.refresh_from_db()
    assert account.corporate_number == "7010001008844"


def test_an_invalid_phone_is_refused_with_a_field_error(marketer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        make_contact(actor=marketer, phone="12-34")
    assert "phone" in err.value.message_dict


def test_phones_are_stored_in_international_form(marketer):
    contact = make_contact(actor=marketer, phone="０３－１２３４－５６７８")
    assert contact.phone == "+81312345678"


def test_a_token_authenticates_until_it_is_revoked(marketer):
    token, secret = create_api_token(user=marketer, name="CLI")
    assert authenticate_token(secret) == marketer
    assert secret not in ApiToken.objects.values_list("key_hash", flat=True)
    revoke_api_token(token=token)
    assert authenticate_token(secret) is None


def test_tokens_of_deactivated_users_do_not_authenticate(marketer):
    _token, secret = create_api_token(user=marketer, name="CLI")
    marketer.is_active = False
    marketer.save()
    assert authenticate_token(secret) is None
    assert authenticate_token("rk_not-a-token") is None


def test_a_duplicate_corporate_number_is_a_field_error(marketer):
    from django.core.exceptions import ValidationError

    make_account(actor=marketer, corporate_number="7010001008844")
    with pytest.raises(ValidationError) as err:
        make_account(actor=marketer, corporate_number="7010001008844")
    assert "corporate_number" in err.value.message_dict
    assert "__all__" not in err.value.message_dict
