"""Who a send goes to. A send stores its audience as JSON ({"kind": ..., ...}); each kind
turns that into a contact queryset. For now the only kind is `contact_filter`, the same
filters as the contacts list (renkei.contacts.forms.ContactFilterForm); segments plug in
as another kind with `register`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.http import QueryDict
from django.utils.translation import gettext as _

from renkei.contacts.forms import ContactFilterForm
from renkei.contacts.models import Contact
from renkei.contacts.querysets import ContactQuerySet
from renkei.core.models import User


class Audience(Protocol):
    def contacts(self) -> ContactQuerySet: ...
    def describe(self) -> str: ...
    def to_json(self) -> dict[str, Any]: ...


FILTER_KEYS = ("q", "stage", "status", "owner", "source", "team")


class ContactFilterAudience:
    """Contacts matching the contacts list's filters, as `owner=me` meant for `user`."""

    kind = "contact_filter"

    def __init__(self, params: dict[str, str], user: User | None) -> None:
        self.params = {k: str(v) for k, v in params.items() if k in FILTER_KEYS and v}
        self.user = user

    def _form(self) -> ContactFilterForm:
        data = QueryDict(mutable=True)
        data.update(self.params)
        return ContactFilterForm(data, user=self.user)  # type: ignore[arg-type]

    def errors(self) -> dict[str, list[str]]:
        form = self._form()
        form.is_valid()
        return {k: [str(e) for e in v] for k, v in form.errors.items()}

    def contacts(self) -> ContactQuerySet:
        return self._form().apply(Contact.objects.all()).order_by("pk")

    def describe(self) -> str:
        if not self.params:
            return _("All contacts")
        form = self._form()
        form.is_valid()
        parts = []
        for key in FILTER_KEYS:
            if key not in self.params or key in form.errors:
                continue
            field = form.fields[key]
            value = self.params[key]
            shown = dict(getattr(field, "choices", [])).get(value, value)
            if key == "team":
                shown = str(form.cleaned_data.get("team") or value)
            parts.append(f"{field.label}: {shown}")
        return " / ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "params": self.params,
            "user": self.user.pk if self.user else None,
        }


_KINDS: dict[str, Callable[[dict[str, Any]], Audience]] = {}


def register(kind: str, loader: Callable[[dict[str, Any]], Audience]) -> None:
    _KINDS[kind] = loader


def load(data: dict[str, Any]) -> Audience:
    return _KINDS[data.get("kind", "")](data)


def _load_filter(data: dict[str, Any]) -> Audience:
    user = User.objects.filter(pk=data.get("user")).first() if data.get("user") else None
    return ContactFilterAudience(data.get("params") or {}, user)


register(ContactFilterAudience.kind, _load_filter)
