"""Display helpers of the import pages: colours of job statuses and row outcomes."""

from __future__ import annotations

from django import template
from django.utils.timesince import timesince
from django.utils.translation import ngettext

from renkei.imports.choices import ImportStatus, RowOutcome

register = template.Library()

STATUS_COLORS = {
    ImportStatus.PENDING: "secondary",
    ImportStatus.RUNNING: "blue",
    ImportStatus.DONE: "green",
    ImportStatus.FAILED: "red",
}
OUTCOME_COLORS = {
    RowOutcome.CREATED: "green",
    RowOutcome.UPDATED: "azure",
    RowOutcome.MERGED: "indigo",
    RowOutcome.REVIEW: "orange",
    RowOutcome.REJECTED: "red",
}


@register.filter
def job_status_color(status: str) -> str:
    return STATUS_COLORS.get(status, "secondary")


@register.filter
def outcome_color(outcome: str) -> str:
    return OUTCOME_COLORS.get(outcome, "secondary")


@register.filter
def can_import(user: object) -> bool:
    """Whether the user may upload files and edit saved mappings (marketing and admins)."""
    from renkei.imports.views import IMPORTERS

    has_role = getattr(user, "has_role", None)
    return bool(has_role and has_role(*IMPORTERS))


@register.filter
def job_duration(job: object) -> str:
    """How long a finished job ran: seconds under a minute, else Django's timesince."""
    started = getattr(job, "started_at", None)
    finished = getattr(job, "finished_at", None)
    if not started or not finished:
        return ""
    seconds = max(0, int((finished - started).total_seconds()))
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    return timesince(started, finished)
