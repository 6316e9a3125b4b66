from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportKind(models.TextChoices):
    """What an import file holds."""

    CONTACTS = "contacts", _("Contacts")


class ImportStatus(models.TextChoices):
    """Where an import job stands."""

    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RowOutcome(models.TextChoices):
    """What happened to one input row."""

    CREATED = "created", pgettext_lazy("import outcome", "Created")
    UPDATED = "updated", pgettext_lazy("import outcome", "Updated")
    MERGED = "merged", _("Merged")
    REVIEW = "review", _("Created, possible duplicate")
    REJECTED = "rejected", _("Rejected")


class MatchMode(models.TextChoices):
    """How rows are matched to existing contacts."""

    DEDUP = "dedup", _("Duplicate detection (email, phone, name and reading, company)")
    EXACT = "exact", _("Exact match only (external id, email)")
