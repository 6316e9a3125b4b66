"""The OpenAPI document and the interactive docs page, served without any CDN."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.api.helpers import ApiClient, error_of

pytestmark = pytest.mark.django_db


def test_the_docs_page_sends_anonymous_visitors_to_the_login_page(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/api/v1/docs")


def test_the_docs_page_loads_swagger_ui_from_this_server_only(marketer):
    client = Client()
    client.force_login(marketer)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/openapi.json" in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "https://" not in html and "http://" not in html


def test_the_openapi_document_needs_a_token_or_a_session(marketer, api_for):
    anonymous = Client().get("/api/v1/openapi.json")
    assert anonymous.status_code == 401
    assert error_of(anonymous)["code"] == "unauthenticated"
    assert ApiClient("rk_wrong").get("/openapi.json").status_code == 401

    assert api_for(marketer).get("/openapi.json").status_code == 200
    session = Client()
    session.force_login(marketer)
    response = session.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Renkei API"
