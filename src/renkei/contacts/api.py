"""API routes of contacts and accounts. Thin: check the role, validate, call one service.

A new contact is created by the funnel (renkei.funnel.services.add_contact), which records
its entry into the funnel; API modules are the top layer, so they may call it. There is no
delete: nothing is deleted that a user did not explicitly ask to delete, and deleting
(with its effect on funnel history) is not part of API v1 yet.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from renkei.contacts import services as contact_services
from renkei.contacts.models import Account, Contact
from renkei.contacts.schemas import (
    AccountCreate,
    AccountOut,
    AccountPage,
    AccountPatch,
    AccountQuery,
    ContactCreate,
    ContactOut,
    ContactPage,
    ContactPatch,
    ContactQuery,
)
from renkei.core.api import active_user, error_responses, paginate, require_role
from renkei.core.permissions import ALL_ROLES, SALES_AND_MARKETING
from renkei.funnel import services as funnel_services

contacts_router = Router(tags=["contacts"])
accounts_router = Router(tags=["accounts"])

# Who may create and edit contacts and accounts (managers and admins pass too).
EDITORS = SALES_AND_MARKETING
_BLANK_CHOICES = ("industry", "employee_band", "prefecture")


def _account(account_id: int | None) -> Account | None:
    if account_id is None:
        return None
    account = Account.objects.filter(pk=account_id).first()
    if account is None:
        raise ValidationError(
            {
                "account_id": _(
                    "Select a valid choice. That choice is not one of the available choices."
                )
            }
        )
    return account


def _service_values(values: dict[str, Any]) -> dict[str, Any]:
    """Schema values as the services take them: related ids become rows, and a blank
    choice sent as null becomes the empty string the model stores."""
    if "account_id" in values:
        values["account"] = _account(values.pop("account_id"))
    if "owner_id" in values:
        values["owner"] = active_user(values.pop("owner_id"), field="owner_id")
    for name in _BLANK_CHOICES:
        if name in values and values[name] is None:
            values[name] = ""
    return values


# --- Contacts ---------------------------------------------------------------------------


@contacts_router.get(
    "/contacts", response={200: ContactPage, **error_responses(422)}, summary="List contacts"
)
def list_contacts(request: HttpRequest, query: Query[ContactQuery]) -> dict[str, Any]:
    """Contacts matching the filters, newest change first unless `ordering` says
    otherwise."""
    require_role(request, *ALL_ROLES)
    return paginate(query.apply(Contact.objects.all()), query)


@contacts_router.get(
    "/contacts/{int:contact_id}",
    response={200: ContactOut, **error_responses(404)},
    summary="Get a contact",
)
def get_contact(request: HttpRequest, contact_id: int) -> Contact:
    require_role(request, *ALL_ROLES)
    return get_object_or_404(Contact.objects.with_related(), pk=contact_id)


@contacts_router.post(
    "/contacts",
    response={201: ContactOut, **error_responses(403, 422)},
    summary="Create a contact",
)
def create_contact(request: HttpRequest, payload: ContactCreate) -> Status[Contact]:
    """Create a contact in the funnel at `stage` (subscriber, lead or MQL); the entry is
    recorded as a stage change by the token's user."""
    user = require_role(request, *EDITORS)
    values = _service_values(payload.model_dump(exclude_unset=True))
    stage = values.pop("stage", payload.stage)
    contact = funnel_services.add_contact(actor=user, stage=stage, **values)
    return Status(201, contact)


@contacts_router.patch(
    "/contacts/{int:contact_id}",
    response={200: ContactOut, **error_responses(403, 404, 422)},
    summary="Update a contact",
)
def update_contact(request: HttpRequest, contact_id: int, payload: ContactPatch) -> Contact:
    """Change the fields sent. Lifecycle stage and lead status are refused here: use
    `POST /contacts/{id}/stage` and `POST /contacts/{id}/status`."""
    user = require_role(request, *EDITORS)
    contact = get_object_or_404(Contact, pk=contact_id)
    values = _service_values(payload.model_dump(exclude_unset=True))
    return contact_services.update_contact(contact, actor=user, **values)


# --- Accounts ---------------------------------------------------------------------------


@accounts_router.get(
    "/accounts", response={200: AccountPage, **error_responses(422)}, summary="List accounts"
)
def list_accounts(request: HttpRequest, query: Query[AccountQuery]) -> dict[str, Any]:
    require_role(request, *ALL_ROLES)
    return paginate(query.apply(Account.objects.all()), query)


@accounts_router.get(
    "/accounts/{int:account_id}",
    response={200: AccountOut, **error_responses(404)},
    summary="Get an account",
)
def get_account(request: HttpRequest, account_id: int) -> Account:
    require_role(request, *ALL_ROLES)
    return get_object_or_404(Account.objects.select_related("owner"), pk=account_id)


@accounts_router.post(
    "/accounts",
    response={201: AccountOut, **error_responses(403, 422)},
    summary="Create an account",
)
def create_account(request: HttpRequest, payload: AccountCreate) -> Status[Account]:
    user = require_role(request, *EDITORS)
    values = _service_values(payload.model_dump(exclude_unset=True))
    return Status(201, contact_services.create_account(actor=user, **values))


@accounts_router.patch(
    "/accounts/{int:account_id}",
    response={200: AccountOut, **error_responses(403, 404, 422)},
    summary="Update an account",
)
def update_account(request: HttpRequest, account_id: int, payload: AccountPatch) -> Account:
    """Change the fields sent. A new website without a domain re-derives the domain."""
    user = require_role(request, *EDITORS)
    account = get_object_or_404(Account, pk=account_id)
    values = _service_values(payload.model_dump(exclude_unset=True))
    return contact_services.update_account(account, actor=user, **values)
