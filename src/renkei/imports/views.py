"""The web import: upload a file, map its columns with a preview, start the import in the
worker, follow its progress, read and download the per-row outcomes; manage saved mappings.

Marketing and admins import; managers may follow and download jobs.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.contacts.choices import ConsentStatus, SourceChannel
from renkei.core.choices import Role
from renkei.core.permissions import role_required
from renkei.imports import saved_mappings, uploads
from renkei.imports.choices import ImportStatus, RowOutcome
from renkei.imports.forms import (
    ColumnMappingForm,
    ColumnRowFormSet,
    ReadAgainForm,
    SavedMappingForm,
    UploadForm,
    target_label,
)
from renkei.imports.mappings import (
    BUILTINS,
    TARGET_ATTRIBUTE,
    Mapping,
    MappingError,
    mapping_from_screen,
    recognize,
    screen_targets,
)
from renkei.imports.models import ImportJob, SavedMapping
from renkei.imports.readers import ImportFileError
from renkei.imports.services import write_report
from renkei.imports.templatetags.imports_ui import OUTCOME_COLORS
from renkei.web.htmx import render_page

# Who imports and edits mappings (managers are not in it: role checks let managers pass
# unless admin is among the roles) and who may follow jobs.
IMPORTERS = (Role.MARKETING, Role.ADMIN)
VIEWERS = (Role.MARKETING,)
SESSION_KEY = "imports.uploads"
MAX_PENDING_UPLOADS = 5
ROWS_PER_PAGE = 50
JOBS_PER_PAGE = 25
ACTIVE = (ImportStatus.PENDING, ImportStatus.RUNNING)
CHOICE_TARGETS = {"source_channel": SourceChannel, "consent_status": ConsentStatus}


# --- Jobs -------------------------------------------------------------------------------
@role_required(*VIEWERS)
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = ImportJob.objects.select_related("created_by").defer("mapping", "headers")
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/job_list.html",
        {"page": page, "can_import": request.user.has_role(*IMPORTERS)},  # type: ignore[union-attr]
    )


def _job_context(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    counts = [
        (RowOutcome.CREATED, job.created),
        (RowOutcome.UPDATED, job.updated),
        (RowOutcome.MERGED, job.merged),
        (RowOutcome.REVIEW, job.review),  # labelled "To review" on the page
        (RowOutcome.REJECTED, job.rejected),
    ]
    total = job.total_rows
    percent = None
    if total:
        percent = min(100, round(100 * job.processed / total))
    elif job.status == ImportStatus.DONE:
        percent = 100
    return {
        "job": job,
        "counts": [
            {
                "value": o.value,
                "label": _("To review") if o == RowOutcome.REVIEW else o.label,
                "count": n,
                "color": OUTCOME_COLORS[o],
            }
            for o, n in counts
        ],
        "percent": percent,
        "active": job.status in ACTIVE,
        "can_run": job.dry_run
        and request.user.has_role(*IMPORTERS)  # type: ignore[union-attr]
        and uploads.can_import_for_real(job),
    }


@role_required(*VIEWERS)
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    outcome = request.GET.get("outcome", "")
    if outcome not in RowOutcome.values:
        outcome = ""
    rows = job.rows.select_related("contact").order_by("number")
    if outcome:
        rows = rows.filter(outcome=outcome)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    for row in page.object_list:
        values = [str(v) for v in row.raw.values() if str(v).strip()]
        row.summary = " · ".join(v if len(v) <= 24 else v[:23] + "…" for v in values[:3])
    context = _job_context(request, job)
    context.update(
        page=page,
        outcome=outcome,
        headers=job.headers,
        htmx_links=True,
        filters=[{"value": "", "label": _("All rows"), "count": job.processed}]
        + [
            {"value": c["value"], "label": c["label"], "count": c["count"]}
            for c in context["counts"]
        ],
    )
    return render_page(request, "imports/job_detail.html", context, partial="rows")


@role_required(*IMPORTERS)
@require_POST
def job_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the file of a dry run for real, with the same mapping and settings."""
    job = get_object_or_404(ImportJob, pk=pk)
    if not uploads.can_import_for_real(job):
        messages.error(
            request,
            _("Only a finished dry run whose file is still stored can be imported again."),
        )
        return redirect("imports:job_detail", pk=job.pk)
    try:
        new_job = uploads.import_for_real(job, actor=request.user)  # type: ignore[arg-type]
    except MappingError as exc:
        messages.error(request, exc.message)
        return redirect("imports:job_detail", pk=job.pk)
    messages.success(request, _("The import was started."))
    return redirect("imports:job_detail", pk=new_job.pk)


@role_required(*VIEWERS)
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's status card, polled by the page while the job runs. When the job has
    finished the page reloads, to show the rows."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    response = render(request, "imports/job_detail.html#summary", _job_context(request, job))
    if job.status not in ACTIVE and request.GET.get("was") in ACTIVE:
        response["HX-Refresh"] = "true"
    return response


