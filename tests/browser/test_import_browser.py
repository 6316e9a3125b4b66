"""The web import in a real browser: a marketer uploads a Shift_JIS (CP932) exhibition list,
checks the column mapping, saves it, imports, reads the outcomes and downloads the report."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from renkei.contacts.models import Contact
from renkei.core.choices import Role
from renkei.imports.choices import ImportStatus
from renkei.imports.models import ContactAttributes, ImportJob, SavedMapping
from tests.browser.test_critical_flows import sign_in
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["来場者ID", "会社名", "部署", "氏名", "フリガナ", "メール", "温度感", "備考"]
ROWS = [
    ["V001", "株式会社サンプル商事", "営業部", "山田 太郎", "ヤマダ タロウ", "taro@sample.jp", "A",
     "至急"],
    ["V002", "㈱髙﨑製作所", "総務部", "髙橋 花子", "タカハシ ハナコ", "hanako@takasaki.jp", "B",
     ""],
    ["V003", "有限会社ｶﾅ商店", "", "佐藤 一郎", "サトウ イチロウ", "ichiro@@kana", "C", ""],
]  # fmt: skip


@pytest.fixture(autouse=True)
def _import_settings(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_a_marketer_imports_a_shift_jis_exhibition_list(page: Page, live_server, tmp_path):
    marketer = make_user(Role.MARKETING, username="mk_import", language="en")
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([HEADER, *ROWS])
    source = tmp_path / "展示会リスト.csv"
    source.write_bytes(out.getvalue().encode("cp932"))
    sign_in(page, live_server.url, marketer.username)

    page.locator("nav.rk-nav summary", has_text="Data").click()  # the Data menu
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_role("link", name="Import a file").first.click()
    page.get_by_label("File", exact=True).set_input_files(source)
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Map the columns")).to_be_visible()
    expect(page.locator("#detected-encoding")).to_contain_text("CP932")
    expect(page.get_by_text("Recognised: Exhibition (展示会) lead list")).to_be_visible()
    expect(page.locator("#preview")).to_contain_text("髙橋 花子")
    expect(page.get_by_label("氏名")).to_have_value("full_name")
    expect(page.get_by_label("温度感")).to_have_value("attributes.temperature")
    page.get_by_label("備考").select_option(label="Ignore")
    page.get_by_label("Save this mapping for later imports").check()
    page.get_by_label("Mapping name").fill("東京展示会")
    page.get_by_role("button", name="Start import").click()

    expect(page.locator("#job-status")).to_have_text(re.compile(r"\s*Done\s*"))
    expect(page.locator("#job-progress-label")).to_have_text("3 of 3 rows")
    counts = page.locator("#job-counts")
    expect(counts.locator('[data-count="created"]')).to_have_text("2")
    expect(counts.locator('[data-count="rejected"]')).to_have_text("1")

    rows = page.locator("#job-rows")
    rows.get_by_role("link", name=re.compile(r"^Rejected")).click()
    expect(page).to_have_url(re.compile(r"outcome=rejected"))
    expect(rows.locator("tbody tr")).to_have_count(1)
    expect(rows).to_contain_text("ichiro@@kana")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download report (CSV)").click()
    report = info.value.path().read_bytes()
    assert report.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(report.decode("utf-8-sig"))))
    assert [line[1] for line in lines[1:]] == ["created", "created", "rejected"]
    assert lines[2][lines[0].index("氏名")] == "髙橋 花子"

    job = ImportJob.objects.get()
    assert (job.status, job.file_name, job.mapping_name) == (
        ImportStatus.DONE,
        "展示会リスト.csv",
        "東京展示会",
    )
    assert SavedMapping.objects.get().definition["columns"]["温度感"] == "attributes.temperature"
    assert set(Contact.objects.values_list("family_name", flat=True)) == {"山田", "髙橋"}
    attributes = ContactAttributes.objects.get(contact__family_name="山田").data
    assert attributes == {"temperature": "A"}  # 備考 was ignored
