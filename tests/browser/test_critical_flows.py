"""The flows people use every day, in a real browser: sign in, find a contact, move it
through the funnel with a reason, see it on the timeline; switch the language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from renkei.contacts.choices import LifecycleStage
from renkei.core.choices import Role
from renkei.funnel.models import StageChange
from tests.factories import make_account, make_contact, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label(re.compile("Username|ユーザー名")).fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator('form[action="/login/"] button[type=submit]').click()
    expect(page).to_have_url(f"{base_url}/")


def test_an_inside_sales_rep_finds_a_contact_and_recycles_it_with_a_reason(page: Page, live_server):
    rep = make_user(Role.INSIDE_SALES, username="is_rep", language="en")
    account = make_account(name="株式会社ブラウザ商事")
    make_contact(family_name="佐藤", family_name_kana="サトウ", account=account)
    target = make_contact(
        family_name="山田",
        given_name="花子",
        family_name_kana="ヤマダ",
        given_name_kana="ハナコ",
        account=account,
        stage=LifecycleStage.MQL,
    )
    sign_in(page, live_server.url, rep.username)

    page.get_by_role("link", name="Contacts", exact=True).click()
    page.get_by_role("searchbox", name="Search").fill("やまだ")
    results = page.locator("#contact-results")
    expect(results.get_by_role("heading")).to_have_text(re.compile(r"^\s*1 contact\s*$"))
    expect(page).to_have_url(re.compile(r"q=%E3%82%84%E3%81%BE%E3%81%A0"))
    results.get_by_role("link", name="山田 花子").click()

    panel = page.locator("#funnel-panel")
    panel.get_by_text("Back to Lead").click()
    panel.get_by_role("button", name="Move").click()
    expect(panel.locator(".invalid-feedback")).to_have_text("Moving a contact back needs a reason.")
    target.refresh_from_db()
    assert target.lifecycle_stage == LifecycleStage.MQL

    panel = page.locator("#funnel-panel")
    panel.get_by_label("Reason").first.fill("予算確保が来期のため")
    panel.get_by_role("button", name="Move").click()
    timeline = page.locator("#timeline")
    expect(timeline.get_by_text("MQL → Lead")).to_be_visible()
    expect(timeline.get_by_text("予算確保が来期のため").first).to_be_visible()
    expect(page.locator("#contact-badges")).to_contain_text("Lead")
    change = StageChange.objects.filter(contact=target).first()
    assert (change.to_stage, change.actor, change.reason) == ("lead", rep, "予算確保が来期のため")


def test_switching_the_language_keeps_the_page_and_remembers_the_choice(page: Page, live_server):
    user = make_user(Role.MARKETING, username="mk_rep", language="en")
    sign_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/contacts/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator("summary[aria-label=Language]").click()
    page.get_by_role("button", name="日本語").click()
    expect(page).to_have_url(f"{live_server.url}/contacts/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    user.refresh_from_db()
    assert user.language == "ja"
