"""Fill the duplicate-matching keys of existing accounts and contacts (data only)."""

from django.db import migrations

from renkei.contacts.normalize import (
    account_domain_key,
    account_match_key,
    person_name_key,
    reading_key,
)

BATCH = 2000


def fill_keys(apps, schema_editor):
    Account = apps.get_model("contacts", "Account")
    Contact = apps.get_model("contacts", "Contact")
    batch = []
    for account in Account.objects.only("id", "name", "website", "domain").iterator(BATCH):
        account.match_key = account_match_key(account.name)[:200]
        account.domain_key = account_domain_key(account.website, account.domain)[:200]
        batch.append(account)
        if len(batch) >= BATCH:
            Account.objects.bulk_update(batch, ["match_key", "domain_key"])
            batch = []
    Account.objects.bulk_update(batch, ["match_key", "domain_key"])
    batch = []
    fields = ("id", "family_name", "given_name", "family_name_kana", "given_name_kana")
    for contact in Contact.objects.only(*fields).iterator(BATCH):
        contact.name_key = person_name_key(f"{contact.family_name} {contact.given_name}")[:200]
        contact.kana_key = reading_key(contact.family_name_kana + contact.given_name_kana)[:200]
        batch.append(contact)
        if len(batch) >= BATCH:
            Contact.objects.bulk_update(batch, ["name_key", "kana_key"])
            batch = []
    Contact.objects.bulk_update(batch, ["name_key", "kana_key"])


class Migration(migrations.Migration):
    dependencies = [("contacts", "0005_match_keys")]

    operations = [migrations.RunPython(fill_keys, migrations.RunPython.noop)]
