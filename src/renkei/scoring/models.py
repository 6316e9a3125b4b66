"""Rule scoring: versioned rule sets and their rules, the ledger of points (immutable) and
each contact's current score. The predictive model lives in model.py and evaluation.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renkei.funnel.models import ImmutableModel
from renkei.marketing.choices import BuyerStage, CampaignType
from renkei.scoring.choices import RuleKind, RuleSetStatus


class RuleSet(models.Model):
    """One version of the scoring rules. A draft can be edited; activating it archives the
    active one. Active and archived versions never change, so every score they produced
    stays explainable."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT
    )
    half_life_days = models.FloatField(
        _("engagement half-life (days)"),
        default=30,
        help_text=_("A touch's points halve every this many days."),
    )
    fit_cap = models.PositiveIntegerField(
        _("maximum fit score"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    engagement_cap = models.PositiveIntegerField(
        _("maximum engagement score"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("activated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("scoring rule set")
        verbose_name_plural = _("scoring rule sets")
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="active"),
                name="ruleset_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"

    @property
    def is_draft(self) -> bool:
        return self.status == RuleSetStatus.DRAFT


class Rule(models.Model):
    """One rule of a rule set. A fit rule gives points (negative too) when a contact's or
    their company's attribute matches one of `values`; an engagement rule gives points for
    each touch of its type (optionally only for content of a buyer stage or a campaign
    type), decaying with the rule set's half-life, up to `cap` points in all."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="rules"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RuleKind.choices)
    field = models.CharField(_("field"), max_length=30)
    values = models.JSONField(_("values"), default=list, blank=True)
    buyer_stage = models.CharField(
        _("buyer stage of the content"), max_length=20, choices=BuyerStage.choices, blank=True
    )
    campaign_type = models.CharField(
        _("campaign type"), max_length=20, choices=CampaignType.choices, blank=True
    )
    points = models.IntegerField(_("points"))
    cap = models.PositiveIntegerField(_("at most (points)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["rule_set", "kind", "id"]
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")

    def __str__(self) -> str:
        return f"{self.kind}:{self.field} {self.points:+d}"


class ScoreRun(models.Model):
    """One computation of scores: all contacts (after an activation, or on demand) or a few
    (when touches arrive). Its ledger entries add up to the scores it wrote."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="runs"
    )
    all_contacts = models.BooleanField(_("all contacts"), default=False)
    contact_count = models.PositiveIntegerField(_("contacts"), default=0)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("score computation")
        verbose_name_plural = _("score computations")

    def __str__(self) -> str:
        return f"run {self.pk} (v{self.rule_set_id})"


class ScoreEntry(ImmutableModel):
    """The ledger: the points one rule gave a contact in one computation — for a touch, for
    an attribute, or a negative correction where a cap limited the sum. Written once; the
    entries of a computation add up exactly to the contact's score.

    No reference has a database constraint: the ledger is history, written hundreds of
    thousands of rows at a time by one INSERT … SELECT from existing rows (PostgreSQL's
    deferred per-row checks doubled a full rescore's time). Deleting a contact or a
    computation still deletes its entries (Django's cascade); the rule set, rule and touch
    are plain references, and a touch removed later does not rewrite the ledger. Two
    indexes serve every read: (contact, run) for a contact's explanation, (run, rule) for a
    computation's caps."""

    run = models.ForeignKey(
        ScoreRun,
        verbose_name=_("computation"),
        on_delete=models.CASCADE,
        related_name="entries",
        db_index=False,
        db_constraint=False,
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="score_entries",
        db_index=False,
        db_constraint=False,
    )
    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name=_("rule set"),
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    rule = models.ForeignKey(
        Rule,
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    touch = models.ForeignKey(
        "marketing.Touch",
        verbose_name=_("touch"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    part = models.CharField(_("part"), max_length=12, choices=RuleKind.choices)
    is_cap = models.BooleanField(_("cap"), default=False)
    points = models.FloatField(_("points"))
    at = models.DateTimeField(_("at"))
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("score ledger entry")
        verbose_name_plural = _("score ledger entries")
        indexes = [
            models.Index(fields=["contact", "run"], name="scoreentry_contact_run"),
            models.Index(fields=["run", "rule"], name="scoreentry_run_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.points:+.2f} ({self.reason})"


class ContactScore(models.Model):
    """A contact's current rule score: fit, engagement (decayed as of `computed_at`), their
    total, the rule-set version and the computation that wrote it. Rewritten for every
    contact by a full rescore, so its references have no database constraint (Django's
    on_delete still applies), like the ledger's."""

    contact = models.OneToOneField(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="score",
        db_constraint=False,
    )
    fit = models.FloatField(_("fit score"), default=0)
    engagement = models.FloatField(_("engagement score"), default=0)
    total = models.FloatField(_("score"), default=0)
    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name=_("rule set"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    run = models.ForeignKey(
        ScoreRun,
        verbose_name=_("computation"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("contact score")
        verbose_name_plural = _("contact scores")

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.total:.1f}"
