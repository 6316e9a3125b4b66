"""Personas and the matching of contacts to them.

The matching rule (also in docs/guide/marketing.md):

1. A persona's fit criteria are its industries, company sizes, department keywords, title
   keywords and location (regions and prefectures together count as one criterion). A
   criterion left empty is not used.
2. A contact fits a persona when every criterion the persona uses matches: the account's
   industry is one of the industries, its size one of the sizes, its region one of the
   regions or its prefecture one of the prefectures, and the contact's department (title)
   contains one of the department (title) keywords. Keywords compare case- and
   width-insensitively (ＩＴ = IT). A contact without an account fails the account criteria.
3. Of the personas a contact fits, the one using the most criteria (the most specific
   description) wins; among equals, the persona created first.
4. A persona that uses no criterion, or is not "matched automatically", matches nobody
   automatically; contacts can still be given to it by hand.
5. A persona chosen by hand wins and is kept: the automatic matching never changes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.contacts.choices import EmployeeBand, Industry, Prefecture, Region
from renkei.contacts.models import Contact
from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.core.models import User
from renkei.marketing.models import Persona, PersonaMatch, split_keywords

logger = logging.getLogger(__name__)

PERSONA_FIELDS = {
    "name", "description", "pains", "industries", "employee_bands", "department_keywords",
    "title_keywords", "regions", "prefectures", "is_active",
}  # fmt: skip
CHUNK = 2000


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class Criteria:
    """A persona's fit criteria, normalized for fast comparison."""

    persona_id: int
    industries: frozenset[str]
    employee_bands: frozenset[str]
    departments: tuple[str, ...]
    titles: tuple[str, ...]
    regions: frozenset[str]
    prefectures: frozenset[str]
    created_at: dt.datetime

    @classmethod
    def of(cls, persona: Persona) -> Criteria:
        return cls(
            persona_id=persona.pk,
            industries=frozenset(persona.industries),
            employee_bands=frozenset(persona.employee_bands),
            departments=tuple(_norm(k) for k in persona.department_keyword_list),
            titles=tuple(_norm(k) for k in persona.title_keyword_list),
            regions=frozenset(persona.regions),
            prefectures=frozenset(persona.prefectures),
            created_at=persona.created_at,
        )

    @property
    def count(self) -> int:
        """How many criteria the persona uses."""
        return sum(
            bool(c)
            for c in (
                self.industries,
                self.employee_bands,
                self.departments,
                self.titles,
                self.regions or self.prefectures,
            )
        )

    def check(self, contact: Contact) -> list[tuple[str, bool]]:
        """Each criterion the persona uses (its label) and whether the contact meets it."""
        account = contact.account if contact.account_id else None
        results: list[tuple[str, bool]] = []
        if self.industries:
            results.append((_("Industry"), bool(account and account.industry in self.industries)))
        if self.employee_bands:
            results.append(
                (_("Company size"), bool(account and account.employee_band in self.employee_bands))
            )
        if self.departments:
            department = _norm(contact.department)
            results.append((_("Department"), any(k in department for k in self.departments)))
        if self.titles:
            title = _norm(contact.title)
            results.append((_("Title"), any(k in title for k in self.titles)))
        if self.regions or self.prefectures:
            results.append(
                (
                    _("Region"),
                    bool(
                        account
                        and (
                            account.region in self.regions or account.prefecture in self.prefectures
                        )
                    ),
                )
            )
        return results

    def fits(self, contact: Contact) -> bool:
        checks = self.check(contact)
        return bool(checks) and all(ok for _label, ok in checks)


def automatic_criteria() -> list[Criteria]:
    """The personas that match automatically, best first (rule 3)."""
    criteria = [Criteria.of(p) for p in Persona.objects.filter(is_active=True)]
    criteria = [c for c in criteria if c.count]
    criteria.sort(key=lambda c: (-c.count, c.created_at, c.persona_id))
    return criteria


def best_persona_id(contact: Contact, criteria: Sequence[Criteria]) -> int | None:
    """The persona the contact fits best (criteria sorted by automatic_criteria)."""
    for c in criteria:
        if c.fits(contact):
            return c.persona_id
    return None


def explain(persona: Persona, contact: Contact) -> list[tuple[str, bool]]:
    """Which of the persona's criteria the contact meets, for the contact page."""
    return Criteria.of(persona).check(contact)


@dataclass
class MatchResult:
    checked: int = 0
    matched: int = 0
    changed: int = 0
    cleared: int = 0


def match_personas(contact_ids: Iterable[int] | None = None) -> MatchResult:
    """Match contacts (all of them, or those with `contact_ids`) to their best-fitting
    persona. Hand-picked matches are kept. Idempotent; runs in chunks, each in its own
    transaction, so it can run over any number of contacts."""
    criteria = automatic_criteria()
    result = MatchResult()
    contacts = Contact.objects.select_related("account").only(
        "id", "department", "title", "account_id",
        "account__industry", "account__employee_band", "account__region", "account__prefecture",
    ).order_by("id")  # fmt: skip
    if contact_ids is not None:
        ids = sorted(set(contact_ids))
        chunks: Iterable[list[int]] = (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK))
        for chunk in chunks:
            _match_chunk(list(contacts.filter(pk__in=chunk)), criteria, result)
        return result
    last = 0
    while True:
        batch = list(contacts.filter(pk__gt=last)[:CHUNK])
        if not batch:
            break
        _match_chunk(batch, criteria, result)
        last = batch[-1].pk
    logger.info(
        "persona matching: %d checked, %d matched, %d changed, %d cleared",
        result.checked, result.matched, result.changed, result.cleared,
    )  # fmt: skip
    return result


