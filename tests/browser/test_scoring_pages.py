"""Scoring rules in a real browser: a marketer drafts a rule from the keyboard, a manager
activates the version, and the contact's page shows its score with the reason."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from renkei.contacts.choices import Industry
from renkei.core.choices import Role
from renkei.scoring.tasks import rescore_all_contacts
from tests.factories import make_account, make_contact, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label(re.compile("Username|ユーザー名")).fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator('form[action="/login/"] button[type=submit]').click()
    expect(page).to_have_url(f"{base_url}/")


def test_a_drafted_rule_scores_contacts_once_a_manager_activates_it(page: Page, live_server):
    make_user(Role.MARKETING, username="mk_rules", language="en")
    make_user(Role.MANAGER, username="mgr_rules", language="en")
    contact = make_contact(account=make_account(industry=Industry.IT), title="情報システム部長")

    sign_in(page, live_server.url, "mk_rules")
    page.goto(f"{live_server.url}/scoring/rules/")
    page.get_by_role("button", name="New draft").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("v1")
    page.get_by_label("When").select_option("title")
    page.get_by_label("Keywords or domains").fill("部長")
    page.get_by_label("Points", exact=True).fill("25")
    page.get_by_label("Points", exact=True).press("Enter")
    expect(page.get_by_role("cell", name="Title contains 部長", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Activate this version")).to_have_count(0)
    draft_url = page.url

    page.context.clear_cookies()
    sign_in(page, live_server.url, "mgr_rules")
    page.goto(draft_url)
    page.get_by_role("button", name="Activate this version").click()
    expect(page.get_by_text("Version 1 is active.")).to_be_visible()
    rescore_all_contacts.call()  # what the worker does after the activation

    page.goto(f"{live_server.url}/contacts/{contact.pk}/")
    panel = page.locator("#score-panel")
    expect(panel.locator("[data-score-total]")).to_have_text("25")
    expect(panel).to_contain_text("Title contains 部長")
