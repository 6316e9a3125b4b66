"""Choices of the duplicate review queue."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DuplicateKind(models.TextChoices):
    """Which kind of records a duplicate candidate pairs."""

    CONTACT = "contact", _("Contact")
    ACCOUNT = "account", _("Account")


class DuplicateStatus(models.TextChoices):
    """Where a duplicate candidate stands in the review queue."""

    OPEN = "open", pgettext_lazy("duplicate status", "Open")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Not a duplicate")


class MergeSide(models.TextChoices):
    """Whose value a merged field keeps."""

    SURVIVOR = "survivor", _("Surviving record")
    DUPLICATE = "duplicate", _("Duplicate record")
