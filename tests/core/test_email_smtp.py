"""Password reset mail goes through a real SMTP server and never reveals who has an account."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_password_reset_mail_is_delivered_over_smtp_with_a_working_link(
    client, smtp_server, marketer
):
    response = client.post("/password-reset/", {"email": marketer.email})
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["X-Envelope-To"] == marketer.email
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/reset/\S+/)", body)
    assert link, body
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase-42", "new_password2": "a-new-long-passphrase-42"},
    )
    assert done.status_code == 302
    marketer.refresh_from_db()
    assert marketer.check_password("a-new-long-passphrase-42")


def test_password_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(
    client, smtp_server, marketer
):
    known = client.post("/password-reset/", {"email": marketer.email})
    unknown = client.post("/password-reset/", {"email": "nobody@example.co.jp"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(smtp_server.messages) == 1
