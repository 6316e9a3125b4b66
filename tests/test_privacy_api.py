"""The privacy requests API: admins only; record, link, disclose, erase."""

from __future__ import annotations

import json

import pytest

from renkei.core.tokens import create_api_token
from renkei.privacy.models import DataSubjectRequest
from tests.api.helpers import ApiClient, error_of
from tests.factories import make_contact
from tests.privacy_helpers import TANAKA_EMAIL

NEW = {"kind": "erasure", "requester_name": "田中 一郎", "requester_email": TANAKA_EMAIL,
       "received_at": "2026-11-27T10:00:00+09:00"}  # fmt: skip


@pytest.fixture
def api_for(db):
    def make(user):
        _token, secret = create_api_token(user=user, name="tests")
        return ApiClient(secret, "en")

    return make


def put(api, path, body):
    return api.raw("put", path, json.dumps(body))


@pytest.mark.parametrize("who", ["marketer", "manager"])
def test_only_admins_use_the_privacy_api(api_for, request, who):
    api = api_for(request.getfixturevalue(who))
    response = api.get("/privacy/requests")
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert api.post("/privacy/requests", NEW).status_code == 403


def test_without_a_token_the_privacy_api_answers_401(db):
    assert ApiClient(None).get("/privacy/requests").status_code == 401


def test_an_admin_records_links_discloses_and_erases(api_for, admin_user):
    contact = make_contact(email=TANAKA_EMAIL, family_name="田中", given_name="一郎")
    other = make_contact(email="other@example.co.jp")
    api = api_for(admin_user)
    response = api.post("/privacy/requests", NEW)
    assert response.status_code == 201
    body = response.json()
    assert (body["due_on"], body["status"], body["overdue"]) == ("2026-12-11", "received", False)
    request_id = body["id"]

    candidates = api.get(f"/privacy/requests/{request_id}/candidates").json()
    assert [c["contact_id"] for c in candidates] == [contact.pk]

    response = put(api, f"/privacy/requests/{request_id}/contacts", {"contact_ids": [contact.pk]})
    assert response.json()["contact_ids"] == [contact.pk]

    disclosure = api.get(f"/privacy/requests/{request_id}/disclosure").json()
    [person] = disclosure["contacts"]
    assert person["data"]["contacts.contact"]["rows"][0]["email"] == TANAKA_EMAIL

    response = api.post(f"/privacy/requests/{request_id}/erase", {})
    assert response.status_code == 422
    assert error_of(response)["code"] == "not_verified"

    verified = {"identity_status": "verified", "identity_method": "登録メールから返信"}
    assert api.patch(f"/privacy/requests/{request_id}", verified).status_code == 200
    response = api.post(f"/privacy/requests/{request_id}/erase", {})
    assert response.status_code == 200
    assert response.json()["summary"][str(contact.pk)]["contacts.contact"] == {"anonymised": 1}
    contact.refresh_from_db()
    other.refresh_from_db()
    assert contact.email == "" and other.email == "other@example.co.jp"


def test_linking_an_unknown_contact_is_a_validation_error(api_for, admin_user):
    api = api_for(admin_user)
    request_id = api.post("/privacy/requests", NEW).json()["id"]
    response = put(api, f"/privacy/requests/{request_id}/contacts", {"contact_ids": [99999]})
    assert response.status_code == 422
    assert "contact_ids" in error_of(response)["fields"]


def test_a_bad_kind_or_unknown_field_is_refused(api_for, admin_user):
    api = api_for(admin_user)
    assert api.post("/privacy/requests", {**NEW, "kind": "delete_all"}).status_code == 422
    assert api.post("/privacy/requests", {**NEW, "colour": "red"}).status_code == 422
    assert not DataSubjectRequest.objects.exists()


def test_the_list_filters_overdue_requests(api_for, admin_user):
    api = api_for(admin_user)
    api.post("/privacy/requests", {**NEW, "received_at": "2020-01-06T10:00:00+09:00"})
    api.post("/privacy/requests", {**NEW, "received_at": "2099-01-06T10:00:00+09:00"})
    body = api.get("/privacy/requests?overdue=true").json()
    assert body["count"] == 1
    assert body["items"][0]["overdue"] is True
    assert api.get("/privacy/requests").json()["count"] == 2


def test_the_list_costs_the_same_queries_for_one_or_many_requests(
    api_for, admin_user, django_assert_max_num_queries
):
    api = api_for(admin_user)
    for _n in range(5):
        request_id = api.post("/privacy/requests", NEW).json()["id"]
        put(api, f"/privacy/requests/{request_id}/contacts", {"contact_ids": [make_contact().pk]})
    with django_assert_max_num_queries(8):
        body = api.get("/privacy/requests").json()
    assert body["count"] == 5
