from __future__ import annotations

import pytest

from renkei.contacts.dedup.matching import find_contact_match
from renkei.funnel import services as funnel
from renkei.imports.matching import BatchContactMatcher, Incoming
from tests.factories import make_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing(db):
    actor = funnel.Actor.system("test")
    sample = make_account(name="株式会社サンプル商事")
    other = make_account(name="有限会社アザー")
    people = [
        ("山田", "太郎", "ヤマダ", "タロウ", "taro@sample.co.jp", "03-1234-5678", sample),
        ("山田", "太郎", "ヤマダ", "タロウ", "yamada@other.co.jp", "", other),
        ("佐藤", "花子", "サトウ", "ハナコ", "info@sample.co.jp", "03-1234-5678", sample),
        ("髙橋", "一郎", "タカハシ", "イチロウ", "", "090-1111-2222", None),
        ("鈴木", "次郎", "", "", "jiro@example.com", "", None),
    ]
    for family, given, fk, gk, email, phone, account in people:
        funnel.add_contact(
            actor=actor, family_name=family, given_name=given, family_name_kana=fk,
            given_name_kana=gk, email=email, phone=phone, account=account,
        )  # fmt: skip


INCOMING = [
    Incoming("山田", "太郎", "ヤマダ", "タロウ", "taro@sample.co.jp", "", "(株)サンプル商事"),
    Incoming("山田", "太郎", "ヤマダ", "タロウ", "new@third.co.jp", "", "株式会社サード"),
    Incoming("山田", "太郎", "", "", "", "", "株式会社サンプル商事"),
    Incoming("佐藤", "花子", "", "", "info@sample.co.jp", "", "株式会社サンプル商事"),
    Incoming("高橋", "一郎", "タカハシ", "イチロウ", "", "09011112222", ""),
    Incoming("鈴木", "次郎", "スズキ", "ジロウ", "JIRO@example.com", "", ""),
    Incoming("田中", "三郎", "タナカ", "サブロウ", "s@nowhere.jp", "06-1234-5678", "無関係(株)"),
    Incoming("", "", "ヤマダ", "タロウ", "", "", ""),
]  # fmt: skip


def test_batch_matcher_decides_like_find_contact_match(existing):
    matcher = BatchContactMatcher(INCOMING)
    for index, incoming in enumerate(INCOMING):
        single = find_contact_match(
            family_name=incoming.family_name, given_name=incoming.given_name,
            family_name_kana=incoming.family_name_kana, given_name_kana=incoming.given_name_kana,
            email=incoming.email, phone=incoming.phone, company=incoming.company,
        )  # fmt: skip
        batch = matcher.match(index, incoming)
        assert (batch.decision, batch.contact_id, batch.reasons) == (
            single.decision,
            single.record_id,
            single.reasons,
        ), incoming


def test_batch_matcher_needs_one_query_per_key_kind(existing, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        matcher = BatchContactMatcher(INCOMING)
        for index, incoming in enumerate(INCOMING):
            matcher.match(index, incoming)


def test_a_common_name_is_compared_with_the_same_oldest_candidates(db):
    """More people share the name than a record is compared with: the batch matcher takes
    the same oldest ones as find_contact_match, not every one of them."""
    actor = funnel.Actor.system("test")
    for n in range(35):
        funnel.add_contact(
            actor=actor, family_name="佐藤", given_name="太郎", family_name_kana="サトウ",
            given_name_kana="タロウ", email=f"taro{n}@company{n}.co.jp",
            account=make_account(name=f"株式会社会社{n}"),
        )  # fmt: skip
    incoming = [
        Incoming("佐藤", "太郎", "サトウ", "タロウ", "", "", "株式会社会社34"),
        Incoming("佐藤", "太郎", "サトウ", "タロウ", "", "", "株式会社会社3"),
    ]
    matcher = BatchContactMatcher(incoming)
    for index, record in enumerate(incoming):
        single = find_contact_match(
            family_name=record.family_name, given_name=record.given_name,
            family_name_kana=record.family_name_kana, given_name_kana=record.given_name_kana,
            company=record.company,
        )  # fmt: skip
        batch = matcher.match(index, record)
        assert (batch.decision, batch.contact_id) == (single.decision, single.record_id)
