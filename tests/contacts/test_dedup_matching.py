"""Finding the existing account or contact that incoming data describes."""

from __future__ import annotations

import pytest

from renkei.contacts.dedup.engine import Decision, Reason
from renkei.contacts.dedup.matching import find_account_match, find_contact_match
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


def test_keys_are_stored_when_records_are_created():
    account = make_account(
        name="髙島屋株式会社 大阪支店", website="https://www.tokyo.example.co.jp/"
    )
    contact = make_contact(
        family_name="山﨑", given_name="太郎", family_name_kana="やまざき", given_name_kana="タロウ"
    )
    assert (account.match_key, account.domain_key) == ("高島屋", "example.co.jp")
    assert (contact.name_key, contact.kana_key) == ("山崎太郎", "ヤマザキタロウ")


def test_an_account_with_the_same_corporate_number_merges_whatever_its_name():
    toyota = make_account(name="トヨタ自動車株式会社", corporate_number="1180301018771")
    match = find_account_match(name="Toyota Motor Corporation", corporate_number="1180301018771")
    assert (match.decision, match.account) == (Decision.MERGE, toyota)
    assert match.reasons == [Reason.SAME_CORPORATE_NUMBER]


def test_an_account_name_in_another_notation_merges():
    account = make_account(name="株式会社山田商事")
    match = find_account_match(name="㈱山田商事 名古屋支店")
    assert (match.decision, match.account) == (Decision.MERGE, account)


def test_a_different_corporate_number_keeps_a_same_named_account_separate():
    make_account(name="株式会社山田商事", corporate_number="4010001008772")
    match = find_account_match(name="株式会社山田商事", corporate_number="1180301018771")
    assert (match.decision, match.account) == (Decision.SEPARATE, None)


def test_an_account_behind_the_same_domain_goes_to_review():
    account = make_account(name="株式会社ミライ", website="https://mirai.co.jp")
    match = find_account_match(name="未来テクノロジー株式会社", website="https://www.mirai.co.jp")
    assert (match.decision, match.account) == (Decision.REVIEW, account)


def test_a_merge_candidate_beats_an_older_review_candidate():
    make_account(name="ミライ株式会社")  # 後株: review against 株式会社ミライ
    same = make_account(name="(株)ミライ")
    match = find_account_match(name="株式会社ミライ")
    assert (match.decision, match.account) == (Decision.MERGE, same)


def test_no_account_matches_unknown_values():
    make_account(name="株式会社山田商事")
    assert find_account_match(name="株式会社佐藤工業").decision == Decision.SEPARATE
    assert find_account_match().decision == Decision.SEPARATE


def test_a_contact_with_the_same_email_merges():
    contact = make_contact(family_name="山田", given_name="太郎", email="taro.yamada@abc.co.jp")
    match = find_contact_match(
        family_name="Taro", given_name="Yamada", email="Taro.Yamada@ABC.co.jp"
    )
    assert (match.decision, match.contact) == (Decision.MERGE, contact)


def test_a_shared_role_mailbox_does_not_match_another_person():
    make_contact(family_name="山田", given_name="太郎", email="info@abc.co.jp")
    match = find_contact_match(family_name="佐藤", given_name="花子", email="info@abc.co.jp")
    assert match.decision == Decision.SEPARATE
    assert match.contact is None


def test_the_same_mobile_number_merges():
    contact = make_contact(family_name="鈴木", given_name="一郎", phone="090-1234-5678")
    match = find_contact_match(family_name="鈴木", given_name="一郎", phone="+81 90 1234 5678")
    assert (match.decision, match.contact) == (Decision.MERGE, contact)


def test_the_same_name_at_the_same_account_merges():
    account = make_account(name="ABC株式会社")
    contact = make_contact(
        family_name="田中", given_name="一郎", email="tanaka@abc.co.jp", account=account
    )
    match = find_contact_match(
        family_name="田中", given_name="一郎", email="ichiro@abc.co.jp", company="ABC(株)"
    )
    assert (match.decision, match.contact) == (Decision.MERGE, contact)


def test_the_same_reading_in_other_kanji_goes_to_review():
    account = make_account(name="ABC株式会社")
    contact = make_contact(
        family_name="斎藤",
        given_name="美咲",
        family_name_kana="サイトウ",
        given_name_kana="ミサキ",
        account=account,
    )
    match = find_contact_match(
        family_name="斉藤",
        given_name="美咲",
        family_name_kana="さいとう",
        given_name_kana="みさき",
        company="ABC株式会社",
    )
    assert (match.decision, match.contact) == (Decision.REVIEW, contact)


def test_the_same_name_elsewhere_goes_to_review():
    contact = make_contact(family_name="山田", given_name="太郎", email="yamada@abc.co.jp")
    match = find_contact_match(family_name="山田", given_name="太郎", email="yamada@xyz.co.jp")
    assert (match.decision, match.contact) == (Decision.REVIEW, contact)


def test_a_contact_can_be_excluded_from_its_own_lookup():
    contact = make_contact(family_name="山田", given_name="太郎", email="taro@abc.co.jp")
    match = find_contact_match(
        family_name="山田", given_name="太郎", email="taro@abc.co.jp", exclude_id=contact.pk
    )
    assert match.decision == Decision.SEPARATE


def test_a_contact_lookup_is_two_queries(django_assert_max_num_queries):
    account = make_account(name="ABC株式会社")
    for n in range(40):
        make_contact(
            family_name="山田", given_name="太郎", email=f"t{n}@abc.co.jp", account=account
        )
    with django_assert_max_num_queries(2):
        match = find_contact_match(
            family_name="山田", given_name="太郎", email="t39@abc.co.jp", phone="090-1111-2222"
        )
    assert match.decision == Decision.MERGE
    assert match.contact.email == "t39@abc.co.jp"


def test_an_account_lookup_is_one_query(django_assert_num_queries):
    make_account(name="株式会社山田商事", corporate_number="4010001008772")
    with django_assert_num_queries(1):
        find_account_match(name="山田商事", corporate_number="4010001008772", website="yamada.jp")


def test_the_batch_account_lookup_decides_as_the_single_one(django_assert_max_num_queries):
    from renkei.contacts.dedup.matching import find_account_matches

    make_account(name="株式会社サンプル商事", corporate_number="1010001000006")
    make_account(name="サンプル商事", website="https://www.sample-shoji.co.jp/")
    make_account(name="有限会社カナ商店")
    make_account(name="ベータ工業株式会社", website="https://beta.example.jp")
    incoming = [
        {"name": "（株）サンプル商事"},
        {"name": "別名", "corporate_number": "1010001000006"},
        {"name": "㈲カナ商店"},
        {"name": "ベータ工業(株)", "website": "beta.example.jp"},
        {"name": "全く別の会社"},
        {"name": "", "website": "https://www.sample-shoji.co.jp/about"},
        {"name": "アルファ株式会社", "corporate_number": "7000012050002"},
    ]
    single = [
        find_account_match(
            name=c.get("name", ""),
            corporate_number=c.get("corporate_number", ""),
            website=c.get("website", ""),
            name_kana=c.get("name_kana", ""),
        )
        for c in incoming
    ]
    with django_assert_max_num_queries(3):  # one per key kind, however many companies
        batch = find_account_matches(incoming)
    assert [(m.decision, m.record_id, m.reasons) for m in batch] == [
        (m.decision, m.record_id, m.reasons) for m in single
    ]
    assert {m.decision for m in batch} >= {Decision.MERGE, Decision.SEPARATE}