@role_required(*VIEWERS)
@require_GET
def job_report(request: HttpRequest, pk: int) -> FileResponse:
    """The per-row outcome report (the CSV of `write_report`, UTF-8 with BOM)."""
    job = get_object_or_404(ImportJob, pk=pk)
    handle, name = tempfile.mkstemp(prefix="renkei-report-", suffix=".csv")
    os.close(handle)
    try:
        write_report(job, name)
        report = Path(name).open("rb")  # noqa: SIM115 - FileResponse closes it
    finally:
        Path(name).unlink(missing_ok=True)  # the open handle keeps the data until closed
    filename = f"{Path(job.file_name).stem or 'import'}-report.csv"
    return FileResponse(
        report, as_attachment=True, filename=filename, content_type="text/csv; charset=utf-8"
    )


# --- Upload and mapping screen ----------------------------------------------------------
def _uploads(request: HttpRequest) -> dict[str, dict[str, Any]]:
    return request.session.get(SESSION_KEY, {})


def _remember(request: HttpRequest, token: str, upload: uploads.Upload) -> None:
    pending = _uploads(request)
    # Keep a few uploads per session (several tabs); forget and delete the oldest.
    while len(pending) >= MAX_PENDING_UPLOADS:
        oldest = min(pending, key=lambda k: pending[k].get("created_at", ""))
        uploads.discard(pending.pop(oldest)["path"])
    pending[token] = upload.to_dict()
    request.session[SESSION_KEY] = pending


def _forget(request: HttpRequest, token: str) -> None:
    pending = _uploads(request)
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


def _chosen_mapping(choice: str) -> Mapping | None:
    """The mapping picked on the upload page (None: recognise from the header)."""
    kind, _sep, key = choice.partition(":")
    if kind == "builtin" and key in BUILTINS:
        return BUILTINS[key]
    if kind == "saved" and key.isdigit():
        saved = SavedMapping.objects.filter(pk=int(key)).first()
        if saved is not None:
            return saved_mappings.load(saved)
    return None


