from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db import connections, models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.contacts.normalize import search_key

if TYPE_CHECKING:
    from renkei.core.models import Team, User


_GLOB_SPECIAL = re.compile(r"[*?\[\]]")


class AccountQuerySet(models.QuerySet):
    def search(self, query: str) -> AccountQuerySet:
        key = search_key(query.strip())
        if not key:
            return self
        return self.filter(search_text__contains=key)

    def in_industry(self, *industries: str) -> AccountQuerySet:
        return self.filter(industry__in=industries)

    def in_prefecture(self, *prefectures: str) -> AccountQuerySet:
        return self.filter(prefecture__in=prefectures)

    def with_contact_count(self) -> AccountQuerySet:
        """Annotate `contact_count` with a correlated subquery, so a page of accounts
        counts only its own contacts instead of grouping the whole join."""
        from renkei.contacts.models import Contact

        counts = (
            Contact.objects.filter(account=models.OuterRef("pk"))
            .order_by()
            .values("account")
            .annotate(n=models.Count("id"))
            .values("n")
        )
        return self.annotate(
            contact_count=Coalesce(models.Subquery(counts, output_field=models.IntegerField()), 0)
        )

    def sorted_by(self, key: str) -> AccountQuerySet:
        """Order by one of ACCOUNT_SORTS; unknown keys fall back to the name order.
        By kana (アイウエオ順), accounts without a reading come last."""
        if key == "kana":
            no_reading = models.Case(
                models.When(name_kana="", then=models.Value(1)),
                default=models.Value(0),
                output_field=models.IntegerField(),
            )
            return self.order_by(no_reading, "name_kana", "normalized_name", "id")
        return self.order_by(*ACCOUNT_SORTS.get(key, ACCOUNT_SORTS["name"]))


class ContactQuerySet(models.QuerySet):
    def search(self, query: str) -> ContactQuerySet:
        """Match every word of `query` against name, kana reading, email and company.

        On SQLite a word of three or more characters is looked up in the FTS5 trigram
        index (migration 0008), and two Japanese characters in the bigram index (0010),
        instead of scanning every contact. On PostgreSQL the trigram index (0002) serves
        the plain `contains` filter and two Japanese characters use the bigram GIN index
        (0012)."""
        qs = self
        vendor = connections[self.db].vendor
        for word in search_key(query).split():
            two_japanese = len(word) == 2 and not word.isascii() and '"' not in word
            if vendor == "sqlite" and len(word) >= 3 and not _GLOB_SPECIAL.search(word):
                # Words with GLOB wildcards take the plain scan below.
                qs = qs.filter(
                    pk__in=RawSQL(
                        "SELECT rowid FROM contact_fts WHERE search_text GLOB %s", [f"*{word}*"]
                    )
                )
            elif vendor == "sqlite" and two_japanese:
                # Two Japanese characters: look the piece up in the bigram index (0010).
                qs = qs.filter(
                    pk__in=RawSQL(
                        "SELECT rowid FROM contact_gram_fts WHERE contact_gram_fts MATCH %s",
                        [f'"{word}"'],
                    )
                )
            elif vendor == "postgresql" and two_japanese:
                # The GIN index of 0012; the trigram index serves longer words.
                qs = qs.filter(
                    pk__in=RawSQL(
                        "SELECT id FROM contacts_contact "
                        "WHERE string_to_array(search_grams, ' ') @> ARRAY[%s]::text[]",
                        [word],
                    )
                )
            else:
                qs = qs.filter(search_text__contains=word)
        return qs

    def in_stage(self, *stages: str) -> ContactQuerySet:
        return self.filter(lifecycle_stage__in=stages)

    def with_status(self, *statuses: str) -> ContactQuerySet:
        return self.filter(lead_status__in=statuses)

    def mql(self) -> ContactQuerySet:
        return self.in_stage(LifecycleStage.MQL)

    def open_leads(self) -> ContactQuerySet:
        return self.exclude(lead_status=LeadStatus.DISQUALIFIED)

    def owned_by(self, user: User) -> ContactQuerySet:
        return self.filter(owner=user)

    def unassigned(self) -> ContactQuerySet:
        return self.filter(owner__isnull=True)

    def for_team(self, team: Team) -> ContactQuerySet:
        return self.filter(owner__team=team)

    def with_related(self) -> ContactQuerySet:
        return self.select_related("account", "owner")

    def from_source(self, *channels: str) -> ContactQuerySet:
        return self.filter(source_channel__in=channels)

    def sorted_by(self, key: str) -> ContactQuerySet:
        """Order by one of CONTACT_SORTS; unknown keys fall back to recently updated."""
        if key == "stage":
            rank = models.Case(
                *(
                    models.When(lifecycle_stage=stage, then=models.Value(index))
                    for index, stage in enumerate(LifecycleStage.values)
                ),
                output_field=models.IntegerField(),
            )
            return self.order_by(rank.desc(), "-updated_at", "-id")
        return self.order_by(*CONTACT_SORTS.get(key, CONTACT_SORTS["updated"]))


# Sort keys for lists of contacts and accounts (the web pages and the API share them).
CONTACT_SORTS: dict[str, tuple[str, ...]] = {
    "updated": ("-updated_at", "-id"),
    "created": ("-created_at", "-id"),
    "kana": ("family_name_kana", "given_name_kana", "id"),
    "stage": (),  # by funnel rank, see ContactQuerySet.sorted_by
}
ACCOUNT_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("normalized_name", "id"),
    "kana": (),  # by reading, blanks last; see AccountQuerySet.sorted_by
    "updated": ("-updated_at", "-id"),
}
