"""Choices of the marketing app: touch types, submission states, form field kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TouchType(models.TextChoices):
    PAGE_VIEW = "page_view", _("Page view")
    FORM_SUBMIT = "form_submit", _("Form submission")
    EMAIL_CLICK = "email_click", _("Email click")
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
