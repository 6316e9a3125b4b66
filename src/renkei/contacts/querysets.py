from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.contacts.normalize import search_key

if TYPE_CHECKING:
    from renkei.core.models import Team, User


class AccountQuerySet(models.QuerySet):
    def search(self, query: str) -> AccountQuerySet:
        key = search_key(query.strip())
        if not key:
            return self
        return self.filter(search_text__contains=key)


class ContactQuerySet(models.QuerySet):
    def search(self, query: str) -> ContactQuerySet:
        """Match every word of `query` against name, kana reading, email and company."""
        qs = self
        for word in search_key(query).split():
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
