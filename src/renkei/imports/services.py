"""The import engine: read a file, map its columns, match each row to a contact, write.

Every input row gets exactly one `ImportRow` with its outcome:

- created  — a new contact (a lead, entered into the funnel by the import);
- updated  — the row's external id (e.g. Sansan 人物ID, a lead list's prospect id) is known:
             the same record seen again; non-blank values overwrite the contact's;
- merged   — the row matched an existing contact by its match keys (the same email):
             blank fields of that contact are filled, nothing is overwritten;
- review   — a new contact that may duplicate another (flagged for a data steward);
- rejected — the row was not imported; `reason` says why.

Rows are processed in batches of `BATCH_SIZE`: one transaction per batch, new contacts
written in bulk by `bulk_add_contacts` (the same result as `funnel.services.add_contact`,
which the tests check), updates through `contacts.services.update_contact`. A dry run does
the same reading, validation and matching, keeps the job and its rows, and writes no
contacts, accounts, external ids or attributes.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from renkei.contacts import services as contact_services
from renkei.contacts import sqlite_search
from renkei.contacts.choices import ConsentStatus, LifecycleStage, SourceChannel
from renkei.contacts.dedup.choices import DuplicateKind
from renkei.contacts.dedup.engine import Decision
from renkei.contacts.dedup.matching import find_account_matches
from renkei.contacts.dedup.services import flag_duplicates
from renkei.contacts.models import Account, Contact
from renkei.contacts.normalize import (
    InvalidPhoneNumber,
    clean_corporate_number,
    is_valid_corporate_number,
    normalize_company_name,
    normalize_email,
    normalize_phone,
)
from renkei.core import audit, bulk
from renkei.core.models import User
from renkei.funnel.choices import MoveKind
from renkei.funnel.models import StageChange
from renkei.funnel.services import Actor
from renkei.funnel.transitions import STATUS_ON_ENTRY, entry_stages_reached
from renkei.imports import pipeline
from renkei.imports.choices import ImportKind, ImportStatus, MatchMode, RowOutcome
from renkei.imports.exports import neutralise
from renkei.imports.mappings import Mapping, MappingError, get_mapping, recognize
from renkei.imports.matching import BatchContactMatcher, Incoming
from renkei.imports.models import ContactAttributes, ExternalId, ImportJob, ImportRow
from renkei.imports.readers import ImportFileError, SourceRow, open_table
from renkei.privacy import tombstones as privacy_tombstones
from renkei.privacy.choices import HitSource

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
RAW_CELL_LIMIT = 2000
IMPORT_ACTOR = Actor.system("import")
# Fields an import may change on an existing contact.
UPDATABLE_FIELDS = (
    "family_name", "given_name", "family_name_kana", "given_name_kana", "email", "phone",
    "department", "title",
)  # fmt: skip


class ImportError_(Exception):
    """An import that cannot run at all; `message` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class PreparedRow:
    """A row that passed validation: the unsaved contact and what goes with it."""

    number: int
    raw: dict[str, str]
    contact: Contact
    company: dict[str, str]
    external_id: str
    attributes: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    extra_external_ids: list[str] = field(default_factory=list)
    saved_id: int | None = None
    # A probable duplicate the dedup engine found (a contact, or an earlier row of the
    # file not saved yet): flagged once the contact is saved.
    review_of: int | PreparedRow | None = None
    review_reasons: tuple[str, ...] = ()
    match_index: int = -1
    # normalize_company_name(company["name"]): the key accounts are resolved by.
    company_key: str = ""

    def incoming(self) -> Incoming:
        """The row as the dedup engine takes it."""
        contact = self.contact
        return Incoming(
            family_name=contact.family_name,
            given_name=contact.given_name,
            family_name_kana=contact.family_name_kana,
            given_name_kana=contact.given_name_kana,
            email=contact.email,
            phone=contact.phone,
            company=self.company.get("name", ""),
            corporate_number=self.company.get("corporate_number", ""),
            website=self.company.get("website", ""),
            known_keys=(contact.email, contact.phone, contact.name_key, contact.kana_key),
        )


