"""The web import: upload, the mapping screen, the job page and its report, saved mappings."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from renkei.contacts.models import Contact
from renkei.core.choices import AuditAction
from renkei.core.models import AuditLog
from renkei.imports import services
from renkei.imports.choices import ImportStatus
from renkei.imports.models import ContactAttributes, ImportJob, SavedMapping
from tests.imports.helpers import EXHIBITION_HEADER, csv_text, exhibition_rows, write_xlsx

pytestmark = pytest.mark.django_db

NEW = reverse("imports:job_new")
JOBS = reverse("imports:jobs")
MAPPINGS = reverse("imports:job_mappings")
CUSTOM_HEADER = ["お名前", "メール", "会社", "メモ"]
CUSTOM_ROWS = [
    ["山田 太郎", "taro@sample.co.jp", "株式会社サンプル商事", "展示会で名刺交換"],
    ["佐藤 花子", "hanako@example.co.jp", "有限会社テスト", ""],
]


@pytest.fixture(autouse=True)
def _web_settings(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_file(header, rows, *, name="list.csv", encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_text(header, rows).encode(encoding), "text/csv")


def upload(client: Client, file, **fields):
    data = {"mapping": "", "matching": "dedup", "encoding": "", "sheet": "", **fields}
    return client.post(NEW, {"file": file, **data})


def columns_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def column_fields(page: str) -> dict[str, str]:
    """header → the selected target, read from the mapping screen's labelled selects."""
    labels = dict(re.findall(r'<label for="(id_column_\d+)" class="fw-bold">([^<]*)</label>', page))
    selected = {}
    for field_id, header in labels.items():
        select = re.search(
            rf'<select name="[^"]+"[^>]*id="{field_id}"[^>]*>(.*?)</select>', page, re.S
        )
        assert select, field_id
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
        selected[header] = chosen.group(1) if chosen else None
    return selected


def start(client, url, targets: dict[int, str], capture, **extra):
    data = {"matching": "dedup", **{f"column_{i}": t for i, t in targets.items()}, **extra}
    with capture(execute=True):
        return client.post(url, data)


def uploaded_files(settings) -> list[Path]:
    folder = Path(settings.DATA_DIR) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- the whole flow ---------------------------------------------------------------------
