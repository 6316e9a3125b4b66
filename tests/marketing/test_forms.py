"""Public forms: the hosted page, the submit endpoint and the processing of submissions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from renkei.contacts.choices import ConsentStatus, SourceChannel
from renkei.contacts.models import Contact
from renkei.marketing import services
from renkei.marketing.choices import SubmissionStatus, TouchType
from renkei.marketing.models import ConsentRecord, ConsentText, FormSubmission, Touch
from renkei.marketing.schemas import definition_errors
from tests.factories import make_account, make_contact
from tests.marketing.conftest import SITE, STANDARD_FIELDS, make_form

GOOD = {
    "company": "株式会社サンプル商事",
    "family_name": "田中",
    "given_name": "一郎",
    "email": "Ichiro.Tanaka@Sample.co.jp",
    "phone": "03-1234-5678",
    "interest": "MA ツール",
    "rk_consent": "1",
    "rk_utm_source": "google",
    "rk_utm_campaign": "spring",
    "rk_page": f"{SITE}/download/",
}


def submit(client, slug="shiryo", data=None, *, origin=SITE, as_json=True, lang="", **headers):
    if origin:
        headers["Origin"] = origin
    if as_json:
        headers["Accept"] = "application/json"
    url = f"/f/{slug}/submit" + (f"?lang={lang}" if lang else "")
    return client.post(url, data=GOOD if data is None else data, headers=headers)


def test_the_hosted_page_shows_the_labels_in_the_requested_language(client, lead_form):
    ja = client.get("/f/shiryo/?lang=ja").content.decode()
    en = client.get("/f/shiryo/?lang=en").content.decode()
    assert "会社名" in ja and "メールマガジン" in ja
    assert "Company" in en and "newsletters" in en


def test_the_hosted_page_may_be_framed_only_with_embed_and_by_allowed_origins(client, lead_form):
    plain = client.get("/f/shiryo/")
    assert plain["X-Frame-Options"] == "DENY"
    framed = client.get("/f/shiryo/?embed=1")
    assert "X-Frame-Options" not in framed
    assert framed["Content-Security-Policy"] == f"frame-ancestors 'self' {SITE}"


def test_the_hosted_page_carries_utm_parameters_in_hidden_fields(client, lead_form):
    page = client.get("/f/shiryo/?utm_source=newsletter&utm_campaign=may").content.decode()
    assert 'name="rk_utm_source" value="newsletter"' in page
    assert 'name="rk_utm_campaign" value="may"' in page


def test_an_unknown_or_inactive_form_is_not_found(client, lead_form):
    assert client.get("/f/nothing/").status_code == 404
    lead_form.is_active = False
    lead_form.save()
    assert client.get("/f/shiryo/").status_code == 404


def test_a_valid_submission_creates_a_lead_with_touch_and_consent(client, lead_form):
    response = submit(client)
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "資料請求ありがとうございました。",
        "redirect": "",
    }
    assert response["Access-Control-Allow-Origin"] == SITE
    contact = Contact.objects.get()
    assert contact.email == "ichiro.tanaka@sample.co.jp"
    assert contact.phone == "+81312345678"
    assert contact.account.name == "株式会社サンプル商事"
    assert contact.source_channel == SourceChannel.WEBSITE
    assert contact.source_campaign == "spring"
    assert contact.consent_status == ConsentStatus.OPTED_IN
    submission = FormSubmission.objects.get()
    assert submission.status == SubmissionStatus.PROCESSED
    assert submission.contact == contact
    assert submission.data["interest"] == "MA ツール"
    touch = Touch.objects.get(type=TouchType.FORM_SUBMIT)
    assert touch.contact == contact
    assert touch.utm_source == "google"
    record = ConsentRecord.objects.get()
    assert (record.contact, record.given, record.consent_text.version) == (contact, True, 1)
    assert record.ip == "127.0.0.1"


def test_consent_not_given_is_recorded_and_changes_nothing(client, lead_form):
    submit(client, data={**GOOD, "rk_consent": ""})
    record = ConsentRecord.objects.get()
    assert record.given is False
    assert Contact.objects.get().consent_status == ConsentStatus.UNKNOWN


def test_changed_consent_wording_is_a_new_version_and_old_records_keep_theirs(
    client, lead_form, marketer
):
    submit(client)
    services.save_form(
        lead_form, actor=marketer, fields=lead_form.fields, consent_ja="新しい同意文", consent_en=""
    )
    submit(client, data={**GOOD, "email": "other@sample.co.jp"})
    versions = list(
        ConsentRecord.objects.order_by("at", "id").values_list("consent_text__version", flat=True)
    )
    assert versions == [1, 2]
    assert ConsentText.objects.get(version=1).text_ja.startswith("メールマガジン")


def test_missing_and_invalid_values_get_per_field_errors_and_nothing_is_stored(client, lead_form):
    data = {**GOOD, "family_name": "", "email": "not-an-email", "phone": "12"}
    response = submit(client, data=data, lang="en")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"family_name", "email", "phone"}
    assert errors["family_name"] == ["This field is required."]
    assert not FormSubmission.objects.exists()
    assert not Contact.objects.exists()


def test_a_plain_post_re_renders_the_page_with_errors_and_values(client, lead_form):
    response = submit(client, data={**GOOD, "email": "bad"}, as_json=False, lang="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="田中"' in page


def test_a_plain_post_shows_the_thank_you_page_or_redirects(client, lead_form):
    response = submit(client, as_json=False)
    assert "資料請求ありがとうございました。" in response.content.decode()
    lead_form.redirect_url = "https://www.example.co.jp/thanks/"
    lead_form.save()
    response = submit(client, data={**GOOD, "email": "b@sample.co.jp"}, as_json=False)
    assert response.status_code == 302
    assert response["Location"] == "https://www.example.co.jp/thanks/"


def test_output_is_escaped(client, lead_form):
    response = submit(
        client, data={**GOOD, "family_name": "<script>x</script>", "email": "x"}, as_json=False
    )
    page = response.content.decode()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;" in page


def test_a_filled_honeypot_gets_the_same_answer_and_nothing_is_stored(client, lead_form):
    normal = submit(client, data={**GOOD, "email": "real@sample.co.jp"})
    trapped = submit(client, data={**GOOD, "rk_hp": "http://spam.example"})
    assert trapped.status_code == normal.status_code
    assert trapped.json() == normal.json()
    assert FormSubmission.objects.count() == 1


@pytest.mark.parametrize("origin", ["https://evil.example.net", "null", ""])
def test_a_forged_or_missing_origin_is_refused(client, lead_form, origin):
    response = submit(client, origin=origin)
    assert response.status_code == 403
    assert response.json()["error"] == "origin"
    assert not FormSubmission.objects.exists()


def test_the_hosted_page_itself_may_post(client, lead_form):
    response = submit(client, origin="http://testserver")
    assert response.status_code == 200


def test_submissions_are_rate_limited_per_ip(client, lead_form, monkeypatch):
    monkeypatch.setattr("renkei.marketing.views.forms.SUBMIT_LIMIT", 2)
    codes = [
        submit(client, data={**GOOD, "email": f"p{i}@sample.co.jp"}).status_code for i in range(4)
    ]
    assert codes == [200, 200, 429, 429]
    assert FormSubmission.objects.count() == 2


def test_the_answer_is_the_same_for_an_existing_and_a_new_person(client, lead_form):
    make_contact(email="ichiro.tanaka@sample.co.jp", family_name="田中")
    existing = submit(client)
    new = submit(client, data={**GOOD, "email": "someone.new@sample.co.jp"})
    assert existing.status_code == new.status_code
    assert existing.json() == new.json()
    assert existing.headers.keys() == new.headers.keys()


def test_an_existing_contact_is_updated_not_duplicated_and_known_values_are_kept(client, lead_form):
    known = make_contact(email="ichiro.tanaka@sample.co.jp", family_name="田中", given_name="")
    submit(client, data={**GOOD, "family_name": "偽名", "given_name": "一郎"})
    assert Contact.objects.count() == 1
    known.refresh_from_db()
    assert known.family_name == "田中"
    assert known.given_name == "一郎"
    assert known.consent_status == ConsentStatus.OPTED_IN
    assert FormSubmission.objects.get().contact == known


def test_a_failed_processing_keeps_the_submission_and_a_retry_processes_it(
    client, lead_form, monkeypatch
):
    def broken(values):
        raise RuntimeError("matching is down")

    monkeypatch.setattr("renkei.marketing.services.find_contact_for_submission", broken)
    response = submit(client)
    assert response.status_code == 200
    assert response.json()["ok"] is True
    submission = FormSubmission.objects.get()
    assert submission.status == SubmissionStatus.FAILED
    assert "matching is down" in submission.error
    assert submission.attempts == 1
    assert not Contact.objects.exists()
    assert not Touch.objects.exists()

    monkeypatch.undo()
    assert services.retry_failed_submissions() == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PROCESSED
    assert submission.attempts == 2
    assert submission.contact.email == "ichiro.tanaka@sample.co.jp"


def test_retries_stop_after_the_maximum_attempts(client, lead_form, monkeypatch):
    monkeypatch.setattr(
        "renkei.marketing.services.find_contact_for_submission",
        lambda values: (_ for _ in ()).throw(RuntimeError("still down")),
    )
    submit(client)
    for _ in range(services.MAX_ATTEMPTS + 2):
        services.retry_failed_submissions()
    submission = FormSubmission.objects.get()
    assert submission.status == SubmissionStatus.FAILED
    assert submission.attempts == services.MAX_ATTEMPTS


def test_a_submission_left_processing_by_a_crash_is_picked_up_again(lead_form):
    submission = FormSubmission.objects.create(
        form=lead_form, data={k: v for k, v in GOOD.items() if not k.startswith("rk_")},
        meta={}, status=SubmissionStatus.PROCESSING, attempts=1,
        created_at=dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC),
        processed_at=dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC),
    )  # fmt: skip
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC)):
        assert services.retry_failed_submissions() == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PROCESSED


def test_the_retry_job_is_registered():
    from renkei.core.scheduler import registered_jobs

    assert "marketing.retry_form_submissions" in {job.name for job in registered_jobs()}


def test_a_submission_attaches_the_visitors_earlier_page_views(client, lead_form):
    from renkei.marketing.models import TrackingSettings

    config = TrackingSettings.load()
    config.allowed_origins = SITE
    config.save()
    visitor = "f" * 32
    client.post(
        "/t/collect",
        data=json.dumps(
            {
                "visitor": visitor,
                "events": [{"type": "page_view", "url": f"{SITE}/pricing/", "title": "料金"}],
            }
        ),
        content_type="text/plain",
        headers={"Origin": SITE, "User-Agent": "Mozilla/5.0 Chrome/131"},
    )
    submit(client, data={**GOOD, "rk_vid": visitor})
    contact = Contact.objects.get()
    assert list(contact.touches.order_by("at").values_list("type", flat=True)) == [
        TouchType.PAGE_VIEW,
        TouchType.FORM_SUBMIT,
    ]


def test_the_embed_script_carries_the_form_definition(client, lead_form):
    response = client.get("/f/shiryo/embed.js")
    assert response.status_code == 200
    body = response.content.decode()
    assert '"slug": "shiryo"' in body
    assert "http://testserver/f/shiryo/submit" in body
    assert "textContent" in body


def test_a_form_definition_needs_a_required_name_and_email():
    assert definition_errors(STANDARD_FIELDS) == []
    without_email = [f for f in STANDARD_FIELDS if f["key"] != "email"]
    assert any("email" in e for e in definition_errors(without_email))
    duplicate = [*STANDARD_FIELDS, {**STANDARD_FIELDS[0], "key": "company2"}]
    assert definition_errors(duplicate)
    reserved = [*STANDARD_FIELDS, {"key": "rk_hp", "label_ja": "x"}]
    assert definition_errors(reserved)


def test_make_form_gives_a_slug_from_the_name(db):
    form = make_form(name="Whitepaper Download", slug="")
    assert form.slug == "whitepaper-download"
    assert make_form(name="Whitepaper Download", slug="").slug == "whitepaper-download-2"


def test_errors_are_in_japanese_by_default(client, lead_form):
    response = submit(client, data={**GOOD, "family_name": ""})
    assert response.json()["errors"]["family_name"] == ["このフィールドは必須です。"]


def test_failed_submissions_are_visible_to_admins_and_can_be_retried(
    client, lead_form, admin_user, monkeypatch
):
    monkeypatch.setattr(
        "renkei.marketing.services.find_contact_for_submission",
        lambda values: (_ for _ in ()).throw(RuntimeError("down")),
    )
    submit(client)
    monkeypatch.undo()
    client.force_login(admin_user)
    listing = client.get("/admin/marketing/formsubmission/?status=failed")
    assert "RuntimeError: down" in listing.content.decode()
    submission = FormSubmission.objects.get()
    client.post(
        "/admin/marketing/formsubmission/",
        {"action": "retry", "_selected_action": [submission.pk]},
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PROCESSED


def test_a_probable_match_creates_a_new_contact_and_flags_the_pair_for_review(client, db):
    from renkei.contacts.models import DuplicateCandidate

    kana = [
        {"key": "sei_kana", "mapping": "family_name_kana", "label_ja": "セイ"},
        {"key": "mei_kana", "mapping": "given_name_kana", "label_ja": "メイ"},
    ]
    make_form(fields=[*STANDARD_FIELDS, *kana])
    account = make_account(name="ABC株式会社")
    known = make_contact(
        family_name="斎藤", given_name="美咲", family_name_kana="サイトウ",
        given_name_kana="ミサキ", email="saito@abc.co.jp", account=account,
    )  # fmt: skip
    data = {
        **GOOD, "company": "ABC株式会社", "family_name": "斉藤", "given_name": "美咲",
        "sei_kana": "さいとう", "mei_kana": "みさき", "email": "m.saito@gmail.com",
    }  # fmt: skip
    response = submit(client, data=data)
    assert response.json()["ok"] is True
    assert Contact.objects.count() == 2
    new = Contact.objects.exclude(pk=known.pk).get()
    assert new.account == account
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.contact_a_id, candidate.contact_b_id} == {known.pk, new.pk}


def test_a_plain_post_from_the_framed_page_may_be_framed_again(client, lead_form):
    response = client.post(
        "/f/shiryo/submit?embed=1&lang=ja",
        data={**GOOD, "email": "bad"},
        headers={"Origin": "http://testserver"},
    )
    assert response.status_code == 400
    assert "X-Frame-Options" not in response
    assert response["Content-Security-Policy"] == f"frame-ancestors 'self' {SITE}"
    page = response.content.decode()
    assert 'action="/f/shiryo/submit?embed=1&amp;lang=ja"' in page


def test_merging_two_contacts_keeps_touches_submissions_and_consent(client, lead_form, manager):
    from renkei.contacts.dedup.services import merge_contacts

    submit(client, data={**GOOD, "rk_vid": "a" * 32})
    other = {"family_name": "鈴木", "given_name": "二郎", "phone": "06-9876-5432"}
    submit(client, data={**GOOD, **other, "email": "second@sample.co.jp", "rk_vid": "b" * 32})
    first, second = Contact.objects.order_by("id")
    merge_contacts(first, second, actor=manager)
    assert Touch.objects.filter(contact=first).count() == 2
    assert FormSubmission.objects.filter(contact=first).count() == 2
    assert ConsentRecord.objects.filter(contact=first).count() == 2
