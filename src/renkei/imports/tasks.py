"""Background tasks of the import app."""

from __future__ import annotations

import contextlib

from django.tasks import task
from django.utils import timezone

from renkei.imports.choices import ImportStatus
from renkei.imports.mappings import MappingError
from renkei.imports.models import ImportJob
from renkei.imports.readers import ImportFileError
from renkei.imports.services import run_job


@task
def run_import(job_id: int) -> dict[str, int]:
    """Run a waiting import job. The job is claimed with a conditional UPDATE, so a job
    enqueued twice runs once; returns its counts."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return {}
    job = ImportJob.objects.get(pk=job_id)
    # A file or mapping that cannot be used is recorded on the job; nothing to retry.
    with contextlib.suppress(ImportFileError, MappingError):
        run_job(job)
    job.refresh_from_db()
    return job.counts
