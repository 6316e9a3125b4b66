"""Nurture sequence pages: list, create and edit (steps), start and stop, enrollments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.core.choices import Role
from renkei.core.permissions import role_required
from renkei.nurture import sequences
from renkei.nurture.audience import from_params
from renkei.nurture.choices import EnrollmentStatus
from renkei.nurture.forms import SequenceForm, StepFormSet, step_initial
from renkei.nurture.models import EnrollmentEvent, SenderIdentity, Sequence

MARKETING = (Role.MARKETING,)


@role_required(*MARKETING)
@require_GET
def sequence_list(request: HttpRequest) -> HttpResponse:
    rows = Sequence.objects.annotate(
        active=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE)),
        completed=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.COMPLETED)),
        exited=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.EXITED)),
    ).order_by("name", "id")
    return render(request, "nurture/sequence_list.html", {"sequences": rows})


def _edit(request: HttpRequest, sequence: Sequence | None) -> HttpResponse:
    audience = from_params(request.GET, request.user) if sequence is None else None  # type: ignore[arg-type]
    initial = {"name": sequence.name, "exit_stage": sequence.exit_stage} if sequence else None
    form = SequenceForm(request.POST or None, initial=initial)
    steps = StepFormSet(
        request.POST or None,
        prefix="steps",
        initial=[step_initial(s) for s in sequence.steps] if sequence else None,
    )
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        try:
            saved = sequences.save_sequence(
                sequence,
                actor=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                exit_stage=form.cleaned_data["exit_stage"],
                steps=steps.steps(),
                audience=audience,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The sequence was saved."))
            return redirect("nurture:sequence_detail", pk=saved.pk)
    return render(
        request,
        "nurture/sequence_edit.html",
        {
            "sequence": sequence,
            "form": form,
            "steps": steps,
            "audience_label": audience.describe() if audience else sequence.audience_label,  # type: ignore[union-attr]
            "query": request.GET.urlencode(),
        },
    )


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def sequence_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def sequence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Sequence, pk=pk))


@role_required(*MARKETING)
@require_GET
def sequence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sequence = get_object_or_404(Sequence, pk=pk)
    status = request.GET.get("status", "")
    last_event = EnrollmentEvent.objects.filter(enrollment=OuterRef("pk")).order_by("-at", "-id")
    enrollments = (
        sequence.enrollments.select_related("contact")
        .annotate(last_event=Subquery(last_event.values("detail")[:1]))
        .order_by("-enrolled_at", "-id")
    )
    if status in EnrollmentStatus.values:
        enrollments = enrollments.filter(status=status)
    page = Paginator(enrollments, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    counts = dict(
        sequence.enrollments.values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    context: dict[str, Any] = {
        "sequence": sequence,
        "step_lines": sequences.describe(sequence.steps),
        "page": page,
        "status": status,
        "statuses": EnrollmentStatus.choices,
        "counts": counts,
        "sends": sequence.sends.select_related("template").order_by("step"),
        "sender_missing": SenderIdentity.load().missing,
    }
    return render(request, "nurture/sequence_detail.html", context)


@role_required(*MARKETING)
@require_POST
def sequence_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    sequence = get_object_or_404(Sequence, pk=pk)
    running = request.POST.get("running") == "1"
    try:
        sequences.set_running(sequence, running=running, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The sequence is running.") if running else _("The sequence was stopped."),
        )
    return redirect("nurture:sequence_detail", pk=pk)
