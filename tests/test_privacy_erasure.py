"""Disclosure and erasure through the privacy registry: everything of the person and
nothing of anyone else; erased everywhere, metrics still counting, a tombstone kept, and
imports and forms that do not bring the person back silently."""

from __future__ import annotations

import json

import pytest

from renkei.contacts.choices import ConsentStatus, LifecycleStage
from renkei.contacts.models import Contact
from renkei.core.models import AuditLog
from renkei.funnel import services as funnel
from renkei.funnel.models import StageChange
from renkei.imports.choices import RowOutcome
from renkei.imports.models import ContactAttributes, ExternalId, ImportRow
from renkei.marketing.choices import SubmissionStatus
from renkei.marketing.models import ConsentRecord, FormSubmission, Touch, Visitor
from renkei.marketing.models import Form as MarketingForm
from renkei.privacy import registry, services, tombstones
from renkei.privacy.choices import EventKind, HitSource, IdentityStatus, RequestKind
from renkei.privacy.models import Tombstone, TombstoneHit
from tests.privacy_helpers import (
    SUZUKI_EMAIL,
    TANAKA_EMAIL,
    TANAKA_PHONE,
    VISITOR,
    database_text,
    erasure_request,
    import_people,
    known_person,
    submit_form,
)


@pytest.fixture
def people(db, tmp_path):
    tanaka, suzuki = known_person(tmp_path)
    funnel.change_stage(
        tanaka, to_stage=LifecycleStage.MQL, actor=funnel.Actor.system("test"),
        reason="田中さんから電話で資料の質問",
    )  # fmt: skip
    return tanaka, suzuki


def test_every_app_with_personal_data_is_registered():
    names = {h.name for h in registry.holders()}
    assert {
        "contacts.contact", "contacts.duplicates", "funnel.stage_changes",
        "funnel.status_changes", "marketing.touches", "marketing.visitors",
        "marketing.form_submissions", "marketing.consent_records", "imports.rows",
        "imports.attributes", "imports.external_ids", "core.audit", "nurture.messages",
        "nurture.suppressions", "nurture.exceptions", "nurture.enrollments",
    } <= names  # fmt: skip
    assert [h.name for h in registry.holders()][-2:] == ["contacts.contact", "core.audit"]


def test_disclosure_holds_the_persons_touches_form_data_and_import_rows(people, admin_user):
    tanaka, _suzuki = people
    request = erasure_request(admin_user, tanaka, kind=RequestKind.DISCLOSURE)
    data = services.disclosure(request)["contacts"][0]["data"]
    assert data["contacts.contact"]["rows"][0]["email"] == TANAKA_EMAIL
    touch_urls = [t["url"] for t in data["marketing.touches"]["rows"]]
    assert "https://www.example.co.jp/price?ref=ad" in touch_urls  # before they identified
    assert [s["data"]["interest"] for s in data["marketing.form_submissions"]["rows"]] == [
        "田中の関心"
    ]
    assert data["marketing.visitors"]["rows"][0]["uid"] == VISITOR
    assert data["marketing.consent_records"]["rows"][0]["given"] is True
    [row] = data["imports.rows"]["rows"]
    assert row["raw"]["メール"] == TANAKA_EMAIL
    assert data["imports.external_ids"]["rows"][0]["value"] == "V001"
    assert data["imports.attributes"]["rows"][0]["data"] == {"temperature": "A"}
    reasons = [s["reason"] for s in data["funnel.stage_changes"]["rows"]]
    assert "田中さんから電話で資料の質問" in reasons
    assert data["core.audit"]["rows"]


def test_disclosure_holds_nothing_of_anyone_else(people, admin_user):
    tanaka, _suzuki = people
    request = erasure_request(admin_user, tanaka, kind=RequestKind.DISCLOSURE)
    text = json.dumps(services.disclosure(request), ensure_ascii=False)
    assert SUZUKI_EMAIL not in text
    assert "鈴木" not in text
    assert "V002" not in text


def test_the_csv_export_is_a_zip_of_one_file_per_holder(people, admin_user):
    import io
    import zipfile

    tanaka, _suzuki = people
    request = erasure_request(admin_user, tanaka, kind=RequestKind.DISCLOSURE)
    content, name = services.export_disclosure(request, actor=admin_user, fmt="csv")
    assert name == f"disclosure-{request.pk}.zip"
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert {"contacts.contact.csv", "marketing.touches.csv", "imports.rows.csv"} <= set(
        archive.namelist()
    )
    text = archive.read("imports.rows.csv").decode("utf-8-sig")
    assert TANAKA_EMAIL in text and SUZUKI_EMAIL not in text
    assert request.events.filter(kind=EventKind.EXPORTED).exists()


