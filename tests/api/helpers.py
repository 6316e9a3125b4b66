"""A JSON client for the API and small assertions on its answers."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.test import Client

API = "/api/v1"


class ApiClient:
    """Calls the API as one user, through the whole middleware stack with CSRF checks on
    (a token request must not need a CSRF token)."""

    def __init__(self, secret: str | None, language: str = "en") -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.secret = secret
        self.language = language

    def headers(self, language: str | None = None) -> dict[str, str]:
        headers = {"Accept-Language": language or self.language}
        if self.secret is not None:
            headers["Authorization"] = f"Bearer {self.secret}"
        return headers

    def get(
        self, path: str, params: dict[str, Any] | None = None, language: str | None = None
    ) -> HttpResponse:
        return self.client.get(API + path, params or {}, headers=self.headers(language))

    def post(self, path: str, body: Any = None, language: str | None = None) -> HttpResponse:
        return self.raw("post", path, json.dumps({} if body is None else body), language)

    def patch(self, path: str, body: Any = None, language: str | None = None) -> HttpResponse:
        return self.raw("patch", path, json.dumps({} if body is None else body), language)

    def put(self, path: str, body: Any = None, language: str | None = None) -> HttpResponse:
        return self.raw("put", path, json.dumps({} if body is None else body), language)

    def delete(self, path: str) -> HttpResponse:
        return self.client.delete(API + path, headers=self.headers())

    def raw(
        self, method: str, path: str, data: bytes | str, language: str | None = None
    ) -> HttpResponse:
        send = getattr(self.client, method)
        return send(
            API + path, data, content_type="application/json", headers=self.headers(language)
        )


def error_of(response: HttpResponse) -> dict[str, Any]:
    """The `error` object of a JSON error response."""
    assert response["Content-Type"].startswith("application/json"), response.content
    body = response.json()
    assert set(body) == {"error"}, body
    return body["error"]
