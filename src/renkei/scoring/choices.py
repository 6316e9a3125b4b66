"""Choices of rule scoring: rule-set states, rule kinds and the fields fit rules test."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("rule set", "Draft")
    ACTIVE = "active", pgettext_lazy("rule set", "Active")
    ARCHIVED = "archived", pgettext_lazy("rule set", "Archived")


class RuleKind(models.TextChoices):
    FIT = "fit", _("Fit")
    ENGAGEMENT = "engagement", _("Engagement")


class FitField(models.TextChoices):
    """What a fit rule tests about a contact or their company."""

    INDUSTRY = "industry", _("Industry")
    EMPLOYEE_BAND = "employee_band", _("Company size")
    REGION = "region", _("Region")
    PREFECTURE = "prefecture", _("Prefecture")
    DEPARTMENT = "department", _("Department contains")
    TITLE = "title", _("Title contains")
    PERSONA = "persona", _("Persona")
    FREE_MAIL = "free_mail", _("Free-mail address")
    COMPETITOR_DOMAIN = "competitor_domain", _("Competitor domain")
    CONSENT_STATUS = "consent_status", _("Email consent")


# Fit fields that take no values: the rule applies when the condition holds.
VALUELESS_FIT_FIELDS = frozenset({FitField.FREE_MAIL})