@dataclass(frozen=True)
class Match:
    """The importer's decision for a row: new, update (same external id), merge, or review
    (new, and `similar` may be the same person)."""

    decision: str
    contact_id: int | None = None
    pending: PreparedRow | None = None
    reasons: tuple[str, ...] = ()
    similar: int | PreparedRow | None = None


@dataclass
class RowResult:
    number: int
    outcome: str
    reason: str = ""
    contact_id: int | None = None
    raw: dict[str, str] = field(default_factory=dict)
    pending: PreparedRow | None = None


def _split_name(text: str) -> tuple[str, str]:
    parts = text.replace("\u3000", " ").split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


def _raw(values: dict[str, str]) -> dict[str, str]:
    limit = RAW_CELL_LIMIT
    return {k: (v if len(v) <= limit else v[:limit] + "…") for k, v in values.items()}


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        parts = []
        for name, errors in exc.message_dict.items():
            label = str(Contact._meta.get_field(name).verbose_name) if name != "__all__" else ""
            text = " ".join(errors)
            parts.append(f"{label}: {text}" if label else text)
        return "; ".join(parts)
    return " ".join(exc.messages)


def prepare_row(row: SourceRow, mapping: Mapping, *, now: dt.datetime) -> PreparedRow | str:
    """Map and validate one row: a PreparedRow, or the reason it is rejected.

    An invalid email rejects the row (email is how people are matched); an invalid phone
    number is left out with a warning, and the rest of the row is imported.
    """
    if row.error:
        return row.error
    targets, attributes = mapping.apply(row.values)
    warnings: list[str] = []
    if targets.get("full_name"):
        family, given = _split_name(targets.pop("full_name"))
        targets.setdefault("family_name", family)
        if given:
            targets.setdefault("given_name", given)
    if targets.get("full_name_kana"):
        family, given = _split_name(targets.pop("full_name_kana"))
        targets.setdefault("family_name_kana", family)
        if given:
            targets.setdefault("given_name_kana", given)
    if not targets.get("family_name"):
        return _("The row has no name (family name).")
    email = normalize_email(targets.get("email", ""))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return _("Invalid email address: %(value)s") % {"value": email[:100]}
    phone = ""
    mobile = targets.get("mobile", "")
    for candidate in (targets.get("phone", ""), mobile):
        if not candidate:
            continue
        try:
            number = normalize_phone(candidate)
        except InvalidPhoneNumber:
            warnings.append(
                _("Phone number %(value)s is not valid and was left out.")
                % {"value": candidate[:40]}
            )
            continue
        if not phone:
            phone = number
        elif number != phone:
            attributes.setdefault("mobile", number)
    channel = targets.get("source_channel") or SourceChannel.IMPORT
    if channel not in SourceChannel.values:
        warnings.append(_("Unknown source %(value)s; recorded as Other.") % {"value": channel})
        channel = SourceChannel.OTHER
    consent = targets.get("consent_status") or ConsentStatus.UNKNOWN
    if consent not in ConsentStatus.values:
        consent = ConsentStatus.UNKNOWN
    values = {
        name: targets[name]
        for name in (
            "family_name", "given_name", "family_name_kana", "given_name_kana", "department",
            "title", "source_campaign",
        )
        if targets.get(name)
    }  # fmt: skip
    try:
        contact = contact_services.build_contact(
            **values,
            email=email,
            phone=phone,
            source_channel=channel,
            consent_status=consent,
            created_at=now,
        )
    except ValidationError as exc:
        return _validation_message(exc)
    company = {}
    if targets.get("company"):
        company["name"] = targets["company"][:200]
        if targets.get("company_kana"):
            company["name_kana"] = targets["company_kana"][:200]
        if targets.get("website"):
            company["website"] = targets["website"][:300]
        corporate = clean_corporate_number(targets.get("corporate_number", ""))
        if corporate and is_valid_corporate_number(corporate):
            company["corporate_number"] = corporate
        elif corporate:
            warnings.append(
                _("Corporate number %(value)s is not valid and was left out.")
                % {"value": corporate[:20]}
            )
    return PreparedRow(
        number=row.number,
        raw=_raw(row.values),
        contact=contact,
        company=company,
        external_id=str(targets.get("external_id", ""))[:200],
        attributes=attributes,
        warnings=warnings,
        company_key=normalize_company_name(company["name"]) if company else "",
    )


