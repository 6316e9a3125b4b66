from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from renkei.contacts.models import Account, Contact, DuplicateCandidate
from renkei.core import audit
from renkei.core.models import AuditLog
from renkei.funnel import services as funnel
from renkei.funnel.models import StageChange
from renkei.imports import services
from renkei.imports.choices import ImportStatus, RowOutcome
from renkei.imports.mappings import MappingError
from renkei.imports.models import ContactAttributes, ExternalId, ImportJob, ImportRow
from renkei.imports.readers import ImportFileError
from renkei.imports.services import bulk_add_contacts, import_file, write_report
from renkei.imports.tasks import run_import
from tests.imports.helpers import (
    EXHIBITION_HEADER,
    SANSAN_HEADER,
    exhibition_rows,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db
X_EDUCATION = Path(__file__).resolve().parents[3] / "shared/datasets/x-education/Leads.csv"


def outcomes(job: ImportJob) -> dict[int, tuple[str, str]]:
    return {r.number: (r.outcome, r.reason) for r in job.rows.order_by("number")}


def assert_accounted(job: ImportJob, rows: int) -> None:
    counts = job.counts
    assert counts["rows"] == rows
    assert sum(v for k, v in counts.items() if k != "rows") == rows
    assert job.rows.count() == rows
    assert sorted(job.rows.values_list("number", flat=True)) == list(range(1, rows + 1))


def test_exhibition_list_creates_leads_with_accounts_and_attributes(tmp_path):
    path = write_csv(tmp_path / "expo.csv", EXHIBITION_HEADER, exhibition_rows(), encoding="cp932")
    job = import_file(path)
    assert job.status == ImportStatus.DONE
    assert job.mapping_name == "exhibition"
    assert job.encoding == "cp932"
    assert_accounted(job, 3)
    assert job.created == 3
    taro = Contact.objects.get(email="taro@sample.co.jp")
    assert (taro.family_name, taro.given_name) == ("山田", "太郎")
    assert (taro.family_name_kana, taro.given_name_kana) == ("ヤマダ", "タロウ")
    assert taro.phone == "+81312345678"
    assert taro.account.name == "株式会社サンプル商事"
    assert taro.source_channel == "exhibition"
    assert taro.lifecycle_stage == "lead"
    assert taro.imported_attributes.data == {"temperature": "A"}
    assert ExternalId.objects.get(source="exhibition", value="V001").contact == taro
    assert StageChange.objects.filter(contact=taro, kind="enter", to_stage="lead").count() == 1


def test_dry_run_writes_no_contacts_but_reports_every_row(tmp_path):
    path = write_csv(tmp_path / "expo.csv", EXHIBITION_HEADER, exhibition_rows())
    job = import_file(path, dry_run=True)
    assert_accounted(job, 3)
    assert job.created == 3
    assert Contact.objects.count() == 0
    assert Account.objects.count() == 0
    assert ExternalId.objects.count() == 0
    assert ContactAttributes.objects.count() == 0
    assert StageChange.objects.count() == 0


def test_reimport_is_idempotent(tmp_path):
    path = write_csv(tmp_path / "expo.csv", EXHIBITION_HEADER, exhibition_rows())
    import_file(path)
    audit_entries = AuditLog.objects.count()
    again = import_file(path)
    assert_accounted(again, 3)
    assert again.updated == 3
    assert Contact.objects.count() == 3
    assert Account.objects.count() == 3
    assert StageChange.objects.count() == 3
    assert AuditLog.objects.count() == audit_entries  # nothing changed, nothing logged
    assert {r.contact_id for r in again.rows.all()} == set(
        Contact.objects.values_list("id", flat=True)
    )


def test_same_external_id_updates_changed_values(tmp_path):
    rows = exhibition_rows()
    import_file(write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, rows))
    rows[0][3] = "取締役"
    job = import_file(write_csv(tmp_path / "b.csv", EXHIBITION_HEADER, rows))
    assert outcomes(job)[1][0] == RowOutcome.UPDATED
    assert Contact.objects.get(email="taro@sample.co.jp").title == "取締役"


