"""Privacy requests: deadlines, overdue flags, pages and who may use them, the privacy
notice and its link on public forms."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
import time_machine
from django.utils import timezone, translation

from renkei.core.scheduler import registered_jobs
from renkei.privacy import services
from renkei.privacy.choices import EventKind, IdentityStatus, Regime, RequestKind, RequestStatus
from renkei.privacy.models import DataSubjectRequest, PrivacyNotice
from tests.factories import make_contact
from tests.marketing.conftest import make_form
from tests.privacy_helpers import TANAKA_EMAIL, erasure_request

JST = dt.timezone(dt.timedelta(hours=9))


def _request(actor, **values):
    values.setdefault("kind", RequestKind.DISCLOSURE)
    values.setdefault("requester_name", "田中 一郎")
    return services.create_request(actor=actor, **values)


# --- deadlines -------------------------------------------------------------------------
def test_an_appi_request_is_due_in_fourteen_days_by_default(admin_user):
    received = dt.datetime(2026, 11, 27, 23, 30, tzinfo=JST)
    request = _request(admin_user, received_at=received)
    assert request.due_on == dt.date(2026, 12, 11)


def test_the_appi_target_is_configurable(admin_user, settings):
    settings.PRIVACY_REQUEST_DUE_DAYS = 7
    request = _request(admin_user, received_at=dt.datetime(2026, 11, 27, 10, tzinfo=JST))
    assert request.due_on == dt.date(2026, 12, 4)


def test_a_gdpr_request_is_due_in_one_month_clamped_to_the_months_end(admin_user):
    request = _request(
        admin_user, regime=Regime.GDPR, received_at=dt.datetime(2026, 1, 31, 10, tzinfo=JST)
    )
    assert request.due_on == dt.date(2026, 2, 28)


def test_the_due_date_is_counted_from_the_local_day_of_receipt(admin_user):
    # 2026-11-27 00:30 in Tokyo is still the 26th in UTC.
    received = dt.datetime(2026, 11, 26, 15, 30, tzinfo=dt.UTC)
    assert _request(admin_user, received_at=received).due_on == dt.date(2026, 12, 11)


def test_changing_the_regime_moves_the_due_date(admin_user):
    request = _request(admin_user, received_at=dt.datetime(2026, 3, 2, 10, tzinfo=JST))
    services.update_request(request, actor=admin_user, regime=Regime.GDPR)
    request.refresh_from_db()
    assert request.due_on == dt.date(2026, 4, 2)


def test_an_invalid_requester_phone_is_a_field_error(admin_user):
    with pytest.raises(services.ValidationError) as exc:
        _request(admin_user, requester_phone="12")
    assert "requester_phone" in exc.value.message_dict


def test_overdue_requests_are_flagged_once_by_the_periodic_job(admin_user):
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=JST), tick=False):
        late = _request(admin_user)
        done = _request(admin_user)
        services.update_request(done, actor=admin_user, status=RequestStatus.COMPLETED)
    with time_machine.travel(dt.datetime(2026, 11, 16, 10, tzinfo=JST), tick=False):
        assert services.flag_overdue_requests() == []  # due today: not late yet
    with time_machine.travel(dt.datetime(2026, 11, 17, 10, tzinfo=JST), tick=False):
        assert services.flag_overdue_requests() == [late.pk]
        assert services.flag_overdue_requests() == []
    assert late.events.filter(kind=EventKind.OVERDUE).count() == 1
    assert "privacy.flag_overdue_requests" in {job.name for job in registered_jobs()}


def test_closing_a_request_records_when(admin_user):
    request = _request(admin_user)
    services.update_request(request, actor=admin_user, status=RequestStatus.REFUSED,
                            outcome="本人確認ができませんでした")  # fmt: skip
    request.refresh_from_db()
    assert request.closed_at is not None
    assert not request.is_open


def test_the_audit_log_does_not_copy_the_requesters_details(admin_user):
    from renkei.core.audit import history

    request = _request(admin_user, requester_email=TANAKA_EMAIL)
    services.update_request(request, actor=admin_user, notes="電話番号 090-1111-2222")
    text = json.dumps([e.changes for e in history(request)], ensure_ascii=False)
    assert TANAKA_EMAIL not in text and "090-1111-2222" not in text
    assert "notes" in text


# --- finding the person ----------------------------------------------------------------
def test_contacts_are_found_by_normalized_email_phone_and_name(admin_user):
    by_email = make_contact(
        email="ichiro.tanaka@sample.co.jp", family_name="田中", given_name="一郎"
    )
    by_phone = make_contact(email="other@sample.co.jp", phone="0312345678", family_name="佐藤")
    make_contact(email="someone@else.co.jp", family_name="鈴木")
    found = services.find_contacts(email="Ichiro.Tanaka@SAMPLE.co.jp", phone="+81 3-1234-5678",
                                   name="田中　一郎")  # fmt: skip
    assert [c.contact for c in found] == [by_email, by_phone]
    assert len(found[0].reasons) == 2  # email and name


# --- pages -----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["marketer", "inside_rep", "field_rep"])
def test_sales_and_marketing_may_not_see_privacy_requests(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/privacy/requests/").status_code == 403
    assert client.get("/privacy/requests/new/").status_code == 403


def test_a_manager_records_a_request_and_finds_the_contact(client, manager):
    contact = make_contact(email=TANAKA_EMAIL, family_name="田中", given_name="一郎")
    client.force_login(manager)
    response = client.post("/privacy/requests/new/", {
        "kind": "erasure", "regime": "appi", "requester_name": "田中 一郎",
        "requester_email": TANAKA_EMAIL, "received_at": "2026-11-27T10:00",
        "identity_status": "pending", "handler": manager.pk,
    })  # fmt: skip
    request = DataSubjectRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/privacy/requests/{request.pk}/"
    assert request.due_on == dt.date(2026, 12, 11)
    page = client.get(f"/privacy/requests/{request.pk}/").content.decode()
    assert f'name="add" value="{contact.pk}"' in page
    client.post(f"/privacy/requests/{request.pk}/contacts/", {"add": [contact.pk]})
    assert list(request.contacts.all()) == [contact]


def test_a_request_without_a_name_gets_a_field_error(client, manager):
    client.force_login(manager)
    response = client.post("/privacy/requests/new/", {"kind": "erasure", "regime": "appi",
                                                      "identity_status": "pending"})  # fmt: skip
    assert response.status_code == 422
    assert "requester_name_errors" in response.content.decode()
    assert not DataSubjectRequest.objects.exists()


def test_the_contact_search_answers_htmx_with_the_candidates_only(client, manager):
    make_contact(email="x@sample.co.jp", family_name="田中", given_name="一郎")
    request = _request(manager)
    client.force_login(manager)
    response = client.get(
        f"/privacy/requests/{request.pk}/", {"search": "1", "email": "X@Sample.co.jp"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    body = response.content.decode()
    assert 'id="candidates"' in body and "x@sample.co.jp" in body
    assert "<html" not in body


def test_managers_may_not_export_or_erase(client, manager, admin_user):
    contact = make_contact(email=TANAKA_EMAIL)
    request = erasure_request(admin_user, contact)
    client.force_login(manager)
    assert (
        client.post(f"/privacy/requests/{request.pk}/export/", {"format": "json"}).status_code
        == 403
    )
    assert (
        client.post(f"/privacy/requests/{request.pk}/erase/", {"confirm": request.pk}).status_code
        == 403
    )
    assert client.post(f"/privacy/requests/{request.pk}/stop-use/").status_code == 403
    contact.refresh_from_db()
    assert contact.email == TANAKA_EMAIL  # fmt: skip


def test_an_admin_downloads_the_disclosure_as_json_and_csv_zip(client, admin_user):
    contact = make_contact(email=TANAKA_EMAIL)
    request = erasure_request(admin_user, contact, kind=RequestKind.DISCLOSURE)
    client.force_login(admin_user)
    response = client.post(f"/privacy/requests/{request.pk}/export/", {"format": "json"})
    assert response["Content-Disposition"] == f'attachment; filename="disclosure-{request.pk}.json"'
    assert json.loads(response.content)["contacts"][0]["contact_id"] == contact.pk
    response = client.post(f"/privacy/requests/{request.pk}/export/", {"format": "csv"})
    assert "contacts.contact.csv" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert request.events.filter(kind=EventKind.EXPORTED).count() == 2


def test_erasing_from_the_page_needs_the_request_number_typed(client, admin_user):
    contact = make_contact(email=TANAKA_EMAIL)
    request = erasure_request(admin_user, contact)
    client.force_login(admin_user)
    client.post(f"/privacy/requests/{request.pk}/erase/", {"confirm": "yes"})
    contact.refresh_from_db()
    assert contact.email == TANAKA_EMAIL
    response = client.post(f"/privacy/requests/{request.pk}/erase/", {"confirm": str(request.pk)},
                           follow=True, headers={"Accept-Language": "en"})  # fmt: skip
    contact.refresh_from_db()
    assert contact.email == ""
    assert "1 contacts were erased everywhere" in response.content.decode()


def test_erasing_an_unverified_request_shows_why_and_erases_nothing(client, admin_user):
    contact = make_contact(email=TANAKA_EMAIL)
    request = erasure_request(admin_user, contact, identity_status=IdentityStatus.PENDING)
    client.force_login(admin_user)
    response = client.post(f"/privacy/requests/{request.pk}/erase/", {"confirm": str(request.pk)},
                           follow=True, headers={"Accept-Language": "en"})  # fmt: skip
    assert "Verify the requester" in response.content.decode()
    contact.refresh_from_db()
    assert contact.email == TANAKA_EMAIL


def test_the_list_shows_overdue_requests_with_a_badge(client, manager):
    with time_machine.travel(dt.datetime(2026, 10, 1, 10, tzinfo=JST), tick=False):
        late = _request(manager, requester_name="遅延 太郎")
    _request(manager, requester_name="新規 花子")
    client.force_login(manager)
    page = client.get("/privacy/requests/?show=overdue", headers={"Accept-Language": "en"})
    body = page.content.decode()
    assert "遅延 太郎" in body and "新規 花子" not in body
    assert "1 overdue" in body
    assert f"/privacy/requests/{late.pk}/" in body


def test_request_pages_escape_what_requesters_typed(client, manager):
    request = _request(manager, requester_name="<script>alert(1)</script>")
    client.force_login(manager)
    body = client.get(f"/privacy/requests/{request.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


# --- privacy notice --------------------------------------------------------------------
def test_only_admins_publish_the_privacy_notice(client, manager):
    client.force_login(manager)
    assert client.get("/privacy/notice/").status_code == 403


def test_publishing_makes_a_new_version_and_forms_link_to_it(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/privacy/notice/").content.decode()
    assert "閲覧履歴" in page  # the suggested wording names the profiling
    for text in ("第1版の利用目的", "第2版の利用目的"):
        values = {"title_ja": "個人情報の取り扱い", "title_en": "Privacy notice", "text_ja": text}
        response = client.post("/privacy/notice/", values)
        assert response.status_code == 302
    assert list(PrivacyNotice.objects.values_list("version", flat=True)) == [2, 1]
    make_form()
    client.logout()
    form_page = client.get("/f/shiryo/?lang=ja").content.decode()
    assert 'href="/p/privacy/v2/?lang=ja"' in form_page
    assert "個人情報の取り扱い" in form_page
    assert "第2版の利用目的" in client.get("/p/privacy/v2/").content.decode()
    old = client.get("/p/privacy/v1/?lang=en").content.decode()
    assert "第1版の利用目的" in old  # no English text: the Japanese one
    assert 'href="/p/privacy/?lang=en"' in old


def test_without_a_notice_forms_show_no_link_and_the_public_page_is_not_found(client, db):
    make_form()
    assert "/p/privacy/" not in client.get("/f/shiryo/").content.decode()
    assert client.get("/p/privacy/").status_code == 404


def test_an_empty_notice_is_refused(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/privacy/notice/", {"title_ja": "", "text_ja": ""})
    assert response.status_code == 422
    assert not PrivacyNotice.objects.exists()


def test_the_nav_shows_privacy_requests_to_managers_only(client, manager, marketer):
    client.force_login(manager)
    assert 'href="/privacy/requests/"' in client.get("/").content.decode()
    client.force_login(marketer)
    assert 'href="/privacy/requests/"' not in client.get("/").content.decode()


def test_due_dates_use_now_when_received_is_not_given(admin_user):
    with time_machine.travel(dt.datetime(2026, 12, 25, 10, tzinfo=JST), tick=False):
        request = _request(admin_user)
        assert request.received_at == timezone.now()
    assert request.due_on == dt.date(2027, 1, 8)


# --- command line ----------------------------------------------------------------------
def test_the_command_exports_and_erases_as_an_admin(admin_user, tmp_path):
    from django.core.management import call_command

    contact = make_contact(email=TANAKA_EMAIL)
    request = erasure_request(admin_user, contact)
    out = io.StringIO()
    call_command("privacy", "export", str(request.pk), str(tmp_path / "d.zip"),
                 "--actor", admin_user.username, stdout=out)  # fmt: skip
    assert "contacts.contact.csv" in zipfile.ZipFile(tmp_path / "d.zip").namelist()
    out = io.StringIO()
    call_command("privacy", "erase", str(request.pk), "--actor", admin_user.username,
                 "--json", stdout=out)  # fmt: skip
    assert json.loads(out.getvalue())["contacts"][str(contact.pk)]["contacts.contact"] == {
        "anonymised": 1
    }


def test_the_command_refuses_a_non_admin_and_explains_a_refusal(admin_user, manager):
    from django.core.management import CommandError, call_command

    contact = make_contact(email=TANAKA_EMAIL)
    request = erasure_request(admin_user, contact, identity_status=IdentityStatus.PENDING)
    with pytest.raises(CommandError, match="not an active admin"):
        call_command("privacy", "erase", str(request.pk), "--actor", manager.username)
    with pytest.raises(CommandError, match="Verify the requester"), translation.override("en"):
        call_command("privacy", "erase", str(request.pk), "--actor", admin_user.username)