def prepare_batch(
    batch: list[SourceRow], mapping: Mapping, *, now: dt.datetime
) -> list[PreparedRow | RowResult]:
    """`prepare_row` for each row of a batch; a rejected row becomes its RowResult. Needs
    no database, so a second process may run it (renkei.imports.pipeline)."""
    prepared: list[PreparedRow | RowResult] = []
    for source_row in batch:
        result = prepare_row(source_row, mapping, now=now)
        if isinstance(result, str):
            raw = _raw(source_row.values)
            prepared.append(RowResult(source_row.number, RowOutcome.REJECTED, result, raw=raw))
        else:
            prepared.append(result)
    return prepared


def bulk_add_contacts(
    contacts: list[Contact], *, actor: Actor = IMPORT_ACTOR, at: dt.datetime
) -> list[Contact]:
    """Save validated, unsaved contacts (from `build_contact`) as new leads, in bulk.

    Keeps the invariants of `renkei.funnel.services.add_contact` for stage "lead": the
    lifecycle fields, an entry StageChange and an audit-log "create" entry per contact.
    Written with `renkei.core.bulk` (COPY on PostgreSQL); call it inside a transaction.
    """
    if not contacts:
        return contacts
    stage = LifecycleStage.LEAD
    reached_fields = [f"became_{reached}_at" for reached in entry_stages_reached(stage)]
    for contact in contacts:
        contact.lifecycle_stage = stage
        contact.lead_status = STATUS_ON_ENTRY[stage]
        for name in reached_fields:
            setattr(contact, name, at)
        contact.stage_changed_at = at
    sqlite_search.insert_contacts(contacts, bulk.insert_objects)
    user = actor.user
    actor_id = user.pk if user is not None and user.pk else None
    bulk.insert_rows(
        StageChange,
        ("contact_id", "from_stage", "to_stage", "kind", "at", "actor_kind", "actor_id",
         "actor_label", "reason"),
        [
            (contact.pk, "", stage, MoveKind.ENTER, at, actor.kind, actor_id,
             actor.label[:100], "")
            for contact in contacts
        ],
    )  # fmt: skip
    audit.record_created(contacts, actor=user)
    return contacts


