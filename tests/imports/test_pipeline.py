"""A large file is read and prepared in a second process: the outcome must not change."""

from __future__ import annotations

import datetime as dt

import pytest

from renkei.contacts.models import Account, Contact
from renkei.imports import pipeline, services
from renkei.imports.choices import RowOutcome
from renkei.imports.mappings import get_mapping
from renkei.imports.readers import ImportFileError
from tests.imports.helpers import EXHIBITION_HEADER, write_csv

pytestmark = pytest.mark.django_db


def mixed_rows() -> list[list[str]]:
    return [
        ["V1", "株式会社サンプル商事", "営業部", "部長", "山田 太郎", "ヤマダ タロウ",
         "taro@sample.co.jp", "03-1234-5678", "A"],
        ["V2", "㈱サンプル商事", "総務部", "", "鈴木 花子", "スズキ ハナコ",
         "hanako@sample.co.jp", "not a phone", "B"],
        ["V3", "有限会社ｶﾅ商店", "", "", "佐藤 一郎", "サトウ イチロウ",
         "broken@", "", "C"],
        ["V4", "", "", "", "", "", "nobody@example.com", "", ""],
        ["V5", "株式会社サンプル商事", "営業部", "課長", "山田 太郎", "ヤマダ タロウ",
         "TARO@sample.co.jp", "", "A"],
        ["V6", "合同会社ミライ", "開発部", "", "田中 次郎", "タナカ ジロウ",
         "jiro@mirai.jp", "090-1234-5678", "B"],
    ]  # fmt: skip


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "reader process"])
def test_reading_in_a_second_process_gives_the_same_outcome_for_every_row(
    tmp_path, monkeypatch, parallel
):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)  # rows 1 and 5 land in different batches
    path = write_csv(tmp_path / "expo.csv", EXHIBITION_HEADER, mixed_rows(), encoding="cp932")
    job = services.run_job(services.create_job(path, mapping="exhibition"), parallel=parallel)

    outcomes = {r.number: r.outcome for r in job.rows.all()}
    assert outcomes == {
        1: RowOutcome.CREATED,
        2: RowOutcome.CREATED,
        3: RowOutcome.REJECTED,
        4: RowOutcome.REJECTED,
        5: RowOutcome.MERGED,
        6: RowOutcome.CREATED,
    }
    reasons = {r.number: r.reason for r in job.rows.all()}
    assert "broken@" in reasons[3]
    assert "not a phone" in reasons[2]  # dropped with a warning, the row still imported
    taro = Contact.objects.get(email="taro@sample.co.jp")
    assert taro.title == "部長"  # a merge fills blanks only
    assert taro.phone == "+81312345678"
    assert Account.objects.filter(name__contains="サンプル商事").count() == 1
    assert Contact.objects.count() == 3
    assert job.encoding == "cp932"


def test_a_file_the_reader_process_cannot_open_is_reported_as_a_file_error(tmp_path):
    batches = pipeline.prepared_in_child(
        path=str(tmp_path / "gone.csv"),
        encoding="utf-8",
        sheet="",
        mapping=get_mapping("exhibition").to_dict(),
        now=dt.datetime(2026, 11, 27, tzinfo=dt.UTC),
        batch_size=10,
    )
    with pytest.raises(ImportFileError, match="Cannot open the file"):
        list(batches)


def test_only_large_files_use_a_second_process(tmp_path, settings):
    small = tmp_path / "small.csv"
    small.write_bytes(b"a,b\n1,2\n")
    large = tmp_path / "large.csv"
    large.write_bytes(b"a,b\n" + b"1,2\n" * (pipeline.PARALLEL_MIN_BYTES // 4 + 1))
    assert not pipeline.use_child(small)
    assert pipeline.use_child(large)
    settings.IMPORT_PARALLEL = False
    assert not pipeline.use_child(large)
