"""API routes of email: templates, sends (with per-recipient messages) and the suppression
list. Marketing only (managers and admins pass too); each route calls the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from renkei.core.api import error_responses, paginate, require_role
from renkei.core.choices import Role
from renkei.core.models import User
from renkei.core.schemas import PageParams
from renkei.nurture import sequences, services
from renkei.nurture.audience import ContactFilterAudience, SegmentAudience
from renkei.nurture.models import EmailSend, EmailTemplate, Sequence, Suppression
from renkei.nurture.schemas import (
    EnrollmentPage,
    MessagePage,
    MessageQuery,
    SendDetail,
    SendIn,
    SendPage,
    SequenceIn,
    SequenceOut,
    SequencePage,
    SequenceRun,
    SuppressionIn,
    SuppressionOut,
    SuppressionPage,
    TemplateIn,
    TemplateOut,
    TemplatePage,
    TemplatePatch,
)
from renkei.nurture.views.pages import send_counts

router = Router(tags=["email"])
MARKETING = (Role.MARKETING,)


@router.get(
    "/email/templates",
    response={200: TemplatePage, **error_responses(403)},
    summary="List email templates",
)
def list_templates(request: HttpRequest, query: Query[PageParams]) -> dict[str, Any]:
    require_role(request, *MARKETING)
    return paginate(EmailTemplate.objects.order_by("name", "id"), query)


@router.post(
    "/email/templates",
    response={201: TemplateOut, **error_responses(403, 422)},
    summary="Create an email template",
)
def create_template(request: HttpRequest, payload: TemplateIn) -> Status[EmailTemplate]:
    """Token errors (unknown names, unclosed `{{`) are 422 with the field and line."""
    user = require_role(request, *MARKETING)
    return Status(201, services.save_template(None, actor=user, **payload.model_dump()))


@router.get(
    "/email/templates/{int:template_id}",
    response={200: TemplateOut, **error_responses(403, 404)},
    summary="Get an email template",
)
def get_template(request: HttpRequest, template_id: int) -> EmailTemplate:
    require_role(request, *MARKETING)
    return get_object_or_404(EmailTemplate, pk=template_id)


@router.patch(
    "/email/templates/{int:template_id}",
    response={200: TemplateOut, **error_responses(403, 404, 422)},
    summary="Update an email template",
)
def update_template(
    request: HttpRequest, template_id: int, payload: TemplatePatch
) -> EmailTemplate:
    user = require_role(request, *MARKETING)
    template = get_object_or_404(EmailTemplate, pk=template_id)
    values = {f: getattr(template, f) for f in services.TEMPLATE_FIELDS}
    values.update(
        {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    )
    return services.save_template(template, actor=user, **values)


def _detail(send: EmailSend) -> EmailSend:
    send.counts = send_counts(send)  # type: ignore[attr-defined]
    return send


@router.get(
    "/email/sends", response={200: SendPage, **error_responses(403)}, summary="List email sends"
)
def list_sends(request: HttpRequest, query: Query[PageParams]) -> dict[str, Any]:
    require_role(request, *MARKETING)
    return paginate(EmailSend.objects.order_by("-scheduled_at", "-id"), query)


@router.post(
    "/email/sends",
    response={201: SendDetail, **error_responses(403, 422)},
    summary="Schedule an email send",
)
def create_send(request: HttpRequest, payload: SendIn) -> Status[EmailSend]:
    """Send a template to the contacts matching `filters` (those of `GET /contacts`), now or
    at `scheduled_at`. Refused (422) while the sender identity is incomplete."""
    user = require_role(request, *MARKETING)
    template = EmailTemplate.objects.filter(pk=payload.template_id).first()
    if template is None:
        raise ValidationError(
            {
                "template_id": [
                    "Select a valid choice. That choice is not one of the available choices."
                ]
            }
        )
    audience = _audience(payload, user)
    send = services.create_send(
        actor=user,
        name=payload.name,
        template=template,
        audience=audience,
        scheduled_at=payload.scheduled_at,
    )
    return Status(201, _detail(send))


@router.get(
    "/email/sends/{int:send_id}",
    response={200: SendDetail, **error_responses(403, 404)},
    summary="Get an email send with its progress",
)
def get_send(request: HttpRequest, send_id: int) -> EmailSend:
    require_role(request, *MARKETING)
    return _detail(get_object_or_404(EmailSend, pk=send_id))


@router.post(
    "/email/sends/{int:send_id}/cancel",
    response={200: SendDetail, **error_responses(403, 404, 422)},
    summary="Cancel an email send",
)
def cancel_send(request: HttpRequest, send_id: int) -> EmailSend:
    user = require_role(request, *MARKETING)
    send = services.cancel_send(get_object_or_404(EmailSend, pk=send_id), actor=user)
    return _detail(send)


@router.get(
    "/email/sends/{int:send_id}/messages",
    response={200: MessagePage, **error_responses(403, 404)},
    summary="List a send's recipients",
)
def list_messages(request: HttpRequest, send_id: int, query: Query[MessageQuery]) -> dict[str, Any]:
    """Every recipient with its status; skipped ones carry `skip_reason`, failed ones `error`."""
    require_role(request, *MARKETING)
    send = get_object_or_404(EmailSend, pk=send_id)
    messages = send.messages.order_by("id")
    if query.status:
        messages = messages.filter(status=query.status)
    return paginate(messages, query)


@router.get(
    "/email/suppressions",
    response={200: SuppressionPage, **error_responses(403)},
    summary="List suppressed addresses",
)
def list_suppressions(request: HttpRequest, query: Query[PageParams]) -> dict[str, Any]:
    require_role(request, *MARKETING)
    return paginate(Suppression.objects.order_by("-at", "-id"), query)


@router.post(
    "/email/suppressions",
    response={201: SuppressionOut, **error_responses(403, 422)},
    summary="Suppress an address",
)
def add_suppression(request: HttpRequest, payload: SuppressionIn) -> Status[Suppression]:
    user = require_role(request, *MARKETING)
    try:
        validate_email(payload.email.strip())
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc
    row = services.suppress(payload.email, reason=payload.reason, note=payload.note, actor=user)
    return Status(201, row)


@router.delete(
    "/email/suppressions/{int:suppression_id}",
    response={204: None, **error_responses(403, 404)},
    summary="Remove a suppressed address",
)
def remove_suppression(request: HttpRequest, suppression_id: int) -> Status[None]:
    user = require_role(request, *MARKETING)
    services.unsuppress(get_object_or_404(Suppression, pk=suppression_id), actor=user)
    return Status(204, None)


@router.get(
    "/email/sequences",
    response={200: SequencePage, **error_responses(403)},
    summary="List nurture sequences",
)
def list_sequences(request: HttpRequest, query: Query[PageParams]) -> dict[str, Any]:
    require_role(request, *MARKETING)
    return paginate(Sequence.objects.order_by("name", "id"), query)


@router.post(
    "/email/sequences",
    response={201: SequenceOut, **error_responses(403, 422)},
    summary="Create a nurture sequence",
)
def create_sequence(request: HttpRequest, payload: SequenceIn) -> Status[Sequence]:
    """Created stopped; start it with `POST /email/sequences/{id}/run`."""
    user = require_role(request, *MARKETING)
    audience = _audience(payload, user)
    sequence = sequences.save_sequence(
        None, actor=user, name=payload.name, steps=payload.steps,
        exit_stage=payload.exit_stage, audience=audience,
    )  # fmt: skip
    return Status(201, sequence)


@router.get(
    "/email/sequences/{int:sequence_id}",
    response={200: SequenceOut, **error_responses(403, 404)},
    summary="Get a nurture sequence",
)
def get_sequence(request: HttpRequest, sequence_id: int) -> Sequence:
    require_role(request, *MARKETING)
    return get_object_or_404(Sequence, pk=sequence_id)


@router.post(
    "/email/sequences/{int:sequence_id}/run",
    response={200: SequenceOut, **error_responses(403, 404, 422)},
    summary="Start or stop a nurture sequence",
)
def run_sequence(request: HttpRequest, sequence_id: int, payload: SequenceRun) -> Sequence:
    """`{"running": true}` starts it (422 while the sender identity is incomplete);
    `false` stops it and ends the active enrollments."""
    user = require_role(request, *MARKETING)
    sequence = get_object_or_404(Sequence, pk=sequence_id)
    return sequences.set_running(sequence, running=payload.running, actor=user)


@router.get(
    "/email/sequences/{int:sequence_id}/enrollments",
    response={200: EnrollmentPage, **error_responses(403, 404)},
    summary="List a sequence's enrollments",
)
def list_enrollments(
    request: HttpRequest, sequence_id: int, query: Query[PageParams]
) -> dict[str, Any]:
    require_role(request, *MARKETING)
    sequence = get_object_or_404(Sequence, pk=sequence_id)
    return paginate(sequence.enrollments.order_by("-enrolled_at", "-id"), query)


def _audience(payload: SendIn | SequenceIn, user: User) -> Any:
    """A segment's contacts when `segment_id` is given, else the contacts of `filters`."""
    if payload.segment_id is not None:
        audience: Any = SegmentAudience(payload.segment_id)
        errors = {"segment_id": audience.errors().get("segment", [])}
    else:
        audience = ContactFilterAudience(payload.filters.model_dump(), user)
        errors = {f"filters.{k}": v for k, v in audience.errors().items()}
    if any(errors.values()):
        raise ValidationError(errors)
    return audience
