from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.core.choices import Role
from renkei.core.permissions import ALL_ROLES

# (url name, label, icon, roles that see it)
NAVIGATION = [
    ("web:home", _("Home"), "home", ALL_ROLES),
    ("web:contacts", _("Contacts"), "users", ALL_ROLES),
    ("web:accounts", _("Accounts"), "building", ALL_ROLES),
    ("web:duplicates", _("Duplicates"), "copy", (Role.MARKETING,)),
    ("marketing:forms", _("Forms"), "forms", (Role.MARKETING,)),
    ("imports:jobs", _("Import"), "file-import", (Role.MARKETING,)),
    ("web:team", _("Team"), "users-group", (Role.MANAGER,)),
    ("privacy:requests", _("Privacy requests"), "shield-lock", (Role.MANAGER,)),
    ("core:settings", _("Settings"), "adjustments", (Role.ADMIN,)),
    ("admin:index", _("Administration"), "settings", (Role.ADMIN,)),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu entries the signed-in user's role may use, with the current one marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    items = [
        {
            "url": reverse(name),
            "label": label,
            "icon": icon,
            # web:contacts also covers web:contact_detail, web:contact_new, ...
            "active": current == name or current.startswith(name.rstrip("s") + "_"),
        }
        for name, label, icon, roles in NAVIGATION
        if user.has_role(*roles)
    ]
    return {"nav_items": items}
