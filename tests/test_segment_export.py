"""A segment's contacts exported as a file, from its page and the command line."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from renkei.contacts.choices import Industry
from renkei.core.choices import AuditAction
from renkei.core.models import AuditLog
from renkei.marketing import segments
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def segment(marketer):
    maker = make_account(name="株式会社メイカー", industry=Industry.MANUFACTURING)
    bank = make_account(name="=銀行", industry=Industry.FINANCE)
    make_contact(account=maker, family_name="髙橋", email="a@maker.jp")
    make_contact(account=maker, family_name="𠮷田", email="b@maker.jp")
    make_contact(account=bank, family_name="佐藤", email="c@bank.jp")
    return segments.create_segment(
        actor=marketer, name="製造業", filters={"industries": ["manufacturing"]}
    )


def test_a_marketer_downloads_the_segments_contacts_for_excel(client_for, marketer, segment):
    response = client_for(marketer).get(reverse("marketing:segment_export", args=[segment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="segment-')
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3  # the header and the two contacts of manufacturers
    assert {r[1] for r in rows[1:]} == {"髙橋", "𠮷田"}
    entry = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == marketer and entry.changes["rows"] == [None, 2]


def test_cp932_and_xlsx_downloads(client_for, marketer, segment):
    client = client_for(marketer)
    url = reverse("marketing:segment_export", args=[segment.pk])
    cp932 = client.get(url, {"format": "csv-cp932"}).content.decode("cp932")
    assert "髙橋" in cp932 and "?田" in cp932  # 𠮷 has no CP932 code: replaced, as documented
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert workbook.active.max_row == 3
    assert client.get(url, {"format": "pdf"}).status_code == 400


def test_sales_roles_cannot_export_segments(client_for, inside_rep, segment):
    url = reverse("marketing:segment_export", args=[segment.pk])
    assert client_for(inside_rep).get(url).status_code == 403


def test_the_command_exports_a_segment_by_name(tmp_path, segment):
    path = tmp_path / "s.csv"
    call_command("export", "contacts", str(path), "--segment", "製造業")
    assert len(path.read_text(encoding="utf-8-sig").strip().splitlines()) == 3
    with pytest.raises(CommandError):
        call_command("export", "contacts", str(path), "--segment", "ない")
    with pytest.raises(CommandError):
        call_command("export", "accounts", str(path), "--segment", "製造業")
