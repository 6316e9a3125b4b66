from __future__ import annotations

import pytest
from django.conf import settings

from renkei.contacts.models import Contact
from tests.api.helpers import error_of
from tests.factories import make_contact

pytestmark = pytest.mark.django_db


def test_a_malformed_json_body_is_400_json_not_500(marketer, api_for):
    response = api_for(marketer).raw("post", "/contacts", '{"family_name": "高橋",')
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed"
    assert not Contact.objects.exists()


def test_a_malformed_json_patch_is_400_json(marketer, api_for):
    contact = make_contact()
    response = api_for(marketer).raw("patch", f"/contacts/{contact.pk}", b"\xff\xfe not json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed"


def test_a_json_body_that_is_not_an_object_is_422(marketer, api_for):
    response = api_for(marketer).post("/contacts", ["高橋"])
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["__all__"]


def test_a_missing_body_is_422(marketer, api_for):
    response = api_for(marketer).raw("post", "/contacts", "")
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid"


def test_an_unknown_api_path_is_404_json(marketer, api_for):
    response = api_for(marketer).get("/opportunities")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_non_numeric_id_is_404_json(marketer, api_for):
    response = api_for(marketer).get("/contacts/abc")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_method_an_endpoint_does_not_have_is_405_json(marketer, api_for):
    response = api_for(marketer).patch("/stage-changes", {})
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_the_page_size_may_be_the_maximum(marketer, api_for):
    response = api_for(marketer).get("/contacts", {"limit": settings.API_PAGE_SIZE_MAX})
    assert response.status_code == 200
    assert response.json()["limit"] == settings.API_PAGE_SIZE_MAX


@pytest.mark.parametrize("path", ["/contacts", "/accounts", "/stage-changes"])
def test_a_page_size_above_the_maximum_is_refused(marketer, api_for, path):
    response = api_for(marketer).get(path, {"limit": settings.API_PAGE_SIZE_MAX + 1})
    assert response.status_code == 422
    assert error_of(response)["fields"] == {
        "limit": [f"Ensure this value is less than or equal to {settings.API_PAGE_SIZE_MAX}."]
    }


@pytest.mark.parametrize("params", [{"limit": 0}, {"offset": -1}, {"limit": "ten"}])
def test_nonsense_pagination_is_refused(marketer, api_for, params):
    response = api_for(marketer).get("/contacts", params)
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == list(params)


def test_the_default_page_is_fifty_items(marketer, api_for):
    body = api_for(marketer).get("/contacts").json()
    assert (body["limit"], body["offset"]) == (50, 0)


def test_an_offset_past_the_end_gives_an_empty_page_with_the_count(marketer, api_for):
    make_contact()
    body = api_for(marketer).get("/contacts", {"offset": 10}).json()
    assert (body["count"], body["items"]) == (1, [])
