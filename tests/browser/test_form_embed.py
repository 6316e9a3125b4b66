"""A visitor reads pages of a customer's website (served from another origin), submits the
Renkei form embedded there by script, and marketing sees the new contact with the earlier
page views on the timeline."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from renkei.contacts.models import Contact
from renkei.core.choices import Role
from renkei.marketing.choices import TouchType
from renkei.marketing.models import ConsentRecord, Touch, TrackingSettings
from tests.browser.test_critical_flows import sign_in
from tests.factories import make_user
from tests.marketing.conftest import make_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A desktop browser's user agent: HeadlessChrome is (rightly) filtered as a robot."""
    return {**browser_context_args, "user_agent": DESKTOP_CHROME}


@pytest.fixture
def customer_site(tmp_path: Path, live_server) -> Iterator[str]:
    """Plain HTML pages of a customer's website on its own origin (127.0.0.1, another
    port), embedding Renkei's tracking script and form from the live server (localhost)."""
    renkei = live_server.url.replace("127.0.0.1", "localhost")
    head = f'<script src="{renkei}/t/renkei.js"></script>'
    (tmp_path / "pricing.html").write_text(
        f"<!doctype html><html lang='ja'><head><meta charset='utf-8'><title>料金プラン</title>"
        f"{head}</head><body><h1>料金プラン</h1><a href='contact.html'>お問い合わせ</a>"
        "</body></html>",
        encoding="utf-8",
    )
    (tmp_path / "contact.html").write_text(
        f"<!doctype html><html lang='ja'><head><meta charset='utf-8'><title>お問い合わせ</title>"
        f"{head}</head><body><h1>お問い合わせ</h1><div data-renkei-form='shiryo'></div>"
        f"<script src='{renkei}/f/shiryo/embed.js'></script></body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_a_visitor_views_pages_then_submits_the_embedded_form(
    page: Page, live_server, customer_site: str, settings
):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    config = TrackingSettings.load()
    config.allowed_origins = customer_site
    config.save()
    make_form(allowed_origins=customer_site)
    marketer = make_user(Role.MARKETING, username="mk_browser", language="ja")

    page.goto(f"{customer_site}/pricing.html?utm_source=newsletter&utm_campaign=june")
    expect(page.get_by_role("heading", name="料金プラン")).to_be_visible()
    wait_for(lambda: Touch.objects.filter(title="料金プラン").exists())
    page.get_by_role("link", name="お問い合わせ").click()
    form = page.locator("form.rk-form")
    expect(form).to_be_visible()
    wait_for(lambda: Touch.objects.filter(type=TouchType.PAGE_VIEW).count() >= 2)
    assert not Touch.objects.filter(contact__isnull=False).exists()
    visitor = page.context.cookies(customer_site)
    assert any(c["name"] == "rk_vid" for c in visitor)

    form.get_by_label("会社名").fill("株式会社ブラウザ商事")
    form.get_by_label("姓").fill("埋込")
    form.get_by_label("名", exact=True).fill("花子")
    form.get_by_label("メールアドレス").fill("hanako@browser.example.jp")
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name=re.compile("送信|Submit")).click()
    expect(
        page.get_by_role("status").filter(has_text="資料請求ありがとうございました")
    ).to_be_visible()

    contact = Contact.objects.get(email="hanako@browser.example.jp")
    assert ConsentRecord.objects.get(contact=contact).given is True
    titles = list(
        contact.touches.filter(type=TouchType.PAGE_VIEW)
        .order_by("at")
        .values_list("title", flat=True)
    )
    assert titles[:2] == ["料金プラン", "お問い合わせ"]

    sign_in(page, live_server.url, marketer.username)
    page.goto(f"{live_server.url}/contacts/{contact.pk}/")
    timeline = page.locator("#timeline")
    expect(timeline.get_by_text(re.compile("料金プラン"))).to_be_visible()
    expect(timeline.get_by_text(re.compile("資料請求フォーム"))).to_be_visible()


def test_in_consent_mode_nothing_is_stored_or_sent_before_consent(
    page: Page, live_server, customer_site: str, settings
):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    config = TrackingSettings.load()
    config.allowed_origins = customer_site
    config.consent_required = True
    config.save()

    page.goto(f"{customer_site}/pricing.html")
    expect(page.get_by_role("heading", name="料金プラン")).to_be_visible()
    page.wait_for_function("window.renkei && typeof window.renkei.consent === 'function'")
    page.wait_for_timeout(1500)  # longer than the batching delay
    assert not any(c["name"] == "rk_vid" for c in page.context.cookies(customer_site))
    assert not Touch.objects.exists()

    page.evaluate("window.renkei.consent(true)")
    wait_for(lambda: Touch.objects.filter(title="料金プラン").exists())
    cookies = {c["name"]: c["value"] for c in page.context.cookies(customer_site)}
    assert cookies["rk_consent"] == "1"
    assert Touch.objects.get().visitor_uid == cookies["rk_vid"]

    page.evaluate("window.renkei.consent(false)")
    assert "rk_vid" not in {c["name"] for c in page.context.cookies(customer_site)}


def test_do_not_track_browsers_are_left_alone(
    page: Page, live_server, customer_site: str, settings
):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    config = TrackingSettings.load()
    config.allowed_origins = customer_site
    config.save()
    page.add_init_script("Object.defineProperty(navigator, 'doNotTrack', {get: () => '1'})")
    page.goto(f"{customer_site}/pricing.html")
    page.wait_for_function("window.renkei && typeof window.renkei.track === 'function'")
    page.evaluate("window.renkei.track('download', {file: 'catalog.pdf'}); window.renkei.flush()")
    page.wait_for_timeout(1500)
    assert not any(c["name"] == "rk_vid" for c in page.context.cookies(customer_site))
    assert not Touch.objects.exists()


def test_the_framed_form_is_submitted_with_a_plain_post(
    page: Page, live_server, customer_site: str, settings, tmp_path: Path
):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    make_form(allowed_origins=customer_site)
    renkei = live_server.url.replace("127.0.0.1", "localhost")
    (tmp_path / "framed.html").write_text(
        "<!doctype html><html lang='ja'><head><meta charset='utf-8'><title>資料</title></head>"
        f"<body><iframe src='{renkei}/f/shiryo/?embed=1&lang=ja&utm_source=site' title='資料請求' "
        "style='width:100%;height:900px'></iframe></body></html>",
        encoding="utf-8",
    )
    page.goto(f"{customer_site}/framed.html")
    frame = page.frame_locator("iframe[title='資料請求']")
    frame.get_by_label("会社名").fill("株式会社フレーム")
    frame.get_by_label("姓").fill("枠内")
    frame.get_by_label("メールアドレス").fill("waku@frame.example.jp")
    frame.get_by_role("button", name=re.compile("送信|Submit")).click()
    expect(frame.get_by_text("資料請求ありがとうございました。")).to_be_visible()
    contact = Contact.objects.get(email="waku@frame.example.jp")
    assert contact.touches.get(type=TouchType.FORM_SUBMIT).utm_source == "site"
