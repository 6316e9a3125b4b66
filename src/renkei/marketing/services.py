"""Writes of the marketing app: forms (with versioned consent wording), submissions stored
first and processed into contacts afterwards, and their retries."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.text import slugify

from renkei.contacts import services as contact_services
from renkei.contacts.choices import ConsentStatus, LifecycleStage, SourceChannel
from renkei.contacts.dedup.services import flag_duplicate
from renkei.contacts.models import Account, Contact
from renkei.core.models import User
from renkei.funnel import services as funnel
from renkei.marketing import campaigns, privacy, tracking
from renkei.marketing.choices import FieldMapping, SubmissionStatus, TouchType
from renkei.marketing.matching import find_account_for_submission, find_contact_for_submission
from renkei.marketing.models import ConsentRecord, ConsentText, Form, FormSubmission
from renkei.marketing.schemas import HIDDEN_FIELDS, parse_fields

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STUCK_AFTER = dt.timedelta(minutes=10)
CONTACT_MAPPINGS = {
    FieldMapping.FAMILY_NAME, FieldMapping.GIVEN_NAME, FieldMapping.FAMILY_NAME_KANA,
    FieldMapping.GIVEN_NAME_KANA, FieldMapping.EMAIL, FieldMapping.PHONE,
    FieldMapping.DEPARTMENT, FieldMapping.TITLE,
}  # fmt: skip
VISITOR_ID = re.compile(tracking.VISITOR_ID)


# --- forms ----------------------------------------------------------------------------
def consent_text_for(text_ja: str, text_en: str) -> ConsentText | None:
    """The consent version with exactly this wording, created as the next version when the
    wording is new; None when there is no wording (the form asks for no consent)."""
    text_ja, text_en = text_ja.strip(), text_en.strip()
    if not text_ja:
        return None
    existing = ConsentText.objects.filter(text_ja=text_ja, text_en=text_en).first()
    if existing:
        return existing
    latest = ConsentText.objects.aggregate(v=Max("version"))["v"] or 0
    return ConsentText.objects.create(
        version=latest + 1, text_ja=text_ja, text_en=text_en, created_at=timezone.now()
    )


def _unique_slug(name: str, exclude: int | None = None) -> str:
    base = slugify(name, allow_unicode=False)[:50] or "form"
    slug, n = base, 1
    while Form.objects.filter(slug=slug).exclude(pk=exclude).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def save_form(
    form: Form | None,
    *,
    actor: User,
    fields: list[dict[str, Any]],
    consent_ja: str = "",
    consent_en: str = "",
    **values: Any,
) -> Form:
    """Create or update a form. `fields` must be valid (renkei.marketing.schemas); changed
    consent wording becomes a new ConsentText version, earlier records keep theirs."""
    parsed = parse_fields(fields)
    if form is None:
        form = Form(created_at=timezone.now())
    for key, value in values.items():
        setattr(form, key, value.strip() if isinstance(value, str) else value)
    if not form.slug:
        form.slug = _unique_slug(form.name, exclude=form.pk)
    form.fields = [f.model_dump(mode="json") for f in parsed]
    form.consent_text = consent_text_for(consent_ja, consent_en)
    form.full_clean(exclude=["created_at"])
    form.save()
    logger.info("form %s saved by user %s", form.pk, actor.pk)
    return form


# --- submissions ----------------------------------------------------------------------
def receive_submission(
    form: Form,
    *,
    values: dict[str, str],
    hidden: dict[str, str],
    consent_given: bool,
    ip: str | None,
    user_agent: str,
    language: str,
) -> FormSubmission:
    """Store a validated submission before anything else, then process it (the caller must
    not hold a transaction open, so the stored row survives a failed processing). Whatever the
    processing does, the submission is kept (a failure is retried by the periodic task)."""
    submission = FormSubmission.objects.create(
        form=form,
        data=values,
        meta={
            **{k: v[:2000] for k, v in hidden.items() if k in HIDDEN_FIELDS and v},
            "consent": consent_given,
            "ip": ip,
            "user_agent": user_agent[:300],
            "language": language,
        },
        created_at=timezone.now(),
    )
    # Stored (committed) first; processed at once, in its own transaction.
    return process_submission(submission.pk) or submission


def process_submission(submission_id: int) -> FormSubmission | None:
    """Create or update the contact of a received (or failed) submission, record the
    form_submit touch and the consent, and attach the visitor's anonymous history.
    Claims the row with a conditional UPDATE, so concurrent runs process it once."""
    now = timezone.now()
    claimed = (
        FormSubmission.objects.filter(pk=submission_id)
        .filter(
            Q(status__in=[SubmissionStatus.RECEIVED, SubmissionStatus.FAILED])
            | Q(status=SubmissionStatus.PROCESSING, processed_at__lt=now - STUCK_AFTER)
        )
        .update(status=SubmissionStatus.PROCESSING, attempts=F("attempts") + 1, processed_at=now)
    )
    if not claimed:
        return None
    submission = FormSubmission.objects.select_related("form").get(pk=submission_id)
    if privacy.hold_if_erased(submission):  # renkei.privacy: erased people stay erased
        return submission
    try:
        with transaction.atomic():
            contact = _apply_submission(submission)
    except Exception as exc:  # kept and retried; the error is shown to admins
        logger.exception("form submission %s failed", submission.pk)
        submission.status = SubmissionStatus.FAILED
        submission.error = f"{exc.__class__.__name__}: {exc}"[:2000]
        submission.save(update_fields=["status", "error"])
        return submission
    submission.status = SubmissionStatus.PROCESSED
    submission.contact = contact
    submission.error = ""
    submission.processed_at = timezone.now()
    submission.save(update_fields=["status", "contact", "error", "processed_at"])
    return submission


def _account_for(company: str, website: str) -> Account:
    account, probable, reasons = find_account_for_submission(company, website)
    if account is not None:
        return account
    account = contact_services.create_account(
        actor=None, name=company, **({"website": website} if website else {})
    )
    if probable is not None:
        flag_duplicate(account, probable, reasons=reasons)
    return account


def _apply_submission(submission: FormSubmission) -> Contact:
    form = submission.form
    fields = parse_fields(form.fields)
    meta = submission.meta
    mapped = {
        f.mapping: submission.data[f.key]
        for f in fields
        if f.mapping != FieldMapping.CUSTOM and submission.data.get(f.key)
    }
    contact_values = {k: v for k, v in mapped.items() if k in CONTACT_MAPPINGS}
    company = mapped.get(FieldMapping.COMPANY, "")
    website = mapped.get(FieldMapping.WEBSITE, "")
    page = meta.get("rk_page", "")[:500]
    at = submission.created_at
    consent_given = bool(meta.get("consent")) and form.consent_text_id is not None

    match = find_contact_for_submission({**contact_values, "company": company, "website": website})
    contact = match.contact
    if contact is None:
        extra: dict[str, Any] = {}
        if company:
            extra["account"] = _account_for(company, website)
        if consent_given:
            extra["consent_status"] = ConsentStatus.OPTED_IN
        contact = funnel.add_contact(
            actor=funnel.Actor.system("form"),
            stage=LifecycleStage.LEAD,
            source_channel=SourceChannel.WEBSITE,
            source_campaign=(meta.get("rk_utm_campaign") or form.campaign)[:200],
            first_touch_at=at,
            first_touch_url=page,
            **contact_values,
            **extra,
        )
        if match.review is not None:
            flag_duplicate(contact, match.review, reasons=match.reasons)
    else:
        # A public form fills gaps but never overwrites what the team knows: anyone can
        # type someone else's email address.
        updates: dict[str, Any] = {
            k: v for k, v in contact_values.items() if not getattr(contact, k)
        }
        if company and contact.account_id is None:
            updates["account"] = _account_for(company, website)
        if consent_given and contact.consent_status != ConsentStatus.OPTED_IN:
            updates["consent_status"] = ConsentStatus.OPTED_IN
        if updates:
            contact = contact_services.update_contact(contact, actor=None, **updates)

    touch = tracking.record_touch(
        type=TouchType.FORM_SUBMIT,
        contact=contact,
        visitor_uid=meta.get("rk_vid", "") if VISITOR_ID.match(meta.get("rk_vid", "")) else "",
        at=at,
        url=page[:2000],
        title=form.name[:500],
        referrer=meta.get("rk_referrer", "")[:2000],
        utm_source=meta.get("rk_utm_source", "")[:200],
        utm_medium=meta.get("rk_utm_medium", "")[:200],
        utm_campaign=(meta.get("rk_utm_campaign") or form.campaign)[:200],
        utm_term=meta.get("rk_utm_term", "")[:200],
        utm_content=meta.get("rk_utm_content", "")[:200],
        metadata={"form_id": form.pk, "form_name": form.name, "submission_id": submission.pk},
    )
    if touch.campaign_id is not None:
        campaigns.record_response(touch.campaign_id, contact, at=at)
    if form.consent_text_id is not None:
        ConsentRecord.objects.update_or_create(
            submission=submission,
            defaults={
                "contact": contact,
                "form": form,
                "consent_text_id": form.consent_text_id,
                "given": consent_given,
                "at": at,
                "ip": meta.get("ip"),
            },
        )
    visitor = meta.get("rk_vid", "")
    if VISITOR_ID.match(visitor):
        tracking.identify_visitor(visitor, contact, now=at)
    return contact


def retry_failed_submissions(limit: int = 200) -> int:
    """Process again the submissions that failed (up to MAX_ATTEMPTS tries), were never
    processed, or were left half-way by a crash; returns how many were tried."""
    now = timezone.now()
    ids = list(
        FormSubmission.objects.filter(attempts__lt=MAX_ATTEMPTS)
        .filter(
            Q(status=SubmissionStatus.FAILED)
            | Q(status=SubmissionStatus.RECEIVED, created_at__lt=now - dt.timedelta(minutes=1))
            | Q(status=SubmissionStatus.PROCESSING, processed_at__lt=now - STUCK_AFTER)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        process_submission(pk)
    return len(ids)


# --- email opt-out --------------------------------------------------------------------
@transaction.atomic
def record_opt_out(contact: Contact, *, at: dt.datetime, ip: str | None = None) -> Contact:
    """The person withdrew consent to marketing email (an unsubscribe): the contact becomes
    opted out and the consent ledger gets a `given=False` record against the wording they
    last answered (or the current wording), so the history shows when consent ended."""
    last = ConsentRecord.objects.filter(contact=contact).order_by("-at", "-id").first()
    text = last.consent_text if last else ConsentText.objects.order_by("-version").first()
    if text is not None:
        ConsentRecord.objects.create(
            contact=contact, form=None, consent_text=text, given=False, at=at, ip=ip
        )
    if contact.consent_status != ConsentStatus.OPTED_OUT:
        contact = contact_services.update_contact(
            contact, actor=None, consent_status=ConsentStatus.OPTED_OUT
        )
    return contact
