"""Email pages and API for marketing: sender identity, sends with per-recipient statuses,
the suppression list, lawful exceptions; role checks everywhere."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from renkei.core.tokens import create_api_token
from renkei.nurture import services
from renkei.nurture.models import EmailSend, Message, SenderIdentity, Suppression
from tests.api.helpers import ApiClient
from tests.factories import make_contact
from tests.nurture_setup import configure_sender, make_template, opted_in, start_send

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _email_settings(settings):
    settings.NURTURE_SEND_RATE = 0
    cache.clear()


def api(user) -> ApiClient:
    _token, secret = create_api_token(user=user, name="tests")
    return ApiClient(secret)


def test_marketing_sees_the_email_entry_in_the_menu(client, marketer, inside_rep):
    client.force_login(marketer)
    assert 'href="/email/"' in client.get("/").content.decode()
    client.force_login(inside_rep)
    assert 'href="/email/"' not in client.get("/").content.decode()
    assert client.get("/email/").status_code == 403


def test_the_sender_identity_page_requires_the_legal_fields(client, marketer):
    client.force_login(marketer)
    response = client.post("/email/sender/", {"sender_name": "株式会社連携テック"})
    assert response.status_code == 200
    assert SenderIdentity.load().missing
    response = client.post(
        "/email/sender/",
        {
            "sender_name": "株式会社連携テック",
            "from_email": "news@renkei-tech.example.jp",
            "postal_address": "東京都千代田区丸の内1-1-1",
            "contact_point": "https://renkei-tech.example.jp/contact",
        },
    )
    assert response.status_code == 302
    assert SenderIdentity.load().missing == []


def test_a_send_made_on_the_page_uses_the_contact_list_filters(
    client, smtp_server, marketer, settings
):
    configure_sender()
    template = make_template(marketer)
    target = opted_in("tanaka@sample.example.jp", "田中")
    other = opted_in("suzuki@sample.example.jp", "鈴木")
    client.force_login(marketer)
    page = client.get("/email/sends/new/?q=田中")
    assert page.status_code == 200
    assert "1 contact matches" in page.content.decode()
    response = client.post(
        "/email/sends/new/?q=田中",
        {"name": "田中さんだけ", "template": template.pk, "when": "now"},
    )
    assert response.status_code == 302
    send = EmailSend.objects.get()
    services.run_delivery()
    assert list(Message.objects.values_list("contact_id", flat=True)) == [target.pk]
    assert other.pk not in Message.objects.values_list("contact_id", flat=True)
    detail = client.get(f"/email/sends/{send.pk}/").content.decode()
    assert "tanaka@sample.example.jp" in detail


def test_the_send_page_shows_each_skipped_recipient_with_the_reason(client, marketer):
    configure_sender()
    make_contact(family_name="不明", email="unknown@sample.example.jp")
    send = start_send(marketer, make_template(marketer))
    services.prepare_send(send.pk)
    client.force_login(marketer)
    body = client.get(f"/email/sends/{send.pk}/?status=skipped").content.decode()
    assert "unknown@sample.example.jp" in body
    assert "No recorded opt-in or lawful exception" in body


def test_a_scheduled_send_can_be_cancelled(client, marketer):
    configure_sender()
    send = start_send(marketer, make_template(marketer), scheduled_at=None)
    client.force_login(marketer)
    assert client.post(f"/email/sends/{send.pk}/cancel/").status_code == 302
    send.refresh_from_db()
    assert send.status == "cancelled"


def test_the_send_form_refuses_a_time_in_the_past(client, marketer):
    configure_sender()
    template = make_template(marketer)
    client.force_login(marketer)
    response = client.post(
        "/email/sends/new/",
        {"name": "x", "template": template.pk, "when": "later", "scheduled_at": "2020-01-01T09:00"},
    )
    assert response.status_code == 200
    assert "Choose a time in the future." in response.content.decode()
    assert not EmailSend.objects.exists()


def test_addresses_are_added_to_and_removed_from_the_suppression_list(client, marketer):
    client.force_login(marketer)
    response = client.post(
        "/email/suppressions/",
        {"email": "Stop@Sample.example.jp", "reason": "manual", "note": "電話で依頼"},
    )
    assert response.status_code == 302
    row = Suppression.objects.get()
    assert row.email == "stop@sample.example.jp"
    assert "stop@sample.example.jp" in client.get("/email/suppressions/").content.decode()
    assert client.post("/email/suppressions/", {"email": "not-an-address"}).status_code == 200
    assert client.post(f"/email/suppressions/{row.pk}/remove/").status_code == 302
    assert not Suppression.objects.exists()


def test_a_lawful_exception_is_recorded_with_its_evidence(client, marketer):
    contact = make_contact(family_name="名刺", email="card@sample.example.jp")
    client.force_login(marketer)
    response = client.post(
        "/email/exceptions/",
        {
            "contact": "card@sample.example.jp",
            "basis": "business_card",
            "evidence": "展示会 2026-03",
        },
    )
    assert response.status_code == 302
    assert contact.email_exceptions.get().evidence == "展示会 2026-03"
    response = client.post(
        "/email/exceptions/",
        {"contact": "nobody@example.jp", "basis": "business_card", "evidence": "x"},
    )
    assert "No contact matches." in response.content.decode()


# --- API --------------------------------------------------------------------------------
def test_the_api_creates_a_template_and_reports_token_errors(marketer):
    client = api(marketer)
    response = client.post(
        "/email/templates", {"name": "x", "subject_ja": "{{ nope }}", "html_ja": "<p>本文</p>"}
    )
    assert response.status_code == 422
    assert "unknown token" in response.json()["error"]["fields"]["subject_ja"][0]
    response = client.post(
        "/email/templates",
        {"name": "x", "subject_ja": "{{ family_name }}様", "html_ja": "<p>本文</p>"},
    )
    assert response.status_code == 201
    assert response.json()["languages"] == ["ja"]


def test_the_api_schedules_a_send_and_lists_its_recipients(marketer, smtp_server):
    configure_sender()
    template = make_template(marketer)
    opted_in("tanaka@sample.example.jp", "田中")
    make_contact(family_name="不明", email="unknown@sample.example.jp")
    client = api(marketer)
    response = client.post("/email/sends", {"name": "API", "template_id": template.pk})
    assert response.status_code == 201
    send_id = response.json()["id"]
    services.run_delivery()
    detail = client.get(f"/email/sends/{send_id}").json()
    assert detail["counts"]["sent"] == 1
    assert detail["counts"]["skipped"] == 1
    skipped = client.get(f"/email/sends/{send_id}/messages", {"status": "skipped"}).json()
    assert skipped["items"][0]["skip_reason"] == "no_consent"


def test_the_api_refuses_a_send_without_sender_identity(marketer):
    template = make_template(marketer)
    response = api(marketer).post("/email/sends", {"name": "API", "template_id": template.pk})
    assert response.status_code == 422


def test_the_api_manages_the_suppression_list(marketer, inside_rep):
    client = api(marketer)
    response = client.post("/email/suppressions", {"email": "x@sample.example.jp"})
    assert response.status_code == 201
    assert client.get("/email/suppressions").json()["count"] == 1
    assert client.post("/email/suppressions", {"email": "bad"}).status_code == 422
    assert client.delete(f"/email/suppressions/{response.json()['id']}").status_code == 204
    assert api(inside_rep).get("/email/suppressions").status_code == 403


def test_the_contacts_list_links_its_filters_to_a_new_send(client, marketer, field_rep):
    client.force_login(marketer)
    body = client.get("/contacts/?q=田中&stage=lead").content.decode()
    assert "/email/sends/new/?q=%E7%94%B0%E4%B8%AD&amp;stage=lead" in body
    client.force_login(field_rep)
    assert "/email/sends/new/" not in client.get("/contacts/").content.decode()


def _send_with_recipients(marketer, count: int) -> EmailSend:
    configure_sender()
    for n in range(count):
        make_contact(family_name=f"受信{n}", email=f"r{n}@sample.example.jp")
    send = start_send(marketer, make_template(marketer))
    services.prepare_send(send.pk)
    return send


def test_the_send_page_and_its_api_list_do_not_query_per_recipient(
    client, marketer, django_assert_max_num_queries
):
    send = _send_with_recipients(marketer, 3)
    client.force_login(marketer)
    with django_assert_max_num_queries(12) as few:
        client.get(f"/email/sends/{send.pk}/")
    for n in range(3, 15):
        make_contact(family_name=f"受信{n}", email=f"r{n}@sample.example.jp")
    more = start_send(marketer, send.template)
    services.prepare_send(more.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/email/sends/{more.pk}/")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/email/")
    client_api = api(marketer)
    with django_assert_max_num_queries(8):
        assert client_api.get(f"/email/sends/{more.pk}/messages").json()["count"] == 15
