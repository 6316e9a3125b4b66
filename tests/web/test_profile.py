from __future__ import annotations

import pytest
from django.urls import reverse

from renkei.core.choices import Role
from renkei.core.models import ApiToken
from renkei.core.tokens import authenticate_token, create_api_token
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PROFILE = reverse("web:profile")


def test_a_user_changes_their_name_and_language(client_for, marketer):
    response = client_for(marketer).post(
        PROFILE,
        {
            "last_name": "佐藤",
            "first_name": "一郎",
            "email": "ichiro@example.co.jp",
            "language": "ja",
        },
    )
    assert response["Location"] == PROFILE
    marketer.refresh_from_db()
    assert (marketer.last_name, marketer.first_name, marketer.language) == ("佐藤", "一郎", "ja")


def test_the_profile_form_does_not_let_a_user_change_their_role(client_for, marketer):
    client_for(marketer).post(
        PROFILE,
        {"last_name": "佐藤", "first_name": "一郎", "email": "", "language": "", "role": "admin"},
    )
    marketer.refresh_from_db()
    assert marketer.role == Role.MARKETING


def test_creating_a_token_shows_its_secret_once(client_for, marketer):
    client = client_for(marketer)
    response = client.post(reverse("web:token_create"), {"name": "CRM sync"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    secret = response.context["new_secret"]
    assert secret.startswith("rk_")
    assert secret in response.content.decode()
    assert authenticate_token(secret) == marketer
    assert ApiToken.objects.get(user=marketer).name == "CRM sync"
    assert secret not in client.get(PROFILE).content.decode()


def test_a_token_needs_a_name(client_for, marketer):
    response = client_for(marketer).post(reverse("web:token_create"), {"name": ""})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_revoking_a_token_asks_for_confirmation_then_revokes_it(client_for, marketer):
    token, secret = create_api_token(user=marketer, name="Script")
    url = reverse("web:token_revoke", args=[token.pk])
    client = client_for(marketer)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Revoke the token “Script”?" in confirm.content.decode()
    token.refresh_from_db()
    assert token.is_active
    response = client.post(url)
    assert response["Location"] == PROFILE
    token.refresh_from_db()
    assert not token.is_active
    assert authenticate_token(secret) is None


def test_a_user_cannot_revoke_someone_elses_token(client_for, marketer):
    other = make_user(Role.INSIDE_SALES)
    token, _secret = create_api_token(user=other, name="Theirs")
    response = client_for(marketer).post(reverse("web:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_the_profile_lists_only_the_users_own_tokens(client_for, marketer):
    create_api_token(user=marketer, name="Mine")
    create_api_token(user=make_user(Role.INSIDE_SALES), name="Theirs")
    html = client_for(marketer).get(PROFILE).content.decode()
    assert "Mine" in html
    assert "Theirs" not in html