def test_same_email_without_external_id_merges_and_only_fills_blanks(tmp_path):
    existing = funnel.add_contact(
        actor=funnel.Actor.system("test"), family_name="山田", email="Taro@Sample.co.jp",
        title="部長代理",
    )  # fmt: skip
    header = ["会社名", "氏名", "メール", "電話", "温度感"]
    rows = [["株式会社サンプル商事", "山田 太郎", "taro@sample.co.jp", "03-1234-5678", "A"]]
    job = import_file(write_csv(tmp_path / "a.csv", header, rows), mapping="exhibition")
    assert outcomes(job)[1][0] == RowOutcome.MERGED
    existing.refresh_from_db()
    assert existing.given_name == "太郎"
    assert existing.phone == "+81312345678"
    assert existing.title == "部長代理"
    assert existing.account.name == "株式会社サンプル商事"
    assert Contact.objects.count() == 1


def test_duplicate_rows_in_one_file_make_one_contact(tmp_path):
    header = ["会社名", "氏名", "メール", "電話", "温度感"]
    rows = [
        ["株式会社A", "山田 太郎", "taro@a.co.jp", "", "B"],
        ["株式会社A", "山田 太郎", "TARO@a.co.jp", "03-1234-5678", "A"],
    ]
    job = import_file(write_csv(tmp_path / "a.csv", header, rows), mapping="exhibition")
    assert [o for o, _ in outcomes(job).values()] == [RowOutcome.CREATED, RowOutcome.MERGED]
    contact = Contact.objects.get()
    assert contact.phone == "+81312345678"
    assert set(job.rows.values_list("contact_id", flat=True)) == {contact.pk}


