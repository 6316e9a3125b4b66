"""Marketing pages in a real browser: a segment's count follows the filters while they are
chosen, and a UTM link is built and copied."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from renkei.contacts.choices import Industry, LifecycleStage
from renkei.core.choices import Role
from renkei.marketing import campaigns
from renkei.marketing.models import Segment
from tests.factories import make_account, make_contact, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label(re.compile("Username|ユーザー名")).fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator('form[action="/login/"] button[type=submit]').click()
    expect(page).to_have_url(f"{base_url}/")


def test_a_marketer_builds_a_segment_watching_its_count(page: Page, live_server):
    marketer = make_user(Role.MARKETING, username="mk_browser", language="en")
    maker = make_account(industry=Industry.MANUFACTURING)
    make_contact(account=maker, stage=LifecycleStage.MQL)
    make_contact(account=maker)
    make_contact(stage=LifecycleStage.MQL)
    sign_in(page, live_server.url, marketer.username)

    page.locator("nav.rk-nav summary", has_text="Marketing").click()  # the Marketing menu
    page.get_by_role("link", name="Segments", exact=True).click()
    page.get_by_role("link", name="New segment").first.click()
    count = page.locator("#segment-count")
    expect(count).to_contain_text("Choose filters")
    page.get_by_label("Industry").select_option("manufacturing")
    expect(count).to_contain_text(re.compile(r"2\s+contacts match now"))
    page.get_by_label("Lifecycle stage").select_option("mql")
    expect(count).to_contain_text(re.compile(r"1\s+contact matches now"))
    page.get_by_label("Name", exact=True).fill("製造業のMQL")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="製造業のMQL")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("1 contact now"))).to_be_visible()
    assert Segment.objects.get().filters == {"stages": ["mql"], "industries": ["manufacturing"]}


def test_a_marketer_builds_a_utm_link_for_a_campaign(page: Page, live_server):
    marketer = make_user(Role.MARKETING, username="mk_utm", language="en")
    campaign = campaigns.create_campaign(
        actor=marketer, name="秋のウェビナー", type="webinar", utm_campaign="autumn-webinar"
    )
    sign_in(page, live_server.url, marketer.username)
    page.goto(f"{live_server.url}/marketing/campaigns/{campaign.pk}/")
    page.get_by_role("link", name="Build a link").click()
    expect(page.get_by_label("Campaign (utm_campaign)")).to_have_value("autumn-webinar")
    page.get_by_label("Landing page URL").fill("https://www.example.co.jp/lp/")
    page.get_by_label("Source (utm_source)").fill("newsletter")
    page.get_by_label("Medium (utm_medium)").fill("email")
    page.get_by_role("button", name="Build the link").click()
    expect(page.locator("#utm-link")).to_have_value(
        "https://www.example.co.jp/lp/?utm_source=newsletter&utm_medium=email"
        "&utm_campaign=autumn-webinar"
    )
