from __future__ import annotations

import csv
import datetime as dt
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from renkei.contacts.models import Contact
from renkei.funnel import services as funnel
from renkei.imports.exports import export, neutralise
from renkei.marketing.choices import TouchType
from renkei.marketing.models import Touch
from tests.factories import make_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(db):
    account = make_account(name="=cmd|' /C calc'!A0")
    funnel.add_contact(
        actor=funnel.Actor.system("test"), family_name="𠮷田", given_name="太郎",
        email="t@example.co.jp", phone="03-1234-5678", title="@SUM(1+1)", account=account,
        department="-2+3",
    )  # fmt: skip
    funnel.add_contact(
        actor=funnel.Actor.system("test"), family_name="髙橋", given_name="花子😀",
        title="+81 担当",
    )  # fmt: skip


@pytest.mark.parametrize("value", ["=1+1", "+81", "-3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_values_are_left_alone():
    assert neutralise("山田") == "山田"
    assert neutralise(12) == 12


def test_csv_export_is_utf8_with_bom_and_neutralised(tmp_path, contacts):
    path = tmp_path / "contacts.csv"
    result = export("contacts", path)
    assert result.rows == 2
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    first = rows[1]
    assert "𠮷田" in first
    assert "'@SUM(1+1)" in first
    assert "'-2+3" in first
    assert "'=cmd|' /C calc'!A0" in first
    assert "03-1234-5678" in first
    assert "'+81 担当" in rows[2]


def test_cp932_export_replaces_and_counts_unencodable_characters(tmp_path, contacts):
    path = tmp_path / "contacts.csv"
    result = export("contacts", path, encoding="cp932")
    assert result.replaced == 2
    assert result.unencodable == ["𠮷", "😀"]
    text = path.read_bytes().decode("cp932")
    assert "?田" in text
    assert "髙橋" in text
    assert "\r\n" in text


def test_xlsx_export_neutralises_formulas(tmp_path, contacts):
    path = tmp_path / "contacts.xlsx"
    assert export("contacts", path, format="xlsx").rows == 2
    sheet = openpyxl.load_workbook(path).active
    values = [cell.value for cell in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert "'@SUM(1+1)" in values
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_accounts_export(tmp_path, contacts):
    path = tmp_path / "accounts.csv"
    assert export("accounts", path).rows == 1
    assert "'=cmd|' /C calc'!A0" in path.read_text(encoding="utf-8-sig")


def test_export_command_json_summary(tmp_path, contacts, capsys):
    path = tmp_path / "c.csv"
    call_command("export", "contacts", str(path), "--encoding", "cp932", "--json")
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["rows"] == 2
    assert summary["replaced"] == 2


def test_export_command_refuses_kinds_that_come_later(tmp_path):
    with pytest.raises(CommandError, match="not available yet"):
        call_command("export", "opportunities", str(tmp_path / "o.csv"))


def test_touches_export_lists_each_touch_with_its_contact_utm_and_metadata(tmp_path, contacts):
    contact = Contact.objects.get(family_name="髙橋")
    at = dt.datetime(2026, 11, 2, 1, 30, tzinfo=dt.UTC)
    Touch.objects.create(
        type=TouchType.PAGE_VIEW, at=at, contact=contact, visitor_uid="v-1",
        url="https://example.co.jp/price", title="=HYPERLINK(\"http://evil\")",
        utm_source="newsletter", utm_campaign="2026-autumn", metadata={"scroll": 80},
    )  # fmt: skip
    Touch.objects.create(type=TouchType.CUSTOM, name="video_play", at=at, visitor_uid="v-2")
    path = tmp_path / "touches.csv"
    call_command("export", "touches", str(path), "--encoding", "cp932")

    with path.open(encoding="cp932", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2
    first = next(r for r in rows if r["visitor id"] == "v-1")
    assert first["at"] == "2026-11-02 10:30"  # Asia/Tokyo
    assert first["type"] == "Page view"
    assert first["contact"].startswith("髙橋")
    assert first["UTM campaign"] == "2026-autumn"
    assert first["page title"].startswith("'=")  # neutralised
    assert json.loads(first["metadata"]) == {"scroll": 80}
    anonymous = next(r for r in rows if r["visitor id"] == "v-2")
    assert anonymous["contact"] == "" and anonymous["event name"] == "video_play"

    workbook = openpyxl.load_workbook(export("touches", tmp_path / "t.xlsx", format="xlsx").path)
    assert workbook.active.max_row == 3