def test_duplicate_rows_across_batches_make_one_contact(tmp_path, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    header = ["会社名", "氏名", "メール", "電話", "温度感"]
    rows = [["株式会社A", f"山田 {i}", f"u{i}@a.co.jp", "", "B"] for i in range(3)]
    rows.append(["株式会社A", "山田 0", "u0@a.co.jp", "", "A"])
    job = import_file(write_csv(tmp_path / "a.csv", header, rows), mapping="exhibition")
    assert job.created == 3 and job.merged == 1
    assert Contact.objects.count() == 3


def test_invalid_email_rejects_the_row_and_invalid_phone_is_dropped_with_a_warning(tmp_path):
    header = ["会社名", "氏名", "メール", "電話", "温度感"]
    rows = [
        ["株式会社A", "山田 太郎", "not-an-email", "03-1234-5678", "A"],
        ["株式会社A", "佐藤 花子", "hanako@a.co.jp", "12345", "B"],
        ["株式会社A", "", "nobody@a.co.jp", "", "C"],
    ]
    job = import_file(write_csv(tmp_path / "a.csv", header, rows), mapping="exhibition")
    result = outcomes(job)
    assert result[1] == (RowOutcome.REJECTED, "Invalid email address: not-an-email")
    assert result[2][0] == RowOutcome.CREATED
    assert "12345" in result[2][1]
    assert result[3] == (RowOutcome.REJECTED, "The row has no name (family name).")
    assert Contact.objects.get().phone == ""


def test_overlong_value_rejects_the_row_with_the_field(tmp_path):
    header = ["会社名", "氏名", "メール", "役職", "温度感"]
    rows = [["株式会社A", "山田 太郎", "t@a.co.jp", "長" * 300, "A"]]
    job = import_file(write_csv(tmp_path / "a.csv", header, rows), mapping="exhibition")
    outcome, reason = outcomes(job)[1]
    assert outcome == RowOutcome.REJECTED
    assert "200" in reason


def test_ragged_and_oversized_rows_are_rejected_and_the_rest_imported(tmp_path):
    path = tmp_path / "a.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("会社名,氏名,メール,温度感\n株式会社A,山田 太郎,t@a.co.jp\n")
        fh.write("株式会社A,佐藤 花子,h@a.co.jp," + "x" * (2 * 1024 * 1024) + "\n")
        fh.write("株式会社A,鈴木 一郎,i@a.co.jp,A\n")
    job = import_file(path, mapping="exhibition")
    assert_accounted(job, 3)
    result = outcomes(job)
    assert result[1] == (RowOutcome.REJECTED, "row has 3 cells, header has 4")
    assert result[2][0] == RowOutcome.REJECTED
    assert result[3][0] == RowOutcome.CREATED


def test_sansan_xlsx_uses_person_id_as_external_id(tmp_path):
    row = [
        "株式会社B",
        "開発部",
        "課長",
        "田中",
        "一郎",
        "タナカ",
        "イチロウ",
        "03-5555-1234",
        "",
        "090-1111-2222",
        "",
        "ichiro@b.co.jp",
        "https://b.co.jp",
        "2026-01-10",
        "C1",
        "P9",
    ]
    path = write_xlsx(tmp_path / "sansan.xlsx", SANSAN_HEADER, [row])  # fmt: skip
    job = import_file(path)
    assert job.mapping_name == "sansan"
    contact = Contact.objects.get()
    assert ExternalId.objects.get(source="sansan").value == "P9"
    assert contact.imported_attributes.data["mobile"] == "+819011112222"
    assert contact.account.website == "https://b.co.jp"


def test_unrecognised_headers_fail_the_job_with_advice(tmp_path):
    path = write_csv(tmp_path / "a.csv", ["foo", "bar"], [["1", "2"]])
    with pytest.raises(MappingError):
        import_file(path)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "x-education" in job.error


def test_unreadable_file_fails_the_job(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ImportFileError):
        import_file(path, mapping="exhibition")
    assert ImportJob.objects.get().status == ImportStatus.FAILED


def test_bulk_path_gives_the_same_result_as_add_contact():
    at = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
    account = Account.objects.create(name="株式会社C", normalized_name="c")
    values = {
        "family_name": "山田", "given_name": "太郎", "email": "t@c.co.jp",
        "phone": "03-1234-5678", "account": account, "source_channel": "exhibition",
    }  # fmt: skip
    single = funnel.add_contact(actor=services.IMPORT_ACTOR, at=at, **values)
    built = services.contact_services.build_contact(**values, created_at=at)
    (bulk,) = bulk_add_contacts([built], at=at)
    skip = {"id", "updated_at"}
    fields = [f.attname for f in Contact._meta.concrete_fields if f.attname not in skip]
    assert {f: getattr(bulk, f) for f in fields} == {f: getattr(single, f) for f in fields}
    bulk.refresh_from_db()
    single.refresh_from_db()
    assert {f: getattr(bulk, f) for f in fields} == {f: getattr(single, f) for f in fields}

    def stage_changes(contact):
        return list(
            StageChange.objects.filter(contact=contact).values(
                "from_stage", "to_stage", "kind", "at", "actor_kind", "actor_id",
                "actor_label", "reason",
            )
        )  # fmt: skip

    assert stage_changes(bulk) == stage_changes(single)

    def audit_entries(contact):
        return [
            (e.action, e.actor_id, e.actor_label, e.at, e.object_repr, e.changes)
            for e in audit.history(contact)
        ]

    assert audit_entries(bulk) == audit_entries(single)


def test_report_lists_every_row_with_outcome_reason_and_source_values(tmp_path):
    rows = exhibition_rows()
    rows[1][6] = "bad@"
    rows[2][2] = "=HYPERLINK(1)"
    job = import_file(write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, rows))
    report = tmp_path / "report.csv"
    assert write_report(job, report) == 3
    assert report.read_bytes().startswith(b"\xef\xbb\xbf")
    with report.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.DictReader(fh))
    assert [line["outcome"] for line in lines] == ["created", "rejected", "created"]
    assert lines[1]["reason"] == "Invalid email address: bad@"
    assert lines[0]["contact_id"] == str(Contact.objects.get(email="taro@sample.co.jp").pk)
    assert lines[0]["氏名"] == "山田 太郎"
    assert lines[2]["部署"] == "'=HYPERLINK(1)"


