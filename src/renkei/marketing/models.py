"""Web touches, visitors and the organisation's tracking settings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.marketing.choices import TouchType


def split_origins(text: str) -> list[str]:
    """One origin a line (or separated by spaces/commas), without trailing slashes."""
    return [o.strip().rstrip("/") for o in text.replace(",", " ").split() if o.strip()]


class TrackingSettings(models.Model):
    """The organisation's web-tracking settings (a single row, id 1)."""

    consent_required = models.BooleanField(
        _("wait for consent"),
        default=False,
        help_text=_("Set no cookie and send nothing until the visitor consents."),
    )
    honour_do_not_track = models.BooleanField(
        _("honour Do-Not-Track"),
        default=True,
        help_text=_("Track nothing for browsers that send Do-Not-Track or Global Privacy Control."),
    )
    allowed_origins = models.TextField(
        _("allowed origins"),
        blank=True,
        help_text=_(
            "Websites that may send tracking events, one a line, e.g. https://example.co.jp"
        ),
    )

    class Meta:
        verbose_name = _("tracking settings")
        verbose_name_plural = _("tracking settings")

    def __str__(self) -> str:
        return str(_("Tracking settings"))

    @classmethod
    def load(cls) -> TrackingSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def origins(self) -> list[str]:
        return split_origins(self.allowed_origins)


class Visitor(models.Model):
    """A browser known by its anonymous first-party id; linked to a contact once they
    identify themselves."""

    uid = models.CharField(_("visitor id"), max_length=64, unique=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visitors",
    )

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")

    def __str__(self) -> str:
        return self.uid


class Touch(models.Model):
    """One thing a person or an anonymous visitor did: a page view, a form submission, an
    email click, a custom event. Append-only."""

    type = models.CharField(_("type"), max_length=20, choices=TouchType.choices)
    name = models.CharField(_("event name"), max_length=100, blank=True)
    at = models.DateTimeField(_("at"))
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="touches",
    )
    visitor_uid = models.CharField(_("visitor id"), max_length=64, blank=True)
    url = models.CharField(_("URL"), max_length=2000, blank=True)
    title = models.CharField(_("page title"), max_length=500, blank=True)
    referrer = models.CharField(_("referrer"), max_length=2000, blank=True)
    utm_source = models.CharField(_("UTM source"), max_length=200, blank=True)
    utm_medium = models.CharField(_("UTM medium"), max_length=200, blank=True)
    utm_campaign = models.CharField(_("UTM campaign"), max_length=200, blank=True)
    utm_term = models.CharField(_("UTM term"), max_length=200, blank=True)
    utm_content = models.CharField(_("UTM content"), max_length=200, blank=True)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("touch")
        verbose_name_plural = _("touches")
        indexes = [
            models.Index(fields=["contact", "-at"], name="touch_contact_at"),
            models.Index(fields=["visitor_uid", "-at"], name="touch_visitor_at"),
            models.Index(fields=["type", "-at"], name="touch_type_at"),
            models.Index(fields=["utm_campaign", "-at"], name="touch_campaign_at"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.at:%Y-%m-%d %H:%M}"
