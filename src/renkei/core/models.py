from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.core.choices import AuditAction, Role, TeamFunction


def default_workdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class Organisation(models.Model):
    """The one company that runs this Renkei install, and its business calendar settings.

    There is exactly one row (pk=1); `Organisation.current()` returns it, creating it
    with Japanese defaults on first use.
    """

    name = models.CharField(_("organisation name"), max_length=200, default="")
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Tokyo")
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="ja"
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year start month"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    business_day_start = models.TimeField(_("business day starts"), default=dt.time(9, 0))
    business_day_end = models.TimeField(_("business day ends"), default=dt.time(18, 0))
    workdays = models.JSONField(
        _("working weekdays"),
        default=default_workdays,
        help_text=_("Weekday numbers, Monday = 0."),
    )
    observe_public_holidays = models.BooleanField(
        _("closed on Japanese public holidays"), default=True
    )
    close_year_end = models.BooleanField(
        _("closed for the year-end holidays (12/29–1/3)"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")

    def __str__(self) -> str:
        return self.name or "Renkei"

    def clean(self) -> None:
        if self.business_day_end <= self.business_day_start:
            raise ValidationError(
                {"business_day_end": _("The business day must end after it starts.")}
            )
        if not isinstance(self.workdays, list) or not all(
            isinstance(d, int) and 0 <= d <= 6 for d in self.workdays
        ):
            raise ValidationError({"workdays": _("Working weekdays must be numbers 0 to 6.")})

    @classmethod
    def current(cls) -> Organisation:
        org, _created = cls.objects.get_or_create(pk=1)
        return org


class ClosedDay(models.Model):
    """A day the organisation does not work beyond weekends and public holidays
    (創立記念日, お盆, a bridge day in Golden Week)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class Team(models.Model):
    """A group of users who work one part of the funnel together."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    function = models.CharField(_("function"), max_length=20, choices=TeamFunction.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in to Renkei. The role decides what they may see and do."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MARKETING)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        # Japanese order: family name first.
        full = f"{self.last_name} {self.first_name}".strip()
        return full or self.username

    def has_role(self, *roles: str) -> bool:
        """Admins may do everything; managers everything but administration."""
        if not self.is_authenticated or not self.is_active:
            return False
        if self.role == Role.ADMIN or self.is_superuser:
            return True
        if self.role == Role.MANAGER and Role.ADMIN not in roles:
            return True
        return self.role in roles


class AuditLog(models.Model):
    """An immutable record of a change to a core record: who, when, what, before and after."""

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the secret is stored; revoking is
    permanent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ScheduledJob(models.Model):
    """When a periodic job is next due. Workers claim a due job with a conditional UPDATE,
    so however many workers run, each due run is enqueued once."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name