def test_worker_task_runs_a_waiting_job_once(tmp_path):
    path = write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, exhibition_rows())
    job = services.create_job(path)
    assert run_import.call(job.pk)["created"] == 3
    assert run_import.call(job.pk) == {}
    assert Contact.objects.count() == 3


def test_worker_writes_row_reasons_in_the_language_the_import_was_started_in(tmp_path, marketer):
    rows = [*exhibition_rows(), ["V9", "株式会社B", "", "", "田中 一", "", "bad@", "", ""]]
    path = write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, rows)
    english = services.create_job(path, actor=marketer)  # started on an English page
    with translation.override("ja"):  # the worker's own language does not matter
        run_import.call(english.pk)
    assert english.rows.get(number=4).reason.startswith("Invalid email address")
    with translation.override("ja"):
        japanese = services.create_job(path, actor=marketer)
    run_import.call(japanese.pk)
    assert "メールアドレス" in japanese.rows.get(number=4).reason


def test_command_prints_json_summary_on_the_last_line(tmp_path, capsys):
    path = write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, exhibition_rows(), delimiter="\t")
    report = tmp_path / "r.csv"
    call_command("import", "contacts", str(path), "--json", "--report", str(report))
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["rows"] == 3
    assert summary["created"] == 3
    assert summary["rows"] == sum(
        summary[k] for k in ("created", "updated", "merged", "review", "rejected")
    )
    assert report.exists()


def test_command_refuses_other_kinds_clearly(tmp_path):
    path = write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, exhibition_rows())
    with pytest.raises(CommandError, match="not available yet"):
        call_command("import", "opportunities", str(path))
    with pytest.raises(CommandError, match="not supported"):
        call_command("import", "widgets", str(path))


def test_command_reports_a_bad_file_as_an_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\x00\x01\x02binary" * 100)
    with pytest.raises(CommandError, match="not a CSV"):
        call_command("import", "contacts", str(path), "--mapping", "exhibition")


def test_x_education_list_imports_every_row_and_keeps_outcomes_as_data(tmp_path):
    job = import_file(X_EDUCATION, mapping="x-education")
    assert_accounted(job, 9240)
    assert job.created == 9240
    contact = ExternalId.objects.get(
        source="x-education", value="7927b2df-8bba-4d29-b9a2-b6e0beafe620"
    ).contact
    assert contact.family_name == "Lead 660737"
    assert contact.source_channel == "website"
    assert contact.lifecycle_stage == "lead"
    data = contact.imported_attributes.data
    assert data["Converted"] == 0
    assert data["Lead Source"] == "Olark Chat"
    assert "Specialization" not in data  # "Select" means no answer
    converted = sum(1 for a in ContactAttributes.objects.all() if a.data.get("Converted") == 1)
    assert converted == 3561
    assert not StageChange.objects.exclude(kind="enter").exists()
    assert ImportRow.objects.filter(outcome="rejected").count() == 0
    again = import_file(X_EDUCATION, mapping="x-education")
    assert again.updated == 9240
    assert Contact.objects.count() == 9240


def _existing_yamada():
    account = Account.objects.create(name="株式会社サンプル商事", normalized_name="サンプル商事")
    return funnel.add_contact(
        actor=funnel.Actor.system("test"), family_name="山田", given_name="太郎",
        family_name_kana="ヤマダ", given_name_kana="タロウ", email="yamada@sample.co.jp",
        account=account,
    )  # fmt: skip


