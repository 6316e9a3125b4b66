"""Sends and sequences to a marketing segment's contacts."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from renkei.core.tokens import create_api_token
from renkei.marketing import segments
from renkei.nurture import services
from renkei.nurture.models import EmailSend, Message, Sequence
from tests.api.helpers import ApiClient
from tests.nurture_setup import configure_sender, make_template, opted_in


@pytest.fixture(autouse=True)
def _email_settings(settings):
    settings.NURTURE_SEND_RATE = 0
    settings.LANGUAGE_CODE = "en"
    cache.clear()


@pytest.fixture
def people(marketer):
    configure_sender()
    target = opted_in("tanaka@maker.example.jp", "田中", company="株式会社メイカー")
    other = opted_in("suzuki@bank.example.jp", "鈴木", company="銀行株式会社")
    segment = segments.create_segment(
        actor=marketer, name="メイカーの人", filters={"q": "メイカー"}
    )
    return target, other, segment


def test_a_send_from_the_segment_page_reaches_only_its_contacts(
    client, smtp_server, marketer, people
):
    target, _other, segment = people
    template = make_template(marketer)
    client.force_login(marketer)
    detail = client.get(f"/marketing/segments/{segment.pk}/").content.decode()
    assert f"/email/sends/new/?segment={segment.pk}" in detail
    page = client.get(f"/email/sends/new/?segment={segment.pk}").content.decode()
    assert "Segment: メイカーの人" in page and "1 contact matches" in page
    response = client.post(
        f"/email/sends/new/?segment={segment.pk}",
        {"name": "メイカー向け", "template": template.pk, "when": "now"},
    )
    assert response.status_code == 302
    send = EmailSend.objects.get()
    assert send.audience == {"kind": "segment", "segment": segment.pk}
    services.run_delivery()
    assert list(Message.objects.values_list("contact_id", flat=True)) == [target.pk]
    assert len(smtp_server.messages) == 1


def test_a_sequence_enrolls_a_segment(client, marketer, people):
    _target, _other, segment = people
    client.force_login(marketer)
    page = client.get(f"/email/sequences/new/?segment={segment.pk}").content.decode()
    assert "Segment: メイカーの人" in page


def test_the_api_sends_to_a_segment_and_refuses_an_unknown_one(marketer, smtp_server, people):
    target, _other, segment = people
    template = make_template(marketer)
    _token, secret = create_api_token(user=marketer, name="tests")
    client = ApiClient(secret)
    response = client.post(
        "/email/sends", {"name": "API", "template_id": template.pk, "segment_id": segment.pk}
    )
    assert response.status_code == 201
    services.run_delivery()
    assert list(Message.objects.values_list("contact_id", flat=True)) == [target.pk]
    missing = client.post(
        "/email/sends", {"name": "API", "template_id": template.pk, "segment_id": 999999}
    )
    assert missing.status_code == 422
    assert "segment_id" in missing.json()["error"]["fields"]
    assert not Sequence.objects.exists()
