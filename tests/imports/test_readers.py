from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from renkei.imports.readers import MAX_FIELD_CHARS, ImportFileError, open_table
from tests.imports.helpers import EXHIBITION_HEADER, exhibition_rows, write_csv, write_xlsx


def read_all(path: Path, **options: str) -> tuple[str, str, list]:
    with open_table(path, **options) as table:
        return table.format, table.encoding, list(table.rows())


def test_utf8_without_bom_is_detected(tmp_path):
    path = write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, exhibition_rows())
    fmt, encoding, rows = read_all(path)
    assert (fmt, encoding) == ("csv", "utf-8")
    assert rows[1].values["会社名"] == "㈱髙﨑製作所"


def test_utf8_with_bom_is_detected_and_the_bom_is_not_part_of_the_header(tmp_path):
    path = write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, exhibition_rows(), encoding="utf-8-sig")
    with open_table(path) as table:
        assert table.encoding == "utf-8-sig"
        assert table.headers[0] == "来場者ID"
        assert next(table.rows()).values["来場者ID"] == "V001"


def test_cp932_with_machine_dependent_characters_is_detected(tmp_path):
    path = write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, exhibition_rows(), encoding="cp932")
    _, encoding, rows = read_all(path)
    assert encoding == "cp932"
    assert rows[1].values["氏名"] == "髙橋 花子"
    assert rows[2].values["会社名"] == "有限会社ｶﾅ商店"


def test_euc_jp_is_detected_by_charset_normalizer(tmp_path):
    rows = [["V1", "サンプル商事株式会社", "営業部", "課長", "山田 太郎", "ヤマダ タロウ",
             "t@example.co.jp", "", "A"]] * 20  # fmt: skip
    path = write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, rows, encoding="euc_jp")
    _, encoding, read = read_all(path)
    assert encoding.startswith("euc")
    assert read[0].values["会社名"] == "サンプル商事株式会社"


def test_utf16_excel_unicode_text_is_read_as_tsv(tmp_path):
    path = tmp_path / "a.txt"
    text = "会社名\t氏名\r\n株式会社テスト\t山田 太郎\r\n"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    fmt, encoding, rows = read_all(path)
    assert (fmt, encoding) == ("tsv", "utf-16")
    assert rows[0].values == {"会社名": "株式会社テスト", "氏名": "山田 太郎"}


def test_tab_separated_file_is_sniffed(tmp_path):
    path = write_csv(tmp_path / "a.tsv", EXHIBITION_HEADER, exhibition_rows(), delimiter="\t")
    fmt, _, rows = read_all(path)
    assert fmt == "tsv"
    assert rows[0].values["メール"] == "taro@sample.co.jp"


def test_explicit_encoding_overrides_detection_and_shift_jis_means_cp932(tmp_path):
    path = write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, exhibition_rows(), encoding="cp932")
    _, encoding, rows = read_all(path, encoding="Shift_JIS")
    assert encoding == "cp932"
    assert rows[1].values["会社名"] == "㈱髙﨑製作所"


def test_explicit_encoding_that_does_not_fit_is_a_clear_error(tmp_path):
    path = write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, exhibition_rows(), encoding="cp932")
    with pytest.raises(ImportFileError, match="not valid utf-8"):
        read_all(path, encoding="utf-8")


def test_xlsx_first_sheet_and_named_sheet(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", EXHIBITION_HEADER, exhibition_rows(), sheet="来場者")
    fmt, encoding, rows = read_all(path)
    assert (fmt, encoding) == ("xlsx", "")
    assert [r.values["来場者ID"] for r in rows] == ["V001", "V002", "V003"]
    _, _, named = read_all(path, sheet="来場者")
    assert len(named) == 3
    with pytest.raises(ImportFileError, match="no sheet named"):
        read_all(path, sheet="missing")


def test_xlsx_numbers_read_as_text_without_a_decimal_point(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", ["ID", "氏名"], [[660737, "山田"]])
    _, _, rows = read_all(path)
    assert rows[0].values == {"ID": "660737", "氏名": "山田"}


def test_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ImportFileError, match="empty"):
        read_all(path)


def test_binary_file_is_not_a_csv(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(ImportFileError, match="not a CSV"):
        read_all(path)


def test_broken_xlsx_is_a_clear_error(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", EXHIBITION_HEADER, exhibition_rows())
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:300])
    with pytest.raises(ImportFileError, match="XLSX"):
        read_all(broken)


def test_old_xls_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ImportFileError, match=r"\.xlsx"):
        read_all(path)


def test_ragged_rows_are_rejected_and_reading_continues(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1,2,3\n1,2\n1,2,3,4\n5,6,7\n8,9,10,,\n", encoding="utf-8")
    _, _, rows = read_all(path)
    assert [r.number for r in rows] == [1, 2, 3, 4, 5]
    assert rows[1].error == "row has 2 cells, header has 3"
    assert rows[2].error == "row has 4 cells, header has 3"
    assert rows[3].values == {"a": "5", "b": "6", "c": "7"}
    # Trailing empty cells (Excel's trailing commas) are not ragged.
    assert rows[4].error == "" and rows[4].values["c"] == "10"


def test_a_50_mb_field_rejects_its_row_and_the_reader_continues(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("氏名,メモ\n山田,短い\n")
        fh.write("佐藤,")
        fh.write("x" * (50 * 1024 * 1024))
        fh.write("\n鈴木,最後\n")
    _, _, rows = read_all(path)
    assert len(rows) == 3
    assert str(MAX_FIELD_CHARS) in rows[1].error
    assert rows[2].values == {"氏名": "鈴木", "メモ": "最後"}


def test_blank_lines_are_not_rows_and_header_only_file_has_none(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("氏名,メール\n\n山田,a@example.jp\n\n", encoding="utf-8")
    assert [r.values["氏名"] for r in read_all(path)[2]] == ["山田"]
    header_only = tmp_path / "b.csv"
    header_only.write_text("氏名,メール\n", encoding="utf-8")
    assert read_all(header_only)[2] == []
