"""Forms of the rule-set pages: a draft's settings, a fit rule, an engagement rule. They
collect input; renkei.scoring.rules validates it (the same checks as the API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.marketing.choices import BuyerStage, CampaignType, TouchType
from renkei.marketing.models import Persona
from renkei.scoring.choices import FitField
from renkei.scoring.rules import CHOICE_FIELDS, MAX_POINTS


class RuleSetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    half_life_days = forms.FloatField(
        label=_("Engagement half-life (days)"),
        help_text=_("A touch's points halve every this many days (e.g. 30)."),
    )
    fit_cap = forms.IntegerField(
        label=_("Maximum fit score"), required=False, help_text=_("Leave empty for no limit.")
    )
    engagement_cap = forms.IntegerField(
        label=_("Maximum engagement score"),
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _choice_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for field, choices in CHOICE_FIELDS.items():
        label = FitField(field).label
        groups.append((str(label), [(f"{field}:{v}", str(lbl)) for v, lbl in choices.choices]))
    personas = [(f"persona:{pk}", name) for pk, name in Persona.objects.values_list("pk", "name")]
    if personas:
        groups.append((str(FitField.PERSONA.label), personas))
    return groups


class FitRuleForm(forms.Form):
    field = forms.ChoiceField(label=_("When"), choices=FitField.choices)
    options = forms.MultipleChoiceField(
        label=_("Is one of"),
        required=False,
        help_text=_(
            "For industry, size, region, prefecture, consent and persona: choose the values "
            "of the field chosen above (Ctrl or ⌘ to choose several)."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    words = forms.CharField(
        label=_("Keywords or domains"),
        required=False,
        help_text=_(
            "For department and title: keywords; for competitor domains: domains such as "
            "rival.co.jp. One a line or separated by commas."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    points = forms.IntegerField(
        label=_("Points"),
        min_value=-MAX_POINTS,
        max_value=MAX_POINTS,
        help_text=_("Negative points lower the score (e.g. −30 for free-mail addresses)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["options"].choices = _choice_groups()

    def rule_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        field = data["field"]
        if field in CHOICE_FIELDS or field == FitField.PERSONA:
            values: Any = [
                o.split(":", 1)[1] for o in data.get("options") or [] if o.startswith(f"{field}:")
            ]
        else:
            values = data.get("words") or ""
        return {"kind": "fit", "field": field, "values": values, "points": data["points"]}


class EngagementRuleForm(forms.Form):
    field = forms.ChoiceField(label=_("Each touch of type"), choices=TouchType.choices)
    names = forms.CharField(
        label=_("Event names (custom events only)"),
        required=False,
        help_text=_("Leave empty to count every custom event."),
    )
    buyer_stage = forms.ChoiceField(
        label=_("Only for content of the buyer stage"),
        required=False,
        choices=[("", _("Any content or none")), *BuyerStage.choices],
    )
    campaign_type = forms.ChoiceField(
        label=_("Only in campaigns of the type"),
        required=False,
        choices=[("", _("Any campaign or none")), *CampaignType.choices],
    )
    points = forms.IntegerField(
        label=_("Points per touch"), min_value=-MAX_POINTS, max_value=MAX_POINTS
    )
    cap = forms.IntegerField(
        label=_("At most (points)"),
        required=False,
        min_value=1,
        help_text=_("The most this rule can give one contact; leave empty for no limit."),
    )

    def rule_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": "engagement",
            "field": data["field"],
            "values": data.get("names") or "",
            "buyer_stage": data.get("buyer_stage") or "",
            "campaign_type": data.get("campaign_type") or "",
            "points": data["points"],
            "cap": data.get("cap"),
        }
