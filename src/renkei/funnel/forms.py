"""Forms that move a contact through the funnel. They offer only the moves the transition
table allows from the contact's stage for the user's role; renkei.funnel.services checks
everything again when the move is made."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renkei.contacts.choices import LeadStatus, LifecycleStage, SourceChannel
from renkei.contacts.models import Contact
from renkei.core.models import User
from renkei.core.permissions import SALES_AND_MARKETING
from renkei.funnel.choices import AgreementSide, Exclusion, MoveKind, RequiredField
from renkei.funnel.transitions import (
    STATUSES_NEEDING_REASON,
    Transition,
    targets_from,
    transition,
)


def allowed_moves(contact: Contact, user: User) -> list[Transition]:
    """The stage moves `user` may make for `contact` now, forward moves first, in funnel
    order. A disqualified contact must be reopened before it moves forward."""
    moves = [
        t
        for t in targets_from(contact.lifecycle_stage)
        if user.has_role(*t.roles)
        and not (t.kind == MoveKind.FORWARD and contact.lead_status == LeadStatus.DISQUALIFIED)
    ]
    return sorted(moves, key=lambda t: (t.kind != MoveKind.FORWARD, LifecycleStage.rank(t.target)))


def move_label(move: Transition) -> str:
    label = LifecycleStage(move.target).label
    if move.kind == MoveKind.RECYCLE:
        return str(_("Back to %(stage)s") % {"stage": label})
    return str(label)


class StageChangeForm(forms.Form):
    """Offers the moves `allowed_moves` lists. Any stage is accepted as input, so that an
    outdated or forbidden move reaches the service and comes back as its FunnelError
    (stale page, invalid transition, role) rather than as a generic choice error."""

    to_stage = forms.ChoiceField(label=_("Move to"), choices=LifecycleStage.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when moving a contact back."),
    )
    expected_stage = forms.ChoiceField(choices=LifecycleStage.choices, widget=forms.HiddenInput)

    def __init__(self, *args: Any, contact: Contact, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["expected_stage"] = contact.lifecycle_stage
        kwargs.setdefault("prefix", "stage")
        super().__init__(*args, **kwargs)
        self.contact = contact
        self.moves = allowed_moves(contact, user)

    def move_options(self) -> list[dict[str, Any]]:
        """The radio buttons to show: one per allowed move."""
        chosen = self["to_stage"].value()
        return [
            {
                "value": m.target,
                "label": move_label(m),
                "recycle": m.kind == MoveKind.RECYCLE,
                "checked": chosen == m.target,
                "id": f"{self.add_prefix('to_stage')}_{m.target}",
            }
            for m in self.moves
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        target = data.get("to_stage")
        source = data.get("expected_stage") or self.contact.lifecycle_stage
        move = transition(source, target) if target else None
        if move is not None and move.needs_reason and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Moving a contact back needs a reason."))
        return data


class StatusChangeForm(forms.Form):
    """Offers the statuses other than the current one; like StageChangeForm it accepts
    any status and leaves the final checks to the service."""

    to_status = forms.ChoiceField(label=_("New status"), choices=LeadStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, contact: Contact, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "status")
        super().__init__(*args, **kwargs)
        self.contact = contact
        self.allowed = user.has_role(*SALES_AND_MARKETING)
        self.fields["to_status"].widget.choices = [
            (value, label) for value, label in LeadStatus.choices if value != contact.lead_status
        ]
        self.fields["reason"].help_text = (
            _("Required when reopening a disqualified contact.")
            if contact.lead_status == LeadStatus.DISQUALIFIED
            else _("Required for back to nurture and disqualified.")
        )

    def needs_reason(self, status: str) -> bool:
        return (
            status in STATUSES_NEEDING_REASON or self.contact.lead_status == LeadStatus.DISQUALIFIED
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        status = data.get("to_status")
        if status and self.needs_reason(status) and not (data.get("reason") or "").strip():
            self.add_error("reason", _("This change needs a reason."))
        return data


class AgreementForm(forms.Form):
    """The terms of a draft lead agreement."""

    title = forms.CharField(label=pgettext_lazy("agreement", "Title"), max_length=200)
    mql_min_score = forms.IntegerField(
        label=_("Minimum score"),
        required=False,
        min_value=0,
        max_value=1000,
        help_text=_("The lead's total score must reach this. Leave blank for no score condition."),
    )
    mql_required = forms.MultipleChoiceField(
        label=_("Required"),
        choices=RequiredField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mql_exclusions = forms.MultipleChoiceField(
        label=_("Never an MQL"),
        choices=Exclusion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    competitor_domains = forms.CharField(
        label=_("Competitor email domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. rival.co.jp."),
    )
    mql_sources = forms.MultipleChoiceField(
        label=_("Qualifying sources"),
        choices=SourceChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only leads from these sources qualify. None ticked: every source."),
    )
    inside_first_touch_hours = forms.IntegerField(
        label=_("Inside sales' first touch within (business hours)"), min_value=1, max_value=200
    )
    field_decision_days = forms.IntegerField(
        label=_("Field sales' accept or reject within (business days)"), min_value=1, max_value=60
    )
    mql_target_per_month = forms.IntegerField(
        label=_("MQLs marketing delivers per month"), min_value=0, max_value=1_000_000
    )
    accepted_appointments_target_per_month = forms.IntegerField(
        label=_("Accepted appointments per month"), min_value=0, max_value=1_000_000
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_from(cls, agreement: Any) -> dict[str, Any]:
        names = [n for n in cls.base_fields if n != "competitor_domains"]
        initial = {n: getattr(agreement, n) for n in names}
        initial["competitor_domains"] = "\n".join(agreement.competitor_domains)
        return initial

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["competitor_domains"] = [
            line.strip() for line in data["competitor_domains"].splitlines() if line.strip()
        ]
        return data


class ApprovalForm(forms.Form):
    side = forms.ChoiceField(label=_("Approve for"), choices=AgreementSide.choices)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
