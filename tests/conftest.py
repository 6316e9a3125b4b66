from __future__ import annotations

import pytest

from renkei.core.choices import Role
from tests.factories import make_user


@pytest.fixture
def marketer(db):
    return make_user(Role.MARKETING, username="marketer")


@pytest.fixture
def inside_rep(db):
    return make_user(Role.INSIDE_SALES, username="isrep")


@pytest.fixture
def field_rep(db):
    return make_user(Role.FIELD_SALES, username="aerep")


@pytest.fixture
def manager(db):
    return make_user(Role.MANAGER, username="manager")


@pytest.fixture
def admin_user(db):
    return make_user(Role.ADMIN, username="admin")