def test_dedup_engine_merges_the_same_person_at_the_same_company(tmp_path):
    existing = _existing_yamada()
    header = ["会社名", "氏名", "フリガナ", "メール", "温度感"]
    rows = [["（株）サンプル商事", "山田 太郎", "ヤマダ タロウ", "taro@sample.co.jp", "A"]]
    job = import_file(write_csv(tmp_path / "a.csv", header, rows), mapping="exhibition")
    assert outcomes(job)[1][0] == RowOutcome.MERGED
    assert job.rows.get().contact_id == existing.pk
    assert Contact.objects.count() == 1


def test_probable_duplicate_is_created_and_flagged_for_review(tmp_path):
    from renkei.contacts.models import DuplicateCandidate

    existing = _existing_yamada()
    header = ["会社名", "氏名", "フリガナ", "メール", "温度感"]
    rows = [["株式会社別会社", "山田 太郎", "ヤマダ タロウ", "t.yamada@other.co.jp", "B"]]
    job = import_file(write_csv(tmp_path / "a.csv", header, rows), mapping="exhibition")
    outcome, reason = outcomes(job)[1]
    assert outcome == RowOutcome.REVIEW
    assert reason.startswith("Possible duplicate")
    created = Contact.objects.exclude(pk=existing.pk).get()
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.contact_a_id, candidate.contact_b_id} == {existing.pk, created.pk}


def test_exact_mode_matches_by_email_only(tmp_path):
    existing = _existing_yamada()
    header = ["会社名", "氏名", "フリガナ", "メール", "温度感"]
    rows = [
        ["（株）サンプル商事", "山田 太郎", "ヤマダ タロウ", "taro@sample.co.jp", "A"],
        ["株式会社サンプル商事", "山田 太郎", "", "YAMADA@sample.co.jp", "A"],
    ]
    path = write_csv(tmp_path / "a.csv", header, rows)
    job = import_file(path, mapping="exhibition", matching="exact")
    assert [o for o, _ in outcomes(job).values()] == [RowOutcome.CREATED, RowOutcome.MERGED]
    assert job.rows.get(number=2).contact_id == existing.pk


def test_start_import_runs_the_job_in_the_worker_after_commit(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    path = write_csv(tmp_path / "a.csv", EXHIBITION_HEADER, exhibition_rows())
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import(path)
        assert job.status == ImportStatus.PENDING
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.processed == 3
    assert Contact.objects.count() == 3


@pytest.mark.parametrize("batch_size", [1, 1000], ids=["separate batches", "one batch"])
def test_rows_of_one_file_for_the_same_person_are_found_in_any_batch(
    tmp_path, monkeypatch, batch_size
):
    monkeypatch.setattr(services, "BATCH_SIZE", batch_size)
    rows = [
        ["V1", "株式会社サンプル商事", "営業部", "部長", "山田 太郎", "ヤマダ タロウ",
         "taro@sample.co.jp", "", "A"],
        # The same person with a private address: merged.
        ["V2", "㈱サンプル商事", "営業部", "", "山田 太郎", "ヤマダ タロウ",
         "t.yamada@gmail.com", "", "B"],
        ["V3", "ABC株式会社", "", "", "斎藤 美咲", "サイトウ ミサキ", "", "", ""],
        # 斎/斉 are distinct family names with the same reading: a person decides.
        ["V4", "ABC株式会社", "", "", "斉藤 美咲", "さいとう みさき", "", "", ""],
    ]  # fmt: skip
    path = write_csv(tmp_path / "expo.csv", EXHIBITION_HEADER, rows)
    job = import_file(path, mapping="exhibition")

    assert [outcome for outcome, _ in outcomes(job).values()] == [
        RowOutcome.CREATED, RowOutcome.MERGED, RowOutcome.CREATED, RowOutcome.REVIEW,
    ]  # fmt: skip
    assert Contact.objects.count() == 3
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.contact_a.family_name, candidate.contact_b.family_name} == {"斎藤", "斉藤"}
    assert_accounted(job, 4)