class _Importer:
    """One run of one job: the caches that span batches live here."""

    def __init__(self, job: ImportJob, mapping: Mapping) -> None:
        self.job = job
        self.mapping = mapping
        self.source = mapping.source or mapping.name
        self.dry_run = job.dry_run
        self.dedup = job.matching == MatchMode.DEDUP
        self.matcher: BatchContactMatcher | None = None
        # What each valid row of the current batch became, by its match_index.
        self.batch_targets: list[int | PreparedRow | None] = []
        self.now = timezone.now()
        self.by_email: dict[str, int | PreparedRow] = {}
        self.by_external: dict[str, int | PreparedRow] = {}
        self.accounts: dict[str, int | None] = {}
        self.counts = dict.fromkeys(RowOutcome.values, 0)
        self.processed = 0

    # --- matching -----------------------------------------------------------------------
    def _load_keys(self, rows: list[PreparedRow]) -> None:
        """Look up this batch's external ids and emails in the database, once."""
        externals = [r.external_id for r in rows if r.external_id]
        externals = [v for v in externals if v not in self.by_external]
        if externals:
            for value, contact_id in ExternalId.objects.filter(
                source=self.source, value__in=set(externals)
            ).values_list("value", "contact_id"):
                self.by_external[value] = contact_id
        emails = {r.contact.email for r in rows if r.contact.email} - set(self.by_email)
        if emails and not self.dedup:
            for email, contact_id in (
                Contact.objects.filter(email__in=emails).order_by("id").values_list("email", "id")
            ):
                self.by_email.setdefault(email, contact_id)

    def _match(self, row: PreparedRow) -> Match:
        """The same external id from this source → update. A row of this file not saved
        yet with the same email → merge into it. Then, with the dedup engine
        (`renkei.contacts.dedup`, candidates fetched per batch by BatchContactMatcher),
        its merge → merge, review → a new contact flagged as a
        possible duplicate, separate → new; in exact mode the same normalized email →
        merge, otherwise new."""
        if row.external_id and row.external_id in self.by_external:
            return self._match_to(self.by_external[row.external_id], "update", "external_id")
        email = row.contact.email
        held = self.by_email.get(email) if email else None
        if isinstance(held, PreparedRow) and held.saved_id is None:
            return Match("merge", pending=held, reasons=("email",))
        if not self.dedup:
            if held is not None:
                return self._match_to(held, "merge", "email")
            return Match("new")
        assert self.matcher is not None
        found = self.matcher.match(row.match_index, row.incoming())
        if found.batch_index is not None:
            # An earlier row of this batch: what it became (a new contact, or the contact
            # it was merged into).
            target = self.batch_targets[found.batch_index]
            if target is None:
                return Match("new")
            if found.decision == Decision.MERGE:
                return self._match_to(target, "merge", ", ".join(found.reasons))
            return Match("review", similar=target, reasons=tuple(found.reasons))
        if found.decision == Decision.MERGE and found.contact_id is not None:
            return Match("merge", contact_id=found.contact_id, reasons=tuple(found.reasons))
        if found.decision == Decision.REVIEW and found.contact_id is not None:
            return Match("review", similar=found.contact_id, reasons=tuple(found.reasons))
        return Match("new")

    @staticmethod
    def _match_to(target: int | PreparedRow, decision: str, reason: str) -> Match:
        if isinstance(target, PreparedRow):
            if target.saved_id is not None:
                return Match(decision, contact_id=target.saved_id, reasons=(reason,))
            return Match(decision, pending=target, reasons=(reason,))
        return Match(decision, contact_id=target, reasons=(reason,))

    def _remember(self, row: PreparedRow, target: int | PreparedRow) -> None:
        if row.external_id:
            self.by_external[row.external_id] = target
        if row.contact.email:
            self.by_email.setdefault(row.contact.email, target)

    # --- accounts -----------------------------------------------------------------------
    def _resolve_accounts(self, rows: list[PreparedRow]) -> None:
        """The account of each company named in the batch: an existing one (the same
        normalized name already seen, or a dedup merge), else a new account, created in
        bulk; a probable duplicate account is created and flagged for review."""
        wanted = {r.company_key: r.company for r in rows if r.company}
        missing = [key for key in wanted if key not in self.accounts]
        if missing and not self.dedup:
            for key, account_id in (
                Account.objects.filter(normalized_name__in=missing)
                .order_by("id")
                .values_list("normalized_name", "id")
            ):
                self.accounts.setdefault(key, account_id)
        new: dict[str, Account] = {}
        # New accounts of this batch by corporate number and match key, so that two
        # spellings of one new company in a batch become one account, as they would if
        # each were saved before the next was matched.
        new_by_key: dict[str, Account] = {}
        reviews: list[tuple[Account, int, list[str]]] = []
        unseen = [(key, company) for key, company in wanted.items() if key not in self.accounts]
        found_all = find_account_matches([c for _key, c in unseen]) if self.dedup else []
        for index, (key, company) in enumerate(unseen):
            similar: int | None = None
            reasons: list[str] = []
            if self.dedup:
                found = found_all[index]
                if found.decision == Decision.MERGE and found.record_id is not None:
                    self.accounts[key] = found.record_id
                    continue
                if found.decision == Decision.REVIEW and not self.dry_run:
                    similar, reasons = found.record_id, list(found.reasons)
            if self.dry_run:
                self.accounts[key] = None
                continue
            try:
                account = contact_services.build_account(**company)
            except ValidationError:
                account = contact_services.build_account(name=company["name"])
            same = new_by_key.get(f"cn:{account.corporate_number}") or new_by_key.get(
                f"mk:{account.match_key}"
            )
            if same is not None:
                new[key] = same
                continue
            if account.corporate_number:
                new_by_key[f"cn:{account.corporate_number}"] = account
            if account.match_key:
                new_by_key[f"mk:{account.match_key}"] = account
            new[key] = account
            if similar is not None:
                reviews.append((account, similar, reasons))
        if not new:
            return
        distinct = list({id(a): a for a in new.values()}.values())
        contact_services.create_accounts(distinct, actor=None)
        for key, account in new.items():
            self.accounts[key] = account.pk
        flag_duplicates(
            DuplicateKind.ACCOUNT,
            [(account.pk, similar, reasons) for account, similar, reasons in reviews],
        )

    def _account_id(self, row: PreparedRow) -> int | None:
        if not row.company:
            return None
        return self.accounts.get(row.company_key)

    # --- one batch ----------------------------------------------------------------------
    def process(self, prepared: list[PreparedRow | RowResult]) -> None:
        """Match and write one batch prepared by `prepare_batch`, in one transaction."""
        prepared = _reject_erased(prepared, self.job, dry_run=self.dry_run)
        valid = [p for p in prepared if isinstance(p, PreparedRow)]
        with transaction.atomic():
            if self.dedup:
                for index, row in enumerate(valid):
                    row.match_index = index
                self.batch_targets = [None] * len(valid)
                self.matcher = BatchContactMatcher([r.incoming() for r in valid])
            self._load_keys(valid)
            self._resolve_accounts(valid)
            results = self._decide_and_write(prepared)
            if not self.dry_run:
                for result in results:
                    if result.pending is not None:
                        result.contact_id = result.pending.saved_id
            bulk.insert_rows(
                ImportRow,
                ("job_id", "number", "outcome", "reason", "contact_id", "raw"),
                [
                    (self.job.pk, r.number, r.outcome, r.reason, r.contact_id, r.raw)
                    for r in results
                ],
            )
            for r in results:
                self.counts[r.outcome] += 1
            self.processed += len(results)
            ImportJob.objects.filter(pk=self.job.pk).update(processed=self.processed, **self.counts)

    def _decide_and_write(self, prepared: list[PreparedRow | RowResult]) -> list[RowResult]:
        results: list[RowResult] = []
        new_rows: list[PreparedRow] = []
        updates: list[tuple[PreparedRow, Match, RowResult]] = []
        for item in prepared:
            if isinstance(item, RowResult):
                results.append(item)
                continue
            match = self._match(item)
            if item.match_index >= 0:
                self.batch_targets[item.match_index] = (
                    item
                    if match.decision in {"new", "review"}
                    else match.pending or match.contact_id
                )
            reason = " ".join(item.warnings)
            if match.decision in {"new", "review"}:
                account_id = self._account_id(item)
                if account_id is not None:
                    item.contact.account_id = account_id
                new_rows.append(item)
                self._remember(item, item)
                outcome = RowOutcome.CREATED
                if match.decision == "review":
                    outcome = RowOutcome.REVIEW
                    item.review_of = match.similar
                    item.review_reasons = match.reasons
                    reason = " ".join(
                        [
                            _("Possible duplicate: %(reasons)s.")
                            % {"reasons": ", ".join(match.reasons)},
                            reason,
                        ]
                    ).strip()
                results.append(RowResult(item.number, outcome, reason, raw=item.raw, pending=item))
                continue
            outcome = RowOutcome.UPDATED if match.decision == "update" else RowOutcome.MERGED
            result = RowResult(item.number, outcome, reason, raw=item.raw)
            if match.pending is not None:
                _fold_into(match.pending, item, overwrite=match.decision == "update")
                result.pending = match.pending
                if item.external_id and item.external_id not in self.by_external:
                    self.by_external[item.external_id] = match.pending
            else:
                result.contact_id = match.contact_id
                updates.append((item, match, result))
            results.append(result)
        if not self.dry_run:
            self._create(new_rows)
            self._update(updates)
        return results

    def _create(self, rows: list[PreparedRow]) -> None:
        if not rows:
            return
        contacts = [r.contact for r in rows]
        names = dict(
            Account.objects.filter(
                pk__in={c.account_id for c in contacts if c.account_id}
            ).values_list("pk", "name")
        )
        for contact in contacts:
            if contact.account_id:
                contact.refresh_search_fields(account_name=names[contact.account_id])
        bulk_add_contacts(contacts, at=self.now)
        external_ids: list[tuple[str, str, int, dt.datetime]] = []
        attributes: list[tuple[int, dict[str, Any], dt.datetime]] = []
        for row in rows:
            row.saved_id = row.contact.pk
            for value in [row.external_id, *row.extra_external_ids]:
                if value:
                    external_ids.append((self.source, value, row.contact.pk, self.now))
                    self.by_external[value] = row.contact.pk
            if row.contact.email:
                self.by_email.setdefault(row.contact.email, row.contact.pk)
                if self.by_email[row.contact.email] is row:
                    self.by_email[row.contact.email] = row.contact.pk
            if row.attributes:
                attributes.append((row.contact.pk, row.attributes, self.now))
        bulk.insert_rows(
            ExternalId,
            ("source", "value", "contact_id", "created_at"),
            external_ids,
            ignore_conflicts=True,
        )
        bulk.insert_rows(
            ContactAttributes,
            ("contact_id", "data", "updated_at"),
            attributes,
        )
        flag_duplicates(
            DuplicateKind.CONTACT,
            [
                (
                    row.contact.pk,
                    row.review_of.saved_id
                    if isinstance(row.review_of, PreparedRow)
                    else row.review_of,
                    list(row.review_reasons),
                )
                for row in rows
                if row.review_of is not None
            ],
        )

    def _update(self, updates: list[tuple[PreparedRow, Match, RowResult]]) -> None:
        if not updates:
            return
        ids = {m.contact_id for _, m, _ in updates}
        existing = Contact.objects.select_related("account").in_bulk(ids)
        current_attributes = {
            a.contact_id: a for a in ContactAttributes.objects.filter(contact_id__in=ids)
        }
        new_external: list[ExternalId] = []
        new_attributes: dict[int, dict[str, Any]] = {}
        for row, match, result in updates:
            contact = existing.get(match.contact_id)  # type: ignore[arg-type]
            if contact is None:
                result.outcome = RowOutcome.REJECTED
                result.reason = _("The matching contact was deleted during the import.")
                result.contact_id = None
                continue
            changes = _changes(contact, row, overwrite=match.decision == "update")
            account_id = self._account_id(row)
            if account_id is not None and contact.account_id is None:
                changes["account"] = Account.objects.get(pk=account_id)
            if changes:
                try:
                    updated = contact_services.update_contact(contact, actor=None, **changes)
                except ValidationError as exc:
                    result.outcome = RowOutcome.REJECTED
                    result.reason = _validation_message(exc)
                    continue
                existing[updated.pk] = updated
            if row.external_id:
                new_external.append(
                    ExternalId(source=self.source, value=row.external_id, contact_id=contact.pk)
                )
                self.by_external.setdefault(row.external_id, contact.pk)
            if row.attributes:
                held = current_attributes.get(contact.pk)
                if held is None:
                    # Several rows of a batch may fill the same contact: gather them.
                    data = new_attributes.setdefault(contact.pk, {})
                    data.update(row.attributes)
                elif {**held.data, **row.attributes} != held.data:
                    held.data = {**held.data, **row.attributes}
                    held.save(update_fields=["data", "updated_at"])
        bulk.insert_rows(
            ExternalId,
            ("source", "value", "contact_id", "created_at"),
            [(e.source, e.value, e.contact_id, self.now) for e in new_external],
            ignore_conflicts=True,
        )
        bulk.insert_rows(
            ContactAttributes,
            ("contact_id", "data", "updated_at"),
            [(pk, data, self.now) for pk, data in new_attributes.items()],
        )


