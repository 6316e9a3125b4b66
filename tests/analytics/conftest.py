from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages(settings) -> Iterator[None]:
    """Labels are asserted in their source language (the catalogs translate them to ja)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
