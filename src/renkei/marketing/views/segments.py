"""Segment pages for marketing: list, create and edit with a live count, a segment's
contacts, delete."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from renkei.core.choices import Role
from renkei.core.permissions import role_required
from renkei.marketing import segments as services
from renkei.marketing.forms import SEGMENT_FILTER_FIELDS, SegmentFilterForm, SegmentForm
from renkei.marketing.models import Segment

MARKETING = (Role.MARKETING,)


@role_required(*MARKETING)
@require_GET
def segment_list(request: HttpRequest) -> HttpResponse:
    segments = list(Segment.objects.select_related("owner").order_by("name", "id"))
    rows = [{"segment": s, "count": services.contacts_of(s).count()} for s in segments]
    return render(request, "marketing/segment_list.html", {"rows": rows})


def _edit(request: HttpRequest, segment: Segment | None) -> HttpResponse:
    if request.method == "POST":
        form = SegmentForm(request.POST)
        if form.is_valid():
            values = {
                "name": form.cleaned_data["name"],
                "description": form.cleaned_data["description"],
            }
            try:
                if segment is None:
                    segment = services.create_segment(
                        actor=request.user, filters=form.filters(), **values
                    )  # type: ignore[arg-type]
                else:
                    segment = services.update_segment(
                        segment, actor=request.user, filters=form.filters(), **values
                    )  # type: ignore[arg-type]
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The segment was saved."))
                return redirect("marketing:segment_detail", pk=segment.pk)
        preview = _preview(form)
    else:
        initial = {}
        if segment is not None:
            initial = {
                "name": segment.name,
                "description": segment.description,
                **SegmentForm.initial_from(segment.filters),
            }
        form = SegmentForm(initial=initial)
        preview = {"count": services.contacts_of(segment).count()} if segment else {"count": None}
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "marketing/segment_edit.html",
        {"segment": segment, "form": form, "preview": preview},
        status=status,
    )


def _preview(form: SegmentFilterForm) -> dict[str, object]:
    """The live count of the filters in `form` (bound), or why there is none. Only the
    filter fields matter: a missing name does not stop the count."""
    form.is_valid()
    problems = [str(e) for name in SEGMENT_FILTER_FIELDS for e in form.errors.get(name, [])]
    if problems:
        return {"count": None, "error": problems[0]}
    filters = services.SegmentFilters.model_validate(form.filters())
    if filters.is_empty():
        return {"count": None, "error": _("Choose at least one filter.")}
    return {"count": services.count(filters)}


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def segment_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def segment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Segment, pk=pk))


@role_required(*MARKETING)
@require_GET
def segment_count(request: HttpRequest) -> HttpResponse:
    """The live count while the filters are edited (an htmx fragment)."""
    preview = _preview(SegmentFilterForm(request.GET))
    return render(request, "marketing/partials/segment_count.html", {"preview": preview})


@role_required(*MARKETING)
@require_GET
def segment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    segment = get_object_or_404(Segment.objects.select_related("owner"), pk=pk)
    contacts = services.contacts_of(segment).with_related().order_by("-updated_at", "-id")
    page = Paginator(contacts, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    form = SegmentFilterForm(initial=SegmentFilterForm.initial_from(segment.filters))
    described = [
        (form[name].label, _describe(form, name, value))
        for name, value in segment.filters.items()
        if name in form.fields
    ]
    return render(
        request,
        "marketing/segment_detail.html",
        {"segment": segment, "page": page, "described": described},
    )


def _describe(form: SegmentFilterForm, name: str, value: object) -> str:
    field = form.fields[name]
    if name == "has_email":
        return _("Has an email") if value else _("No email")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if hasattr(field, "queryset"):
        return ", ".join(
            str(o) if name != "owners" else o.display_name
            for o in field.queryset.filter(pk__in=value)
        )  # type: ignore[attr-defined]
    if isinstance(value, list):
        labels = dict(field.choices)  # type: ignore[attr-defined]
        return ", ".join(str(labels.get(v, v)) for v in value)
    return str(value)


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def segment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    segment = get_object_or_404(Segment, pk=pk)
    if request.method == "POST":
        services.delete_segment(segment, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The segment %(name)s was deleted.") % {"name": segment.name})
        return redirect("marketing:segments")
    return render(request, "marketing/segment_delete.html", {"segment": segment})


EXPORT_CHOICES = {
    "csv": ("csv", "utf-8-sig", "csv"),
    "csv-cp932": ("csv", "cp932", "csv"),
    "xlsx": ("xlsx", "", "xlsx"),
}


@role_required(*MARKETING)
@require_GET
def segment_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The segment's contacts as a file: CSV in UTF-8 with BOM (Excel), CSV in CP932, or
    XLSX. The export is recorded in the audit log."""
    segment = get_object_or_404(Segment, pk=pk)
    choice = EXPORT_CHOICES.get(request.GET.get("format", "csv"))
    if choice is None:
        return HttpResponseBadRequest(_("Unknown export format."))
    format, encoding, suffix = choice
    handle = tempfile.NamedTemporaryFile(suffix=f".{suffix}", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    try:
        services.export_segment(
            segment, path, actor=request.user, format=format, encoding=encoding or "utf-8-sig"
        )
        data = path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response = HttpResponse(data, content_type=_CONTENT_TYPES[suffix])
    filename = f"segment-{segment.pk}-{stamp}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


_CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
