"""Who a send or a sequence goes to. It stores its audience as JSON ({"kind": ..., ...});
each kind turns that into a contact queryset:

- `contact_filter`: the contacts list's filters (renkei.contacts.forms.ContactFilterForm);
- `segment`: a marketing segment's contacts at the moment the send is prepared (or the
  sequence enrolls), so a segment's later members are reached by later sends.

`from_params` picks the kind from a page's query string (`?segment=ID` or the filters)."""

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


class SegmentAudience:
    """The contacts of a marketing segment, as its filters match them when asked."""

    kind = "segment"

    def __init__(self, segment_id: int | None) -> None:
        from renkei.marketing.models import Segment

        self.segment_id = segment_id
        self.segment = Segment.objects.filter(pk=segment_id).first() if segment_id else None

    def errors(self) -> dict[str, list[str]]:
        if self.segment is None:
            return {"segment": [_("The segment does not exist (any more).")]}
        return {}

    def contacts(self) -> ContactQuerySet:
        from renkei.marketing.segments import contacts_of

        if self.segment is None:
            return Contact.objects.none()
        return contacts_of(self.segment).order_by("pk")

    def describe(self) -> str:
        if self.segment is None:
            return _("A deleted segment")
        return _("Segment: %(name)s") % {"name": self.segment.name}

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "segment": self.segment_id}


def _load_segment(data: dict[str, Any]) -> Audience:
    return SegmentAudience(data.get("segment"))


register(SegmentAudience.kind, _load_segment)


def from_params(params: Any, user: User | None) -> ContactFilterAudience | SegmentAudience:
    """The audience a page's query string names: `segment=ID`, else the contacts-list
    filters."""
    segment = str(params.get("segment") or "")
    if segment:
        return SegmentAudience(int(segment) if segment.isdigit() else None)
    return ContactFilterAudience({k: params[k] for k in FILTER_KEYS if params.get(k)}, user)
