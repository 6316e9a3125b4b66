"""Role checks shared by pages and the API. Every view names the roles that may use it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from renkei.core.choices import Role

ALL_ROLES = tuple(Role.values)
SALES_AND_MARKETING = (Role.MARKETING, Role.INSIDE_SALES, Role.FIELD_SALES)


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Allow a view only to signed-in users with one of `roles` (managers and admins pass
    too; see User.has_role). Anyone else gets 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not getattr(user, "has_role", None) or not user.has_role(*roles):  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator
