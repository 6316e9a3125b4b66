from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renkei.core.choices import Role
from renkei.core.permissions import ALL_ROLES

# Menus that group entries, so the bar fits a tablet: key → (label, icon).
NAV_GROUPS = {
    "marketing": (_("Marketing"), "speakerphone"),
    "data": (pgettext_lazy("navigation", "Data"), "database"),
}

# (url name, label, icon, roles that see it, menu group or None)
NAVIGATION = [
    ("web:home", _("Home"), "home", ALL_ROLES, None),
    ("web:contacts", _("Contacts"), "users", ALL_ROLES, None),
    ("web:accounts", _("Accounts"), "building", ALL_ROLES, None),
    ("funnel:agreements", _("Lead agreement"), "file-certificate", ALL_ROLES, None),
    ("marketing:campaigns", _("Campaigns"), "speakerphone", (Role.MARKETING,), "marketing"),
    ("marketing:personas", _("Personas"), "user-circle", (Role.MARKETING,), "marketing"),
    ("marketing:content", _("Content"), "files", (Role.MARKETING,), "marketing"),
    ("marketing:segments", _("Segments"), "filter", (Role.MARKETING,), "marketing"),
    ("marketing:forms", _("Forms"), "forms", (Role.MARKETING,), "marketing"),
    ("nurture:sends", _("Email"), "mail", (Role.MARKETING,), "marketing"),
    ("scoring:rule_sets", _("Scoring rules"), "chart-dots", (Role.MARKETING,), "marketing"),
    ("imports:jobs", _("Import"), "file-import", (Role.MARKETING,), "data"),
    ("web:duplicates", _("Duplicates"), "copy", (Role.MARKETING,), "data"),
    ("privacy:requests", _("Privacy requests"), "shield-lock", (Role.MANAGER,), "data"),
    ("web:team", _("Team"), "users-group", (Role.MANAGER,), None),
    ("core:settings", _("Settings"), "adjustments", (Role.ADMIN,), None),
    ("admin:index", _("Administration"), "settings", (Role.ADMIN,), None),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu entries the signed-in user's role may use, with the current one marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    items: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for name, label, icon, roles, group in NAVIGATION:
        if not user.has_role(*roles):
            continue
        entry = {
            "url": reverse(name),
            "label": label,
            "icon": icon,
            # web:contacts also covers web:contact_detail, web:contact_new, ...
            "active": current == name or current.startswith(name.rstrip("s") + "_"),
        }
        if group is None:
            items.append(entry)
            continue
        if group not in groups:
            group_label, group_icon = NAV_GROUPS[group]
            groups[group] = {"label": group_label, "icon": group_icon, "children": []}
            items.append(groups[group])
        groups[group]["children"].append(entry)
    for menu in groups.values():
        menu["active"] = any(child["active"] for child in menu["children"])
    return {"nav_items": items}
