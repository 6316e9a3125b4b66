"""The lead agreement: drafting, approval by both sides, activation, and qualifying leads.

A draft is edited freely until approvals start; editing a draft withdraws its approvals.
It becomes active only when a marketing leader and a sales leader — two different people —
have approved it; the previous active version is then superseded (kept, readable). Leaders
are managers: one of a marketing team approves for marketing, one of an inside- or
field-sales team for sales; a manager without a team (management) may approve either side,
never both.

Under the active agreement, `qualify` moves the leads that meet its MQL definition to MQL,
as a rule (`Actor.rule`), with the conditions met as the stage change's reason, and stamps
each with the version (`Qualification`). Scores come from the scoring app through
`register_score_provider`, so the funnel does not depend on it; an agreement with a score
condition cannot be activated while no provider is registered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.contacts.choices import ConsentStatus, LeadStatus, LifecycleStage, SourceChannel
from renkei.contacts.models import Contact
from renkei.contacts.normalize import email_parts, is_free_mail, registrable_domain
from renkei.core import audit
from renkei.core.choices import AuditAction, Role, TeamFunction
from renkei.core.models import User
from renkei.funnel import services as funnel
from renkei.funnel.choices import AgreementSide, AgreementStatus, Exclusion, RequiredField
from renkei.funnel.models import AgreementApproval, LeadAgreement, Qualification

EDITABLE = {
    "title", "mql_min_score", "mql_required", "mql_exclusions", "competitor_domains",
    "mql_sources", "inside_first_touch_hours", "field_decision_days", "mql_target_per_month",
    "accepted_appointments_target_per_month", "notes",
}  # fmt: skip
MAX_SCORE = 1000
_SIDE_TEAMS = {
    AgreementSide.MARKETING: {TeamFunction.MARKETING},
    AgreementSide.SALES: {TeamFunction.INSIDE_SALES, TeamFunction.FIELD_SALES},
}
# Lead statuses a lead may have and still qualify: not put back to nurture or disqualified.
_QUALIFYING_STATUSES = (LeadStatus.NEW, LeadStatus.WORKING)

ScoreProvider = Callable[[list[int]], dict[int, int]]
_score_providers: list[ScoreProvider] = []


def register_score_provider(provider: ScoreProvider) -> None:
    """`provider(contact_ids)` → {contact id: total score}; the scoring app registers one."""
    if provider not in _score_providers:
        _score_providers.append(provider)


def scores_for(contact_ids: list[int]) -> dict[int, int] | None:
    if not _score_providers:
        return None
    return _score_providers[-1](contact_ids)


class AgreementError(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def active_agreement() -> LeadAgreement | None:
    return LeadAgreement.objects.filter(status=AgreementStatus.ACTIVE).first()


# --- drafting ---------------------------------------------------------------------------
def _clean(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}

    def check_list(name: str, allowed: Iterable[str]) -> None:
        value = values.get(name)
        if value is None:
            return
        if not isinstance(value, list) or any(v not in set(allowed) for v in value):
            errors[name] = [
                _("Choose from: %(choices)s.") % {"choices": ", ".join(sorted(set(allowed)))}
            ]
        else:
            values[name] = list(dict.fromkeys(value))

    check_list("mql_required", RequiredField.values)
    check_list("mql_exclusions", Exclusion.values)
    check_list("mql_sources", SourceChannel.values)
    score = values.get("mql_min_score")
    if score is not None and not (0 <= score <= MAX_SCORE):
        errors["mql_min_score"] = [
            _("A minimum score is between 0 and %(max)d.") % {"max": MAX_SCORE}
        ]
    if "competitor_domains" in values:
        domains = []
        for raw in values["competitor_domains"] or []:
            domain = registrable_domain(str(raw).strip().lower().removeprefix("@"))
            if not domain or "." not in domain:
                errors.setdefault("competitor_domains", []).append(
                    _("%(value)s is not a domain.") % {"value": raw}
                )
            else:
                domains.append(domain)
        values["competitor_domains"] = sorted(set(domains))
    if "title" in values and not str(values["title"]).strip():
        errors["title"] = [_("Give the agreement a title.")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def draft_agreement(*, actor: User, **values: Any) -> LeadAgreement:
    """A new draft version: a copy of the active agreement (if any) with `values` applied."""
    values = _clean(dict(values))
    base = active_agreement()
    start = {name: getattr(base, name) for name in EDITABLE} if base else {}
    start.update(values)
    start.setdefault("title", _("Lead agreement"))
    version = (LeadAgreement.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    agreement = LeadAgreement.objects.create(version=version, created_by=actor, **start)
    audit.record(
        agreement,
        action=AuditAction.CREATE,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(agreement)),
    )
    return agreement


@transaction.atomic
def update_draft(agreement: LeadAgreement, *, actor: User, **values: Any) -> LeadAgreement:
    """Change a draft. Its approvals are withdrawn: they approved other terms."""
    agreement = LeadAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.DRAFT:
        raise AgreementError(
            _("Only a draft can be changed; draft a new version instead."), "not_draft"
        )
    values = _clean(dict(values))
    before = audit.snapshot(agreement)
    for name, value in values.items():
        setattr(agreement, name, value)
    agreement.save()
    changes = audit.diff(before, audit.snapshot(agreement))
    withdrawn = list(agreement.approvals.values_list("side", flat=True))
    if changes and withdrawn:
        agreement.approvals.all().delete()
        changes["approvals_withdrawn"] = [withdrawn, []]
    audit.record(agreement, action=AuditAction.UPDATE, actor=actor, changes=changes)
    return agreement


# --- approval and activation ------------------------------------------------------------
def may_approve(user: User, side: str) -> bool:
    """Managers approve: a marketing team's for marketing, a sales team's for sales, one
    without a team (management) for either."""
    if not user.is_active or user.role != Role.MANAGER:
        return False
    team = user.team
    if team is None or team.function == TeamFunction.MANAGEMENT:
        return True
    return team.function in _SIDE_TEAMS[AgreementSide(side)]


@transaction.atomic
def approve(
    agreement: LeadAgreement,
    *,
    actor: User,
    side: str,
    comment: str = "",
    now: dt.datetime | None = None,
) -> LeadAgreement:
    """Record `actor`'s approval for `side`; with both sides approved, activate the draft."""
    agreement = LeadAgreement.objects.select_for_update().get(pk=agreement.pk)
    if side not in AgreementSide.values:
        raise AgreementError(_("Unknown side."), "unknown_side")
    if agreement.status != AgreementStatus.DRAFT:
        raise AgreementError(_("This version is not a draft."), "not_draft")
    if not may_approve(actor, side):
        raise AgreementError(
            _("Only a manager who leads %(side)s may approve for %(side)s.")
            % {"side": AgreementSide(side).label},
            "not_a_leader",
        )
    approvals = {a.side: a for a in agreement.approvals.all()}
    if side in approvals:
        raise AgreementError(_("This side has approved already."), "already_approved")
    if any(a.approver_id == actor.pk for a in approvals.values()):
        raise AgreementError(_("The same person cannot approve for both sides."), "same_approver")
    now = now or timezone.now()
    AgreementApproval.objects.create(
        agreement=agreement, side=side, approver=actor, at=now, comment=comment.strip()
    )
    audit.record(
        agreement,
        action=AuditAction.UPDATE,
        actor=actor,
        changes={f"approved_{side}": [None, actor.display_name]},
    )
    if len(approvals) + 1 == len(AgreementSide.values):
        _activate(agreement, actor=actor, now=now)
    return agreement


