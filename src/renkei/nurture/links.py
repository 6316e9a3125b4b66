"""Signed links in messages: the open pixel, click redirects and unsubscribe.

Tokens are signed (django.core.signing with SECRET_KEY, no timestamp: the same link
every time), so nobody can forge one for
another message or make the click endpoint redirect anywhere but to a URL that was in the
message (no open redirect). They do not expire: an unsubscribe link must keep working.
A test send uses message id 0, which records nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

OPEN_SALT = "renkei.nurture.open"
CLICK_SALT = "renkei.nurture.click"
UNSUBSCRIBE_SALT = "renkei.nurture.unsubscribe"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def open_url(message_id: int) -> str:
    token = signing.Signer(salt=OPEN_SALT).sign_object(message_id)
    return absolute(reverse("nurture:open", args=[token]))


def click_url(message_id: int, url: str) -> str:
    token = signing.Signer(salt=CLICK_SALT).sign_object({"m": message_id, "u": url}, compress=True)
    return absolute(reverse("nurture:click", args=[token]))


def unsubscribe_url(message_id: int) -> str:
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(message_id)
    return absolute(reverse("nurture:unsubscribe", args=[token]))


def read(token: str, salt: str) -> Any:
    """The signed value, or None for a token that is not ours."""
    try:
        return signing.Signer(salt=salt).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
