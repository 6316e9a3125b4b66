from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.imports.choices import ImportKind, ImportStatus, MatchMode, RowOutcome


class SavedMapping(models.Model):
    """A column mapping saved from the mapping screen, reusable by name."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    definition = models.JSONField(_("definition"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved mapping")
        verbose_name_plural = _("saved mappings")

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """One import of one file: its settings, progress and outcome counts."""

    file_name = models.CharField(_("file name"), max_length=255)
    file_path = models.CharField(_("stored file"), max_length=1000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    mapping_name = models.CharField(_("mapping"), max_length=100, blank=True)
    mapping = models.JSONField(_("mapping definition"), default=dict, blank=True)
    encoding = models.CharField(_("encoding"), max_length=30, blank=True)
    # The language the import was started in: row reasons are written in it.
    language = models.CharField(_("language"), max_length=8, blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    headers = models.JSONField(_("columns"), default=list, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    matching = models.CharField(
        _("matching"), max_length=10, choices=MatchMode.choices, default=MatchMode.DEDUP
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    # Data rows counted when the file was uploaded in the web (for the progress bar).
    total_rows = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    merged = models.PositiveIntegerField(_("merged"), default=0)
    review = models.PositiveIntegerField(_("to review"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return self.file_name

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": self.processed,
            "created": self.created,
            "updated": self.updated,
            "merged": self.merged,
            "review": self.review,
            "rejected": self.rejected,
        }


class ImportRow(models.Model):
    """What happened to one input row of an import job (every row has one)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=RowOutcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    raw = models.JSONField(_("source row"), default=dict)

    class Meta:
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="importrow_unique_number")
        ]
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")

    def __str__(self) -> str:
        return f"{self.job_id}:{self.number} {self.outcome}"


class ExternalId(models.Model):
    """A contact's id in another system (Sansan 人物ID, a lead list's prospect id, ...)."""

    source = models.CharField(_("source"), max_length=50)
    value = models.CharField(_("external id"), max_length=200)
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="external_ids"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "value"], name="externalid_unique_value")
        ]
        verbose_name = _("external id")
        verbose_name_plural = _("external ids")

    def __str__(self) -> str:
        return f"{self.source}:{self.value}"


class ContactAttributes(models.Model):
    """Imported columns that have no contact field (read by scoring, shown on the page)."""

    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, related_name="imported_attributes"
    )
    data = models.JSONField(_("data"), default=dict)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("imported attributes")
        verbose_name_plural = _("imported attributes")

    def __str__(self) -> str:
        return str(self.contact_id)
