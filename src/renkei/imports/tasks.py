"""Background tasks of the import app."""

from __future__ import annotations

import contextlib

from django.tasks import task
from django.utils import timezone, translation

from renkei.core.models import Organisation
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
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    # Row reasons and errors are written in the language the import was started in (else
    # the starter's saved language, else the organisation's), as the page showing them is.
    language = (
        job.language
        or (job.created_by.language if job.created_by else "")
        or Organisation.current().default_language
    )
    # A file or mapping that cannot be used is recorded on the job; nothing to retry.
    with translation.override(language), contextlib.suppress(ImportFileError, MappingError):
        run_job(job)
    job.refresh_from_db()
    return job.counts
