"""A privacy request in a real browser: an admin records an erasure request, finds the
person by email with the keyboard-usable search, links them, and erases them."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

from renkei.contacts.models import Contact
from renkei.core.choices import Role
from renkei.privacy.models import DataSubjectRequest, Tombstone
from tests.browser.test_critical_flows import sign_in
from tests.factories import make_account, make_contact, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("RENKEI_SCREENSHOTS", "")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_an_admin_erases_a_person_found_by_email(page: Page, live_server):
    admin = make_user(Role.ADMIN, username="privacy_admin", language="en")
    account = make_account(name="株式会社サンプル商事")
    person = make_contact(family_name="田中", given_name="一郎", account=account,
                          email="ichiro.tanaka@sample.co.jp")  # fmt: skip
    make_contact(family_name="鈴木", given_name="花子", account=account)
    sign_in(page, live_server.url, admin.username)

    page.locator("nav.rk-nav summary", has_text="Data").click()  # the Data menu

    page.get_by_role("link", name="Privacy requests").click()
    page.get_by_role("link", name="New request").first.click()
    page.get_by_label("Request", exact=True).select_option("erasure")
    page.get_by_label("Requester name").fill("田中 一郎")
    page.get_by_label("Requester email").fill("Ichiro.Tanaka@Sample.co.jp")
    page.get_by_label("Identity verification").select_option("verified")
    page.get_by_label("How identity was verified").fill("登録メールアドレスから返信")
    shot(page, "privacy-new")
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("田中 一郎")

    candidates = page.locator("#candidates")
    candidates.get_by_label("田中 一郎").check()
    candidates.get_by_role("button", name="Link the selected contacts").click()
    expect(page.get_by_text("The contacts were linked to the request.")).to_be_visible()

    page.locator("#id_search_email").fill("")
    page.locator("#id_search_name").fill("鈴木 花子")
    page.get_by_role("button", name="Find contacts").click()
    expect(page.locator("#candidates")).to_contain_text(re.compile("鈴木 花子"))
    shot(page, "privacy-detail")

    # Ids are not reset between tests on PostgreSQL: type this request's own number.
    number = str(DataSubjectRequest.objects.get().pk)
    page.get_by_label(re.compile("Type the request number")).fill(number)
    page.get_by_role("button", name="Erase the linked contacts").click()
    expect(page.get_by_text("1 contacts were erased everywhere Renkei holds them.")).to_be_visible()
    shot(page, "privacy-erased")
    person.refresh_from_db()
    assert person.email == ""
    assert Tombstone.objects.count() == 1
    assert Contact.objects.filter(family_name="鈴木").get().email


def test_an_admin_publishes_the_privacy_notice_and_the_form_links_to_it(page: Page, live_server):
    from tests.marketing.conftest import make_form

    admin = make_user(Role.ADMIN, username="notice_admin", language="en")
    make_form()
    sign_in(page, live_server.url, admin.username)
    page.goto(f"{live_server.url}/privacy/notice/")
    expect(page.get_by_label("Text (Japanese)")).to_have_value(re.compile("閲覧履歴"))
    page.get_by_role("button", name="Publish").click()
    expect(
        page.get_by_text("Version 1 of the privacy notice is now shown on forms.")
    ).to_be_visible()
    shot(page, "privacy-notices")
    page.goto(f"{live_server.url}/f/shiryo/?lang=ja")
    with page.expect_popup() as popup:
        page.get_by_role("link", name=re.compile("個人情報の取り扱いについて")).click()
    expect(popup.value.get_by_role("heading", level=1)).to_have_text("個人情報の取り扱いについて")
    shot(page, "privacy-form")
    shot(popup.value, "privacy-public")
