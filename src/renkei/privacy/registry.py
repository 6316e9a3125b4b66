"""What each app holds about a person, for disclosure and erasure.

An app registers one *holder* per kind of personal data from its AppConfig.ready():

    from renkei.privacy import registry

    registry.register(
        "marketing.touches",
        label=gettext_lazy("Touches"),
        collect=collect_touches,   # (contact) -> list[dict]: JSON-ready rows
        erase=erase_touches,       # (contact, *, actor) -> dict[str, int]: counts
        order=300,
    )

The contract:
- `collect(contact)` returns the rows this app holds about that one contact, as dicts of
  JSON-ready values (str, int, float, bool, None, lists and dicts of those; datetimes as ISO
  strings). It must return nothing about anyone else. It must not write.
- `erase(contact, *, actor)` removes or anonymises those rows, writing through the app's
  own services, and returns a summary of counts (`{"deleted": 3, "anonymised": 1}`), never
  values. It runs inside the caller's transaction (renkei.privacy.services.erase_request),
  so it must not commit, and it must leave rows other apps still point to in place
  (anonymise instead of delete where a foreign key needs the row).
- Holders run in ascending `order`: the contact itself (contacts, 900) and the audit log
  (core, 950) run last, after every app has removed what refers to the person.
- This module imports nothing from other apps, so any app may register here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Rows = list[dict[str, Any]]
Collect = Callable[[Any], Rows]
Erase = Callable[..., dict[str, int]]


@dataclass(frozen=True)
class Holder:
    name: str
    label: Any  # a lazy translation
    collect: Collect
    erase: Erase
    order: int = 100


_REGISTRY: dict[str, Holder] = {}


def register(name: str, *, label: Any, collect: Collect, erase: Erase, order: int = 100) -> None:
    """Register (or replace) the holder `name`, e.g. "marketing.touches"."""
    _REGISTRY[name] = Holder(name=name, label=label, collect=collect, erase=erase, order=order)


def holders() -> list[Holder]:
    return sorted(_REGISTRY.values(), key=lambda h: (h.order, h.name))


def plain(value: Any) -> Any:
    """A value as JSON: datetimes and dates as ISO strings, other objects as text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def rows(queryset: Any, fields: list[str]) -> Rows:
    """The `fields` of each row of `queryset`, JSON-ready (a helper for collectors)."""
    return [{k: plain(v) for k, v in row.items()} for row in queryset.values(*fields)]
