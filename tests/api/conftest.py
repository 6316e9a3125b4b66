"""Fixtures for API tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from renkei.core.models import User
from renkei.core.tokens import create_api_token
from tests.api.helpers import ApiClient


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Users are made by the dozen here; their passwords need not be expensive."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_for(db) -> Callable[..., ApiClient]:
    """`api_for(user)`: a client that sends a fresh personal token of `user`."""

    def make(user: User, language: str = "en") -> ApiClient:
        _token, secret = create_api_token(user=user, name="tests")
        return ApiClient(secret, language)

    return make


@pytest.fixture
def anonymous_api(db) -> ApiClient:
    return ApiClient(None)
