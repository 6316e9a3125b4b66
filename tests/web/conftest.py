"""Fixtures for the web pages: English pages, fast passwords, htmx headers (signed-in
clients: `client_for` in tests/conftest.py)."""

from __future__ import annotations

import pytest

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english(settings) -> None:
    """Pages render in English unless a test asks for another language."""
    settings.LANGUAGE_CODE = "en"
