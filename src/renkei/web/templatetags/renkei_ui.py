"""Small display helpers for Renkei's pages: stage and status colours, phone numbers,
initials for avatars."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms, template

from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.contacts.normalize import format_phone

register = template.Library()

# Tabler colour names; each stage keeps its colour everywhere (badges, chart, steps).
STAGE_COLORS = {
    LifecycleStage.SUBSCRIBER: "secondary",
    LifecycleStage.LEAD: "azure",
    LifecycleStage.MQL: "blue",
    LifecycleStage.SAL: "indigo",
    LifecycleStage.SQL: "purple",
    LifecycleStage.OPPORTUNITY: "orange",
    LifecycleStage.CUSTOMER: "green",
}
STATUS_COLORS = {
    LeadStatus.NEW: "cyan",
    LeadStatus.WORKING: "blue",
    LeadStatus.NURTURE: "yellow",
    LeadStatus.DISQUALIFIED: "red",
}
TIMELINE_ICONS = {
    "stage": "ti-chart-funnel",
    "status": "ti-flag",
    "audit": "ti-edit",
    "campaign": "ti-speakerphone",
}


@register.filter
def stage_color(stage: str) -> str:
    return STAGE_COLORS.get(stage, "secondary")


@register.filter
def status_color(status: str) -> str:
    return STATUS_COLORS.get(status, "secondary")


@register.filter
def timeline_icon(kind: str) -> str:
    return TIMELINE_ICONS.get(kind, "ti-point")


@register.filter
def phone(value: str) -> str:
    """A stored E.164 number in the national (Japan) or international format."""
    if not value:
        return ""
    try:
        return format_phone(value)
    except phonenumbers.NumberParseException:  # a malformed legacy value, shown as stored
        return value


@register.filter
def initials(user: object) -> str:
    """One or two letters for an avatar: the family name's first character in Japanese
    order, or the username's."""
    last = (getattr(user, "last_name", "") or "").strip()
    first = (getattr(user, "first_name", "") or "").strip()
    if last and last[0].isascii():
        return (last[0] + (first[:1] if first else "")).upper()
    if last:
        return last[0]
    return (getattr(user, "username", "") or "?")[:2].upper()


@register.filter
def percent_of(value: int, total: int) -> float:
    """`value` as a percentage of `total`, 0 when total is 0."""
    if not total:
        return 0.0
    return round(100.0 * value / total, 1)


@register.simple_tag
def widget(bound_field: forms.BoundField, css: str = "", **attrs: Any) -> str:
    """A form field's input with Tabler's classes: form-select, form-check-input or
    form-control, plus is-invalid when the field has errors."""
    control = bound_field.field.widget
    if isinstance(control, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        base = "form-check-input"
    elif isinstance(control, forms.Select):
        base = "form-select"
    else:
        base = "form-control"
    classes = [base, css]
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        classes.append("is-invalid")
        described.append(f"{bound_field.auto_id}_errors")
    if described:
        attrs.setdefault("aria-describedby", " ".join(described))
    attrs = {key.replace("_", "-"): value for key, value in attrs.items()}
    attrs["class"] = " ".join(c for c in classes if c)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def external_url(value: str) -> str:
    """A website as a link target: http(s) only; anything else gets https:// in front,
    so a stored `javascript:` value can never run."""
    text = (value or "").strip()
    lowered = text.lower()
    if lowered.startswith(("http://", "https://")):
        return text
    return "https://" + text.lstrip("/")
