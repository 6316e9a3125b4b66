"""The match-key backfill migration fills the keys of rows that existed before it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("contacts", "0005_match_keys")]


@pytest.mark.django_db(transaction=True)
def test_the_backfill_fills_the_keys_of_existing_accounts_and_contacts():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    account = old_apps.get_model("contacts", "Account").objects.create(
        name="髙島屋株式会社 大阪支店", normalized_name="x", website="https://www.example.co.jp/"
    )
    contact = old_apps.get_model("contacts", "Contact").objects.create(
        family_name="山﨑",
        given_name="太郎",
        family_name_kana="やまざき",
        given_name_kana="たろう",
        account_id=account.pk,
        created_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from renkei.contacts.models import Account, Contact

    assert Account.objects.values_list("match_key", "domain_key").get(pk=account.pk) == (
        "高島屋",
        "example.co.jp",
    )
    assert Contact.objects.values_list("name_key", "kana_key").get(pk=contact.pk) == (
        "山崎太郎",
        "ヤマザキタロウ",
    )
