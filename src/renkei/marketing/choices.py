"""Choices of the marketing app: touch types, submission states, form field kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TouchType(models.TextChoices):
    PAGE_VIEW = "page_view", _("Page view")
    FORM_SUBMIT = "form_submit", _("Form submission")
    EMAIL_CLICK = "email_click", _("Email click")
    DOWNLOAD = "download", _("Download")
    EMAIL_OPEN = "email_open", _("Email open")
    EMAIL_BOUNCE = "email_bounce", _("Email bounce")
    EMAIL_COMPLAINT = "email_complaint", _("Email complaint")
    EMAIL_UNSUBSCRIBE = "email_unsubscribe", _("Email unsubscribe")
    CUSTOM = "custom", _("Custom event")


class SubmissionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    PROCESSED = "processed", _("Processed")
    FAILED = "failed", _("Failed")


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    EMAIL = "email", _("Email")
    TEL = "tel", _("Phone")
    TEXTAREA = "textarea", _("Long text")


class FieldMapping(models.TextChoices):
    """Where a form field's value goes: a contact field, the account's name, or nowhere but
    the submission (a custom key)."""

    FAMILY_NAME = "family_name", _("Family name")
    GIVEN_NAME = "given_name", _("Given name")
    FAMILY_NAME_KANA = "family_name_kana", _("Family name (kana)")
    GIVEN_NAME_KANA = "given_name_kana", _("Given name (kana)")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    DEPARTMENT = "department", _("Department")
    TITLE = "title", _("Title")
    COMPANY = "company", _("Company name")
    WEBSITE = "website", _("Company website")
    CUSTOM = "custom", _("Custom (kept with the submission)")


class BuyerStage(models.TextChoices):
    """The buyer journey (購買プロセス) a campaign or a piece of content is made for."""

    AWARENESS = "awareness", pgettext_lazy("buyer stage", "Awareness")
    INTEREST = "interest", pgettext_lazy("buyer stage", "Interest")
    CONSIDERATION = "consideration", pgettext_lazy("buyer stage", "Consideration")
    DECISION = "decision", pgettext_lazy("buyer stage", "Decision")


class CampaignType(models.TextChoices):
    CONTENT = "content", _("Content")
    WEBINAR = "webinar", _("Webinar")
    SEMINAR = "seminar", _("Seminar")
    EXHIBITION = "exhibition", _("Exhibition")
    EMAIL = "email", _("Email")
    ADS = "ads", _("Advertising")
    REFERRAL = "referral", _("Referral")
    OTHER = "other", _("Other")


class MemberStatus(models.TextChoices):
    """Where a campaign member stands (an invitee of a webinar, a visitor of a booth …)."""

    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")
    RESPONDED = "responded", _("Responded")
    DECLINED = "declined", _("Declined")


class ContentKind(models.TextChoices):
    WHITE_PAPER = "white_paper", _("White paper")
    CASE_STUDY = "case_study", _("Case study")
    ARTICLE = "article", _("Article")
    VIDEO = "video", _("Video")
    PRICE_PAGE = "price_page", _("Price page")
    WEBINAR_RECORDING = "webinar_recording", _("Webinar recording")
    OTHER = "other", _("Other")
