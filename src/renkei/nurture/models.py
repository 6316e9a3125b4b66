"""Email: the sender identity every message shows, templates, one-off sends and their
per-recipient messages, the suppression list, lawful exceptions to opt-in, and webhook
payloads that could not be read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.contacts.choices import LifecycleStage
from renkei.nurture.choices import (
    EXCEPTION_BASES,
    EnrollmentStatus,
    ExitReason,
    LawfulBasis,
    MessageStatus,
    SendStatus,
    SkipReason,
    SuppressionReason,
)


class SenderIdentity(models.Model):
    """Who sends the organisation's marketing email (a single row, id 1). 特定電子メール法 §4
    requires the sender's name, postal address and a contact point in every message; the
    footer shows them and sending refuses without them."""

    sender_name = models.CharField(_("sender name"), max_length=200, blank=True)
    sender_name_en = models.CharField(_("sender name (English)"), max_length=200, blank=True)
    from_email = models.EmailField(_("from address"), blank=True)
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    postal_address_en = models.TextField(_("postal address (English)"), blank=True)
    contact_point = models.CharField(
        _("contact point"),
        max_length=300,
        blank=True,
        help_text=_("A phone number, email address or URL for enquiries and complaints."),
    )
    unsubscribe_email = models.EmailField(
        _("unsubscribe mailbox"),
        blank=True,
        help_text=_(
            "Named in the List-Unsubscribe header for mail clients that unsubscribe by "
            "email; defaults to the from address. Add its requests to the suppression list."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("sender identity")
        verbose_name_plural = _("sender identity")

    def __str__(self) -> str:
        return self.sender_name or str(_("Sender identity"))

    @classmethod
    def load(cls) -> SenderIdentity:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def missing(self) -> list[str]:
        """Labels of the legally required fields that are empty."""
        required = ["sender_name", "from_email", "postal_address", "contact_point"]
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in required
            if not str(getattr(self, name)).strip()
        ]

    def name_for(self, language: str) -> str:
        return self.sender_name_en if language == "en" and self.sender_name_en else self.sender_name

    def address_for(self, language: str) -> str:
        if language == "en" and self.postal_address_en:
            return self.postal_address_en
        return self.postal_address


class EmailTemplate(models.Model):
    """A marketing email in Japanese and/or English: subject, sanitized HTML and a plain-text
    part, with personalization tokens (renkei.nurture.rendering)."""

    name = models.CharField(_("name"), max_length=200)
    subject_ja = models.CharField(_("subject (Japanese)"), max_length=300, blank=True)
    html_ja = models.TextField(_("HTML body (Japanese)"), blank=True)
    text_ja = models.TextField(_("plain-text body (Japanese)"), blank=True)
    subject_en = models.CharField(_("subject (English)"), max_length=300, blank=True)
    html_en = models.TextField(_("HTML body (English)"), blank=True)
    text_en = models.TextField(_("plain-text body (English)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("email template")
        verbose_name_plural = _("email templates")

    def __str__(self) -> str:
        return self.name

    @property
    def languages(self) -> list[str]:
        return [lang for lang in ("ja", "en") if getattr(self, f"subject_{lang}")]

    def language_for(self, wanted: str) -> str:
        """The version to send to someone who reads `wanted`: that one if it exists, else
        the other."""
        available = self.languages
        if wanted in available:
            return wanted
        return available[0] if available else "ja"

    def part(self, language: str) -> tuple[str, str, str]:
        return (
            getattr(self, f"subject_{language}"),
            getattr(self, f"html_{language}"),
            getattr(self, f"text_{language}"),
        )


class EmailSend(models.Model):
    """A one-off send of a template to an audience, now or at a scheduled time."""

    name = models.CharField(_("name"), max_length=200)
    template = models.ForeignKey(
        EmailTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="sends"
    )
    audience = models.JSONField(_("audience"), default=dict)
    audience_label = models.CharField(_("audience"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SendStatus.choices, default=SendStatus.SCHEDULED
    )
    scheduled_at = models.DateTimeField(_("scheduled for"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    sequence = models.ForeignKey(
        "Sequence",
        verbose_name=_("sequence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sends",
    )
    step = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sequence", "step"],
                condition=models.Q(sequence__isnull=False),
                name="send_sequence_step",
            )
        ]
        verbose_name = _("email send")
        verbose_name_plural = _("email sends")
        indexes = [models.Index(fields=["status", "scheduled_at"], name="send_status_at")]

    def __str__(self) -> str:
        return self.name


class Message(models.Model):
    """One recipient of a send: created once (unique send + contact), skipped with a reason
    or delivered by the worker, with its attempts, Message-ID, opens and clicks."""

    send = models.ForeignKey(
        EmailSend, verbose_name=_("send"), on_delete=models.CASCADE, related_name="messages"
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="email_messages",
    )
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="ja")
    status = models.CharField(
        _("status"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    skip_reason = models.CharField(
        _("skip reason"), max_length=20, choices=SkipReason.choices, blank=True
    )
    lawful_basis = models.CharField(
        _("lawful basis"), max_length=30, choices=LawfulBasis.choices, blank=True
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claim = models.CharField(max_length=16, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True, db_index=True)
    provider_id = models.CharField(
        _("provider message id"), max_length=300, blank=True, db_index=True
    )
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("first clicked"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("email message")
        verbose_name_plural = _("email messages")
        constraints = [
            models.UniqueConstraint(fields=["send", "contact"], name="message_send_contact")
        ]
        indexes = [
            models.Index(fields=["send", "status"], name="message_send_status"),
            models.Index(fields=["status", "next_attempt_at"], name="message_status_next"),
        ]

    def __str__(self) -> str:
        return f"{self.send_id}/{self.pk}"


class Suppression(models.Model):
    """An address that receives no marketing email, whoever it belongs to (kept when the
    contact is deleted). One row an address; the latest reason wins."""

    email = models.EmailField(_("email"), unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=SuppressionReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppression list")

    def __str__(self) -> str:
        return self.email


class LawfulException(models.Model):
    """A documented exception to opt-in under 特定電子メール法 §3(1): the person handed over
    a business card, is in a business relationship, or publishes the address for business.
    Opt-outs still win over it."""

    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="email_exceptions",
    )
    basis = models.CharField(_("basis"), max_length=30, choices=EXCEPTION_BASES)
    evidence = models.CharField(
        _("evidence"),
        max_length=500,
        help_text=_("Where it is documented, e.g. the exhibition and date of the card exchange."),
    )
    at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("lawful exception")
        verbose_name_plural = _("lawful exceptions")

    def __str__(self) -> str:
        return f"{self.contact_id} {self.basis}"


class WebhookFailure(models.Model):
    """An email-provider webhook that could not be read, kept as received for a look."""

    provider = models.CharField(_("provider"), max_length=50)
    body = models.TextField(_("body"))
    error = models.TextField(_("error"))
    at = models.DateTimeField(_("received"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("unreadable webhook")
        verbose_name_plural = _("unreadable webhooks")

    def __str__(self) -> str:
        return f"{self.provider} {self.at:%Y-%m-%d %H:%M}"


class Sequence(models.Model):
    """A nurture sequence: contacts matching the audience are enrolled and go through its
    steps (send, wait N business days, continue only if, notify), until they finish, reach
    the exit stage, or unsubscribe. Steps are a list validated by
    renkei.nurture.sequences.parse_steps."""

    name = models.CharField(_("name"), max_length=200)
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    audience_label = models.CharField(_("audience"), max_length=300, blank=True)
    exit_stage = models.CharField(
        _("exit at stage"),
        max_length=20,
        choices=LifecycleStage.choices,
        default=LifecycleStage.MQL,
        help_text=_("Contacts leave the sequence when they reach this stage or a later one."),
    )
    steps = models.JSONField(_("steps"), default=list)
    is_active = models.BooleanField(_("running"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("nurture sequence")
        verbose_name_plural = _("nurture sequences")

    def __str__(self) -> str:
        return self.name


class Enrollment(models.Model):
    """One contact in a sequence: the next step to run and when. Claimed by a worker with a
    conditional UPDATE of `claimed_until` before its steps run."""

    sequence = models.ForeignKey(
        Sequence, verbose_name=_("sequence"), on_delete=models.CASCADE, related_name="enrollments"
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="sequence_enrollments",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
    )
    exit_reason = models.CharField(
        _("exit reason"), max_length=20, choices=ExitReason.choices, blank=True
    )
    step = models.PositiveSmallIntegerField(_("next step"), default=0)
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["sequence", "contact"], name="enrollment_unique")
        ]
        indexes = [models.Index(fields=["status", "next_run_at"], name="enrollment_due")]

    def __str__(self) -> str:
        return f"{self.sequence_id}/{self.contact_id}"


class EnrollmentEvent(models.Model):
    """What a step did for one enrollment (history shown on the sequence page)."""

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrollment"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"))
    step = models.PositiveSmallIntegerField(_("step"), null=True)
    detail = models.CharField(_("detail"), max_length=300)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("enrollment event")
        verbose_name_plural = _("enrollment events")

    def __str__(self) -> str:
        return self.detail
