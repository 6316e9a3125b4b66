"""Opens, clicks and provider webhooks: touches on the contact, visitor identification, no
open redirect, bounces and complaints into the suppression list, malformed webhooks kept."""

from __future__ import annotations

import base64
import json
import re

import pytest
from django.core.cache import cache

from renkei.marketing.choices import TouchType
from renkei.marketing.models import Touch, Visitor
from renkei.nurture import links, services
from renkei.nurture.models import Message, Suppression, WebhookFailure
from tests.nurture_setup import configure_sender, make_template, opted_in, start_send

SITE_URL = "https://renkei.example.co.jp"
SECRET = "renkei:webhook-secret"

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _email_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.NURTURE_SEND_RATE = 0
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    cache.clear()


@pytest.fixture
def delivered(smtp_server, marketer):
    configure_sender()
    contact = opted_in("tanaka@sample.example.jp", "田中")
    start_send(marketer, make_template(marketer))
    services.run_delivery()
    [mail] = smtp_server.messages
    html = mail.get_body(("html",)).get_content()
    return contact, html, Message.objects.get(contact=contact)


def _path(url: str) -> str:
    return url.removeprefix(SITE_URL)


def test_the_open_pixel_records_an_open_touch(client, delivered):
    contact, html, message = delivered
    pixel = re.search(r'<img src="([^"]+/e/o/[^"]+)"', html).group(1)
    response = client.get(_path(pixel))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    message.refresh_from_db()
    assert message.opened_at is not None
    assert Touch.objects.filter(contact=contact, type=TouchType.EMAIL_OPEN).count() == 1


def test_a_click_redirects_to_the_link_records_a_touch_and_identifies_the_visitor(
    client, delivered
):
    contact, html, message = delivered
    link = re.search(r'<a href="([^"]+/e/c/[^"]+)"', html).group(1)
    response = client.get(_path(link), headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0)"})
    assert response.status_code == 302
    assert response["Location"] == "https://www.example.co.jp/seminar?utm_source=mail"
    touch = Touch.objects.get(contact=contact, type=TouchType.EMAIL_CLICK)
    assert touch.url == "https://www.example.co.jp/seminar?utm_source=mail"
    uid = response.cookies["rk_vid"].value
    assert touch.visitor_uid == uid
    assert Visitor.objects.get(uid=uid).contact == contact
    message.refresh_from_db()
    assert message.clicked_at is not None


def test_an_existing_visitor_cookie_is_attached_with_its_earlier_page_views(client, delivered):
    contact, html, _message = delivered
    uid = "a" * 32
    Touch.objects.create(type=TouchType.PAGE_VIEW, visitor_uid=uid, at=contact.created_at)
    client.cookies["rk_vid"] = uid
    link = re.search(r'<a href="([^"]+/e/c/[^"]+)"', html).group(1)
    client.get(_path(link), headers={"User-Agent": "Mozilla/5.0"})
    assert Touch.objects.filter(visitor_uid=uid, contact=contact).count() == 2


def test_the_click_endpoint_is_no_open_redirect(client, delivered):
    _contact, _html, message = delivered
    token = links.click_url(message.pk, "https://www.example.co.jp/").rsplit("/e/c/", 1)[1]
    signature = token.rstrip("/").rsplit(":", 1)[1]
    evil = {"m": message.pk, "u": "https://evil.example.com/"}
    payload = base64.urlsafe_b64encode(json.dumps(evil).encode()).decode().rstrip("=")
    response = client.get(f"/e/c/{payload}:{signature}/")
    assert response.status_code == 404
    assert "evil" not in response.get("Location", "")
    assert not Touch.objects.filter(type=TouchType.EMAIL_CLICK).exists()


def _postmark(client, body, *, auth=SECRET):
    headers = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()} if auth else {}
    return client.post(
        "/e/hooks/postmark/", data=body, content_type="application/json", headers=headers
    )


def test_a_bounce_webhook_suppresses_the_address_and_records_a_touch(client, delivered):
    contact, _html, _message = delivered
    body = json.dumps({
        "RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1, "MessageID": "pm-1",
        "Email": "tanaka@sample.example.jp", "BouncedAt": "2026-04-06T10:00:00Z",
        "Description": "The server was unable to deliver your message",
        "Details": "smtp;550 5.1.1 user unknown", "Metadata": {},
    })  # fmt: skip
    response = _postmark(client, body)
    assert response.status_code == 200
    assert Suppression.objects.get(email="tanaka@sample.example.jp").reason == "bounced"
    assert Touch.objects.filter(contact=contact, type=TouchType.EMAIL_BOUNCE).exists()


def test_a_complaint_webhook_suppresses_and_opts_out(client, delivered):
    contact, _html, _message = delivered
    body = json.dumps({
        "RecordType": "SpamComplaint", "MessageID": "pm-2", "Email": "tanaka@sample.example.jp",
        "BouncedAt": "2026-04-06T10:00:00Z", "Type": "SpamComplaint", "TypeCode": 512,
        "Metadata": {},
    })  # fmt: skip
    assert _postmark(client, body).status_code == 200
    assert Suppression.objects.get(email="tanaka@sample.example.jp").reason == "complained"
    contact.refresh_from_db()
    assert contact.consent_status == "opted_out"


def test_a_malformed_webhook_is_answered_400_and_kept(client, db):
    response = _postmark(client, "{not json")
    assert response.status_code == 400
    failure = WebhookFailure.objects.get()
    assert failure.provider == "postmark"
    assert failure.body == "{not json"
    assert not Suppression.objects.exists()


def test_a_webhook_without_the_secret_is_refused(client, db, settings):
    assert _postmark(client, "{}", auth="someone:else").status_code == 400
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}
    assert _postmark(client, "{}").status_code == 403
    assert client.post("/e/hooks/nosuchprovider/").status_code == 404


def test_only_the_first_open_is_a_touch_and_it_shows_on_the_timeline(client, delivered, marketer):
    contact, html, _message = delivered
    pixel = re.search(r'<img src="([^"]+/e/o/[^"]+)"', html).group(1)
    client.get(_path(pixel))
    client.get(_path(pixel))
    assert Touch.objects.filter(contact=contact, type=TouchType.EMAIL_OPEN).count() == 1
    client.force_login(marketer)
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Opened the email 春のセミナー" in page
