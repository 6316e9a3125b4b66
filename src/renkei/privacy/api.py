"""API routes of privacy requests (admins only): record and update requests, find and
link the person's contacts, export the disclosure, stop use, erase."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from renkei.contacts.models import Contact
from renkei.core.api import active_user, error_responses, paginate, require_role
from renkei.core.choices import Role
from renkei.privacy import services
from renkei.privacy.models import DataSubjectRequest
from renkei.privacy.schemas import (
    ActionOut,
    CandidateOut,
    ContactIds,
    RequestCreate,
    RequestOut,
    RequestPage,
    RequestPatch,
    RequestQuery,
)

router = Router(tags=["privacy"])


def _admin(request: HttpRequest) -> Any:
    return require_role(request, Role.ADMIN)


def _get(request_id: int) -> DataSubjectRequest:
    return get_object_or_404(_requests(), pk=request_id)


def _requests() -> Any:
    return (
        DataSubjectRequest.objects.select_related("handler")
        .prefetch_related("contacts")
        .with_overdue(services.today())
    )


def _values(values: dict[str, Any]) -> dict[str, Any]:
    if "handler_id" in values:
        values["handler"] = active_user(values.pop("handler_id"), field="handler_id")
    return {k: v for k, v in values.items() if v is not None or k == "handler"}


@router.get(
    "/privacy/requests",
    response={200: RequestPage, **error_responses(403, 422)},
    summary="List privacy requests",
)
def list_privacy_requests(request: HttpRequest, query: Query[RequestQuery]) -> dict[str, Any]:
    """Newest first; `overdue=true` for open requests past their due date."""
    _admin(request)
    requests = _requests()
    if query.status:
        requests = requests.filter(status__in=query.status)
    if query.kind:
        requests = requests.filter(kind__in=query.kind)
    if query.overdue is True:
        requests = requests.overdue(services.today())
    return paginate(requests, query)


@router.post(
    "/privacy/requests",
    response={201: RequestOut, **error_responses(403, 422)},
    summary="Record a privacy request",
)
def create_privacy_request(request: HttpRequest, payload: RequestCreate) -> Status[Any]:
    user = _admin(request)
    values = _values(payload.model_dump(exclude_unset=True))
    return Status(201, _get(services.create_request(actor=user, **values).pk))


@router.get(
    "/privacy/requests/{int:request_id}",
    response={200: RequestOut, **error_responses(403, 404)},
    summary="Get a privacy request",
)
def get_privacy_request(request: HttpRequest, request_id: int) -> DataSubjectRequest:
    _admin(request)
    return _get(request_id)


@router.patch(
    "/privacy/requests/{int:request_id}",
    response={200: RequestOut, **error_responses(403, 404, 422)},
    summary="Update a privacy request",
)
def update_privacy_request(
    request: HttpRequest, request_id: int, payload: RequestPatch
) -> DataSubjectRequest:
    user = _admin(request)
    dsar = _get(request_id)
    services.update_request(dsar, actor=user, **_values(payload.model_dump(exclude_unset=True)))
    return _get(request_id)


@router.get(
    "/privacy/requests/{int:request_id}/candidates",
    response={200: list[CandidateOut], **error_responses(403, 404)},
    summary="Contacts that may be the requester",
)
def privacy_request_candidates(request: HttpRequest, request_id: int) -> list[dict[str, Any]]:
    """Contacts with the requester's normalized email, phone or name."""
    _admin(request)
    return [
        {
            "contact_id": c.contact.pk,
            "name": c.contact.full_name,
            "email": c.contact.email,
            "phone": c.contact.phone,
            "account": c.contact.account.name if c.contact.account else "",
            "reasons": c.reasons,
        }
        for c in services.candidates_for(_get(request_id))
    ]


@router.put(
    "/privacy/requests/{int:request_id}/contacts",
    response={200: RequestOut, **error_responses(403, 404, 422)},
    summary="Set the contacts of a privacy request",
)
def link_privacy_request_contacts(
    request: HttpRequest, request_id: int, payload: ContactIds
) -> DataSubjectRequest:
    user = _admin(request)
    dsar = _get(request_id)
    contacts = list(Contact.objects.filter(pk__in=payload.contact_ids))
    if len(contacts) != len(set(payload.contact_ids)):
        raise ValidationError({"contact_ids": [_("Some of these contacts do not exist.")]})
    services.link_contacts(dsar, contacts, actor=user)
    return _get(request_id)


@router.get(
    "/privacy/requests/{int:request_id}/disclosure",
    response={200: dict[str, Any], **error_responses(403, 404, 422)},
    summary="Disclosure: everything held about the request's contacts",
)
def privacy_request_disclosure(request: HttpRequest, request_id: int) -> dict[str, Any]:
    """The JSON disclosure document (the export is recorded in the request's history)."""
    user = _admin(request)
    dsar = _get(request_id)
    services.export_disclosure(dsar, actor=user, fmt="json")
    return services.disclosure(dsar)


@router.post(
    "/privacy/requests/{int:request_id}/stop-use",
    response={200: ActionOut, **error_responses(403, 404, 422)},
    summary="Stop marketing use of the request's contacts",
)
def privacy_request_stop_use(request: HttpRequest, request_id: int) -> dict[str, Any]:
    user = _admin(request)
    dsar = _get(request_id)
    changed = services.stop_use(dsar, actor=user)
    return {"request": _get(request_id), "summary": {"contacts_changed": changed}}


@router.post(
    "/privacy/requests/{int:request_id}/erase",
    response={200: ActionOut, **error_responses(403, 404, 422)},
    summary="Erase the request's contacts",
)
def privacy_request_erase(request: HttpRequest, request_id: int) -> dict[str, Any]:
    """Erase the linked contacts everywhere (an erasure request with verified identity)."""
    user = _admin(request)
    dsar = _get(request_id)
    summary = services.erase_request(dsar, actor=user)
    return {"request": _get(request_id), "summary": summary}