def _activate(agreement: LeadAgreement, *, actor: User, now: dt.datetime) -> None:
    if agreement.mql_min_score is None and not agreement.mql_required and not agreement.mql_sources:
        raise AgreementError(
            _("The MQL definition needs a score, a required field or a source to qualify on."),
            "empty_definition",
        )
    if agreement.mql_min_score is not None and not _score_providers:
        raise AgreementError(
            _("This agreement has a score condition, but no score is computed yet."),
            "no_scores",
        )
    previous = active_agreement()
    if previous is not None:
        previous.status = AgreementStatus.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_at"])
        audit.record(
            previous,
            action=AuditAction.UPDATE,
            actor=actor,
            changes={"status": [AgreementStatus.ACTIVE, AgreementStatus.SUPERSEDED]},
        )
    agreement.status = AgreementStatus.ACTIVE
    agreement.activated_at = now
    agreement.save(update_fields=["status", "activated_at"])
    audit.record(
        agreement,
        action=AuditAction.UPDATE,
        actor=actor,
        changes={"status": [AgreementStatus.DRAFT, AgreementStatus.ACTIVE]},
    )
    from renkei.funnel.tasks import qualify_leads

    transaction.on_commit(lambda: qualify_leads.enqueue())


# --- qualifying -------------------------------------------------------------------------
@dataclass
class Verdict:
    qualifies: bool
    met: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def evaluate(agreement: LeadAgreement, contact: Contact, score: int | None) -> Verdict:
    """Whether a lead meets the agreement's MQL definition, and why (in words)."""
    met: list[str] = []
    missing: list[str] = []
    if agreement.mql_min_score is not None:
        if score is not None and score >= agreement.mql_min_score:
            met.append(
                _("score %(score)d ≥ %(min)d") % {"score": score, "min": agreement.mql_min_score}
            )
        else:
            missing.append(_("score below %(min)d") % {"min": agreement.mql_min_score})
    has = {
        RequiredField.EMAIL: bool(contact.email),
        RequiredField.PHONE: bool(contact.phone),
        RequiredField.COMPANY: contact.account_id is not None,
        RequiredField.TITLE: bool(contact.title),
        RequiredField.OPTED_IN: contact.consent_status == ConsentStatus.OPTED_IN,
    }
    for name in agreement.mql_required:
        label = str(RequiredField(name).label)
        (met if has[RequiredField(name)] else missing).append(label)
    domain = email_parts(contact.email)[1]
    excluded = {
        Exclusion.FREE_MAIL: bool(domain) and is_free_mail(domain) and contact.account_id is None,
        Exclusion.COMPETITOR: bool(domain) and domain in set(agreement.competitor_domains),
        Exclusion.OPTED_OUT: contact.consent_status == ConsentStatus.OPTED_OUT,
    }
    for name in agreement.mql_exclusions:
        if excluded[Exclusion(name)]:
            missing.append(_("excluded: %(what)s") % {"what": Exclusion(name).label})
    if agreement.mql_sources:
        if contact.source_channel in agreement.mql_sources:
            met.append(_("source %(source)s") % {"source": contact.get_source_channel_display()})
        else:
            missing.append(_("source not in the agreement"))
    return Verdict(qualifies=not missing and bool(met), met=met, missing=missing)


