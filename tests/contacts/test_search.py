from __future__ import annotations

import pytest

from renkei.contacts import services as contact_services
from renkei.contacts.models import Contact
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(marketer):
    acme = make_account(actor=marketer, name="株式会社アクメ商事")
    other = make_account(actor=marketer, name="ベータ工業(株)")
    return {
        "yamada": make_contact(
            family_name="山田",
            given_name="太郎",
            family_name_kana="ヤマダ",
            given_name_kana="タロウ",
            email="t.yamada@acme.co.jp",
            account=acme,
        ),
        "suzuki": make_contact(
            family_name="鈴木",
            given_name="一郎",
            family_name_kana="スズキ",
            given_name_kana="イチロウ",
            email="ichiro@beta.example.com",
            account=other,
        ),
    }


def _found(query: str) -> set[str]:
    return set(Contact.objects.search(query).values_list("family_name", flat=True))


def test_search_by_kanji_name(people):
    assert _found("山田") == {"山田"}
    assert _found("山田太郎") == {"山田"}


def test_search_by_kana_in_hiragana_or_katakana(people):
    assert _found("やまだ") == {"山田"}
    assert _found("スズキ") == {"鈴木"}


def test_search_by_email_fragment_any_case(people):
    assert _found("ACME.CO") == {"山田"}


def test_search_by_company_name_without_the_corporate_form(people):
    assert _found("ベータ工業") == {"鈴木"}


def test_every_word_must_match(people):
    assert _found("山田 ベータ") == set()
    assert _found("山田 アクメ") == {"山田"}


def test_renaming_an_account_updates_its_contacts_search(people, marketer):
    account = people["yamada"].account
    contact_services.update_account(account, actor=marketer, name="株式会社ガンマ")
    assert _found("ガンマ") == {"山田"}
    assert _found("アクメ") == set()


def test_search_treats_wildcard_characters_literally(marketer):
    make_contact(family_name="星*野", email="hoshino@example.co.jp")
    make_contact(family_name="星野", email="real@example.co.jp")
    assert _found("星*野") == {"星*野"}
    assert _found("[ho") == set()


def test_edits_reach_the_search_index_at_once(people, marketer):
    yamada = people["yamada"]
    contact_services.update_contact(yamada, actor=marketer, email="taro@gamma-example.jp")
    assert _found("gamma-example") == {"山田"}
    assert _found("acme.co") == set()


def test_long_and_short_words_combine(people):
    assert _found("山 acme") == {"山田"}
    assert _found("ichiro@beta") == {"鈴木"}


def test_search_indexes_survive_a_table_rebuild(people, django_db_blocker):
    """SQLite drops triggers when a migration rebuilds the contacts table; after migrate
    they are back and the index holds every contact again."""
    from django.db import connection

    from renkei.contacts.sqlite_search import ensure_search_indexes

    if connection.vendor != "sqlite":
        assert ensure_search_indexes() == []
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER contact_fts_insert")
    assert ensure_search_indexes() == ["contact_fts"]
    make_contact(family_name="渡邉", email="w@example.jp")
    assert _found("渡邉") == {"渡邉"}
    assert _found("acme.co") == {"山田"}
    assert ensure_search_indexes() == []


def test_two_character_japanese_words_use_the_bigram_index(people):
    assert _found("田太") == {"山田"}  # across family and given name
    assert _found("スズ") == {"鈴木"}
    assert _found("すず") == {"鈴木"}
    assert _found("木村") == set()


def test_contacts_inserted_in_bulk_are_found_and_later_edits_still_reach_the_index(people):
    """An import inserts contacts in bulk and indexes them in one statement; the
    insert triggers are back afterwards, so contacts saved later are indexed too."""
    from django.db import connection, transaction

    from renkei.contacts.sqlite_search import ensure_search_indexes, insert_contacts
    from renkei.core import bulk

    new = [
        contact_services.build_contact(family_name="佐々木", given_name="健", email="k@sasaki.jp"),
        contact_services.build_contact(family_name="髙田", given_name="二郎", email="j@takada.jp"),
    ]
    with transaction.atomic():
        insert_contacts(new, bulk.insert_objects)
    assert _found("佐々木") == {"佐々木"}
    assert _found("takada") == {"髙田"}
    assert _found("々木") == {"佐々木"}
    make_contact(family_name="後藤", email="goto@example.jp")
    assert _found("後藤") == {"後藤"}
    if connection.vendor == "sqlite":
        assert ensure_search_indexes() == []  # no trigger missing, nothing rebuilt
