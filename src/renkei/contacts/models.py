from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.contacts.choices import (
    ConsentStatus,
    EmployeeBand,
    Industry,
    LeadStatus,
    LifecycleStage,
    Prefecture,
    SourceChannel,
    region_of,
)
from renkei.contacts.dedup.choices import DuplicateKind, DuplicateStatus
from renkei.contacts.dedup.engine import Decision
from renkei.contacts.normalize import (
    account_domain_key,
    account_match_key,
    clean_corporate_number,
    domain_from_website,
    is_valid_corporate_number,
    normalize_company_name,
    normalize_email,
    person_name_key,
    reading_key,
    search_bigrams,
    search_key,
)
from renkei.contacts.querysets import AccountQuerySet, ContactQuerySet


def validate_corporate_number(value: str) -> None:
    if value and not is_valid_corporate_number(value):
        raise ValidationError(
            _("A corporate number (法人番号) is 13 digits with a valid check digit."),
            code="invalid_corporate_number",
        )


class Account(models.Model):
    """A company (会社 / 取引先) that people work for and deals are made with."""

    name = models.CharField(_("company name"), max_length=200)
    name_kana = models.CharField(_("company name (kana)"), max_length=200, blank=True)
    normalized_name = models.CharField(_("normalized name"), max_length=200, db_index=True)
    corporate_number = models.CharField(
        _("corporate number (法人番号)"),
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
    )
    website = models.CharField(_("website"), max_length=300, blank=True)
    domain = models.CharField(_("domain"), max_length=200, blank=True, db_index=True)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, blank=True)
    employee_band = models.CharField(
        _("employees"), max_length=10, choices=EmployeeBand.choices, blank=True
    )
    prefecture = models.CharField(
        _("prefecture"), max_length=2, choices=Prefecture.choices, blank=True
    )
    region = models.CharField(_("region"), max_length=10, blank=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_accounts",
    )
    search_text = models.TextField(editable=False, default="")
    # Duplicate-matching keys (renkei.contacts.dedup): the name without 法人格, branch,
    # punctuation or variant kanji, and the website's registrable domain.
    match_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    domain_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["normalized_name", "id"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["corporate_number"],
                condition=~models.Q(corporate_number=""),
                name="account_unique_corporate_number",
                violation_error_code="duplicate_corporate_number",
                violation_error_message=_(
                    "Another account already has this corporate number (法人番号)."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_derived_fields(self) -> None:
        """Recompute the normalized name, domain, region and search text."""
        self.corporate_number = clean_corporate_number(self.corporate_number)
        self.normalized_name = normalize_company_name(self.name)
        if self.website and not self.domain:
            self.domain = domain_from_website(self.website)
        self.region = region_of(self.prefecture)
        self.search_text = search_key(self.name, self.name_kana, self.domain)
        self.match_key = account_match_key(self.name)[:200]
        self.domain_key = account_domain_key(self.website, self.domain)[:200]


class Contact(models.Model):
    """A person (担当者 / リード) and where they stand in the shared funnel.

    The lifecycle fields are written only by renkei.funnel.services, which records every
    move as an immutable StageChange.
    """

    family_name = models.CharField(_("family name"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name_kana = models.CharField(_("family name (kana)"), max_length=100, blank=True)
    given_name_kana = models.CharField(_("given name (kana)"), max_length=100, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_contacts",
    )
    source_channel = models.CharField(
        _("source"), max_length=20, choices=SourceChannel.choices, default=SourceChannel.OTHER
    )
    source_campaign = models.CharField(_("source campaign"), max_length=200, blank=True)
    first_touch_at = models.DateTimeField(_("first touch"), null=True, blank=True)
    first_touch_url = models.CharField(_("first touch page"), max_length=500, blank=True)

    lifecycle_stage = models.CharField(
        _("lifecycle stage"),
        max_length=20,
        choices=LifecycleStage.choices,
        default=LifecycleStage.LEAD,
        editable=False,
    )
    lead_status = models.CharField(
        _("lead status"),
        max_length=20,
        choices=LeadStatus.choices,
        default=LeadStatus.NEW,
        editable=False,
    )
    became_subscriber_at = models.DateTimeField(_("became subscriber"), null=True, editable=False)
    became_lead_at = models.DateTimeField(_("became lead"), null=True, editable=False)
    became_mql_at = models.DateTimeField(_("became MQL"), null=True, editable=False)
    became_sal_at = models.DateTimeField(_("became SAL"), null=True, editable=False)
    became_sql_at = models.DateTimeField(_("became SQL"), null=True, editable=False)
    became_opportunity_at = models.DateTimeField(_("became opportunity"), null=True, editable=False)
    became_customer_at = models.DateTimeField(_("became customer"), null=True, editable=False)
    stage_changed_at = models.DateTimeField(_("stage changed"), null=True, editable=False)

    consent_status = models.CharField(
        _("email consent"),
        max_length=20,
        choices=ConsentStatus.choices,
        default=ConsentStatus.UNKNOWN,
    )
    search_text = models.TextField(editable=False, default="")
    search_grams = models.TextField(editable=False, default="")
    # Duplicate-matching keys (renkei.contacts.dedup): the full name and its reading.
    name_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    kana_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created"), db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["lifecycle_stage", "-updated_at"], name="contact_stage_updated"),
            models.Index(fields=["lead_status", "-updated_at"], name="contact_status_updated"),
            models.Index(fields=["owner", "-updated_at"], name="contact_owner_updated"),
            models.Index(fields=["source_channel", "-updated_at"], name="contact_source_updated"),
            models.Index(fields=["family_name_kana", "given_name_kana"], name="contact_kana"),
            # A stage filter sorted by reading (アイウエオ順) walks this index in order.
            models.Index(
                fields=["lifecycle_stage", "family_name_kana", "given_name_kana", "id"],
                name="contact_stage_kana",
            ),
            # Covers the home page's counts by stage and status (and per owner).
            models.Index(
                fields=["lifecycle_stage", "lead_status", "owner"],
                name="contact_stage_status_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def full_name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}".strip()

    def became_at(self, stage: str):
        return getattr(self, f"became_{stage}_at")

    def refresh_derived_fields(self) -> None:
        self.email = normalize_email(self.email)
        self.name_key = person_name_key(f"{self.family_name} {self.given_name}")[:200]
        self.kana_key = reading_key(self.family_name_kana + self.given_name_kana)[:200]
        self.refresh_search_fields()

    def refresh_search_fields(self, *, account_name: str | None = None) -> None:
        """The search columns; `account_name` saves loading the account."""
        if account_name is None:
            account_name = self.account.name if self.account_id and self.account else ""
        self.search_text = search_key(
            self.family_name + self.given_name,
            self.family_name,
            self.given_name,
            self.family_name_kana + self.given_name_kana,
            self.email,
            account_name,
            self.phone,
        )
        self.search_grams = search_bigrams(self.search_text)


class DuplicateCandidate(models.Model):
    """A pair of contacts or accounts that may be one entity, waiting for a data steward.

    One row per pair (the lower id is always `a`), so flagging a pair again changes nothing.
    A merged or dismissed pair keeps its row as the record of that decision.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=DuplicateKind.choices)
    pair_key = models.CharField(max_length=60, unique=True, editable=False)
    contact_a = models.ForeignKey(
        Contact,
        verbose_name=_("contact A"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_b = models.ForeignKey(
        Contact,
        verbose_name=_("contact B"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    account_a = models.ForeignKey(
        Account,
        verbose_name=_("account A"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    account_b = models.ForeignKey(
        Account,
        verbose_name=_("account B"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.CharField(_("suggestion"), max_length=10, choices=Decision.choices)
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.OPEN,
    )
    created_at = models.DateTimeField(_("flagged"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("duplicate candidate")
        verbose_name_plural = _("duplicate candidates")
        indexes = [models.Index(fields=["status", "kind", "-created_at"], name="dupe_status_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pair_key}"

    @staticmethod
    def key_for(kind: str, a_id: int, b_id: int) -> str:
        low, high = sorted((a_id, b_id))
        return f"{kind}:{low}:{high}"
