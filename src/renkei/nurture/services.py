"""Writes of the nurture app: sender identity, templates, suppression, lawful exceptions,
one-off sends and their delivery, and what recipients do (open, click, unsubscribe,
bounce, complain).

Delivery is at most once. Messages are claimed with a conditional UPDATE (queued →
sending, with a claim token) in chunks of CLAIM_CHUNK before they are handed to the SMTP
server, so two workers, or a worker that runs again after a restart, never send one twice;
the chunk's outcomes are written in one UPDATE after it. A worker that dies after the claim
but before it recorded the outcome leaves those messages in `sending`; after CLAIM_TIMEOUT
they become `unknown` and are not retried — the server may have accepted them, and a
missing email is better than a duplicate one in a marketing context.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import smtplib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.contacts.choices import ConsentStatus
from renkei.contacts.models import Contact
from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.core.models import Organisation, User
from renkei.marketing import services as marketing_services
from renkei.marketing import tracking
from renkei.marketing.choices import TouchType
from renkei.marketing.models import ConsentRecord, FormSubmission
from renkei.nurture import compose, rendering
from renkei.nurture.audience import Audience
from renkei.nurture.choices import (
    LawfulBasis,
    MessageStatus,
    SendStatus,
    SkipReason,
    SuppressionReason,
)
from renkei.nurture.models import (
    EmailSend,
    EmailTemplate,
    LawfulException,
    Message,
    SenderIdentity,
    Suppression,
)

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = dt.timedelta(minutes=15)
# Messages claimed (and their outcomes recorded) per UPDATE: fewer commits, and at most this
# many messages end `unknown` when a worker dies mid-chunk.
CLAIM_CHUNK = 20
BACKOFF = [
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
]


def normalize_email(email: str) -> str:
    return email.strip().lower()


# --- sender identity ------------------------------------------------------------------
SENDER_FIELDS = {
    "sender_name", "sender_name_en", "from_email", "reply_to", "postal_address",
    "postal_address_en", "contact_point", "unsubscribe_email",
}  # fmt: skip


@transaction.atomic
def save_sender_identity(*, actor: User, **values: Any) -> SenderIdentity:
    sender = SenderIdentity.objects.select_for_update().get(pk=SenderIdentity.load().pk)
    before = audit.snapshot(sender)
    for key, value in values.items():
        if key not in SENDER_FIELDS:
            raise ValueError(key)
        setattr(sender, key, value.strip() if isinstance(value, str) else value)
    sender.full_clean()
    sender.save()
    audit.record(
        sender,
        action=AuditAction.UPDATE,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(sender)),
    )
    return sender


# --- templates ------------------------------------------------------------------------
TEMPLATE_FIELDS = {"name", "subject_ja", "html_ja", "text_ja", "subject_en", "html_en", "text_en"}


def clean_template_values(values: dict[str, Any]) -> dict[str, Any]:
    """Sanitized values, or ValidationError naming each field with a problem: token
    errors, a language with a body but no subject, no language at all."""
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    errors: dict[str, list[str]] = {}
    for lang in ("ja", "en"):
        html = cleaned.get(f"html_{lang}", "")
        if html:
            cleaned[f"html_{lang}"] = rendering.sanitize_html(html)
        for part in ("subject", "html", "text"):
            key = f"{part}_{lang}"
            problems = rendering.validate(cleaned.get(key, ""))
            if problems:
                errors.setdefault(key, []).extend(problems)
        has_body = bool(cleaned.get(f"html_{lang}") or cleaned.get(f"text_{lang}"))
        if has_body and not cleaned.get(f"subject_{lang}"):
            errors.setdefault(f"subject_{lang}", []).append(
                _("A version with a body needs a subject.")
            )
        if cleaned.get(f"subject_{lang}") and not has_body:
            errors.setdefault(f"html_{lang}", []).append(
                _("Write an HTML or a plain-text body for this subject.")
            )
    if not errors and not (cleaned.get("subject_ja") or cleaned.get("subject_en")):
        errors["subject_ja"] = [_("Write at least one version, Japanese or English.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def save_template(template: EmailTemplate | None, *, actor: User, **values: Any) -> EmailTemplate:
    unknown = set(values) - TEMPLATE_FIELDS
    if unknown:
        raise ValueError(unknown)
    cleaned = clean_template_values(values)
    if template is None:
        template = EmailTemplate(created_at=timezone.now(), created_by=actor)
        action = AuditAction.CREATE
        before: dict[str, Any] = {}
    else:
        template = EmailTemplate.objects.select_for_update().get(pk=template.pk)
        action = AuditAction.UPDATE
        before = audit.snapshot(template)
    for key, value in cleaned.items():
        setattr(template, key, value)
    template.full_clean(exclude=["created_at", "created_by"])
    template.save()
    audit.record(
        template, action=action, actor=actor, changes=audit.diff(before, audit.snapshot(template))
    )
    return template


# --- suppression and consent ----------------------------------------------------------
@transaction.atomic
def suppress(
    email: str,
    *,
    reason: str,
    actor: User | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Suppression:
    """Put an address on the suppression list (or update its reason); takes effect for every
    message not yet handed to the mail server."""
    email = normalize_email(email)
    row, created = Suppression.objects.select_for_update().get_or_create(
        email=email,
        defaults={
            "reason": reason,
            "note": note[:500],
            "at": at or timezone.now(),
            "created_by": actor,
        },
    )
    if not created and (row.reason != reason or note):
        row.reason = reason
        row.note = note[:500] or row.note
        row.at = at or timezone.now()
        row.save(update_fields=["reason", "note", "at"])
    if created:
        audit.record(
            row,
            action=AuditAction.CREATE,
            actor=actor,
            changes={"reason": [None, reason]},
            actor_label="" if actor else "system",
        )
    return row


@transaction.atomic
def unsuppress(suppression: Suppression, *, actor: User) -> None:
    audit.record(
        suppression,
        action=AuditAction.DELETE,
        actor=actor,
        changes={"email": [suppression.email, None], "reason": [suppression.reason, None]},
    )
    suppression.delete()


def record_lawful_exception(
    contact: Contact, *, basis: str, evidence: str, actor: User
) -> LawfulException:
    if basis == LawfulBasis.OPT_IN or basis not in LawfulBasis.values:
        raise ValidationError({"basis": [_("Choose one of the lawful exceptions.")]})
    if not evidence.strip():
        raise ValidationError({"evidence": [_("Say where the exception is documented.")]})
    row = LawfulException.objects.create(
        contact=contact,
        basis=basis,
        evidence=evidence.strip()[:500],
        at=timezone.now(),
        recorded_by=actor,
    )
    logger.info(
        "lawful exception %s recorded for contact %s by user %s", basis, contact.pk, actor.pk
    )
    return row


@dataclass(frozen=True)
class Eligibility:
    skip_reason: str  # "" when the contact may receive marketing email
    basis: str


def eligibility(contacts: Iterable[Contact]) -> dict[int, Eligibility]:
    """Whether each contact may receive marketing email, in a few queries.

    Order of checks: an address, not suppressed, not opted out, then a lawful basis — a
    recorded opt-in (opted in, with a latest consent record that was given) or a
    documented lawful exception (特定電子メール法 §3(1)).
    """
    contacts = list(contacts)
    ids = [c.pk for c in contacts]
    emails = {normalize_email(c.email) for c in contacts if c.email}
    suppressed = set(Suppression.objects.filter(email__in=emails).values_list("email", flat=True))
    latest_given = dict(
        Contact.objects.filter(pk__in=ids)
        .annotate(
            given=Subquery(
                ConsentRecord.objects.filter(contact=OuterRef("pk"))
                .order_by("-at", "-id")
                .values("given")[:1]
            )
        )
        .values_list("pk", "given")
    )
    exceptions = dict(
        LawfulException.objects.filter(contact_id__in=ids)
        .order_by("at")
        .values_list("contact_id", "basis")
    )
    result = {}
    for contact in contacts:
        email = normalize_email(contact.email)
        if not email:
            result[contact.pk] = Eligibility(SkipReason.NO_EMAIL, "")
        elif email in suppressed:
            result[contact.pk] = Eligibility(SkipReason.SUPPRESSED, "")
        elif (
            contact.consent_status == ConsentStatus.OPTED_OUT
            or latest_given.get(contact.pk) is False
        ):
            result[contact.pk] = Eligibility(SkipReason.OPTED_OUT, "")
        elif contact.consent_status == ConsentStatus.OPTED_IN and latest_given.get(contact.pk):
            result[contact.pk] = Eligibility("", LawfulBasis.OPT_IN)
        elif contact.pk in exceptions:
            result[contact.pk] = Eligibility("", exceptions[contact.pk])
        else:
            result[contact.pk] = Eligibility(SkipReason.NO_CONSENT, "")
    return result


def contact_languages(contact_ids: list[int]) -> dict[int, str]:
    """The language each contact last used with us (the page language of their latest
    form submission), where known."""
    languages: dict[int, str] = {}
    rows = (
        FormSubmission.objects.filter(contact_id__in=contact_ids)
        .order_by("contact_id", "-created_at")
        .values_list("contact_id", "meta__language")
    )
    for contact_id, language in rows:
        if contact_id not in languages and isinstance(language, str):
            code = language[:2]
            if code in ("ja", "en"):
                languages[contact_id] = code
    return languages


# --- sends ----------------------------------------------------------------------------
def check_sender() -> SenderIdentity:
    sender = SenderIdentity.load()
    if sender.missing:
        raise compose.SenderIncomplete(sender.missing)
    return sender


def check_sender_or_error() -> SenderIdentity:
    """check_sender, raising a ValidationError for forms and the API."""
    try:
        return check_sender()
    except compose.SenderIncomplete as exc:
        raise ValidationError(str(exc)) from exc


def create_send(
    *,
    actor: User,
    name: str,
    template: EmailTemplate,
    audience: Audience,
    scheduled_at: dt.datetime | None = None,
) -> EmailSend:
    """Schedule a one-off send (now when scheduled_at is empty). Refuses while the sender
    identity lacks what the law requires."""
    try:
        check_sender()
    except compose.SenderIncomplete as exc:
        raise ValidationError(str(exc)) from exc
    now = timezone.now()
    if scheduled_at is not None and scheduled_at < now - dt.timedelta(minutes=5):
        raise ValidationError({"scheduled_at": [_("Choose a time in the future.")]})
    with transaction.atomic():
        send = EmailSend.objects.create(
            name=name.strip()[:200] or template.name,
            template=template,
            audience=audience.to_json(),
            audience_label=audience.describe()[:300],
            scheduled_at=scheduled_at or now,
            created_by=actor,
            created_at=now,
        )
        audit.record(
            send,
            action=AuditAction.CREATE,
            actor=actor,
            changes={
                "template": [None, template.pk],
                "scheduled_at": [None, send.scheduled_at.isoformat()],
            },
        )
        if send.scheduled_at <= now:
            from renkei.nurture.tasks import deliver_email

            transaction.on_commit(lambda: deliver_email.enqueue())
    return send


@transaction.atomic
def cancel_send(send: EmailSend, *, actor: User) -> EmailSend:
    """Stop a send: messages not yet claimed by a worker are skipped."""
    send = EmailSend.objects.select_for_update().get(pk=send.pk)
    if send.status in (SendStatus.DONE, SendStatus.CANCELLED):
        raise ValidationError(_("This send has already finished."))
    now = timezone.now()
    send.messages.filter(status=MessageStatus.QUEUED).update(
        status=MessageStatus.SKIPPED, skip_reason=SkipReason.CANCELLED
    )
    before = send.status
    send.status = SendStatus.CANCELLED
    send.finished_at = now
    send.save(update_fields=["status", "finished_at"])
    audit.record(
        send, action=AuditAction.UPDATE, actor=actor, changes={"status": [before, send.status]}
    )
    return send


def prepare_send(send_id: int, *, now: dt.datetime | None = None) -> int:
    """Create the per-recipient messages of a due send (claimed with a conditional UPDATE,
    so it runs once); each recipient that may not receive it is a skipped row with its
    reason. Returns how many messages were created."""
    from renkei.nurture import audience as audiences

    now = now or timezone.now()
    claimed = EmailSend.objects.filter(
        pk=send_id, status=SendStatus.SCHEDULED, scheduled_at__lte=now
    ).update(status=SendStatus.SENDING, started_at=now)
    if not claimed:
        return 0
    send = EmailSend.objects.get(pk=send_id)
    default_language = Organisation.current().default_language
    contacts = (
        audiences.load(send.audience)
        .contacts()
        .select_related(None)
        .only("pk", "email", "consent_status")
    )
    created = 0
    seen_emails: set[str] = set()
    chunk: list[Contact] = []

    def flush() -> int:
        checks = eligibility(chunk)
        languages = contact_languages([c.pk for c in chunk])
        rows = []
        for contact in chunk:
            check = checks[contact.pk]
            email = normalize_email(contact.email)
            reason = check.skip_reason
            if not reason and email in seen_emails:
                reason = SkipReason.DUPLICATE
            if not reason:
                seen_emails.add(email)
            rows.append(
                Message(
                    send=send,
                    contact_id=contact.pk,
                    email=email,
                    language=languages.get(contact.pk, default_language),
                    status=MessageStatus.SKIPPED if reason else MessageStatus.QUEUED,
                    skip_reason=reason,
                    lawful_basis=check.basis,
                )
            )
        Message.objects.bulk_create(rows, ignore_conflicts=True)
        return len(rows)

    for contact in contacts.iterator(chunk_size=1000):
        chunk.append(contact)
        if len(chunk) >= 1000:
            created += flush()
            chunk = []
    if chunk:
        created += flush()
    logger.info("send %s prepared: %d messages", send_id, created)
    return created


def _is_temporary(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return any(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError)


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [
            f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for code, msg in exc.recipients.values()
        ]
        return _("The mail server refused the address: %(reply)s") % {"reply": "; ".join(parts)}
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = (
            exc.smtp_error.decode(errors="replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return _("The mail server answered %(code)s %(reply)s") % {
            "code": exc.smtp_code,
            "reply": reply,
        }
    if isinstance(exc, OSError):
        return _("Could not reach the mail server: %(error)s") % {"error": exc.strerror or exc}
    return f"{exc.__class__.__name__}: {exc}"


def release_stale_claims(now: dt.datetime | None = None) -> int:
    """Messages a stopped worker left in `sending` become `unknown` (never resent)."""
    now = now or timezone.now()
    return Message.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    ).update(
        status=MessageStatus.UNKNOWN,
        error=_(
            "The worker stopped while handing this message to the mail server; it was "
            "not sent again so that nobody receives it twice."
        ),
    )


def _claim(chunk: list[Message], now: dt.datetime) -> tuple[str, set[int]]:
    """Claim the queued messages of `chunk` in one conditional UPDATE; returns the claim
    token and the ids this worker now owns (another worker may have taken some)."""
    token = secrets.token_hex(8)
    ids = [m.pk for m in chunk]
    Message.objects.filter(pk__in=ids, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENDING, claimed_at=now, claim=token, attempts=F("attempts") + 1
    )
    return token, set(Message.objects.filter(pk__in=ids, claim=token).values_list("pk", flat=True))


def _finish_sends() -> None:
    # A sequence's sends stay open: contacts reach their steps over weeks.
    for send in EmailSend.objects.filter(status=SendStatus.SENDING, sequence__isnull=True):
        busy = send.messages.filter(status__in=[MessageStatus.QUEUED, MessageStatus.SENDING])
        if not busy.exists():
            EmailSend.objects.filter(pk=send.pk, status=SendStatus.SENDING).update(
                status=SendStatus.DONE, finished_at=timezone.now()
            )


def deliver_batch(*, limit: int | None = None, now: dt.datetime | None = None) -> int:
    """Deliver up to `limit` due messages of running sends, throttled to
    NURTURE_SEND_RATE messages a second; returns how many were handed to the mail server."""
    now = now or timezone.now()
    limit = limit or settings.NURTURE_BATCH_SIZE
    messages = list(
        Message.objects.filter(status=MessageStatus.QUEUED, send__status=SendStatus.SENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .select_related("send__template", "contact__account")
        .order_by("id")[:limit]
    )
    if not messages:
        return 0
    sender = SenderIdentity.load()
    if sender.missing:
        # Sending waits (messages stay queued) until the legally required identity is back.
        logger.warning("email delivery paused: the sender identity is incomplete")
        return 0
    # Consent and suppression are checked again for the whole batch before it is sent, so an
    # unsubscribe that arrived after the send started is honoured (the batch takes seconds).
    checks = eligibility([m.contact for m in messages if m.contact is not None])
    domain = sender.from_email.rpartition("@")[2] or "localhost"
    connection = mailers.default
    interval = 1.0 / settings.NURTURE_SEND_RATE if settings.NURTURE_SEND_RATE > 0 else 0.0
    sent = 0
    try:
        for start in range(0, len(messages), CLAIM_CHUNK):
            chunk = messages[start : start + CLAIM_CHUNK]
            token, mine = _claim(chunk, now)
            delivered: list[Message] = []
            try:
                for message in chunk:
                    if message.pk not in mine:
                        continue  # another worker has it
                    message.attempts += 1
                    message.message_id = f"<{token}.{message.pk}@{domain}>"
                    reason = (
                        checks[message.contact.pk].skip_reason
                        if message.contact is not None
                        else SkipReason.NO_EMAIL
                    )
                    if reason:
                        Message.objects.filter(pk=message.pk).update(
                            status=MessageStatus.SKIPPED, skip_reason=reason
                        )
                        continue
                    started = time.monotonic()
                    if _deliver(message, sender=sender, connection=connection, now=now):
                        delivered.append(message)
                    if interval:
                        time.sleep(max(0.0, interval - (time.monotonic() - started)))
            finally:
                # The chunk's outcomes in one UPDATE; a crash before it leaves these
                # messages `sending`, later `unknown` — never sent again.
                Message.objects.bulk_update(
                    delivered, ["status", "sent_at", "error", "message_id", "provider_id"]
                )
                sent += len(delivered)
    finally:
        connection.close()
        _finish_sends()
    return sent


def _deliver(
    message: Message, *, sender: SenderIdentity, connection: Any, now: dt.datetime
) -> bool:
    try:
        rendered = compose.render_for(
            message.send.template,
            message.contact,
            language=message.language,
            sender=sender,
            message_id=message.pk,
        )
        email = compose.build_email(
            rendered,
            to=message.email,
            sender=sender,
            message_id=message.pk,
            header_message_id=message.message_id,
        )
        # Opened here (not by send_messages, which would close it again after each message):
        # one SMTP session carries the whole batch; a no-op when it is open already.
        connection.open()
        delivered = connection.send_messages([email])
        if not delivered:
            raise smtplib.SMTPServerDisconnected(_("The mail server accepted nothing."))
    except Exception as exc:
        connection.close()  # a broken connection is opened afresh for the next message
        temporary = _is_temporary(exc)
        reason = _describe(exc) if not isinstance(exc, compose.SenderIncomplete) else str(exc)
        if temporary and message.attempts < settings.NURTURE_MAX_ATTEMPTS:
            delay = BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.QUEUED, error=reason, next_attempt_at=now + delay
            )
            logger.warning("message %s: temporary failure, retry in %s", message.pk, delay)
        else:
            Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, error=reason)
            logger.warning("message %s failed: %s", message.pk, exc.__class__.__name__)
            if isinstance(exc, smtplib.SMTPRecipientsRefused) and not temporary:
                suppress(message.email, reason=SuppressionReason.BOUNCED, note=reason)
        return False
    status = getattr(email, "anymail_status", None)
    message.status = MessageStatus.SENT
    message.sent_at = timezone.now()
    message.error = ""
    message.provider_id = (getattr(status, "message_id", "") or "")[:300] if status else ""
    return True  # recorded with the rest of its chunk by deliver_batch


def run_delivery(*, now: dt.datetime | None = None, max_batches: int = 1000) -> int:
    """The worker's job: release stale claims, prepare due sends, deliver due messages."""
    now = now or timezone.now()
    release_stale_claims(now)
    for send_id in EmailSend.objects.filter(
        status=SendStatus.SCHEDULED, scheduled_at__lte=now
    ).values_list("pk", flat=True):
        prepare_send(send_id, now=now)
    total = 0
    if SenderIdentity.load().missing:
        logger.warning("email delivery paused: the sender identity is incomplete")
        return 0
    for _batch in range(max_batches):
        delivered = deliver_batch(now=now)
        total += delivered
        if (
            not Message.objects.filter(status=MessageStatus.QUEUED, send__status=SendStatus.SENDING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .exists()
        ):
            break
    _finish_sends()
    return total


def send_test(
    template: EmailTemplate, *, actor: User, language: str, contact: Contact | None = None
) -> str:
    """The template as `contact` would receive it (tokens filled), sent to the actor's own
    address with “[TEST]” in front of the subject; links are not tracked. Returns the
    address. Raises ValidationError with a clear message."""
    if not actor.email:
        raise ValidationError(_("Your user has no email address; add one on your profile."))
    try:
        sender = check_sender()
    except compose.SenderIncomplete as exc:
        raise ValidationError(str(exc)) from exc
    rendered = compose.render_for(template, contact, language=language, sender=sender, track=False)
    rendered.subject = f"[TEST] {rendered.subject}"
    email = compose.build_email(rendered, to=actor.email, sender=sender, message_id=0)
    try:
        email.send(using="default")
    except (smtplib.SMTPException, OSError) as exc:
        raise ValidationError(_describe(exc)) from exc
    return actor.email


# --- what recipients do ---------------------------------------------------------------
def _message(message_id: Any) -> Message | None:
    if not isinstance(message_id, int) or message_id <= 0:
        return None
    return Message.objects.select_related("contact", "send").filter(pk=message_id).first()


def record_open(message_id: Any, *, user_agent: str = "") -> bool:
    """The open pixel was loaded: the message's first open is a touch on the contact."""
    message = _message(message_id)
    if message is None or message.contact is None:
        return False
    now = timezone.now()
    if not Message.objects.filter(pk=message.pk, opened_at__isnull=True).update(opened_at=now):
        return True  # the first open is the touch; mail programs reload images often
    tracking.record_touch(
        type=TouchType.EMAIL_OPEN,
        contact=message.contact,
        at=now,
        title=message.send.name[:500],
        metadata={"send_id": message.send_id, "message_id": message.pk, "ua": user_agent[:300]},
    )
    return True


def record_click(message_id: Any, url: str, *, visitor_uid: str = "") -> bool:
    """A click on a tracked link: a touch on the contact, and the browser's visitor id
    linked to the contact (as a form submission does)."""
    message = _message(message_id)
    if message is None or message.contact is None:
        return False
    now = timezone.now()
    Message.objects.filter(pk=message.pk, clicked_at__isnull=True).update(clicked_at=now)
    Message.objects.filter(pk=message.pk, opened_at__isnull=True).update(opened_at=now)
    tracking.record_touch(
        type=TouchType.EMAIL_CLICK,
        contact=message.contact,
        visitor_uid=visitor_uid,
        at=now,
        url=url[:2000],
        title=message.send.name[:500],
        utm_campaign=message.send.name[:200],
        metadata={"send_id": message.send_id, "message_id": message.pk},
    )
    if visitor_uid:
        tracking.identify_visitor(visitor_uid, message.contact, now=now)
    return True


def unsubscribe(message_id: Any, *, ip: str | None = None) -> None:
    """One-click unsubscribe, effective at once: the address is suppressed, the contact
    opted out with a consent record, and a touch written. Does nothing (and says nothing)
    for a message or contact that no longer exists."""
    message = _message(message_id)
    if message is None or not message.email:
        return
    now = timezone.now()
    with transaction.atomic():
        suppress(
            message.email,
            reason=SuppressionReason.UNSUBSCRIBED,
            note=_("Unsubscribe link in “%(send)s”") % {"send": message.send.name},
            at=now,
        )
        if message.contact is not None:
            marketing_services.record_opt_out(message.contact, at=now, ip=ip)
            tracking.record_touch(
                type=TouchType.EMAIL_UNSUBSCRIBE,
                contact=message.contact,
                at=now,
                title=message.send.name[:500],
                metadata={"send_id": message.send_id, "message_id": message.pk},
            )
    logger.info("message %s: unsubscribed", message.pk)


PROVIDER_EVENTS = {
    "bounced": (SuppressionReason.BOUNCED, TouchType.EMAIL_BOUNCE),
    "complained": (SuppressionReason.COMPLAINED, TouchType.EMAIL_COMPLAINT),
    "unsubscribed": (SuppressionReason.UNSUBSCRIBED, TouchType.EMAIL_UNSUBSCRIBE),
}


@transaction.atomic
def record_provider_event(
    *,
    event_type: str,
    recipient: str,
    provider_id: str = "",
    description: str = "",
    provider: str = "",
    at: dt.datetime | None = None,
) -> bool:
    """A bounce, complaint or unsubscribe reported by the email provider: the address is
    suppressed and the contact gets a touch. Other event types are ignored."""
    if event_type not in PROVIDER_EVENTS or not recipient:
        return False
    reason, touch_type = PROVIDER_EVENTS[event_type]
    at = at or timezone.now()
    note = f"{provider}: {description}".strip(": ")[:500]
    suppress(recipient, reason=reason, note=note, at=at)
    message = None
    if provider_id:
        message = (
            Message.objects.select_related("contact", "send")
            .filter(Q(provider_id=provider_id) | Q(message_id=provider_id))
            .first()
        )
    contact = message.contact if message else None
    if contact is None:
        contact = Contact.objects.filter(email__iexact=normalize_email(recipient)).first()
    if contact is not None:
        tracking.record_touch(
            type=touch_type,
            contact=contact,
            at=at,
            title=message.send.name[:500] if message else "",
            metadata={
                "provider": provider,
                "description": description[:500],
                **({"send_id": message.send_id, "message_id": message.pk} if message else {}),
            },
        )
        if event_type in ("complained", "unsubscribed"):
            marketing_services.record_opt_out(contact, at=at)
    return True