@role_required(*IMPORTERS)
@require_http_methods(["GET", "POST"])
def job_new(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads.remove_stale_uploads()
        path = uploads.store_upload(data["file"])
        try:
            _chosen_mapping(data["mapping"])
            scanned = uploads.scan(path, encoding=data["encoding"], sheet=data["sheet"])
            if not scanned["total"]:
                raise ImportFileError(_("The file has a header row but no data rows."))
        except ImportFileError as exc:
            sheets = uploads.sheet_names(path) if data["sheet"] else []
            uploads.discard(path)
            if sheets:
                form.add_error(
                    "sheet",
                    _("%(error)s The sheets are: %(sheets)s.")
                    % {"error": exc.message, "sheets": ", ".join(sheets)},
                )
            else:
                form.add_error("file", exc.message)
        except MappingError as exc:
            uploads.discard(path)
            form.add_error("mapping", exc.message)
        else:
            token = path.stem
            upload = uploads.Upload(
                path=str(path),
                file_name=Path(data["file"].name).name,
                sheet=data["sheet"],
                mapping=data["mapping"],
                matching=data["matching"],
                dry_run=data["dry_run"],
                encoding_choice=data["encoding"],
                **scanned,
            )
            _remember(request, token, upload)
            return redirect("imports:job_columns", token=token)
    return render(request, "imports/upload.html", {"form": form})


def _pending_upload(request: HttpRequest, token: str) -> uploads.Upload | None:
    stored = _uploads(request).get(token)
    if stored is None or not Path(stored["path"]).is_file():
        if stored is not None:
            _forget(request, token)
        messages.warning(request, _("That upload has expired. Please upload the file again."))
        return None
    return uploads.Upload.from_dict(stored)


@role_required(*IMPORTERS)
@require_POST
def job_reread(request: HttpRequest, token: str) -> HttpResponse:
    """Read the uploaded file again with another encoding or sheet."""
    upload = _pending_upload(request, token)
    if upload is None:
        return redirect("imports:job_new")
    form = ReadAgainForm(request.POST, upload=upload)
    if form.is_valid():
        try:
            upload = uploads.rescan(
                upload, encoding=form.cleaned_data["encoding"], sheet=form.cleaned_data["sheet"]
            )
        except ImportFileError as exc:
            messages.error(request, exc.message)
        else:
            pending = _uploads(request)
            pending[token] = upload.to_dict()
            request.session[SESSION_KEY] = pending
    return redirect("imports:job_columns", token=token)


@role_required(*IMPORTERS)
@require_http_methods(["GET", "POST"])
def job_columns(request: HttpRequest, token: str) -> HttpResponse:
    """The mapping screen: preview, a target for each column, save, start."""
    upload = _pending_upload(request, token)
    if upload is None:
        return redirect("imports:job_new")
    try:
        chosen = _chosen_mapping(upload.mapping)
    except MappingError:
        chosen = None
    recognised = chosen is None and upload.mapping == ""
    base = chosen or recognize(upload.headers)
    targets = screen_targets(base, upload.headers)
    form = ColumnMappingForm(
        request.POST or None,
        headers=upload.headers,
        targets=targets,
        initial={"matching": upload.matching, "dry_run": upload.dry_run},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen_targets = form.targets()
        name = data["save_name"] if data["save"] else (base.name if base else "custom")
        try:
            # Saving the mapping and starting the job succeed or fail together.
            with transaction.atomic():
                mapping = mapping_from_screen(base, chosen_targets, name=name)
                saved_mappings.check_mapping(mapping)
                if data["save"]:
                    saved = saved_mappings.create_saved_mapping(
                        name=name,
                        mapping=mapping,
                        actor=request.user,  # type: ignore[arg-type]
                    )
                    mapping = saved_mappings.load(saved)
                job = uploads.start_upload_import(
                    upload,
                    mapping,
                    matching=data["matching"],
                    dry_run=data["dry_run"],
                    actor=request.user,  # type: ignore[arg-type]
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        except MappingError as exc:
            form.add_error(None, exc.message)
        else:
            _forget(request, token)
            if data["save"]:
                messages.success(
                    request, _("The mapping was saved as %(name)s.") % {"name": mapping.name}
                )
            messages.success(request, _("The import was started."))
            return redirect("imports:job_detail", pk=job.pk)
    rows = [
        {"number": r["number"], "error": r["error"], "values": r["values"]} for r in upload.rows
    ]
    columns = [
        {
            "field": field,
            "header": upload.headers[index],
            "samples": [r["values"][index] for r in rows if index < len(r["values"])],
        }
        for index, field in form.column_fields()
    ]
    return render(
        request,
        "imports/columns.html",
        {
            "form": form,
            "upload": upload,
            "token": token,
            "columns": columns,
            "rows": rows,
            "base": base,
            "recognised": recognised and base is not None,
            "unrecognised": recognised and base is None,
            "base_rules": _base_rules(base),
            "reread": ReadAgainForm(upload=upload),
        },
    )


def _base_rules(base: Mapping | None) -> list[str]:
    """What a built-in or saved mapping does besides its columns, in words."""
    if base is None:
        return []
    rules = []
    for target, template in base.templates.items():
        rules.append(
            _("%(field)s is built as “%(template)s”.")
            % {"field": target_label(target), "template": template}
        )
    for target, table in base.values.items():
        rules.append(
            _("%(field)s values are translated (%(count)d rules).")
            % {"field": target_label(target), "count": len(table)}
        )
    for target, value in base.defaults.items():
        choices = CHOICE_TARGETS.get(target)
        shown = str(choices(value).label) if choices and value in choices.values else value
        rules.append(
            _("%(field)s defaults to %(value)s.") % {"field": target_label(target), "value": shown}
        )
    if base.blank_values:
        rules.append(
            _("These values count as blank: %(values)s.") % {"values": ", ".join(base.blank_values)}
        )
    return rules


# --- Saved mappings ---------------------------------------------------------------------
@role_required(*IMPORTERS)
@require_GET
def mapping_list(request: HttpRequest) -> HttpResponse:
    saved = SavedMapping.objects.order_by("name")
    used = dict(
        ImportJob.objects.filter(mapping_name__in=[m.name for m in saved])
        .values_list("mapping_name")
        .annotate(n=Count("id"))
        .values_list("mapping_name", "n")
    )
    items = [
        {
            "mapping": m,
            "columns": len(m.definition.get("columns", {})),
            "jobs": used.get(m.name, 0),
        }
        for m in saved
    ]
    return render(request, "imports/mapping_list.html", {"items": items})


@role_required(*IMPORTERS)
@require_http_methods(["GET", "POST"])
def mapping_edit(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedMapping, pk=pk)
    initial_rows = [
        {
            "column": column,
            "target": TARGET_ATTRIBUTE if target == f"attributes.{column}" else target,
        }
        for column, target in saved.definition.get("columns", {}).items()
    ]
    form = SavedMappingForm(request.POST or None, instance=saved, initial={"name": saved.name})
    rows = ColumnRowFormSet(request.POST or None, initial=initial_rows, prefix="columns")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        try:
            saved_mappings.update_saved_mapping(
                saved,
                name=form.cleaned_data["name"],
                columns=rows.columns(),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The mapping was saved."))
            return redirect("imports:job_mappings")
    return render(
        request, "imports/mapping_edit.html", {"saved": saved, "form": form, "rows": rows}
    )


@role_required(*IMPORTERS)
@require_http_methods(["GET", "POST"])
def mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedMapping, pk=pk)
    if request.method == "POST":
        name = saved.name
        saved_mappings.delete_saved_mapping(saved, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The mapping %(name)s was deleted.") % {"name": name})
        return redirect("imports:job_mappings")
    return render(request, "imports/mapping_delete.html", {"saved": saved})
