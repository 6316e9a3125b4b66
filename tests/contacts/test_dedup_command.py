"""`renkei dedup check`: the engine over a pairs CSV, writing nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

# A copy of ../shared/datasets/ja-dedup/pairs.csv, so the suite runs in any checkout.
PAIRS = Path(__file__).parent / "fixtures" / "ja_dedup_pairs.csv"
HEADER = (
    "id,kind,a_company,a_name,a_kana,a_email,a_phone,a_corporate_number,a_website,"
    "b_company,b_name,b_kana,b_email,b_phone,b_corporate_number,b_website,expected,note\n"
)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("dedup", "check", *args, stdout=out)
    return out.getvalue()


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "pairs.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_lists_one_verdict_per_pair(tmp_path):
    path = _write(
        tmp_path,
        HEADER
        + "X1,company,㈱山田商事,,,,,,,株式会社山田商事,,,,,,,merge,\n"
        + "X2,person,,山田 太郎,,info@abc.co.jp,,,,,佐藤 花子,,info@abc.co.jp,,,,separate,\n",
    )
    result = json.loads(_run(path, "--json"))
    assert result == [
        {"id": "X1", "decision": "merge", "reasons": ["same name"]},
        {"id": "X2", "decision": "separate", "reasons": ["different names", "shared role mailbox"]},
    ]


def test_every_shared_case_comes_out_as_expected():
    with PAIRS.open(encoding="utf-8") as handle:
        expected = {row["id"]: row["expected"] for row in csv.DictReader(handle)}
    got = {item["id"]: item["decision"] for item in json.loads(_run(str(PAIRS), "--json"))}
    assert got == expected


def test_the_table_marks_unexpected_verdicts(tmp_path):
    path = _write(tmp_path, HEADER + "X1,company,株式会社ABC,,,,,,,株式会社ABCD,,,,,,,merge,\n")
    table = _run(path)
    assert "separate ✗" in table
    assert "0/1 pairs as expected" in table


@pytest.mark.django_db
def test_checking_pairs_writes_nothing(tmp_path, django_assert_num_queries):
    path = _write(tmp_path, HEADER + "X1,company,㈱山田商事,,,,,,,株式会社山田商事,,,,,,,merge,\n")
    with django_assert_num_queries(0):
        _run(path, "--json")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("name,other\nx,y\n", "missing column"),
        ("id,kind\nX1,company\n", "no record columns"),
        (HEADER + "X1,animal,a,,,,,,,b,,,,,,,,\n", "unknown kind"),
        (HEADER + "X1,company,a,,,,,,,b\n", "fewer fields"),
        (HEADER + "X1,company,a,,,,,,,b,,,,,,,,,,,extra\n", "more fields"),
        (HEADER + ",company,a,,,,,,,b,,,,,,,,\n", "empty id"),
    ],
)
def test_a_malformed_file_is_rejected_with_exit_status_2(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(CommandError, match=message) as caught:
        _run(path, "--json")
    assert caught.value.returncode == 2


def test_a_missing_file_is_rejected_with_exit_status_2(tmp_path):
    with pytest.raises(CommandError, match="no such file") as caught:
        _run(str(tmp_path / "nope.csv"))
    assert caught.value.returncode == 2


def test_a_binary_file_is_rejected_with_exit_status_2(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_bytes("id,kind\n株式会社".encode("cp932"))
    with pytest.raises(CommandError, match="not UTF-8") as caught:
        _run(str(path))
    assert caught.value.returncode == 2


def test_a_dash_reads_standard_input(monkeypatch):
    data = (HEADER + "X1,company,㈱山田商事,,,,,,,株式会社山田商事,,,,,,,merge,\n").encode()
    fake_stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", fake_stdin)
    assert json.loads(_run("-", "--json"))[0]["decision"] == "merge"
