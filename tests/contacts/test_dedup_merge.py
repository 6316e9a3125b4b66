"""The duplicate review queue and merging contacts and accounts."""

from __future__ import annotations

import datetime as dt

import pytest

from renkei.contacts.choices import ConsentStatus, LeadStatus, LifecycleStage, SourceChannel
from renkei.contacts.dedup.choices import DuplicateKind, DuplicateStatus
from renkei.contacts.dedup.engine import Decision
from renkei.contacts.dedup.services import (
    MergeError,
    dismiss_candidate,
    flag_duplicate,
    merge_accounts,
    merge_candidate,
    merge_contacts,
)
from renkei.contacts.models import Account, Contact, DuplicateCandidate
from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.funnel import services as funnel
from renkei.funnel.models import StageChange, StatusChange
from renkei.imports.models import ContactAttributes
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


def _at(days: int) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


# --- the queue ---------------------------------------------------------------------------


def test_flagging_a_pair_twice_keeps_one_candidate():
    a, b = make_contact(), make_contact()
    first = flag_duplicate(a, b, reasons=["same name"])
    again = flag_duplicate(b, a, reasons=["same name", "company unknown"])
    assert first.pk == again.pk
    assert DuplicateCandidate.objects.count() == 1
    assert (first.contact_a, first.contact_b, first.kind) == (a, b, DuplicateKind.CONTACT)
    assert first.reasons == ["same name"]
    assert first.decision == Decision.REVIEW


def test_a_dismissed_pair_stays_dismissed_when_flagged_again(manager):
    a, b = make_account(), make_account()
    candidate = flag_duplicate(a, b, reasons=["same domain"])
    dismiss_candidate(candidate, actor=manager)
    again = flag_duplicate(a, b, reasons=["same domain"])
    assert again.status == DuplicateStatus.DISMISSED
    assert again.decided_by == manager
    assert again.decided_at is not None


def test_a_pair_must_be_two_different_records_of_one_kind():
    contact, account = make_contact(), make_account()
    with pytest.raises(ValueError):
        flag_duplicate(contact, contact, reasons=[])
    with pytest.raises(ValueError):
        flag_duplicate(contact, account, reasons=[])


def test_a_decided_pair_cannot_be_decided_again(manager):
    candidate = flag_duplicate(make_contact(), make_contact(), reasons=["same name"])
    dismiss_candidate(candidate, actor=manager)
    with pytest.raises(MergeError) as caught:
        merge_candidate(candidate, actor=manager)
    assert caught.value.code == "already_decided"


def test_merging_a_candidate_keeps_the_older_record_and_closes_the_pair(manager):
    a = make_contact(family_name="山田", given_name="太郎")
    b = make_contact(family_name="山田", given_name="太郎")
    candidate = flag_duplicate(a, b, reasons=["same name"])
    survivor = merge_candidate(candidate, actor=manager)
    assert survivor.pk == a.pk
    assert not Contact.objects.filter(pk=b.pk).exists()
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.MERGED
    assert (candidate.decided_by, candidate.contact_a_id) == (manager, a.pk)


def test_the_reviewer_may_choose_the_survivor(manager):
    a, b = make_contact(), make_contact()
    candidate = flag_duplicate(a, b, reasons=["same name"])
    survivor = merge_candidate(candidate, actor=manager, survivor_id=b.pk)
    assert survivor.pk == b.pk
    assert not Contact.objects.filter(pk=a.pk).exists()


def test_other_open_pairs_of_the_duplicate_move_to_the_survivor(manager):
    a, b, c = make_contact(), make_contact(), make_contact()
    flag_duplicate(b, c, reasons=["same name"])
    merge_contacts(a, b, actor=manager)
    moved = DuplicateCandidate.objects.get()
    assert (moved.contact_a_id, moved.contact_b_id) == (a.pk, c.pk)
    assert moved.pair_key == DuplicateCandidate.key_for("contact", a.pk, c.pk)


# --- merging contacts ----------------------------------------------------------------------


def test_a_contact_cannot_be_merged_into_itself(manager):
    contact = make_contact()
    with pytest.raises(MergeError):
        merge_contacts(contact, contact, actor=manager)


def test_survivor_values_win_and_blanks_are_filled_from_the_duplicate(manager):
    account = make_account(name="ABC株式会社")
    survivor = make_contact(family_name="山田", given_name="太郎", title="部長", phone="")
    duplicate = make_contact(
        family_name="山田",
        given_name="太郎",
        title="課長",
        department="営業部",
        phone="090-1234-5678",
        account=account,
        source_channel=SourceChannel.EXHIBITION,
    )
    merged = merge_contacts(survivor, duplicate, actor=manager)
    assert merged.title == "部長"
    assert merged.department == "営業部"
    assert merged.phone == "+819012345678"
    assert merged.account == account
    assert merged.source_channel == SourceChannel.EXHIBITION