def test_erasure_removes_the_personal_values_everywhere(people, admin_user):
    tanaka, suzuki = people
    request = erasure_request(admin_user, tanaka)
    services.erase_request(request, actor=admin_user)

    text = database_text()
    for value in (TANAKA_EMAIL, TANAKA_PHONE, "一郎", "イチロウ", "田中の関心", VISITOR,
                  "192.0.2.10", "田中さんから電話", "?ref=ad"):  # fmt: skip
        assert value not in text, value
    tanaka.refresh_from_db()
    assert tanaka.family_name == "（消去済み）"
    assert (tanaka.email, tanaka.phone, tanaka.account_id) == ("", "", None)
    assert tanaka.consent_status == ConsentStatus.OPTED_OUT
    assert not Visitor.objects.exists()
    assert not ConsentRecord.objects.filter(contact=tanaka).exists()
    assert not ExternalId.objects.filter(contact=tanaka).exists()
    assert not ContactAttributes.objects.filter(contact=tanaka).exists()
    # Suzuki keeps everything.
    suzuki.refresh_from_db()
    assert suzuki.email == SUZUKI_EMAIL
    assert FormSubmission.objects.get(contact=suzuki).data["interest"] == "鈴木の関心"
    assert ImportRow.objects.get(contact_id=suzuki.pk).raw["メール"] == SUZUKI_EMAIL
    assert SUZUKI_EMAIL in text


def test_erasure_keeps_stage_events_and_anonymous_touches_countable(people, admin_user):
    tanaka, _suzuki = people
    stage_events = StageChange.objects.filter(contact=tanaka).count()
    mql_before = StageChange.objects.entered(LifecycleStage.MQL).count()
    touches_before = Touch.objects.count()
    request = erasure_request(admin_user, tanaka)
    services.erase_request(request, actor=admin_user)
    assert StageChange.objects.filter(contact=tanaka).count() == stage_events
    assert StageChange.objects.entered(LifecycleStage.MQL).count() == mql_before
    assert Touch.objects.count() == touches_before
    assert not Touch.objects.filter(contact=tanaka).exists()
    assert Touch.objects.filter(url="https://www.example.co.jp/price").exists()
    tanaka.refresh_from_db()
    assert tanaka.lifecycle_stage == LifecycleStage.MQL
    assert ImportRow.objects.filter(contact_id=tanaka.pk, raw={}).count() == 1


def test_erasure_writes_a_tombstone_without_the_values(people, admin_user):
    tanaka, _suzuki = people
    request = erasure_request(admin_user, tanaka)
    services.erase_request(request, actor=admin_user)
    tomb = Tombstone.objects.get()
    assert tomb.request == request
    assert TANAKA_EMAIL not in tomb.email_hash
    assert tombstones.is_erased(email="Ichiro.Tanaka@Sample.co.jp")
    assert tombstones.is_erased(phone="03-1234-5678")
    assert not tombstones.is_erased(email=SUZUKI_EMAIL)
    # A colleague on the same main line but with their own email is someone else.
    assert not tombstones.is_erased(email="colleague@sample.co.jp", phone="03-1234-5678")
    event = request.events.get(kind=EventKind.ERASED)
    assert TANAKA_EMAIL not in json.dumps(event.detail)
    entry = AuditLog.objects.filter(object_id=str(request.pk), action="delete").get()
    assert entry.changes == {"erased_contacts": [None, [tanaka.pk]]}


def test_a_reimport_of_the_erased_email_is_rejected_and_noted(people, admin_user, tmp_path):
    tanaka, _suzuki = people
    services.erase_request(erasure_request(admin_user, tanaka), actor=admin_user)
    contacts = Contact.objects.count()
    job = import_people(tmp_path, "again.csv", tanaka_email="ICHIRO.TANAKA@sample.co.jp")
    assert Contact.objects.count() == contacts
    row = ImportRow.objects.get(job=job, number=1)
    assert row.outcome == RowOutcome.REJECTED
    assert "erased at their request" in row.reason
    assert row.raw == {}
    assert TombstoneHit.objects.get().source == HitSource.IMPORT
    assert ImportRow.objects.get(job=job, number=2).outcome != RowOutcome.REJECTED


def test_a_dry_run_shows_the_rejection_but_notes_nothing(people, admin_user, tmp_path):
    from renkei.imports.services import import_file
    from tests.imports.helpers import EXHIBITION_HEADER, write_csv

    tanaka, _suzuki = people
    services.erase_request(erasure_request(admin_user, tanaka), actor=admin_user)
    rows = [["V009", "株式会社X", "", "", "田中 一郎", "", TANAKA_EMAIL, "", ""]]
    job = import_file(write_csv(tmp_path / "d.csv", EXHIBITION_HEADER, rows), dry_run=True)
    assert job.rejected == 1
    assert not TombstoneHit.objects.exists()


