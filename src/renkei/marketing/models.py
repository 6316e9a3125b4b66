"""Web touches, visitors and the organisation's tracking settings; lead-capture forms,
their submissions and the consent given with them; personas and the contacts matched to
them; campaigns with their members; content assets."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.contacts.choices import SourceChannel
from renkei.funnel.models import ImmutableModel
from renkei.marketing.choices import (
    BuyerStage,
    CampaignType,
    ContentKind,
    MemberStatus,
    SubmissionStatus,
    TouchType,
)


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
    campaign = models.ForeignKey(
        "marketing.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="touches",
    )
    content = models.ForeignKey(
        "marketing.ContentAsset",
        verbose_name=_("content"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="touches",
    )

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


class ConsentText(models.Model):
    """One immutable version of the consent wording shown next to a form's checkbox
    (特定電子メール法: opt-in to marketing email). Editing the wording makes a new version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text_ja = models.TextField(_("text (Japanese)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["-version"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")

    def __str__(self) -> str:
        return f"v{self.version}"

    def text_for(self, language: str) -> str:
        return self.text_en if language.startswith("en") and self.text_en else self.text_ja


class Form(models.Model):
    """A lead-capture form built by marketing: its fields (a list validated by
    renkei.marketing.schemas.FormDefinition), consent wording, campaign, the websites that
    may embed it, and what a visitor sees after submitting."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    fields = models.JSONField(_("fields"), default=list)
    consent_text = models.ForeignKey(
        ConsentText,
        verbose_name=_("consent text"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forms",
    )
    campaign = models.CharField(_("campaign"), max_length=200, blank=True)
    allowed_origins = models.TextField(_("allowed origins"), blank=True)
    thank_you_ja = models.TextField(_("thank-you message (Japanese)"), blank=True)
    thank_you_en = models.TextField(_("thank-you message (English)"), blank=True)
    redirect_url = models.URLField(_("redirect after submitting"), max_length=500, blank=True)
    is_active = models.BooleanField(_("accepting submissions"), default=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("form")
        verbose_name_plural = _("forms")

    def __str__(self) -> str:
        return self.name

    @property
    def origins(self) -> list[str]:
        return split_origins(self.allowed_origins)

    def thank_you_for(self, language: str) -> str:
        if language.startswith("en") and self.thank_you_en:
            return self.thank_you_en
        return self.thank_you_ja or self.thank_you_en


class FormSubmission(models.Model):
    """A submission exactly as received, stored before anything else happens, then
    processed into a contact. A failed processing keeps the row and is retried."""

    form = models.ForeignKey(
        Form, verbose_name=_("form"), on_delete=models.PROTECT, related_name="submissions"
    )
    data = models.JSONField(_("data"), default=dict)
    meta = models.JSONField(_("context"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.RECEIVED,
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="form_submissions",
    )
    created_at = models.DateTimeField(_("received"))
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        indexes = [
            models.Index(fields=["form", "-created_at"], name="submission_form_created"),
            models.Index(fields=["status", "attempts"], name="submission_status_attempts"),
        ]

    def __str__(self) -> str:
        return f"{self.form} #{self.pk}"


class ConsentRecord(models.Model):
    """The consent ledger: what a person was shown and whether they ticked the box, when
    and from where. Append-only; the latest record per contact is their current answer."""

    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="consent_records",
    )
    form = models.ForeignKey(
        Form, verbose_name=_("form"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission = models.OneToOneField(
        FormSubmission,
        verbose_name=_("submission"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="consent_record",
    )
    consent_text = models.ForeignKey(
        ConsentText, verbose_name=_("consent text"), on_delete=models.PROTECT, related_name="+"
    )
    given = models.BooleanField(_("given"))
    at = models.DateTimeField(_("at"))
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["contact", "-at"], name="consent_contact_at")]

    def __str__(self) -> str:
        return f"{self.contact_id} v{self.consent_text_id} {self.given}"


def split_keywords(text: str) -> list[str]:
    """Keywords one a line or separated by commas (、 and ， too), without blanks."""
    for sep in ("、", "，", ","):
        text = text.replace(sep, "\n")
    return [k.strip() for k in text.splitlines() if k.strip()]


class Persona(models.Model):
    """A description of a typical buyer marketing designs for: who they are, what hurts,
    and the fit criteria that match contacts to it (renkei.marketing.personas)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    pains = models.TextField(_("pains"), blank=True)
    industries = models.JSONField(_("industries"), default=list, blank=True)
    employee_bands = models.JSONField(_("company sizes"), default=list, blank=True)
    department_keywords = models.TextField(_("department keywords"), blank=True)
    title_keywords = models.TextField(_("title keywords"), blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    prefectures = models.JSONField(_("prefectures"), default=list, blank=True)
    is_active = models.BooleanField(
        _("matched automatically"),
        default=True,
        help_text=_("Inactive personas keep their hand-picked contacts but match no others."),
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("persona")
        verbose_name_plural = _("personas")

    def __str__(self) -> str:
        return self.name

    @property
    def department_keyword_list(self) -> list[str]:
        return split_keywords(self.department_keywords)

    @property
    def title_keyword_list(self) -> list[str]:
        return split_keywords(self.title_keywords)


class PersonaMatch(models.Model):
    """The persona a contact is matched to: chosen by hand (kept whatever the automatic
    matching finds) or found automatically. A contact that fits no persona has no row."""

    contact = models.OneToOneField(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="persona_match",
    )
    persona = models.ForeignKey(
        Persona, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="matches"
    )
    manual = models.BooleanField(_("chosen by hand"), default=False)
    matched_at = models.DateTimeField(_("matched"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chosen by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("persona match")
        verbose_name_plural = _("persona matches")
        indexes = [models.Index(fields=["persona", "manual"], name="personamatch_persona")]

    def __str__(self) -> str:
        return f"{self.contact_id} → {self.persona_id}"


validate_utm_code = RegexValidator(
    r"^[^\s&#?=%+/\\]+$",
    _("Use letters, digits, hyphens or underscores (no spaces, &, #, ?, =, %%, + or /)."),
    code="invalid_utm",
)


class Campaign(models.Model):
    """A marketing campaign: an exhibition, a webinar, an ad flight, a content offer. Its
    touches are those whose utm_campaign is its UTM code; its members are the contacts it
    invited or reached, each with a status and its history."""

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=CampaignType.choices)
    channel = models.CharField(
        _("channel"), max_length=20, choices=SourceChannel.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget = models.PositiveBigIntegerField(
        _("budget (JPY)"), default=0, validators=[MinValueValidator(0)]
    )
    actual_cost = models.PositiveBigIntegerField(
        _("actual cost (JPY)"), default=0, validators=[MinValueValidator(0)]
    )
    target_personas = models.ManyToManyField(
        Persona, verbose_name=_("target personas"), blank=True, related_name="campaigns"
    )
    buyer_stage = models.CharField(
        _("buyer stage"), max_length=20, choices=BuyerStage.choices, blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_campaigns",
    )
    utm_campaign = models.CharField(
        _("UTM code"),
        max_length=200,
        unique=True,
        validators=[validate_utm_code],
        help_text=_("The utm_campaign value of its links; touches with it belong to it."),
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "name", "id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class CampaignMember(models.Model):
    """A contact's part in a campaign and its current status (history in
    CampaignMemberChange)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="members"
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="campaign_memberships",
    )
    status = models.CharField(_("status"), max_length=20, choices=MemberStatus.choices)
    created_at = models.DateTimeField(_("added"))
    updated_at = models.DateTimeField(_("status changed"))

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("campaign member")
        verbose_name_plural = _("campaign members")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "contact"], name="campaignmember_unique")
        ]
        indexes = [models.Index(fields=["contact", "-created_at"], name="campaignmember_contact")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.contact_id} {self.status}"


class CampaignMemberChange(ImmutableModel):
    """One change of a member's status (the first one, from nothing, when added)."""

    member = models.ForeignKey(
        CampaignMember, verbose_name=_("member"), on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=MemberStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=MemberStatus.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=100, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("member status change")
        verbose_name_plural = _("member status changes")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.from_status or '∅'} → {self.to_status}"


def url_key(url: str) -> str:
    """A URL as content is matched by: host without "www." (any case) and path without
    trailing slash, percent-decoded; scheme, query and fragment ignored.
    `https://www.example.co.jp/wp/dx.pdf?utm_source=x` → `example.co.jp/wp/dx.pdf`."""
    from urllib.parse import unquote, urlsplit

    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return ""
    if not host:
        return ""
    host = host.removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return f"{host}{port}{unquote(parts.path).rstrip('/')}"[:500]


class ContentAsset(models.Model):
    """A piece of content (white paper, case study, article, video …) at a URL, made for a
    stage of the buyer journey and some personas. Page views of its URL and downloads of it
    become touches linked to it (renkei.marketing.content)."""

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=ContentKind.choices)
    url = models.URLField(
        _("URL"),
        max_length=2000,
        help_text=_("Where it is read, watched or downloaded; visits of this address count."),
    )
    url_key = models.CharField(max_length=500, editable=False, db_index=True)
    buyer_stage = models.CharField(_("buyer stage"), max_length=20, choices=BuyerStage.choices)
    personas = models.ManyToManyField(
        Persona, verbose_name=_("personas"), blank=True, related_name="content"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="content",
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("content asset")
        verbose_name_plural = _("content assets")
        constraints = [
            models.UniqueConstraint(
                fields=["url_key"],
                name="contentasset_unique_url",
                violation_error_message=_("Another content asset has this address."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        self.url_key = url_key(self.url)
        if self.url and not self.url_key:
            raise ValidationError({"url": _("Enter an http or https address with a host.")})
        taken = ContentAsset.objects.filter(url_key=self.url_key).exclude(pk=self.pk)
        if self.url_key and taken.exists():
            raise ValidationError(
                {
                    "url": _("Another content asset has this address: %(title)s")
                    % {"title": taken.first()}
                }
            )


class Segment(models.Model):
    """A saved, dynamic list of contacts: filters (renkei.marketing.segments.SegmentFilters)
    evaluated whenever the segment is used, so its members change with the data."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    filters = models.JSONField(_("filters"), default=dict)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="segments",
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self) -> str:
        return self.name
