"""Editing a contact writes only what changed."""

from __future__ import annotations

import pytest

from renkei.contacts import services
from renkei.contacts.models import Contact
from renkei.core import audit
from tests.factories import make_contact

pytestmark = pytest.mark.django_db


def test_an_edit_that_changes_nothing_writes_nothing(marketer):
    contact = make_contact(title="部長")
    stamp = Contact.objects.get(pk=contact.pk).updated_at
    services.update_contact(contact, actor=marketer, title="部長")
    assert Contact.objects.get(pk=contact.pk).updated_at == stamp
    assert audit.history(contact).count() == 1  # only the creation


def test_an_edit_saves_the_changed_fields_and_keeps_search_current(marketer):
    contact = make_contact(family_name="山田", email="old@example.co.jp")
    services.update_contact(contact, actor=marketer, email="new@example.co.jp", title="課長")
    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.email, stored.title) == ("new@example.co.jp", "課長")
    assert list(Contact.objects.search("new@example").values_list("pk", flat=True)) == [contact.pk]
    assert not Contact.objects.search("old@example").exists()
    [entry] = audit.history(contact).filter(action="update")
    assert set(entry.changes) == {"email", "title"}
