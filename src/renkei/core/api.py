"""Core API routes (who am I) and the helpers every app's routes share: role checks,
pagination, the documented error responses and user look-ups."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from renkei.core.models import User
from renkei.core.permissions import ALL_ROLES
from renkei.core.schemas import ErrorOut, MeOut, PageParams

router = Router(tags=["me"])


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error statuses an operation documents; 401 (no valid token) applies to all."""
    return dict.fromkeys((401, *statuses), ErrorOut)


def require_role(request: HttpRequest, *roles: str) -> User:
    """The token's user, if their role is one of `roles` (managers and admins pass too,
    see User.has_role); otherwise PermissionDenied, which the API answers with 403."""
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User) or not user.has_role(*roles):
        raise PermissionDenied
    return user


def paginate(queryset: models.QuerySet[Any], params: PageParams) -> dict[str, Any]:
    """One page of `queryset`: two queries (count and page) whatever the page size."""
    count = queryset.count()
    items = list(queryset[params.offset : params.offset + params.limit])
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": items}


def active_user(user_id: int | None, *, field: str) -> User | None:
    """The active user with this id (None for None), or a ValidationError on `field`."""
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError(
            {field: _("Select a valid choice. That choice is not one of the available choices.")}
        )
    return user


@router.get("/me", response={200: MeOut, **error_responses()}, summary="Who am I")
def me(request: HttpRequest) -> User:
    """The user the token belongs to, with their role."""
    return require_role(request, *ALL_ROLES)