def _reject_erased(
    prepared: list[PreparedRow | RowResult], job: ImportJob, *, dry_run: bool
) -> list[PreparedRow | RowResult]:
    """renkei.privacy: a row with the email or phone of a person erased at their request
    is rejected, without keeping its values, and noted for admins (privacy requests page),
    so an import never brings them back silently."""
    rows = [p for p in prepared if isinstance(p, PreparedRow)]
    erased = privacy_tombstones.erased_matches((r.contact.email, r.contact.phone) for r in rows)
    if not erased:
        return prepared
    result: list[PreparedRow | RowResult] = []
    for item in prepared:
        tomb = None
        if isinstance(item, PreparedRow):
            tomb = erased.get((item.contact.email, item.contact.phone))
        if tomb is None:
            result.append(item)
            continue
        reason = _("This person's data was erased at their request; the row was not imported.")
        result.append(RowResult(item.number, RowOutcome.REJECTED, reason, raw={}))
        if not dry_run:
            privacy_tombstones.note_hit(
                tomb, source=HitSource.IMPORT, reference=f"import {job.pk} row {item.number}"
            )
    return result


def _changes(contact: Contact, row: PreparedRow, *, overwrite: bool) -> dict[str, Any]:
    """The values an import changes on an existing contact: with `overwrite` (the same
    record again) every non-blank value, otherwise only the contact's blank fields. An
    opt-out always wins."""
    changes: dict[str, Any] = {}
    for name in UPDATABLE_FIELDS:
        new = getattr(row.contact, name)
        old = getattr(contact, name)
        if new and new != old and (overwrite or not old):
            changes[name] = new
    if (
        row.contact.consent_status == ConsentStatus.OPTED_OUT
        and contact.consent_status != ConsentStatus.OPTED_OUT
    ):
        changes["consent_status"] = ConsentStatus.OPTED_OUT
    return changes


