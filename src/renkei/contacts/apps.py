from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_indexes(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from renkei.contacts.sqlite_search import ensure_search_indexes

    ensure_search_indexes(using)


class ContactsConfig(AppConfig):
    name = "renkei.contacts"
    label = "contacts"
    verbose_name = _("Contacts and accounts")

    def ready(self) -> None:
        # SQLite drops a table's triggers when a migration rebuilds it; put them back.
        post_migrate.connect(_ensure_search_indexes, sender=self)
        # What this app holds about a person, for privacy requests (renkei.privacy).
        from renkei.contacts import privacy

        privacy.register()
