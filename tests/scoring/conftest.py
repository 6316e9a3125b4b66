from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Messages are asserted in their source language (the catalogs translate them to ja)."""
    with translation.override("en"):
        yield
