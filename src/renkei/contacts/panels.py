"""Panels on a contact's page contributed by other apps (a persona, later scores or
sequences), without the contact page knowing them.

An app registers a function with `register_panel`; for each contact page it returns a
`ContactPanel` (a template and its context) or None to show nothing. Like the timeline's
sources (renkei.funnel.timeline), this keeps dependencies one-way: contacts never import
the apps that add panels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from renkei.contacts.models import Contact


@dataclass(frozen=True)
class ContactPanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100  # smaller first


PanelSource = Callable[[HttpRequest, Contact], ContactPanel | None]
_SOURCES: list[PanelSource] = []


def register_panel(source: PanelSource) -> PanelSource:
    _SOURCES.append(source)
    return source


def panels_for(request: HttpRequest, contact: Contact) -> list[ContactPanel]:
    panels = [p for source in _SOURCES if (p := source(request, contact)) is not None]
    return sorted(panels, key=lambda p: p.order)