@dataclass
class QualifyResult:
    agreement: int | None = None
    checked: int = 0
    qualified: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def qualify(
    contact_ids: Iterable[int] | None = None, *, now: dt.datetime | None = None
) -> QualifyResult:
    """Move the leads (or those of `contact_ids`) that meet the active agreement's MQL
    definition to MQL, with the conditions met as the reason, and stamp each with the
    agreement's version."""
    agreement = active_agreement()
    if agreement is None:
        return QualifyResult()
    leads = Contact.objects.filter(
        lifecycle_stage=LifecycleStage.LEAD, lead_status__in=_QUALIFYING_STATUSES
    )
    if contact_ids is not None:
        leads = leads.filter(pk__in=list(contact_ids))
    result = QualifyResult(agreement=agreement.version)
    now = now or timezone.now()
    rule = funnel.Actor.rule(_("Lead agreement v%(version)d") % {"version": agreement.version})
    ids = list(leads.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        scores = scores_for(chunk) if agreement.mql_min_score is not None else {}
        reasons: dict[str, list[int]] = {}
        for contact in Contact.objects.filter(pk__in=chunk).only(
            "pk", "email", "phone", "account_id", "title", "consent_status", "source_channel"
        ):
            result.checked += 1
            verdict = evaluate(agreement, contact, (scores or {}).get(contact.pk))
            if verdict.qualifies:
                reason = _("Meets lead agreement v%(version)d: %(met)s") % {
                    "version": agreement.version,
                    "met": ", ".join(verdict.met),
                }
                reasons.setdefault(reason, []).append(contact.pk)
        for reason, members in reasons.items():
            with transaction.atomic():
                moved = funnel.change_stages(
                    members, to_stage=LifecycleStage.MQL, actor=rule, reason=reason, at=now
                )
                done = [pk for pk in members if pk not in moved.refused]
                Qualification.objects.bulk_create(
                    Qualification(contact_id=pk, agreement=agreement, at=now, reason=reason)
                    for pk in done
                )
            result.qualified += done
            result.refused.update({pk: err.message for pk, err in moved.refused.items()})
    return result