def test_field_choices_take_the_duplicates_value(manager):
    survivor = make_contact(title="部長", email="old@abc.co.jp")
    duplicate = make_contact(title="本部長", email="new@abc.co.jp")
    merged = merge_contacts(
        survivor,
        duplicate,
        actor=manager,
        field_choices={"title": "duplicate", "email": "survivor"},
    )
    merged.refresh_from_db()
    assert (merged.title, merged.email) == ("本部長", "old@abc.co.jp")


def test_field_choices_reject_unknown_fields_and_sides(manager):
    survivor, duplicate = make_contact(), make_contact()
    with pytest.raises(ValueError):
        merge_contacts(
            survivor, duplicate, actor=manager, field_choices={"lifecycle_stage": "duplicate"}
        )
    with pytest.raises(ValueError):
        merge_contacts(survivor, duplicate, actor=manager, field_choices={"title": "newest"})
    assert Contact.objects.filter(pk=duplicate.pk).exists()


def test_stage_and_status_history_moves_to_the_survivor(manager):
    survivor = make_contact(at=_at(10))
    duplicate = make_contact(at=_at(0))
    funnel.change_stage(duplicate, to_stage=LifecycleStage.MQL, actor=manager, at=_at(1))
    funnel.change_status(duplicate, to_status=LeadStatus.WORKING, actor=manager, at=_at(2))
    moved_stage_ids = set(duplicate.stage_changes.values_list("pk", flat=True))
    moved_status_ids = set(
        StatusChange.objects.filter(contact=duplicate).values_list("pk", flat=True)
    )
    merge_contacts(survivor, duplicate, actor=manager)
    assert moved_stage_ids <= set(
        StageChange.objects.filter(contact=survivor).values_list("pk", flat=True)
    )
    assert moved_status_ids <= set(
        StatusChange.objects.filter(contact=survivor).values_list("pk", flat=True)
    )
    assert StageChange.objects.filter(contact=survivor).count() == 3


def test_the_further_stage_wins_and_each_became_at_is_the_earliest(manager):
    survivor = make_contact(at=_at(5))
    duplicate = make_contact(at=_at(0))
    funnel.change_stage(duplicate, to_stage=LifecycleStage.MQL, actor=manager, at=_at(1))
    funnel.change_stage(duplicate, to_stage=LifecycleStage.SAL, actor=manager, at=_at(2))
    duplicate.refresh_from_db()
    merged = merge_contacts(survivor, duplicate, actor=manager)
    merged.refresh_from_db()
    assert merged.lifecycle_stage == LifecycleStage.SAL
    assert merged.lead_status == duplicate.lead_status
    assert merged.became_lead_at == _at(0)
    assert merged.became_mql_at == _at(1)
    assert merged.became_sal_at == _at(2)
    assert merged.stage_changed_at == _at(2)


def test_the_survivor_keeps_its_stage_when_it_is_further_along(manager):
    survivor = make_contact(at=_at(0))
    funnel.change_stage(survivor, to_stage=LifecycleStage.MQL, actor=manager, at=_at(3))
    duplicate = make_contact(at=_at(1))
    merged = merge_contacts(survivor, duplicate, actor=manager)
    assert merged.lifecycle_stage == LifecycleStage.MQL
    assert merged.became_lead_at == _at(0)


def test_an_opt_out_on_either_side_wins(manager):
    survivor = make_contact(consent_status=ConsentStatus.OPTED_IN)
    duplicate = make_contact(consent_status=ConsentStatus.OPTED_OUT)
    assert (
        merge_contacts(survivor, duplicate, actor=manager).consent_status == ConsentStatus.OPTED_OUT
    )


def test_the_earliest_first_touch_and_creation_time_are_kept(manager):
    survivor = make_contact(
        at=_at(9), first_touch_at=_at(8), first_touch_url="https://a.example/late"
    )
    duplicate = make_contact(
        at=_at(2), first_touch_at=_at(1), first_touch_url="https://a.example/early"
    )
    merged = merge_contacts(survivor, duplicate, actor=manager)
    assert (merged.first_touch_at, merged.first_touch_url) == (_at(1), "https://a.example/early")
    assert merged.created_at == duplicate.created_at


