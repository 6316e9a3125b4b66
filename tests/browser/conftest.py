"""End-to-end tests in headless Chromium (Debian's /usr/bin/chromium) against
pytest-django's live server."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Pages are opened relative to pytest-django's live server (this replaces
    pytest-base-url's fixture, which newer pytest versions warn about)."""
    return live_server.url


@pytest.fixture(autouse=True)
def quick_timeouts(page) -> None:
    """Fail in seconds, not half a minute, when something is not on the page."""
    page.set_default_timeout(10_000)
