"""Fixtures for the web pages: signed-in clients and htmx headers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from renkei.core.models import User

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english(settings) -> None:
    """Pages render in English unless a test asks for another language."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client_for(db) -> Callable[[User], Client]:
    """`client_for(user)`: a test client signed in as `user`."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