def test_one_to_one_extras_are_combined_with_the_survivors_keys_winning(manager):
    survivor, duplicate = make_contact(), make_contact()
    ContactAttributes.objects.create(contact=survivor, data={"budget": "100", "size": "S"})
    ContactAttributes.objects.create(contact=duplicate, data={"budget": "999", "region": "関西"})
    merge_contacts(survivor, duplicate, actor=manager)
    entry = audit.history(survivor).get(action=AuditAction.MERGE)
    assert entry.changes["combined"][0]["row"]["data"] == {"budget": "999", "region": "関西"}
    assert ContactAttributes.objects.get(contact=survivor).data == {
        "budget": "100",
        "size": "S",
        "region": "関西",
    }


def test_a_one_to_one_extra_moves_when_the_survivor_has_none(manager):
    survivor, duplicate = make_contact(), make_contact()
    extra = ContactAttributes.objects.create(contact=duplicate, data={"budget": "999"})
    merge_contacts(survivor, duplicate, actor=manager)
    extra.refresh_from_db()
    assert extra.contact_id == survivor.pk


def test_the_merge_is_in_the_audit_log_with_both_snapshots(manager):
    survivor = make_contact(family_name="山田", given_name="太郎", title="")
    duplicate = make_contact(family_name="山田", given_name="太郎", title="部長")
    duplicate_id = duplicate.pk
    merge_contacts(survivor, duplicate, actor=manager)
    entry = audit.history(survivor).get(action=AuditAction.MERGE)
    assert entry.actor == manager
    assert entry.changes["duplicate_id"] == duplicate_id
    assert entry.changes["duplicate"]["title"] == "部長"
    assert entry.changes["survivor_before"]["title"] == ""
    assert entry.changes["fields"]["title"] == ["", "部長"]
    assert entry.changes["moved"]["funnel.StageChange"] == 1


def test_merge_keys_are_recomputed_for_the_survivor(manager):
    survivor = make_contact(
        family_name="山田", given_name="", family_name_kana="", given_name_kana=""
    )
    duplicate = make_contact(
        family_name="山田", given_name="太郎", family_name_kana="ヤマダ", given_name_kana="タロウ"
    )
    merged = merge_contacts(
        survivor, duplicate, actor=manager, field_choices={"given_name": "duplicate"}
    )
    assert (merged.name_key, merged.kana_key) == ("山田太郎", "ヤマダタロウ")


# --- merging accounts ----------------------------------------------------------------------


def test_contacts_of_a_merged_account_move_to_the_survivor(manager):
    survivor = make_account(name="株式会社山田商事")
    duplicate = make_account(name="山田商事(株) 大阪支店")
    people = [make_contact(account=duplicate), make_contact(account=duplicate)]
    merge_accounts(survivor, duplicate, actor=manager)
    assert not Account.objects.filter(pk=duplicate.pk).exists()
    for person in people:
        person.refresh_from_db()
        assert person.account == survivor
        assert "株式会社山田商事" in person.search_text


def test_an_account_merge_takes_the_corporate_number_from_the_duplicate(manager):
    survivor = make_account(name="トヨタ自動車株式会社", website="")
    duplicate = make_account(
        name="Toyota Motor Corporation",
        corporate_number="1180301018771",
        website="https://global.toyota",
    )
    merged = merge_accounts(survivor, duplicate, actor=manager)
    merged.refresh_from_db()
    assert (merged.name, merged.corporate_number) == ("トヨタ自動車株式会社", "1180301018771")
    assert merged.website == "https://global.toyota"


def test_an_account_merge_honours_field_choices_and_is_audited(manager):
    survivor = make_account(name="ABC株式会社")
    duplicate = make_account(name="ABC Co., Ltd.")
    merged = merge_accounts(survivor, duplicate, actor=manager, field_choices={"name": "duplicate"})
    assert merged.name == "ABC Co., Ltd."
    entry = audit.history(merged).get(action=AuditAction.MERGE)
    assert entry.changes["duplicate"]["name"] == "ABC Co., Ltd."
    assert entry.changes["fields"]["name"] == ["ABC株式会社", "ABC Co., Ltd."]


def test_a_merge_changes_nothing_when_a_record_is_gone(manager):
    survivor, duplicate = make_account(), make_account()
    Account.objects.filter(pk=duplicate.pk).delete()
    with pytest.raises(MergeError) as caught:
        merge_accounts(survivor, duplicate, actor=manager)
    assert caught.value.code == "missing_record"


def test_merging_locks_both_rows(manager, monkeypatch):
    calls: list[bool] = []
    original = Contact._base_manager.select_for_update

    def spy(*args, **kwargs):
        calls.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(Contact._base_manager, "select_for_update", spy)
    merge_contacts(make_contact(), make_contact(), actor=manager)
    assert calls