@transaction.atomic
def _match_chunk(
    contacts: list[Contact], criteria: Sequence[Criteria], result: MatchResult
) -> None:
    now = timezone.now()
    existing = {
        m.contact_id: m
        for m in PersonaMatch.objects.select_for_update().filter(
            contact_id__in=[c.pk for c in contacts]
        )
    }
    create, update, delete = [], [], []
    for contact in contacts:
        result.checked += 1
        match = existing.get(contact.pk)
        if match is not None and match.manual:
            result.matched += 1
            continue
        best = best_persona_id(contact, criteria)
        if best is None:
            if match is not None:
                delete.append(match.pk)
            continue
        result.matched += 1
        if match is None:
            create.append(PersonaMatch(contact_id=contact.pk, persona_id=best, matched_at=now))
        elif match.persona_id != best:
            match.persona_id = best
            match.matched_at = now
            update.append(match)
    PersonaMatch.objects.bulk_create(create)
    PersonaMatch.objects.bulk_update(update, ["persona", "matched_at"])
    PersonaMatch.objects.filter(pk__in=delete).delete()
    result.changed += len(create) + len(update)
    result.cleared += len(delete)


def recently_changed_contact_ids(since: dt.datetime) -> list[int]:
    """Contacts created or edited since `since`, or whose account was."""
    return list(
        Contact.objects.filter(Q(updated_at__gte=since) | Q(account__updated_at__gte=since))
        .values_list("pk", flat=True)
        .order_by("pk")
    )


# --- writes ---------------------------------------------------------------------------
def _enqueue_full_match() -> None:
    from renkei.marketing.tasks import match_all_personas

    transaction.on_commit(lambda: match_all_personas.enqueue())


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - PERSONA_FIELDS
    if unknown:
        raise ValueError(f"not writable here: {sorted(unknown)}")
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if key in {"industries", "employee_bands", "regions", "prefectures"}:
            value = sorted({str(v) for v in value or []})
        if key in {"department_keywords", "title_keywords"}:
            value = "\n".join(split_keywords(value or ""))
        cleaned[key] = value
    return cleaned


def _validate_choices(persona: Persona) -> None:
    allowed = {
        "industries": Industry.values,
        "employee_bands": EmployeeBand.values,
        "regions": Region.values,
        "prefectures": Prefecture.values,
    }
    errors = {}
    for field, values in allowed.items():
        bad = [v for v in getattr(persona, field) if v not in values]
        if bad:
            errors[field] = _("Unknown values: %(values)s") % {"values": ", ".join(bad)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_persona(*, actor: User | None, rematch: bool = True, **values: Any) -> Persona:
    """Create a persona and re-match every contact in the worker (after commit; bulk
    loaders that match themselves pass `rematch=False`)."""
    persona = Persona(created_at=timezone.now())
    for key, value in _clean_values(values).items():
        setattr(persona, key, value)
    _validate_choices(persona)
    persona.full_clean(exclude=["created_at"])
    persona.save()
    audit.record(
        persona,
        action=AuditAction.CREATE,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(persona)),
    )
    if rematch:
        _enqueue_full_match()
    return persona


@transaction.atomic
def update_persona(persona: Persona, *, actor: User | None, **values: Any) -> Persona:
    """Change a persona; when its criteria changed, re-match every contact in the worker."""
    persona = Persona.objects.select_for_update().get(pk=persona.pk)
    before = audit.snapshot(persona)
    for key, value in _clean_values(values).items():
        setattr(persona, key, value)
    _validate_choices(persona)
    persona.full_clean(exclude=["created_at"])
    persona.save()
    changes = audit.diff(before, audit.snapshot(persona))
    audit.record(persona, action=AuditAction.UPDATE, actor=actor, changes=changes)
    if set(changes) - {"name", "description", "pains"}:
        _enqueue_full_match()
    return persona


@transaction.atomic
def delete_persona(persona: Persona, *, actor: User | None) -> None:
    """Delete a persona with its matches (hand-picked ones too); contacts it matched
    automatically are matched again in the worker."""
    audit.record(
        persona,
        action=AuditAction.DELETE,
        actor=actor,
        changes=audit.diff(audit.snapshot(persona), {}),
    )
    persona.delete()
    _enqueue_full_match()


@transaction.atomic
def choose_persona(
    contact: Contact, persona: Persona | None, *, actor: User | None
) -> PersonaMatch | None:
    """Give a contact a persona by hand (kept by the automatic matching), or with
    `persona=None` hand it back to the automatic matching, which runs at once."""
    match = PersonaMatch.objects.select_for_update().filter(contact=contact).first()
    before = match.persona_id if match else None
    if persona is None:
        if match is not None and match.manual:
            match.manual = False
            match.actor = None
            match.save(update_fields=["manual", "actor"])
        match_personas([contact.pk])
        match = PersonaMatch.objects.filter(contact=contact).first()
    else:
        match, _created = PersonaMatch.objects.update_or_create(
            contact=contact,
            defaults={
                "persona": persona,
                "manual": True,
                "matched_at": timezone.now(),
                "actor": actor,
            },
        )
    if match is not None:
        audit.record(
            match,
            action=AuditAction.UPDATE,
            actor=actor,
            changes={"persona": [before, match.persona_id], "manual": [None, match.manual]},
        )
    return match


def personas_with_counts():
    return Persona.objects.annotate(
        contact_count=Count("matches"),
        manual_count=Count("matches", filter=Q(matches__manual=True)),
    ).order_by("name", "id")
