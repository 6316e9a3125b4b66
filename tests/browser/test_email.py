"""Email in a real browser: preview a template as a chosen contact (htmx swap) and send
that preview as a test to oneself."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from renkei.core.choices import Role
from tests.browser.test_critical_flows import sign_in
from tests.factories import make_contact, make_user
from tests.nurture_setup import configure_sender, make_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_marketer_previews_a_template_as_a_contact_and_sends_a_test(
    page: Page, live_server, smtp_server
):
    marketer = make_user(Role.MARKETING, username="mk_mail", language="en")
    configure_sender(marketer)
    make_template(marketer)
    make_contact(family_name="高橋", email="takahashi@sample.example.jp")
    sign_in(page, live_server.url, marketer.username)

    page.locator("nav.rk-nav summary", has_text="Marketing").click()  # the Marketing menu

    page.get_by_role("link", name="Email", exact=True).click()
    page.get_by_role("link", name="Templates", exact=True).click()
    page.get_by_role("link", name="春のセミナー案内").click()
    preview = page.locator("#preview")
    expect(preview.get_by_role("heading").first).to_have_text("ご担当者様、春のセミナーのご案内")

    page.get_by_label("Preview with contact").fill("takahashi@sample.example.jp")
    page.get_by_role("button", name="Show preview").click()
    expect(preview.get_by_role("heading").first).to_have_text("高橋様、春のセミナーのご案内")

    page.get_by_role("button", name="Send a test").click()
    expect(page.get_by_text(f"A test email was sent to {marketer.email}.")).to_be_visible()
    [mail] = smtp_server.messages
    assert mail["Subject"] == "[TEST] 高橋様、春のセミナーのご案内"
    assert mail["X-Envelope-To"] == marketer.email
