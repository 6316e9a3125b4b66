from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Callable

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.utils import translation

from renkei.core.choices import Role
from renkei.core.models import User
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


class _Inbox:
    """Messages a real SMTP server on loopback received."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls this by name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parsed["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django sends mail to it over SMTP."""
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture(scope="session", autouse=True)
def _end_stray_database_sessions(django_db_setup, django_db_blocker):
    """At the end of the run, end PostgreSQL sessions that live-server threads or a
    tracking beacon arriving late left on the test database, so it can be dropped."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def client_for(db) -> Callable[[User], Client]:
    """`client_for(user)`: a test client signed in as `user`."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def english(settings):
    """Pages and messages in English: the tests that use it assert the source strings (the
    catalogs translate them to Japanese, the default language)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
