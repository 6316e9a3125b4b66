from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.funnel.choices import ActorKind, AgreementSide, AgreementStatus, MoveKind


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


class LeadAgreement(models.Model):
    """One version of the lead agreement (リード定義と SLA の合意): what an MQL is, how fast
    each side acts, and marketing's targets. A draft becomes active only when a marketing
    leader and a sales leader have both approved it; earlier versions stay readable."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    # The MQL definition: every condition set must hold.
    mql_min_score = models.PositiveSmallIntegerField(
        _("minimum score"), null=True, blank=True,
        help_text=_("The lead's total score must reach this (blank: no score condition)."),
    )  # fmt: skip
    mql_required = models.JSONField(_("required"), default=list, blank=True)
    mql_exclusions = models.JSONField(_("exclusions"), default=list, blank=True)
    competitor_domains = models.JSONField(_("competitor domains"), default=list, blank=True)
    mql_sources = models.JSONField(
        _("qualifying sources"), default=list, blank=True,
        help_text=_("Only leads from these sources qualify (blank: every source)."),
    )  # fmt: skip
    # Service levels, in the organisation's business time.
    inside_first_touch_hours = models.PositiveSmallIntegerField(
        _("inside sales' first touch within (business hours)"), default=4
    )
    field_decision_days = models.PositiveSmallIntegerField(
        _("field sales' accept or reject within (business days)"), default=2
    )
    # Marketing's commitments per month.
    mql_target_per_month = models.PositiveIntegerField(_("MQLs per month"), default=0)
    accepted_appointments_target_per_month = models.PositiveIntegerField(
        _("accepted appointments per month"), default=0
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("lead agreement")
        verbose_name_plural = _("lead agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="active"),
                name="one_active_lead_agreement",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.title}"


class AgreementApproval(models.Model):
    """A leader's approval of a draft agreement, for one side."""

    agreement = models.ForeignKey(LeadAgreement, on_delete=models.CASCADE, related_name="approvals")
    side = models.CharField(_("side"), max_length=10, choices=AgreementSide.choices)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "side"], name="one_approval_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.side} {self.approver_id}"


class Qualification(ImmutableModel):
    """A contact moved to MQL by an agreement: which version, when, and why."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="qualifications"
    )
    agreement = models.ForeignKey(
        LeadAgreement, on_delete=models.PROTECT, related_name="qualifications"
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["agreement", "at"], name="qualification_agreement_at")]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.agreement}"
