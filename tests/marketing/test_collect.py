"""The tracking batch endpoint /t/collect."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from renkei.marketing.choices import TouchType
from renkei.marketing.models import Touch, TrackingSettings, Visitor
from renkei.marketing.tracking import MAX_EVENTS, identify_visitor
from tests.factories import make_contact

SITE = "https://www.example.co.jp"
UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
VISITOR = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"


@pytest.fixture(autouse=True)
def allowed_site(db):
    cache.clear()
    settings_row = TrackingSettings.load()
    settings_row.allowed_origins = f"{SITE}\nhttps://lp.example.com/"
    settings_row.save()


def page_view(n: int = 0, **extra: object) -> dict[str, object]:
    return {
        "type": "page_view",
        "url": f"{SITE}/products/{n}?utm_source=google",
        "title": f"製品 {n}",
        "referrer": "https://www.google.com/",
        "utm_source": "google",
        "utm_campaign": "spring-2026",
        **extra,
    }


def post(client, payload: object, *, origin: str = SITE, ua: str = UA, **headers: str):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post(
        "/t/collect",
        data=body,
        content_type="text/plain",
        headers={"Origin": origin, "User-Agent": ua, **headers},
    )


def test_a_batch_is_written_as_touches(client):
    response = post(client, {"visitor": VISITOR, "events": [page_view(1), page_view(2)]})
    assert response.status_code == 202
    assert response.json() == {"ok": True, "accepted": 2}
    assert response["Access-Control-Allow-Origin"] == SITE
    touches = list(Touch.objects.order_by("at"))
    assert [t.title for t in touches] == ["製品 1", "製品 2"]
    assert touches[0].type == TouchType.PAGE_VIEW
    assert touches[0].utm_campaign == "spring-2026"
    assert touches[0].visitor_uid == VISITOR
    assert Visitor.objects.get(uid=VISITOR).contact is None


def test_custom_events_keep_their_name_and_properties(client):
    event = {"type": "custom", "name": "pricing_tab", "props": {"plan": "business", "seats": 30}}
    post(client, {"visitor": VISITOR, "events": [event]})
    touch = Touch.objects.get()
    assert touch.type == TouchType.CUSTOM
    assert touch.name == "pricing_tab"
    assert touch.metadata["plan"] == "business"
    assert touch.metadata["seats"] == 30


def test_an_allowed_origin_may_end_with_a_slash_in_the_settings(client):
    response = post(
        client, {"visitor": VISITOR, "events": [page_view()]}, origin="https://lp.example.com"
    )
    assert response.status_code == 202


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (b"{not json", 400, "malformed"),
        (b"\xff\xfe", 400, "malformed"),
        ({"visitor": "short", "events": [page_view()]}, 400, "invalid"),
        ({"visitor": VISITOR, "events": []}, 400, "invalid"),
        ({"visitor": VISITOR, "events": [{"type": "purchase"}]}, 400, "invalid"),
        ({"visitor": VISITOR, "events": [page_view(url="javascript:alert(1)")]}, 400, "invalid"),
        ({"visitor": VISITOR, "events": [page_view(title="x" * 501)]}, 400, "invalid"),
        ([1, 2, 3], 400, "invalid"),
        (
            {"visitor": VISITOR, "events": [page_view(i) for i in range(MAX_EVENTS + 1)]},
            413,
            "too_many_events",
        ),
    ],
)
def test_bad_batches_are_refused_with_a_json_error_and_nothing_is_written(
    client, payload, status, code
):
    response = post(client, payload)
    assert response.status_code == status
    assert response.json()["error"] == code
    assert not Touch.objects.exists()


def test_an_oversized_payload_is_refused(client):
    big = {"visitor": VISITOR, "events": [page_view(title="x" * 400) for _ in range(200)]}
    response = post(client, big)
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert not Touch.objects.exists()


@pytest.mark.parametrize(
    "origin", ["https://evil.example.net", "https://www.example.co.jp.evil.net", ""]
)
def test_a_forged_or_missing_origin_is_refused(client, origin):
    response = post(client, {"visitor": VISITOR, "events": [page_view()]}, origin=origin)
    assert response.status_code == 403
    assert response.json()["error"] == "origin"
    assert "Access-Control-Allow-Origin" not in response
    assert not Touch.objects.exists()


@pytest.mark.parametrize(
    "ua",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0 Safari/537.36",
    ],
)
def test_robots_are_answered_but_not_recorded(client, ua):
    response = post(client, {"visitor": VISITOR, "events": [page_view()]}, ua=ua)
    assert response.status_code == 202
    assert response.json()["accepted"] == 0
    assert not Touch.objects.exists()


def test_do_not_track_is_honoured_when_the_organisation_enables_it(client):
    post(client, {"visitor": VISITOR, "events": [page_view()]}, DNT="1")
    assert not Touch.objects.exists()
    config = TrackingSettings.load()
    config.honour_do_not_track = False
    config.save()
    post(client, {"visitor": VISITOR, "events": [page_view()]}, DNT="1")
    assert Touch.objects.count() == 1


def test_each_ip_is_rate_limited(client, monkeypatch):
    monkeypatch.setattr("renkei.marketing.views.tracking.COLLECT_LIMIT_PER_MINUTE", 3)
    codes = [
        post(client, {"visitor": VISITOR, "events": [page_view()]}).status_code for _ in range(5)
    ]
    assert codes == [202, 202, 202, 429, 429]
    assert Touch.objects.count() == 3


def test_a_preflight_request_gets_cors_headers_for_allowed_origins_only(client):
    ok = client.options("/t/collect", headers={"Origin": SITE})
    assert ok.status_code == 204
    assert ok["Access-Control-Allow-Origin"] == SITE
    refused = client.options("/t/collect", headers={"Origin": "https://evil.example.net"})
    assert "Access-Control-Allow-Origin" not in refused


def test_get_is_not_allowed(client):
    assert client.get("/t/collect").status_code == 405


def test_identifying_attaches_the_anonymous_history_to_the_contact(client):
    post(client, {"visitor": VISITOR, "events": [page_view(1), page_view(2)]})
    contact = make_contact(email="hanako@example.co.jp")
    assert identify_visitor(VISITOR, contact) == 2
    assert set(Touch.objects.values_list("contact", flat=True)) == {contact.pk}
    post(client, {"visitor": VISITOR, "events": [page_view(3)]})
    assert Touch.objects.filter(contact=contact).count() == 3


def test_a_visitor_linked_to_one_contact_is_not_moved_to_another(client):
    post(client, {"visitor": VISITOR, "events": [page_view(1)]})
    first = make_contact(email="first@example.co.jp")
    second = make_contact(email="second@example.co.jp")
    identify_visitor(VISITOR, first)
    assert identify_visitor(VISITOR, second) == 0
    assert Visitor.objects.get(uid=VISITOR).contact == first


def test_touches_appear_on_the_contact_timeline(client, marketer):
    post(client, {"visitor": VISITOR, "events": [page_view(7)]})
    contact = make_contact(email="hanako@example.co.jp")
    identify_visitor(VISITOR, contact)
    client.force_login(marketer)
    page = client.get(f"/contacts/{contact.pk}/")
    assert page.status_code == 200
    assert "製品 7" in page.content.decode()


def test_the_script_carries_the_organisation_settings(client):
    config = TrackingSettings.load()
    config.consent_required = True
    config.save()
    response = client.get("/t/renkei.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert '"consentRequired": true' in body
    assert "renkei.track" in body or "track:" in body
