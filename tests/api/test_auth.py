from __future__ import annotations

import pytest

from renkei.core.tokens import create_api_token, revoke_api_token
from tests.api.helpers import ApiClient, error_of

pytestmark = pytest.mark.django_db


def test_a_request_without_a_token_is_refused_with_401_json(anonymous_api):
    response = anonymous_api.get("/contacts")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_request_with_an_unknown_token_is_refused_with_401_json(db):
    response = ApiClient("rk_not-a-real-token").get("/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"


def test_a_token_that_is_not_bearer_is_refused(marketer):
    _token, secret = create_api_token(user=marketer, name="CLI")
    client = ApiClient(None)
    response = client.client.get("/api/v1/me", headers={"Authorization": f"Token {secret}"})
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"


def test_a_revoked_token_is_refused_with_401_json(marketer):
    token, secret = create_api_token(user=marketer, name="CLI")
    client = ApiClient(secret)
    assert client.get("/me").status_code == 200
    revoke_api_token(token=token)
    response = client.get("/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"


def test_the_token_of_a_deactivated_user_is_refused(marketer, api_for):
    api = api_for(marketer)
    marketer.is_active = False
    marketer.save(update_fields=["is_active"])
    assert api.get("/me").status_code == 401


def test_a_signed_in_session_is_not_an_api_credential(marketer):
    client = ApiClient(None)
    client.client.force_login(marketer)
    assert client.get("/me").status_code == 401


def test_me_tells_who_the_token_belongs_to_and_their_role(inside_rep, api_for):
    response = api_for(inside_rep).get("/me")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == inside_rep.pk
    assert body["username"] == "isrep"
    assert body["role"] == "inside_sales"
    assert body["display_name"] == inside_rep.display_name
    assert body["team"] is None


def test_errors_follow_the_accept_language_header(marketer, api_for):
    api = api_for(marketer)
    response = api.post("/contacts", {"given_name": "花子"}, language="ja")
    assert response.status_code == 422
    assert error_of(response)["fields"]["family_name"] == ["このフィールドは必須です。"]
    assert response["Content-Language"] == "ja"
    response = api.post("/contacts", {"given_name": "花子"}, language="en")
    assert error_of(response)["fields"]["family_name"] == ["This field is required."]


def test_without_accept_language_errors_use_the_users_saved_language(marketer):
    marketer.language = "en"
    marketer.save(update_fields=["language"])
    _token, secret = create_api_token(user=marketer, name="CLI")
    client = ApiClient(secret)
    response = client.client.post(
        "/api/v1/contacts",
        '{"email": "not-an-email"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422
    assert error_of(response)["fields"]["family_name"] == ["This field is required."]
    assert response["Content-Language"] == "en"