def _fold_into(target: PreparedRow, row: PreparedRow, *, overwrite: bool) -> None:
    """A later row of the same file for a contact not written yet: fold its values in."""
    for name in UPDATABLE_FIELDS:
        new = getattr(row.contact, name)
        if new and (overwrite or not getattr(target.contact, name)):
            setattr(target.contact, name, new)
    if row.contact.consent_status == ConsentStatus.OPTED_OUT:
        target.contact.consent_status = ConsentStatus.OPTED_OUT
    target.contact.refresh_derived_fields()
    if row.external_id and row.external_id != target.external_id:
        target.extra_external_ids.append(row.external_id)
    target.attributes = {**target.attributes, **row.attributes}


def create_job(
    path: Path | str,
    *,
    kind: str = ImportKind.CONTACTS,
    mapping: str | None = None,
    dry_run: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    matching: str = MatchMode.DEDUP,
    actor: User | None = None,
) -> ImportJob:
    """Record an import of the file at `path` (not run yet). Raises ImportError_ for an
    unknown kind and MappingError for an unknown mapping."""
    if kind not in ImportKind.values:
        raise ImportError_(
            _("Importing %(kind)s is not supported; the kinds are: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(ImportKind.values)}
        )
    definition: dict[str, Any] = {}
    mapping_name = ""
    if mapping:
        resolved = get_mapping(mapping)
        definition = resolved.to_dict()
        mapping_name = resolved.name
    return ImportJob.objects.create(
        file_name=Path(path).name,
        file_path=str(path),
        kind=kind,
        mapping_name=mapping_name,
        mapping=definition,
        dry_run=dry_run,
        encoding=encoding or "",
        sheet=sheet or "",
        matching=matching,
        language=translation.get_language() or "",
        created_by=actor if actor is not None and actor.pk else None,
    )


def run_job(job: ImportJob, *, parallel: bool | None = None) -> ImportJob:
    """Read and import the job's file, batch by batch; the job's counts show progress.

    A large file is read and prepared in a second process while this one writes
    (renkei.imports.pipeline); `parallel` forces that on or off.

    A file that cannot be read marks the job failed (with the reason in `error`) and raises
    ImportFileError or MappingError; rows already committed stay committed.
    """
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    try:
        with open_table(job.file_path, encoding=job.encoding or None, sheet=job.sheet) as table:
            if job.mapping:
                mapping = Mapping.from_dict(job.mapping)
            else:
                found = recognize(table.headers)
                if found is None:
                    raise MappingError(
                        _(
                            "The file's columns do not match a known layout; choose a mapping "
                            "(%(names)s) or a JSON mapping file."
                        )
                        % {"names": "eight, sansan, exhibition, x-education"}
                    )
                mapping = found
            job.mapping_name = mapping.name
            job.mapping = mapping.to_dict()
            job.encoding = table.encoding
            job.headers = table.headers
            ImportJob.objects.filter(pk=job.pk).update(
                mapping_name=job.mapping_name,
                mapping=job.mapping,
                encoding=job.encoding,
                headers=job.headers,
            )
            importer = _Importer(job, mapping)
            if pipeline.use_child(job.file_path, force=parallel):
                prepared = pipeline.prepared_in_child(
                    path=job.file_path,
                    encoding=table.encoding,
                    sheet=job.sheet,
                    mapping=job.mapping,
                    now=importer.now,
                    batch_size=BATCH_SIZE,
                )
            else:
                prepared = pipeline.prepared_here(
                    table.rows(),
                    lambda batch: prepare_batch(batch, mapping, now=importer.now),
                    BATCH_SIZE,
                )
            for batch in prepared:
                importer.process(batch)
    except (ImportFileError, MappingError) as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, error=exc.message, finished_at=timezone.now()
        )
        job.refresh_from_db()
        raise
    except Exception:
        logger.exception("import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            error=_("The import stopped because of an internal error."),
            finished_at=timezone.now(),
        )
        raise
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    logger.info("import job %s done: %s", job.pk, job.counts)
    return job


def import_file(path: Path | str, **options: Any) -> ImportJob:
    """Create and run an import job now (the command line's path)."""
    return run_job(create_job(path, **options))


def start_import(path: Path | str, **options: Any) -> ImportJob:
    """Create an import job and run it in the worker after commit (the web's path)."""
    from renkei.imports.tasks import run_import

    job = create_job(path, **options)
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


REPORT_COLUMNS = ("row", "outcome", "reason", "contact_id")


def write_report(job: ImportJob, path: Path | str) -> int:
    """Write the per-row outcomes (and each row's source values) as a CSV file in UTF-8 with
    BOM; returns the number of rows written."""
    headers = list(job.headers)
    written = 0
    with Path(path).open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([*REPORT_COLUMNS, *headers])
        for row in job.rows.order_by("number").iterator(chunk_size=2000):
            writer.writerow(
                [
                    row.number,
                    row.outcome,
                    row.reason,
                    row.contact_id or "",
                    *(neutralise(row.raw.get(h, "")) for h in headers),
                ]
            )
            written += 1
    return written