def test_a_marketer_uploads_maps_and_imports_a_list_and_downloads_the_report(
    marketer, settings, django_capture_on_commit_callbacks
):
    client = signed_in(marketer)
    rows = [
        *exhibition_rows(),
        ["V004", "株式会社誤記", "", "", "誤記 太郎", "", "not-an-email", "", "C"],
    ]
    url = columns_url(upload(client, csv_file(EXHIBITION_HEADER, rows, encoding="cp932")))

    page = client.get(url).content.decode()
    assert "Recognised: Exhibition (展示会) lead list" in page
    assert "CP932" in page and "(detected)" in page
    assert re.search(r'id="row-total">\s*4\s*<', page)
    assert "髙橋 花子" in page  # the preview
    selected = column_fields(page)
    assert selected["氏名"] == "full_name"
    assert selected["メール"] == "email"
    assert selected["来場者ID"] == "external_id"
    assert selected["温度感"] == "attributes.temperature"
    (stored,) = uploaded_files(settings)

    targets = {i: selected[h] for i, h in enumerate(EXHIBITION_HEADER)}
    response = start(client, url, targets, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job_detail", args=[job.pk])
    assert (job.status, job.file_name, job.created_by) == (ImportStatus.DONE, "list.csv", marketer)
    assert job.file_path == str(stored)
    assert (job.total_rows, job.processed, job.created, job.rejected) == (4, 4, 3, 1)
    assert Contact.objects.count() == 3
    assert ContactAttributes.objects.filter(data__temperature="A").count() == 1

    page = client.get(response["Location"]).content.decode()
    assert "4 of 4 rows" in page and "100%" in page
    assert re.search(r'data-count="created">3<', page)
    assert re.search(r'data-count="rejected">1<', page)
    assert "Invalid email address: not-an-email" in page
    assert 'hx-trigger="every 2s"' not in page  # finished: no polling

    report = client.get(reverse("imports:job_report", args=[job.pk]))
    assert report.status_code == 200
    assert report["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="list-report.csv"' in report["Content-Disposition"]
    body = b"".join(report.streaming_content)
    expected = Path(settings.DATA_DIR) / "expected.csv"
    services.write_report(job, expected)
    assert body == expected.read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert lines[0][:4] == ["row", "outcome", "reason", "contact_id"]
    assert [line[1] for line in lines[1:]] == ["created"] * 3 + ["rejected"]


def test_an_unrecognised_file_gets_guessed_fields_and_ignored_columns_are_dropped(
    marketer, django_capture_on_commit_callbacks
):
    client = signed_in(marketer)
    url = columns_url(upload(client, csv_file(CUSTOM_HEADER, CUSTOM_ROWS)))
    page = client.get(url).content.decode()
    assert "Not recognised" in page
    assert column_fields(page) == {
        "お名前": "full_name",
        "メール": "email",
        "会社": "company",
        "メモ": "@attribute",
    }
    start(
        client,
        url,
        {0: "full_name", 1: "email", 2: "company", 3: ""},
        django_capture_on_commit_callbacks,
    )
    job = ImportJob.objects.get()
    assert (job.status, job.created, job.mapping_name) == (ImportStatus.DONE, 2, "custom")
    yamada = Contact.objects.get(email="taro@sample.co.jp")
    assert (yamada.family_name, yamada.given_name) == ("山田", "太郎")
    assert yamada.account.name == "株式会社サンプル商事"
    assert not ContactAttributes.objects.exists()


def test_a_column_kept_as_attribute_is_stored_with_the_contact(
    marketer, django_capture_on_commit_callbacks
):
    client = signed_in(marketer)
    url = columns_url(upload(client, csv_file(CUSTOM_HEADER, CUSTOM_ROWS)))
    start(
        client,
        url,
        {0: "full_name", 1: "email", 2: "company", 3: "@attribute"},
        django_capture_on_commit_callbacks,
    )
    attributes = ContactAttributes.objects.get(contact__email="taro@sample.co.jp")
    assert attributes.data == {"メモ": "展示会で名刺交換"}


def test_a_dry_run_reports_outcomes_without_creating_contacts(
    marketer, django_capture_on_commit_callbacks
):
    client = signed_in(marketer)
    url = columns_url(upload(client, csv_file(EXHIBITION_HEADER, exhibition_rows())))
    page = client.get(url).content.decode()
    targets = dict(enumerate(column_fields(page).values()))
    response = start(client, url, targets, django_capture_on_commit_callbacks, dry_run="on")
    job = ImportJob.objects.get()
    assert (job.dry_run, job.created) == (True, 3)
    assert not Contact.objects.exists()
    assert "This was a dry run" in client.get(response["Location"]).content.decode()


def test_an_xlsx_sheet_is_read_and_possible_duplicates_link_to_the_review_queue(
    marketer, tmp_path, django_capture_on_commit_callbacks
):
    from renkei.contacts.models import Account
    from renkei.funnel import services as funnel

    account = Account.objects.create(name="株式会社サンプル商事", normalized_name="サンプル商事")
    funnel.add_contact(
        actor=funnel.Actor.system("test"), family_name="山田", given_name="太郎",
        family_name_kana="ヤマダ", given_name_kana="タロウ", email="yamada@sample.co.jp",
        account=account,
    )  # fmt: skip
    header = ["会社名", "氏名", "フリガナ", "メール"]
    rows = [["株式会社別会社", "山田 太郎", "ヤマダ タロウ", "t.yamada@other.co.jp"]]
    path = write_xlsx(tmp_path / "cards.xlsx", header, rows, sheet="名刺")
    client = signed_in(marketer)
    file = SimpleUploadedFile("cards.xlsx", path.read_bytes())
    assert "no sheet named 一覧" in upload(client, file, sheet="一覧").content.decode()
    file = SimpleUploadedFile("cards.xlsx", path.read_bytes())
    url = columns_url(upload(client, file, sheet="名刺"))
    page = client.get(url).content.decode()
    assert "XLSX · 名刺" in page
    targets = {0: "company", 1: "full_name", 2: "full_name_kana", 3: "email"}
    response = start(client, url, targets, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert (job.sheet, job.processed, job.review) == ("名刺", 1, 1)
    page = client.get(response["Location"]).content.decode()
    assert "1 imported contact may duplicate an existing one." in page
    assert f'href="{reverse("web:duplicates")}"' in page


# --- bad files --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "fields", "message"),
    [
        ("empty.csv", b"", {}, "The submitted file is empty."),
        ("logo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), {}, "not a CSV or text"),
        ("broken.xlsx", b"PK\x03\x04 this is no workbook", {}, "not a readable XLSX workbook"),
        ("sjis.csv", "姓,メール\r\n山田,a@b.jp\r\n".encode("cp932"), {"encoding": "utf-8"},
         "The file is not valid utf-8 text."),
        ("header.csv", "姓,メール\r\n".encode(), {}, "header row but no data rows"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), {}, "Old Excel files"),
    ],
)  # fmt: skip
def test_a_bad_file_gives_a_clear_error_and_is_not_kept(
    marketer, settings, name, content, fields, message
):
    response = upload(signed_in(marketer), SimpleUploadedFile(name, content), **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert uploaded_files(settings) == []
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused(marketer, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    big = csv_text(["姓"], [["山田"]] * 200_000).encode()
    assert len(big) > 1024 * 1024
    response = upload(signed_in(marketer), SimpleUploadedFile("big.csv", big))
    assert "files of up to 1.0\xa0MB can be imported" in response.content.decode()
    assert uploaded_files(settings) == []


def test_the_mapping_screen_needs_a_name_column(marketer):
    client = signed_in(marketer)
    url = columns_url(upload(client, csv_file(CUSTOM_HEADER, CUSTOM_ROWS)))
    response = client.post(url, {"matching": "dedup", "column_0": "", "column_1": "email"})
    assert "Choose the column that holds the family name" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_upload_from_another_session_is_not_found(marketer, admin_user):
    url = columns_url(upload(signed_in(marketer), csv_file(CUSTOM_HEADER, CUSTOM_ROWS)))
    response = signed_in(admin_user).get(url)
    assert response.status_code == 302 and response["Location"] == NEW


# --- saved mappings ---------------------------------------------------------------------
def test_a_mapping_saved_on_the_screen_is_offered_and_prefilled_next_time(
    marketer, django_capture_on_commit_callbacks
):
    client = signed_in(marketer)
    url = columns_url(upload(client, csv_file(CUSTOM_HEADER, CUSTOM_ROWS)))
    targets = {0: "full_name", 1: "email", 2: "company", 3: "@attribute"}
    start(client, url, targets, django_capture_on_commit_callbacks, save="on", save_name="セミナー")
    saved = SavedMapping.objects.get()
    assert saved.name == "セミナー"
    assert saved.definition["columns"] == {
        "お名前": "full_name", "メール": "email", "会社": "company", "メモ": "attributes.メモ",
    }  # fmt: skip
    assert ImportJob.objects.get().mapping_name == "セミナー"
    assert AuditLog.objects.filter(object_repr="セミナー", action=AuditAction.CREATE).exists()

    new_page = client.get(NEW).content.decode()
    assert f'<option value="saved:{saved.pk}">セミナー</option>' in new_page
    url = columns_url(
        upload(client, csv_file(CUSTOM_HEADER, CUSTOM_ROWS), mapping=f"saved:{saved.pk}")
    )
    assert column_fields(client.get(url).content.decode())["メモ"] == "@attribute"

    response = start(
        client, url, targets, django_capture_on_commit_callbacks, save="on", save_name="セミナー"
    )
    assert "A saved mapping named セミナー already exists." in response.content.decode()
    response = start(
        client, url, targets, django_capture_on_commit_callbacks, save="on", save_name="eight"
    )
    assert "eight is the name of a built-in mapping" in response.content.decode()
    assert SavedMapping.objects.count() == 1


def _saved(marketer, django_capture_on_commit_callbacks) -> SavedMapping:
    client = signed_in(marketer)
    url = columns_url(upload(client, csv_file(CUSTOM_HEADER, CUSTOM_ROWS)))
    targets = {0: "full_name", 1: "email", 2: "company", 3: "@attribute"}
    start(client, url, targets, django_capture_on_commit_callbacks, save="on", save_name="名刺A")
    return SavedMapping.objects.get()


def _edit_data(name: str, rows: list[tuple[str, str]]) -> dict[str, str]:
    data = {
        "name": name,
        "columns-TOTAL_FORMS": str(len(rows)),
        "columns-INITIAL_FORMS": str(len(rows)),
        "columns-MIN_NUM_FORMS": "0",
        "columns-MAX_NUM_FORMS": "300",
    }
    for i, (column, target) in enumerate(rows):
        data[f"columns-{i}-column"] = column
        data[f"columns-{i}-target"] = target
    return data


def test_a_saved_mapping_is_renamed_and_edited_with_an_audit_entry(
    marketer, django_capture_on_commit_callbacks
):
    saved = _saved(marketer, django_capture_on_commit_callbacks)
    client = signed_in(marketer)
    page = client.get(MAPPINGS).content.decode()
    assert "名刺A" in page
    edit = reverse("imports:job_mapping_edit", args=[saved.pk])
    assert "メモ" in client.get(edit).content.decode()
    rows = [("お名前", "full_name"), ("メール", "email"), ("会社", ""), ("メモ", "@attribute"),
            ("部署", "department")]  # fmt: skip
    response = client.post(edit, _edit_data("名刺B", rows))
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.name == "名刺B"
    assert saved.definition["columns"] == {
        "お名前": "full_name", "メール": "email", "メモ": "attributes.メモ", "部署": "department",
    }  # fmt: skip
    assert saved.definition["source"] == "名刺A"  # external ids keep their namespace
    entry = AuditLog.objects.get(action=AuditAction.UPDATE, object_id=str(saved.pk))
    assert entry.actor == marketer and entry.changes["name"] == ["名刺A", "名刺B"]


def test_a_saved_mapping_edit_needs_a_name_column_and_distinct_columns(
    marketer, django_capture_on_commit_callbacks
):
    saved = _saved(marketer, django_capture_on_commit_callbacks)
    client = signed_in(marketer)
    edit = reverse("imports:job_mapping_edit", args=[saved.pk])
    page = client.post(edit, _edit_data("名刺A", [("メール", "email")])).content.decode()
    assert "Choose the column that holds the family name" in page
    rows = [("お名前", "full_name"), ("お名前", "email")]
    assert "listed twice" in client.post(edit, _edit_data("名刺A", rows)).content.decode()
    saved.refresh_from_db()
    assert saved.definition["columns"]["メール"] == "email"


def test_deleting_a_saved_mapping_asks_first(marketer, django_capture_on_commit_callbacks):
    saved = _saved(marketer, django_capture_on_commit_callbacks)
    client = signed_in(marketer)
    delete = reverse("imports:job_mapping_delete", args=[saved.pk])
    assert "Delete the saved mapping “名刺A”?" in client.get(delete).content.decode()
    assert SavedMapping.objects.exists()
    assert client.post(delete)["Location"] == MAPPINGS
    assert not SavedMapping.objects.exists()
    entry = AuditLog.objects.get(action=AuditAction.DELETE, object_id=str(saved.pk))
    assert entry.changes["name"] == ["名刺A", None]
    assert ImportJob.objects.get().mapping["columns"]["メール"] == "email"


# --- job pages ----------------------------------------------------------------------------
def _job_with_rows(tmp_path, **options) -> ImportJob:
    rows = [*exhibition_rows(), ["V009", "株式会社誤記", "", "", "誤記 太郎", "", "bad@", "", ""]]
    path = tmp_path / "leads.csv"
    path.write_text(csv_text(EXHIBITION_HEADER, rows), encoding="utf-8")
    return services.import_file(path, mapping="exhibition", **options)


def test_the_rows_are_filtered_by_outcome_and_paged_with_htmx(marketer, tmp_path):
    job = _job_with_rows(tmp_path)
    client = signed_in(marketer)
    url = reverse("imports:job_detail", args=[job.pk])
    page = client.get(url, {"outcome": "rejected"}).content.decode()
    assert "Invalid email address: bad@" in page
    assert "taro@sample.co.jp" not in page
    fragment = client.get(url, {"outcome": "created"}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert 'id="job-rows"' in text and "<html" not in text
    assert text.count("bg-green-lt") == 3
    assert "bad@" not in text


def test_a_running_job_is_polled_and_the_page_reloads_when_it_is_done(marketer, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(csv_text(EXHIBITION_HEADER, exhibition_rows()), encoding="utf-8")
    job = services.create_job(path, mapping="exhibition")
    client = signed_in(marketer)
    page = client.get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "0 rows processed" in page
    progress = reverse("imports:job_progress", args=[job.pk])
    assert "HX-Refresh" not in client.get(progress, {"was": "pending"})
    services.run_job(job)
    response = client.get(progress, {"was": "pending"})
    assert response["HX-Refresh"] == "true"
    assert 'hx-trigger="every 2s"' not in response.content.decode()


def test_a_failed_job_shows_its_error(marketer, tmp_path):
    path = tmp_path / "gone.csv"
    path.write_text(csv_text(["会社名", "氏名", "メール", "温度感"], [["a", "b", "c", "d"]]))
    job = services.create_job(path)
    path.unlink()
    with pytest.raises(services.ImportFileError):
        services.run_job(job)
    page = signed_in(marketer).get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert "The import failed" in page
    assert "Cannot open the file" in page


def test_the_job_list_shows_who_imported_what(marketer, tmp_path):
    job = _job_with_rows(tmp_path, actor=marketer)
    page = signed_in(marketer).get(JOBS).content.decode()
    assert "leads.csv" in page and marketer.display_name in page
    assert reverse("imports:job_detail", args=[job.pk]) in page
    assert job.get_status_display() in page


# --- permissions and CSRF -----------------------------------------------------------------
ALL_PAGES = ["jobs", "job_new", "job_detail", "job_progress", "job_report", "job_mappings",
             "job_mapping_edit", "job_mapping_delete"]  # fmt: skip


def _url(name: str, job: ImportJob, saved: SavedMapping) -> str:
    if name.startswith("job_mapping_"):
        return reverse(f"imports:{name}", args=[saved.pk])
    if name not in {"job_new", "job_mappings"} and name.startswith("job_"):
        return reverse(f"imports:{name}", args=[job.pk])
    return reverse(f"imports:{name}")


@pytest.mark.parametrize("who", ["inside_rep", "field_rep"])
def test_sales_reps_may_not_use_the_import_pages(request, who, tmp_path):
    job = _job_with_rows(tmp_path)
    saved = SavedMapping.objects.create(name="x", definition={"name": "x", "columns": {}})
    client = signed_in(request.getfixturevalue(who))
    for name in ALL_PAGES:
        url = _url(name, job, saved)
        assert client.get(url).status_code == 403, name
        assert client.post(url).status_code in {403, 405}, name
    for name in ("job_columns", "job_reread"):
        url = reverse(f"imports:{name}", args=["0123abcd"])
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert SavedMapping.objects.exists()
    nav = client.get("/").content.decode()
    assert JOBS not in nav


def test_managers_follow_jobs_but_do_not_import(manager, tmp_path):
    job = _job_with_rows(tmp_path)
    saved = SavedMapping.objects.create(name="x", definition={"name": "x", "columns": {}})
    client = signed_in(manager)
    for name in ("jobs", "job_detail", "job_progress", "job_report"):
        response = client.get(_url(name, job, saved))
        assert response.status_code == 200, name
        if response.streaming:  # read it, so the client closes the file
            assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbfrow,")
    for name in ("job_new", "job_mappings", "job_mapping_edit", "job_mapping_delete"):
        assert client.get(_url(name, job, saved)).status_code == 403, name
    assert reverse("imports:job_new") not in client.get(JOBS).content.decode()


@pytest.mark.parametrize("who", ["marketer", "admin_user"])
def test_marketing_and_admins_see_the_import_entry(request, who):
    client = signed_in(request.getfixturevalue(who))
    assert f'href="{JOBS}"' in client.get("/").content.decode()
    assert f'href="{NEW}"' in client.get(reverse("web:contacts")).content.decode()


def test_uploads_need_the_csrf_token(marketer, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(marketer)
    response = client.post(NEW, {"file": csv_file(CUSTOM_HEADER, CUSTOM_ROWS), "matching": "dedup"})
    assert response.status_code == 403
    assert uploaded_files(settings) == []
    page = client.get(NEW).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        NEW,
        {"file": csv_file(CUSTOM_HEADER, CUSTOM_ROWS), "matching": "dedup",
         "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert response.status_code == 302


def test_uploads_are_private_and_old_ones_are_removed_unless_their_job_waits(
    marketer, settings, tmp_path
):
    import os
    import time

    from renkei.imports import uploads

    client = signed_in(marketer)
    columns_url(upload(client, csv_file(CUSTOM_HEADER, CUSTOM_ROWS)))
    (abandoned,) = uploaded_files(settings)
    assert abandoned.stat().st_mode & 0o777 == 0o600
    waiting = Path(settings.DATA_DIR) / "imports" / "waiting.csv"
    waiting.write_text(csv_text(CUSTOM_HEADER, CUSTOM_ROWS))
    services.create_job(waiting)
    day_ago = time.time() - 25 * 3600
    for path in (abandoned, waiting):
        os.utime(path, (day_ago, day_ago))
    columns_url(upload(client, csv_file(CUSTOM_HEADER, CUSTOM_ROWS)))
    remaining = uploaded_files(settings)
    assert abandoned not in remaining and waiting in remaining
    assert len(remaining) == 2
    assert uploads.remove_stale_uploads() == 0


def test_the_job_list_and_job_page_need_a_fixed_number_of_queries(
    marketer, admin_user, tmp_path, django_assert_max_num_queries
):
    for index, actor in enumerate([marketer, admin_user, marketer]):
        folder = tmp_path / str(index)
        folder.mkdir()
        job = _job_with_rows(folder, actor=actor)
    client = signed_in(marketer)
    client.get(JOBS)  # warm the session and the content types
    with django_assert_max_num_queries(8):
        assert client.get(JOBS).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("imports:job_detail", args=[job.pk])).status_code == 200


def test_the_file_is_read_again_with_another_encoding(marketer):
    client = signed_in(marketer)
    url = columns_url(upload(client, csv_file(CUSTOM_HEADER, CUSTOM_ROWS, encoding="cp932")))
    reread = url + "reread/"
    page = client.post(reread, {"encoding": "utf-8"}, follow=True).content.decode()
    assert "The file is not valid utf-8 text." in page
    assert "(detected)" in page
    page = client.post(reread, {"encoding": "cp932"}, follow=True).content.decode()
    assert "(chosen)" in page and "山田 太郎" in page


def test_another_sheet_of_a_workbook_is_read_and_imported(
    marketer, tmp_path, django_capture_on_commit_callbacks
):
    import openpyxl

    path = write_xlsx(tmp_path / "book.xlsx", ["メモ"], [["表紙です"]], sheet="表紙")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.create_sheet("名刺")
    for row in [CUSTOM_HEADER, *CUSTOM_ROWS]:
        sheet.append(row)
    workbook.save(path)
    client = signed_in(marketer)
    page = upload(client, SimpleUploadedFile("book.xlsx", path.read_bytes()), sheet="一覧")
    assert "no sheet named 一覧. The sheets are: 表紙, 名刺." in page.content.decode()

    url = columns_url(upload(client, SimpleUploadedFile("book.xlsx", path.read_bytes())))
    page = client.get(url).content.decode()
    assert '<option value="名刺">名刺</option>' in page
    page = client.post(url + "reread/", {"sheet": "名刺"}, follow=True).content.decode()
    assert column_fields(page)["お名前"] == "full_name"
    targets = {0: "full_name", 1: "email", 2: "company", 3: ""}
    start(client, url, targets, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert (job.sheet, job.total_rows, job.created) == ("名刺", 2, 2)


def test_a_dry_run_is_imported_for_real_with_the_same_mapping(
    marketer, manager, django_capture_on_commit_callbacks
):
    client = signed_in(marketer)
    url = columns_url(upload(client, csv_file(CUSTOM_HEADER, CUSTOM_ROWS)))
    targets = {0: "full_name", 1: "email", 2: "company", 3: "@attribute"}
    response = start(client, url, targets, django_capture_on_commit_callbacks, dry_run="on")
    dry = ImportJob.objects.get()
    run = reverse("imports:job_run", args=[dry.pk])
    assert f'action="{run}"' in client.get(response["Location"]).content.decode()
    assert f'action="{run}"' not in signed_in(manager).get(response["Location"]).content.decode()
    assert signed_in(manager).post(run).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(run)
    real = ImportJob.objects.exclude(pk=dry.pk).get()
    assert response["Location"] == reverse("imports:job_detail", args=[real.pk])
    assert (real.dry_run, real.status, real.created, real.total_rows) == (
        False, ImportStatus.DONE, 2, 2,
    )  # fmt: skip
    assert (real.file_name, real.mapping["columns"]) == (dry.file_name, dry.mapping["columns"])
    assert Contact.objects.count() == 2
    assert ContactAttributes.objects.get(contact__family_name="山田").data == {
        "メモ": "展示会で名刺交換"
    }
    page = client.post(reverse("imports:job_run", args=[real.pk]), follow=True).content.decode()
    assert "Only a finished dry run" in page
    assert ImportJob.objects.count() == 2
