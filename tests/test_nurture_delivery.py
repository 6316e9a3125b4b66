"""Delivery of one-off sends through a real SMTP server on loopback: headers,
personalization, footer, consent and suppression gates, retries, no double sending."""

from __future__ import annotations

import datetime as dt
import re
import socket

import pytest
import time_machine
from django.core.cache import cache

from renkei.contacts.choices import ConsentStatus
from renkei.marketing.choices import TouchType
from renkei.marketing.models import ConsentRecord, Touch
from renkei.nurture import services
from renkei.nurture.choices import LawfulBasis, MessageStatus, SendStatus, SkipReason
from renkei.nurture.models import Message, Suppression
from tests.factories import make_contact
from tests.nurture_setup import configure_sender, make_template, opted_in, start_send

SITE_URL = "https://renkei.example.co.jp"

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _email_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.NURTURE_SEND_RATE = 0
    settings.NURTURE_MAX_ATTEMPTS = 3
    cache.clear()


@pytest.fixture
def ready(marketer):
    configure_sender()
    return make_template(marketer)


def _html(message) -> str:
    return message.get_body(("html",)).get_content()


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_a_send_delivers_personalized_mail_with_footer_and_unsubscribe_headers(
    smtp_server, marketer, ready
):
    contact = opted_in("tanaka@sample.example.jp", "田中", company="株式会社サンプル商事")
    send = start_send(marketer, ready)

    assert services.run_delivery() == 1

    [mail] = smtp_server.messages
    assert mail["X-Envelope-To"] == "tanaka@sample.example.jp"
    assert mail["Subject"] == "田中様、春のセミナーのご案内"
    assert "株式会社連携テック" in mail["From"] and "news@renkei-tech.example.jp" in mail["From"]
    html, text = _html(mail), _text(mail)
    assert "株式会社サンプル商事 田中様" in html
    assert "株式会社サンプル商事 田中様" in text
    for required in ("株式会社連携テック", "東京都千代田区丸の内1-1-1", "03-1234-5678"):
        assert required in html and required in text
    unsubscribe = re.search(r"<(https://[^>]+)>", mail["List-Unsubscribe"]).group(1)
    assert unsubscribe.startswith(f"{SITE_URL}/e/u/")
    assert "<mailto:news@renkei-tech.example.jp?subject=unsubscribe>" in mail["List-Unsubscribe"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in html and unsubscribe in text
    # Links go through the click redirect; an open pixel is in the HTML.
    assert "https://www.example.co.jp/seminar" not in html
    assert f"{SITE_URL}/e/c/" in html and f"{SITE_URL}/e/o/" in html
    message = Message.objects.get(send=send, contact=contact)
    assert message.status == MessageStatus.SENT
    assert message.lawful_basis == LawfulBasis.OPT_IN
    assert message.message_id == mail["Message-ID"]
    send.refresh_from_db()
    assert send.status == SendStatus.DONE


def test_the_fallback_is_used_when_the_contact_has_no_value(smtp_server, marketer, ready):
    opted_in("nocompany@sample.example.jp", "鈴木")
    start_send(marketer, ready)
    services.run_delivery()
    assert "貴社 鈴木様" in _html(smtp_server.messages[0])


def test_an_english_reader_gets_the_english_version_and_footer(smtp_server, marketer):
    configure_sender()
    template = make_template(
        marketer, subject_en="Spring seminar for {{ given_name | you }}",
        html_en="<p>Dear {{ full_name | customer }},</p>",
    )  # fmt: skip
    opted_in("smith@sample.example.com", "Smith", given_name="Anna", language="en")
    opted_in("sato@sample.example.jp", "佐藤", language="ja")
    start_send(marketer, template)
    services.run_delivery()
    by_address = {m["X-Envelope-To"]: m for m in smtp_server.messages}
    english = by_address["smith@sample.example.com"]
    assert english["Subject"] == "Spring seminar for Anna"
    assert "Renkei Tech Inc." in english["From"]
    assert "unsubscribe here" in _text(english)
    assert by_address["sato@sample.example.jp"]["Subject"].startswith("佐藤様")


def test_the_unsubscribe_link_works_and_takes_effect_at_once(client, smtp_server, marketer, ready):
    contact = opted_in("tanaka@sample.example.jp")
    start_send(marketer, ready)
    services.run_delivery()
    url = re.search(r"<(https://[^>]+)>", smtp_server.messages[0]["List-Unsubscribe"]).group(1)
    path = url.removeprefix(SITE_URL)

    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", without cookies or CSRF.
    response = client.post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert Suppression.objects.get(email="tanaka@sample.example.jp").reason == "unsubscribed"
    contact.refresh_from_db()
    assert contact.consent_status == ConsentStatus.OPTED_OUT
    assert ConsentRecord.objects.filter(contact=contact).first().given is False
    assert Touch.objects.filter(contact=contact, type=TouchType.EMAIL_UNSUBSCRIBE).exists()
    # The next send skips them.
    second = start_send(marketer, ready)
    services.run_delivery()
    assert len(smtp_server.messages) == 1
    assert Message.objects.get(send=second).skip_reason == SkipReason.SUPPRESSED


def test_opening_the_unsubscribe_link_only_asks_to_confirm(client, marketer, ready, smtp_server):
    opted_in("tanaka@sample.example.jp")
    start_send(marketer, ready)
    services.run_delivery()
    url = re.search(r"<(https://[^>]+)>", smtp_server.messages[0]["List-Unsubscribe"]).group(1)
    response = client.get(url.removeprefix(SITE_URL))
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert not Suppression.objects.exists()


def test_unsubscribe_answers_the_same_for_a_message_that_does_not_exist(client, db):
    from renkei.nurture import links

    gone = links.unsubscribe_url(987654).removeprefix("http://127.0.0.1:8000")
    gone = gone.removeprefix(SITE_URL)
    response = client.post(gone)
    assert response.status_code == 200
    assert b"unsubscribed" in response.content.lower()
    assert client.post("/e/u/forged-token/").status_code == 404


def test_suppressed_non_consented_opted_out_and_addressless_contacts_receive_nothing(
    smtp_server, marketer, ready
):
    ok = opted_in("ok@sample.example.jp", "可")
    suppressed = opted_in("bounced@sample.example.jp", "跳")
    services.suppress("Bounced@Sample.example.jp", reason="bounced")
    declined = opted_in("declined@sample.example.jp", "否", consent=False)
    unknown = make_contact(family_name="不明", email="unknown@sample.example.jp")
    no_email = make_contact(family_name="無", email="")
    start_send(marketer, ready)

    services.run_delivery()

    assert [m["X-Envelope-To"] for m in smtp_server.messages] == ["ok@sample.example.jp"]
    reasons = dict(Message.objects.values_list("contact_id", "skip_reason"))
    assert reasons == {
        ok.pk: "",
        suppressed.pk: SkipReason.SUPPRESSED,
        declined.pk: SkipReason.OPTED_OUT,
        unknown.pk: SkipReason.NO_CONSENT,
        no_email.pk: SkipReason.NO_EMAIL,
    }


def test_a_documented_lawful_exception_allows_sending_but_an_opt_out_still_wins(
    smtp_server, marketer, ready
):
    card = make_contact(family_name="名刺", email="card@sample.example.jp")
    services.record_lawful_exception(
        card, basis=LawfulBasis.BUSINESS_CARD, evidence="展示会 2026-03 名刺交換", actor=marketer
    )
    start_send(marketer, ready)
    services.run_delivery()
    assert [m["X-Envelope-To"] for m in smtp_server.messages] == ["card@sample.example.jp"]
    assert Message.objects.get(contact=card).lawful_basis == LawfulBasis.BUSINESS_CARD

    services.suppress("card@sample.example.jp", reason="unsubscribed")
    start_send(marketer, ready)
    services.run_delivery()
    assert len(smtp_server.messages) == 1


def test_a_contact_unsubscribing_after_the_send_started_is_skipped(smtp_server, marketer, ready):
    opted_in("late@sample.example.jp")
    send = start_send(marketer, ready)
    services.prepare_send(send.pk)
    services.suppress("late@sample.example.jp", reason="unsubscribed")
    services.run_delivery()
    assert smtp_server.messages == []
    assert Message.objects.get(send=send).skip_reason == SkipReason.SUPPRESSED


def test_a_second_worker_run_does_not_resend(smtp_server, marketer, ready):
    opted_in("tanaka@sample.example.jp")
    opted_in("sato@sample.example.jp", "佐藤")
    send = start_send(marketer, ready)
    services.run_delivery()
    services.run_delivery()
    services.prepare_send(send.pk)  # a second prepare creates nothing
    services.run_delivery()
    assert len(smtp_server.messages) == 2
    assert Message.objects.filter(send=send).count() == 2


def test_a_message_left_sending_by_a_crashed_worker_is_never_resent(smtp_server, marketer, ready):
    opted_in("tanaka@sample.example.jp")
    send = start_send(marketer, ready)
    services.prepare_send(send.pk)
    message = Message.objects.get(send=send)
    # A worker claimed it and died before recording the outcome.
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    services.run_delivery()
    message.refresh_from_db()
    assert message.status == MessageStatus.UNKNOWN
    assert "not sent again" in message.error
    assert smtp_server.messages == []


def test_an_unreachable_smtp_server_is_retried_then_the_message_fails_with_the_reason(
    settings, marketer, ready
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "timeout": 2},
        }
    }
    opted_in("tanaka@sample.example.jp")
    start = dt.datetime(2026, 4, 6, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        send = start_send(marketer, ready)
        services.run_delivery()
    message = Message.objects.get(send=send)
    assert message.status == MessageStatus.QUEUED
    assert message.attempts == 1
    assert "Could not reach the mail server" in message.error
    assert message.next_attempt_at == start + dt.timedelta(minutes=1)

    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        services.run_delivery()  # not due yet
    message.refresh_from_db()
    assert message.attempts == 1

    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        services.run_delivery()
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        services.run_delivery()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 3
    assert "Could not reach the mail server" in message.error
    send.refresh_from_db()
    assert send.status == SendStatus.DONE


def test_sending_refuses_without_the_legally_required_sender_identity(marketer):
    from django.core.exceptions import ValidationError

    template = make_template(marketer)
    with pytest.raises(ValidationError, match="postal address"):
        start_send(marketer, template)


def test_a_scheduled_send_waits_for_its_time(smtp_server, marketer, ready):
    opted_in("tanaka@sample.example.jp")
    now = dt.datetime(2026, 4, 6, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        send = start_send(marketer, ready, scheduled_at=now + dt.timedelta(hours=2))
        services.run_delivery()
    assert smtp_server.messages == []
    with time_machine.travel(now + dt.timedelta(hours=2, minutes=1), tick=False):
        services.run_delivery()
    assert len(smtp_server.messages) == 1
    send.refresh_from_db()
    assert send.status == SendStatus.DONE


def test_the_delivery_job_is_registered():
    from renkei.core.scheduler import registered_jobs

    assert "nurture.deliver_email" in [job.name for job in registered_jobs()]


def test_a_message_claimed_by_another_worker_is_left_to_it(smtp_server, marketer, ready):
    opted_in("mine@sample.example.jp", "自分")
    theirs = opted_in("theirs@sample.example.jp", "他")
    send = start_send(marketer, ready)
    services.prepare_send(send.pk)
    Message.objects.filter(contact=theirs).update(
        status=MessageStatus.SENDING, claim="otherworker", claimed_at=dt.datetime.now(dt.UTC)
    )
    services.run_delivery()
    assert [m["X-Envelope-To"] for m in smtp_server.messages] == ["mine@sample.example.jp"]
    assert Message.objects.get(contact=theirs).status == MessageStatus.SENDING


def test_delivery_waits_while_the_sender_identity_is_incomplete(smtp_server, marketer, ready):
    opted_in("tanaka@sample.example.jp")
    send = start_send(marketer, ready)
    services.save_sender_identity(actor=marketer, postal_address="")
    services.run_delivery()
    assert smtp_server.messages == []
    assert Message.objects.get(send=send).status == MessageStatus.QUEUED
    services.save_sender_identity(actor=marketer, postal_address="東京都千代田区丸の内1-1-1")
    services.run_delivery()
    assert len(smtp_server.messages) == 1
