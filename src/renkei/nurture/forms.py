"""Forms of the email pages. Validation beyond field types lives in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.contacts.choices import LifecycleStage
from renkei.core.models import User
from renkei.nurture.choices import EXCEPTION_BASES, BranchCondition, StepKind, SuppressionReason
from renkei.nurture.models import EmailTemplate, SenderIdentity


class SenderIdentityForm(forms.ModelForm):
    class Meta:
        model = SenderIdentity
        fields = [
            "sender_name", "sender_name_en", "from_email", "reply_to", "postal_address",
            "postal_address_en", "contact_point", "unsubscribe_email",
        ]  # fmt: skip
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "postal_address_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("sender_name", "from_email", "postal_address", "contact_point"):
            self.fields[name].required = True


class TemplateForm(forms.ModelForm):
    class Meta:
        model = EmailTemplate
        fields = ["name", "subject_ja", "html_ja", "text_ja", "subject_en", "html_en", "text_en"]
        widgets = {
            "html_ja": forms.Textarea(attrs={"rows": 12, "class": "font-monospace"}),
            "text_ja": forms.Textarea(attrs={"rows": 8}),
            "html_en": forms.Textarea(attrs={"rows": 12, "class": "font-monospace"}),
            "text_en": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "text_ja": _("Leave empty to make it from the HTML body."),
            "text_en": _("Leave empty to make it from the HTML body."),
        }


class PreviewForm(forms.Form):
    contact = forms.CharField(
        label=_("Preview with contact"),
        required=False,
        max_length=200,
        help_text=_("A name, email address or contact number; empty shows the fallbacks."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("ja", _("Japanese")), ("en", _("English"))]
    )


class SendForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=EmailTemplate.objects.order_by("name")
    )
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Now")), ("later", _("Later"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    scheduled_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("when") == "later":
            at = data.get("scheduled_at")
            if at is None:
                self.add_error("scheduled_at", _("Choose when to send."))
            elif at <= timezone.now():
                self.add_error("scheduled_at", _("Choose a time in the future."))
        else:
            data["scheduled_at"] = None
        return data


class SuppressionForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    reason = forms.ChoiceField(
        label=_("Reason"), choices=SuppressionReason.choices, initial=SuppressionReason.MANUAL
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class LawfulExceptionForm(forms.Form):
    contact = forms.CharField(
        label=_("Contact"),
        max_length=200,
        help_text=_("Email address or contact number."),
    )
    basis = forms.ChoiceField(label=_("Basis"), choices=EXCEPTION_BASES)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=500,
        help_text=_("Where it is documented, e.g. the exhibition and date of the card exchange."),
    )


class SequenceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    exit_stage = forms.ChoiceField(
        label=_("Exit at stage"),
        choices=LifecycleStage.choices,
        initial=LifecycleStage.MQL,
        help_text=_("Contacts leave the sequence when they reach this stage or a later one."),
    )


class StepRowForm(forms.Form):
    """One step of a sequence; a row without a kind is left out."""

    kind = forms.ChoiceField(
        label=_("Step"), choices=[("", "—"), *StepKind.choices], required=False
    )
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=EmailTemplate.objects.order_by("name"), required=False
    )
    days = forms.IntegerField(label=_("Business days"), min_value=1, max_value=90, required=False)
    condition = forms.ChoiceField(
        label=_("Condition"), choices=[("", "—"), *BranchCondition.choices], required=False
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", "—"), *LifecycleStage.choices], required=False
    )
    otherwise = forms.IntegerField(
        label=_("Otherwise go to step"),
        min_value=0,
        required=False,
        help_text=_("Empty or 0: leave the sequence."),
    )
    user = forms.ModelChoiceField(
        label=_("Notify"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        empty_label=_("The contact's owner"),
    )
    note = forms.CharField(label=_("Message"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == StepKind.SEND and not data.get("template"):
            self.add_error("template", _("Choose a template."))
        if kind == StepKind.WAIT and not data.get("days"):
            self.add_error("days", _("How many business days?"))
        if kind == StepKind.BRANCH and not data.get("condition"):
            self.add_error("condition", _("Choose a condition."))
        return data

    def step(self) -> dict[str, Any] | None:
        data = getattr(self, "cleaned_data", None) or {}
        kind = data.get("kind")
        if not kind or data.get("DELETE"):
            return None
        if kind == StepKind.SEND:
            return {"kind": kind, "template": data["template"].pk}
        if kind == StepKind.WAIT:
            return {"kind": kind, "days": data["days"]}
        if kind == StepKind.BRANCH:
            return {
                "kind": kind,
                "condition": data["condition"],
                "stage": data.get("stage") or None,
                "otherwise": data.get("otherwise") or 0,
            }
        user = data.get("user")
        return {"kind": kind, "user": user.pk if user else None, "note": data.get("note", "")}


def step_initial(step: dict[str, Any]) -> dict[str, Any]:
    """A stored step as the initial values of its row."""
    return {
        "kind": step.get("kind"),
        "template": step.get("template"),
        "days": step.get("days"),
        "condition": step.get("condition"),
        "stage": step.get("stage") or "",
        "otherwise": step.get("otherwise") or None,
        "user": step.get("user"),
        "note": step.get("note", ""),
    }


class BaseStepFormSet(forms.BaseFormSet):
    def steps(self) -> list[dict[str, Any]]:
        return [s for s in (form.step() for form in self.forms) if s is not None]


StepFormSet = forms.formset_factory(
    StepRowForm, formset=BaseStepFormSet, extra=2, can_delete=True, max_num=30
)
