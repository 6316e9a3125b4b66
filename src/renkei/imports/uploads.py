"""Files uploaded for the web import.

An upload is stored under `DATA_DIR/imports/` with a random name (never under a public
URL), scanned once for the mapping screen (format, encoding, header, the first rows and the
number of data rows), and then started as an import job that runs in the worker. Files older
than a day are removed at the next upload unless their job is waiting or running; the job
keeps every row's outcome and source values.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.core.models import User
from renkei.imports import services
from renkei.imports.choices import ImportStatus
from renkei.imports.mappings import Mapping
from renkei.imports.models import ImportJob
from renkei.imports.readers import ImportFileError, open_table

logger = logging.getLogger(__name__)

# Suffixes kept on the stored file (the reader tells XLSX from text by content and suffix).
KNOWN_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls"}
PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 200
STALE_AFTER = dt.timedelta(days=1)


def upload_dir() -> Path:
    """The private folder for uploaded import files."""
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def store_upload(uploaded: UploadedFile) -> Path:
    """Write an uploaded file under a random name in the private upload folder."""
    suffix = Path(uploaded.name or "").suffix.lower()
    name = secrets.token_hex(16) + (suffix if suffix in KNOWN_SUFFIXES else "")
    path = upload_dir() / name
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as fh:
        for chunk in uploaded.chunks():
            fh.write(chunk)
    return path


@dataclass
class Upload:
    """A stored, scanned upload waiting on the mapping screen (kept in the session)."""

    path: str
    file_name: str
    format: str
    encoding: str
    sheet: str
    headers: list[str]
    rows: list[dict[str, Any]]
    total: int
    mapping: str = ""
    matching: str = ""
    dry_run: bool = False
    encoding_choice: str = ""
    sheets: list[str] = field(default_factory=list)
    created_at: str = field(default_factory=lambda: timezone.now().isoformat())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Upload:
        return cls(**data)


def scan(
    path: Path | str, *, encoding: str | None = None, sheet: str | None = None
) -> dict[str, Any]:
    """Format, encoding, header, the first rows and the number of data rows of a file, in
    one pass. Raises ImportFileError for a file that cannot be read."""
    with open_table(path, encoding=encoding or None, sheet=sheet or None) as table:
        rows: list[dict[str, Any]] = []
        total = 0
        for row in table.rows():
            total += 1
            if len(rows) < PREVIEW_ROWS:
                rows.append(
                    {
                        "number": row.number,
                        "values": [_short(row.values.get(header, "")) for header in table.headers],
                        "error": row.error,
                    }
                )
        return {
            "format": table.format,
            "encoding": table.encoding,
            "headers": table.headers,
            "rows": rows,
            "total": total,
            "sheets": sheet_names(path) if table.format == "xlsx" else [],
        }


def sheet_names(path: Path | str) -> list[str]:
    """The sheets of an XLSX workbook, in order (empty if it cannot be read)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True)
    except Exception:
        return []
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def rescan(upload: Upload, *, encoding: str, sheet: str) -> Upload:
    """The upload read again with another encoding or sheet (ImportFileError if that
    fails; the stored file stays)."""
    scanned = scan(upload.path, encoding=encoding, sheet=sheet)
    if not scanned["total"]:
        raise ImportFileError(_("The file has a header row but no data rows."))
    data = upload.to_dict()
    data.update(scanned, encoding_choice=encoding, sheet=sheet)
    return Upload.from_dict(data)


def _short(value: str) -> str:
    return value if len(value) <= PREVIEW_CELL_CHARS else value[:PREVIEW_CELL_CHARS] + "…"


def discard(path: Path | str) -> None:
    """Remove a stored upload that will not be imported."""
    Path(path).unlink(missing_ok=True)


def start_upload_import(
    upload: Upload, mapping: Mapping, *, matching: str, dry_run: bool, actor: User
) -> ImportJob:
    """Start the import of an upload with the mapping from the screen: the job runs in the
    worker once this transaction commits."""
    with transaction.atomic():
        job = services.start_import(
            upload.path,
            dry_run=dry_run,
            encoding=upload.encoding or None,
            sheet=upload.sheet or None,
            matching=matching,
            actor=actor,
        )
        job.file_name = upload.file_name[:255]
        job.mapping_name = mapping.name[:100]
        job.mapping = mapping.to_dict()
        job.headers = upload.headers
        job.total_rows = upload.total
        job.save(update_fields=["file_name", "mapping_name", "mapping", "headers", "total_rows"])
    logger.info("import job %s started from the web by user %s", job.pk, actor.pk)
    return job


def import_for_real(dry_run: ImportJob, *, actor: User) -> ImportJob:
    """Import the file of a finished dry run with the same mapping and settings (the file
    must still be stored); the new job runs in the worker after commit."""
    mapping = Mapping.from_dict(dry_run.mapping)
    upload = Upload(
        path=dry_run.file_path,
        file_name=dry_run.file_name,
        format="",
        encoding=dry_run.encoding,
        sheet=dry_run.sheet,
        headers=list(dry_run.headers),
        rows=[],
        total=dry_run.total_rows if dry_run.total_rows is not None else dry_run.processed,
    )
    return start_upload_import(
        upload, mapping, matching=dry_run.matching, dry_run=False, actor=actor
    )


def can_import_for_real(job: ImportJob) -> bool:
    """A finished dry run whose file is still stored."""
    return (
        job.dry_run
        and job.status == ImportStatus.DONE
        and bool(job.file_path)
        and Path(job.file_path).is_file()
        and bool(job.mapping)
    )


def remove_stale_uploads(*, now: dt.datetime | None = None) -> int:
    """Delete stored files older than a day that no waiting or running job needs; returns
    how many were deleted."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    folder = upload_dir()
    busy = set(
        ImportJob.objects.filter(
            status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]
        ).values_list("file_path", flat=True)
    )
    removed = 0
    for path in folder.iterdir():
        if not path.is_file() or str(path) in busy:
            continue
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        if modified < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
