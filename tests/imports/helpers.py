"""Fixture files written at test time."""

from __future__ import annotations

import csv
import io
from pathlib import Path

EIGHT_HEADER = [
    "会社名", "部署名", "役職", "姓", "名", "e-mail", "郵便番号", "住所", "TEL会社", "TEL部門",
    "TEL直通", "Fax", "携帯電話", "URL", "名刺交換日", "展示会2026",
]  # fmt: skip
SANSAN_HEADER = [
    "会社名", "部署", "役職", "姓", "名", "姓カナ", "名カナ", "TEL1", "TEL2", "携帯番号", "Fax",
    "email1", "URL1", "名刺交換日", "名刺ID", "人物ID",
]  # fmt: skip
EXHIBITION_HEADER = [
    "来場者ID", "会社名", "部署", "役職", "氏名", "フリガナ", "メール", "電話", "温度感",
]  # fmt: skip


def csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:  # fmt: skip
    path.write_bytes(csv_text(header, rows, delimiter).encode(encoding))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]], sheet: str = "") -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    if sheet:
        worksheet.title = sheet
    worksheet.append(header)
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


def exhibition_rows() -> list[list[str]]:
    return [
        ["V001", "株式会社サンプル商事", "営業部", "部長", "山田 太郎", "ヤマダ タロウ",
         "taro@sample.co.jp", "03-1234-5678", "A"],
        ["V002", "㈱髙﨑製作所", "総務部", "", "髙橋 花子", "タカハシ ハナコ",
         "hanako@takasaki.co.jp", "06-1234-5678", "B"],
        ["V003", "有限会社ｶﾅ商店", "", "", "佐藤 一郎", "サトウ イチロウ",
         "ichiro@kana.co.jp", "", "C"],
    ]  # fmt: skip