def test_a_form_submission_of_the_erased_email_is_held_not_made_a_contact(people, admin_user):
    tanaka, _suzuki = people
    services.erase_request(erasure_request(admin_user, tanaka), actor=admin_user)
    contacts = Contact.objects.count()
    submission = submit_form(
        MarketingForm.objects.get(), email=TANAKA_EMAIL, family="田中", given="一郎"
    )
    assert Contact.objects.count() == contacts
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PROCESSED
    assert submission.contact is None
    assert "erased" in submission.error
    hit = TombstoneHit.objects.get()
    assert (hit.source, hit.reference) == (HitSource.FORM, f"submission {submission.pk}")
    services.review_hit(hit, actor=admin_user, discard=True)
    submission.refresh_from_db()
    assert submission.data == {}
    hit.refresh_from_db()
    assert hit.reviewed_at is not None


def test_erasure_needs_a_verified_identity_and_an_erasure_request(people, admin_user):
    tanaka, _suzuki = people
    pending = erasure_request(admin_user, tanaka, identity_status=IdentityStatus.PENDING)
    with pytest.raises(services.PrivacyError) as exc:
        services.erase_request(pending, actor=admin_user)
    assert exc.value.code == "not_verified"
    disclosure = erasure_request(admin_user, tanaka, kind=RequestKind.DISCLOSURE)
    with pytest.raises(services.PrivacyError) as exc:
        services.erase_request(disclosure, actor=admin_user)
    assert exc.value.code == "wrong_kind"
    tanaka.refresh_from_db()
    assert tanaka.email == TANAKA_EMAIL
    assert not Tombstone.objects.exists()


def test_erasure_without_linked_contacts_erases_nothing(people, admin_user):
    request = services.create_request(
        actor=admin_user, kind=RequestKind.ERASURE, requester_name="田中 一郎",
        identity_status=IdentityStatus.VERIFIED,
    )  # fmt: skip
    with pytest.raises(services.PrivacyError) as exc:
        services.erase_request(request, actor=admin_user)
    assert exc.value.code == "no_contacts"
    assert Contact.objects.filter(email=TANAKA_EMAIL).exists()


def test_a_request_is_erased_only_once(people, admin_user):
    tanaka, _suzuki = people
    request = erasure_request(admin_user, tanaka)
    services.erase_request(request, actor=admin_user)
    request.refresh_from_db()
    with pytest.raises(services.PrivacyError) as exc:
        services.erase_request(request, actor=admin_user)
    assert exc.value.code == "already_erased"


def test_stop_of_use_opts_the_contacts_out(people, admin_user):
    tanaka, suzuki = people
    request = erasure_request(admin_user, tanaka, kind=RequestKind.STOP_USE)
    assert services.stop_use(request, actor=admin_user) == 1
    tanaka.refresh_from_db()
    suzuki.refresh_from_db()
    assert tanaka.consent_status == ConsentStatus.OPTED_OUT
    assert suzuki.consent_status == ConsentStatus.OPTED_IN
    assert tanaka.email == TANAKA_EMAIL  # stopping use erases nothing


def test_erasure_reaches_the_email_app(people, admin_user, smtp_server):
    from renkei.nurture import services as email_services
    from renkei.nurture.choices import LawfulBasis
    from renkei.nurture.models import LawfulException, Message, Suppression
    from tests.nurture_setup import configure_sender, make_template, start_send

    tanaka, suzuki = people
    configure_sender(admin_user)
    for contact in (tanaka, suzuki):
        email_services.record_lawful_exception(
            contact, basis=LawfulBasis.BUSINESS_CARD, evidence="2026-10 展示会で名刺交換",
            actor=admin_user,
        )  # fmt: skip
    send = start_send(admin_user, make_template(admin_user))
    email_services.prepare_send(send.pk)
    email_services.run_delivery()
    assert Message.objects.get(contact=tanaka).email == TANAKA_EMAIL
    email_services.suppress(TANAKA_EMAIL, reason="unsubscribed")
    request = erasure_request(admin_user, tanaka)
    data = services.disclosure(request)["contacts"][0]["data"]
    assert data["nurture.messages"]["rows"][0]["email"] == TANAKA_EMAIL
    assert data["nurture.suppressions"]["rows"][0]["email"] == TANAKA_EMAIL

    services.erase_request(request, actor=admin_user)

    assert TANAKA_EMAIL not in database_text()  # the audit entry of the suppression too
    message = Message.objects.get(send=send, contact=tanaka)
    assert message.email == "" and message.sent_at is not None  # the send's counts stay
    assert not Suppression.objects.exists()
    assert not LawfulException.objects.filter(contact=tanaka).exists()
    assert Message.objects.get(contact=suzuki).email == SUZUKI_EMAIL
