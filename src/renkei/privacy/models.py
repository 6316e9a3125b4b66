"""Privacy notices (purpose of use), data-subject requests and their history, and the
tombstones that keep erased people from coming back silently."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.privacy.choices import (
    OPEN_STATUSES,
    EventKind,
    HitSource,
    IdentityStatus,
    Regime,
    RequestKind,
    RequestStatus,
)


class PrivacyNotice(models.Model):
    """One immutable version of the privacy notice: the purposes of use (利用目的, APPI
    Art. 17/21) shown on forms. Editing makes a new version; the newest is current."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    text_ja = models.TextField(_("text (Japanese)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    created_at = models.DateTimeField(_("published"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self) -> str:
        return f"v{self.version}"

    def title_for(self, language: str) -> str:
        return self.title_en if language.startswith("en") and self.title_en else self.title_ja

    def text_for(self, language: str) -> str:
        return self.text_en if language.startswith("en") and self.text_en else self.text_ja


class DataSubjectRequestQuerySet(models.QuerySet):
    def open(self) -> DataSubjectRequestQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date) -> DataSubjectRequestQuerySet:
        return self.open().filter(due_on__lt=today)

    def with_overdue(self, today: dt.date) -> DataSubjectRequestQuerySet:
        """Annotate `overdue_now`: open and past its due date on `today`."""
        return self.annotate(
            overdue_now=models.Case(
                models.When(status__in=OPEN_STATUSES, due_on__lt=today, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


class DataSubjectRequest(models.Model):
    """A person's request about their data (開示・訂正・利用停止・消去等の請求): who asked,
    how they were identified, the deadline, who handles it and how it ended."""

    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    regime = models.CharField(
        _("deadline rule"), max_length=10, choices=Regime.choices, default=Regime.APPI
    )
    requester_name = models.CharField(_("requester name"), max_length=200)
    requester_email = models.EmailField(_("requester email"), max_length=254, blank=True)
    requester_phone = models.CharField(_("requester phone"), max_length=40, blank=True)
    requester_contact = models.TextField(
        _("other contact details"),
        blank=True,
        help_text=_("Postal address or anything else the answer goes to."),
    )
    identity_status = models.CharField(
        _("identity verification"),
        max_length=10,
        choices=IdentityStatus.choices,
        default=IdentityStatus.PENDING,
    )
    identity_method = models.CharField(
        _("how identity was verified"),
        max_length=300,
        blank=True,
        help_text=_("For example: replied from the registered email address; ID document seen."),
    )
    received_at = models.DateTimeField(_("received"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    contacts = models.ManyToManyField(
        "contacts.Contact", verbose_name=_("contacts"), blank=True, related_name="privacy_requests"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("flagged overdue"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DataSubjectRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        indexes = [models.Index(fields=["status", "due_on"], name="dsar_status_due")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on < today


class RequestEvent(models.Model):
    """One step of a request's history (append-only): who did what, when. `detail` holds
    counts and ids, never the person's values."""

    request = models.ForeignKey(DataSubjectRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("by"), max_length=100, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("privacy request event")
        verbose_name_plural = _("privacy request events")

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class Tombstone(models.Model):
    """What remains of an erased person: keyed hashes (HMAC-SHA256 with SECRET_KEY) of
    their normalized email and phone, so imports and forms can recognise them without
    Renkei keeping the values."""

    email_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    request = models.ForeignKey(
        DataSubjectRequest,
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tombstones",
    )
    created_at = models.DateTimeField(_("erased"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("erasure tombstone")
        verbose_name_plural = _("erasure tombstones")

    def __str__(self) -> str:
        return f"tombstone {self.pk}"


class TombstoneHit(models.Model):
    """An erased person's email or phone seen again (an import row or a form submission),
    so an admin learns of it: nothing comes back silently."""

    tombstone = models.ForeignKey(Tombstone, on_delete=models.CASCADE, related_name="hits")
    source = models.CharField(_("source"), max_length=10, choices=HitSource.choices)
    reference = models.CharField(_("where"), max_length=200)
    at = models.DateTimeField(_("at"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("erased person seen again")
        verbose_name_plural = _("erased people seen again")

    def __str__(self) -> str:
        return f"{self.source} {self.reference}"
