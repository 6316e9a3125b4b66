from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.forms import PasswordResetForm
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from renkei.core.choices import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("web:home"),
    reverse("web:contacts"),
    reverse("web:contact_new"),
    reverse("web:accounts"),
    reverse("web:account_new"),
    reverse("web:team"),
    reverse("web:profile"),
    reverse("password_change"),
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_the_login_page_has_a_labelled_form_and_a_password_reset_link(client: Client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="form-label required" for="id_username">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert reverse("password_reset") in html


def test_signing_in_with_the_right_password_opens_the_home_page(client: Client, marketer):
    response = client.post(
        reverse("login"), {"username": "marketer", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.session[SESSION_KEY] == str(marketer.pk)


def test_signing_in_with_a_wrong_password_shows_an_error(client: Client, marketer):
    response = client.post(reverse("login"), {"username": "marketer", "password": "nope"})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_signing_in_returns_to_the_page_asked_for(client: Client, marketer):
    url = reverse("web:contacts")
    response = client.post(
        f"{reverse('login')}?next={url}",
        {"username": "marketer", "password": "correct-horse-battery", "next": url},
    )
    assert response["Location"] == url


def test_logging_out_takes_a_post_and_ends_the_session(client_for, marketer):
    client = client_for(marketer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert client.get(reverse("web:home")).status_code == 302


def test_the_logout_form_in_the_menu_posts_with_a_csrf_token(client_for, marketer):
    html = client_for(marketer).get(reverse("web:home")).content.decode()
    form = re.search(r'<form method="post" action="/logout/">(.*?)</form>', html, re.S)
    assert form is not None
    assert "csrfmiddlewaretoken" in form.group(1)


def test_a_password_reset_sends_an_email_with_a_working_link(client: Client, marketer):
    response = client.post(reverse("password_reset"), {"email": marketer.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [marketer.email]
    assert message.subject == "Reset your Renkei password"
    assert "Your username is marketer." in message.body
    link = re.search(r"http://testserver(/reset/\S+/)", message.body)
    assert link is not None
    page = client.get(link.group(1), follow=True)
    assert "Set a new password" in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    marketer.refresh_from_db()
    assert marketer.check_password("a-new-long-passphrase")


def test_a_password_reset_email_is_written_in_the_recipients_language(client: Client, monkeypatch):
    languages: list[str] = []
    original = PasswordResetForm.send_mail

    def spy(self, *args, **kwargs):
        languages.append(translation.get_language())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PasswordResetForm, "send_mail", spy)
    user = make_user(Role.MARKETING, username="kana", language="ja")
    client.post(reverse("password_reset"), {"email": user.email}, HTTP_ACCEPT_LANGUAGE="en")
    assert languages == ["ja"]
    assert len(mail.outbox) == 1


def test_a_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client: Client,
):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.co.jp"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_password_reset_pages_render(client: Client):
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        assert client.get(reverse(name)).status_code == 200
    bad_link = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad"})
    )
    assert "This link no longer works" in bad_link.content.decode()


def test_changing_the_password_needs_the_old_one(client_for, marketer):
    client = client_for(marketer)
    wrong = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert wrong.status_code == 200
    ok = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert ok["Location"] == reverse("web:profile")
    marketer.refresh_from_db()
    assert marketer.check_password("a-new-long-passphrase")
