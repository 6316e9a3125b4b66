from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.funnel.choices import ActorKind, MoveKind


class ImmutableModel(models.Model):
    """An event row: written once, never updated or deleted through the ORM instance."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError(f"{type(self).__name__} is immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{type(self).__name__} is immutable")


class StageChangeQuerySet(models.QuerySet):
    def entered(self, stage: str) -> StageChangeQuerySet:
        return self.filter(to_stage=stage)

    def between(self, start: Any, end: Any) -> StageChangeQuerySet:
        return self.filter(at__gte=start, at__lt=end)


class StageChange(ImmutableModel):
    """One move of a contact between lifecycle stages. Every funnel metric is computed
    from these events, so history never changes when a lead moves on."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(
        _("from"), max_length=20, choices=LifecycleStage.choices, blank=True
    )
    to_stage = models.CharField(_("to"), max_length=20, choices=LifecycleStage.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=MoveKind.choices)
    at = models.DateTimeField(_("at"))
    actor_kind = models.CharField(_("actor kind"), max_length=10, choices=ActorKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["contact", "-at"], name="stagechange_contact_at"),
            models.Index(fields=["to_stage", "at"], name="stagechange_to_at"),
            models.Index(fields=["at"], name="stagechange_at"),
        ]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.from_stage or '∅'} → {self.to_stage}"


class StatusChange(ImmutableModel):
    """One change of a contact's lead status (未対応, 対応中, ナーチャリング戻し, 対象外)."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=LeadStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=LeadStatus.choices)
    at = models.DateTimeField(_("at"))
    actor_kind = models.CharField(_("actor kind"), max_length=10, choices=ActorKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["contact", "-at"], name="statuschange_contact_at")]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.from_status} → {self.to_status}"
