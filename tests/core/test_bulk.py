"""Fast bulk inserts store exactly what the ORM would."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from renkei.contacts.models import Contact
from renkei.contacts.services import build_contact
from renkei.core import bulk
from renkei.core.choices import AuditAction
from renkei.core.models import AuditLog
from renkei.imports.models import ExternalId
from tests.factories import make_contact

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=9)))


def test_inserted_contacts_read_back_as_saved_with_their_reserved_ids():
    before = make_contact(family_name="既存")
    contacts = [
        build_contact(family_name="山田", given_name=f"{i}郎", email=f"y{i}@example.co.jp",
                      created_at=AT)
        for i in range(3)
    ]  # fmt: skip
    with transaction.atomic():
        bulk.insert_objects(contacts)
    ids = [c.pk for c in contacts]
    assert ids == sorted(ids) and ids[0] > before.pk and len(set(ids)) == 3
    stored = Contact.objects.get(pk=ids[1])
    assert stored.email == "y1@example.co.jp"
    assert stored.created_at == AT
    assert stored.updated_at is not None
    # The next contact saved normally gets a fresh id, not a reserved one.
    after = make_contact(family_name="後続")
    assert after.pk > ids[-1]
    # Search finds the inserted contacts (the SQLite search index is kept by triggers).
    assert list(Contact.objects.search("y2@example").values_list("pk", flat=True)) == [ids[2]]


def test_rows_with_json_and_datetimes_round_trip():
    with transaction.atomic():
        bulk.insert_rows(
            AuditLog,
            ("at", "actor_id", "actor_label", "action", "content_type_id", "object_id",
             "object_repr", "changes"),
            [(AT, None, "system", AuditAction.CREATE, _content_type_id(), "1", "山田",
              {"名前": ["", "山田"], "n": [None, 2]})],
        )  # fmt: skip
    entry = AuditLog.objects.get()
    assert entry.at == AT
    assert entry.changes == {"名前": ["", "山田"], "n": [None, 2]}


def test_conflicting_rows_are_skipped_when_asked():
    contact = make_contact()
    row = ("sansan", "P-1", contact.pk, AT)
    with transaction.atomic():
        bulk.insert_rows(ExternalId, ("source", "value", "contact_id", "created_at"), [row])
        sent = bulk.insert_rows(
            ExternalId,
            ("source", "value", "contact_id", "created_at"),
            [row, ("sansan", "P-2", contact.pk, AT)],
            ignore_conflicts=True,
        )
    assert sent == 2
    assert sorted(ExternalId.objects.values_list("value", flat=True)) == ["P-1", "P-2"]


@pytest.mark.django_db(transaction=True)
def test_reserving_ids_needs_a_transaction():
    with pytest.raises(bulk.BulkInsertError):
        bulk.allocate_ids(Contact, 2)


def test_naive_datetimes_are_refused():
    contact = build_contact(family_name="山田", created_at=dt.datetime(2026, 1, 1))
    with pytest.raises(bulk.BulkInsertError), transaction.atomic():
        bulk.insert_objects([contact])


def _content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Contact).pk
