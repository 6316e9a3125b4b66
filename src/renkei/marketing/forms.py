"""Django forms of the form builder and the tracking settings page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from renkei.contacts.choices import (
    ConsentStatus,
    EmployeeBand,
    Industry,
    LeadStatus,
    LifecycleStage,
    Prefecture,
    Region,
    SourceChannel,
)
from renkei.core.models import User
from renkei.marketing.choices import FieldMapping, FieldType, MemberStatus, TouchType
from renkei.marketing.models import (
    Campaign,
    ContentAsset,
    Form,
    Persona,
    TrackingSettings,
    split_origins,
    validate_utm_code,
)
from renkei.marketing.schemas import definition_errors


def _clean_origins(text: str) -> str:
    origins = split_origins(text)
    check = URLValidator(schemes=["http", "https"])
    for origin in origins:
        try:
            check(origin)
        except ValidationError:
            raise ValidationError(
                _("%(origin)s is not an origin such as https://www.example.co.jp."),
                params={"origin": origin},
            ) from None
        if origin.count("/") > 2:
            raise ValidationError(
                _("%(origin)s has a path; give only the scheme and host."),
                params={"origin": origin},
            )
    return "\n".join(origins)


class FormSettingsForm(forms.ModelForm):
    consent_ja = forms.CharField(
        label=_("Consent text (Japanese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown next to an unticked checkbox. Leave empty to ask for no consent. Changing "
            "the wording makes a new version; earlier consent records keep theirs."
        ),
    )
    consent_en = forms.CharField(
        label=_("Consent text (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Form
        fields = [
            "name", "slug", "campaign", "allowed_origins", "thank_you_ja", "thank_you_en",
            "redirect_url", "is_active",
        ]  # fmt: skip
        widgets = {
            "campaign": forms.TextInput(attrs={"list": "campaign-codes"}),
            "allowed_origins": forms.Textarea(attrs={"rows": 3}),
            "thank_you_ja": forms.Textarea(attrs={"rows": 2}),
            "thank_you_en": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "slug": _("Letters, digits and hyphens; part of the form's public address."),
            "campaign": _(
                "A campaign's UTM code: submissions without their own utm_campaign count "
                "for that campaign."
            ),
            "allowed_origins": _(
                "Websites that may embed and send this form, one a line, e.g. "
                "https://www.example.co.jp"
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        instance = self.instance
        if instance.pk and instance.consent_text and not self.is_bound:
            self.initial["consent_ja"] = instance.consent_text.text_ja
            self.initial["consent_en"] = instance.consent_text.text_en

    def clean_allowed_origins(self) -> str:
        return _clean_origins(self.cleaned_data["allowed_origins"])


class FieldRowForm(forms.Form):
    """One field of the form being built; a row with neither key nor label is left out."""

    key = forms.SlugField(label=_("Key"), max_length=40, required=False)
    mapping = forms.ChoiceField(label=_("Saved to"), choices=FieldMapping.choices)
    label_ja = forms.CharField(label=_("Label (Japanese)"), max_length=200, required=False)
    label_en = forms.CharField(label=_("Label (English)"), max_length=200, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=FieldType.choices)
    required = forms.BooleanField(label=_("Required"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("key") and not data.get("label_ja"):
            self.add_error("label_ja", _("Give the field a label."))
        if data.get("label_ja") and not data.get("key"):
            self.add_error("key", _("Give the field a key, such as company or budget."))
        return data


class BaseFieldFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        problems = definition_errors(self.field_definitions())
        if problems:
            raise ValidationError(problems)

    def field_definitions(self) -> list[dict[str, Any]]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("key"):
                continue
            rows.append({k: v for k, v in data.items() if k != "DELETE"})
        return rows


FieldFormSet = forms.formset_factory(
    FieldRowForm, formset=BaseFieldFormSet, extra=2, can_delete=True, max_num=40
)


class TrackingSettingsForm(forms.ModelForm):
    class Meta:
        model = TrackingSettings
        fields = ["consent_required", "honour_do_not_track", "allowed_origins"]
        widgets = {"allowed_origins": forms.Textarea(attrs={"rows": 4})}

    def clean_allowed_origins(self) -> str:
        return _clean_origins(self.cleaned_data["allowed_origins"])


# --- personas -------------------------------------------------------------------------
def _checkboxes(choices: Any, label: Any, help_text: Any = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


class PersonaForm(forms.Form):
    """A persona's description and fit criteria (empty criteria are not used)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    pains = forms.CharField(
        label=_("Pains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What troubles them and what they want to change."),
    )
    industries = _checkboxes(Industry.choices, _("Industries"))
    employee_bands = _checkboxes(EmployeeBand.choices, _("Company sizes (employees)"))
    department_keywords = forms.CharField(
        label=_("Department keywords"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line or separated by commas; a department containing any of them fits."),
    )
    title_keywords = forms.CharField(
        label=_("Title keywords"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line or separated by commas, such as 部長, 課長, manager."),
    )
    regions = _checkboxes(Region.choices, _("Regions"))
    prefectures = forms.MultipleChoiceField(
        label=_("Prefectures"),
        choices=Prefecture.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("A company in one of the regions or one of the prefectures fits."),
    )
    is_active = forms.BooleanField(
        label=_("Match contacts automatically"), required=False, initial=True
    )

    @classmethod
    def for_persona(cls, persona: Persona | None, data: Any = None) -> PersonaForm:
        if persona is None or data is not None:
            return cls(data)
        initial = {f: getattr(persona, f) for f in cls.base_fields}
        return cls(initial=initial)


# --- campaigns ------------------------------------------------------------------------
class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    """A campaign's settings; saved through renkei.marketing.campaigns."""

    class Meta:
        model = Campaign
        fields = [
            "name", "type", "channel", "buyer_stage", "target_personas", "start_date",
            "end_date", "budget", "actual_cost", "owner", "utm_campaign", "description",
        ]  # fmt: skip
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "target_personas": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            "budget": forms.NumberInput(attrs={"min": 0, "step": 1}),
            "actual_cost": forms.NumberInput(attrs={"min": 0, "step": 1}),
        }
        help_texts = {
            "utm_campaign": _(
                "The utm_campaign value of the campaign's links; left empty, it is made from "
                "the name. Touches with this value belong to the campaign."
            ),
            "budget": _("Japanese yen, without commas."),
            "actual_cost": _("Japanese yen spent so far; used for the cost per lead."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from renkei.core.models import User

        self.fields["utm_campaign"].required = False
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by(  # type: ignore[attr-defined]
            "last_name", "first_name", "id"
        )
        self.fields["owner"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]
        self.fields["target_personas"].queryset = Persona.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["budget"].min_value = 0
        self.fields["actual_cost"].min_value = 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("utm_campaign") and data.get("name"):
            from renkei.marketing.campaigns import suggest_utm_code

            data["utm_campaign"] = suggest_utm_code(data["name"])
        return data

    def service_values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        values["target_personas"] = list(values["target_personas"])
        for key in ("budget", "actual_cost"):
            values[key] = values[key] or 0
        return values


class AddMembersForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One a line, or separated by commas. Contacts already in the campaign keep "
            "their status."
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=MemberStatus.choices)


class MemberStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MemberStatus.choices)


class UtmLinkForm(forms.Form):
    """The UTM link builder: a landing page and the five utm_ parameters."""

    base_url = forms.URLField(
        label=_("Landing page URL"),
        max_length=1500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://www.example.co.jp/lp/"}),
    )
    utm_source = forms.CharField(
        label=_("Source (utm_source)"),
        max_length=200,
        validators=[validate_utm_code],
        help_text=_("Where the link is placed: google, newsletter, exhibition …"),
    )
    utm_medium = forms.CharField(
        label=_("Medium (utm_medium)"),
        max_length=200,
        validators=[validate_utm_code],
        help_text=_("The kind of channel: cpc, email, display, qr …"),
    )
    utm_campaign = forms.CharField(
        label=_("Campaign (utm_campaign)"),
        max_length=200,
        validators=[validate_utm_code],
        help_text=_("A campaign's UTM code links the visits to that campaign."),
        widget=forms.TextInput(attrs={"list": "campaign-codes"}),
    )
    utm_content = forms.CharField(
        label=_("Content (utm_content)"), max_length=200, required=False,
        validators=[validate_utm_code],
        help_text=_("Optional: which ad, banner or link."),
    )  # fmt: skip
    utm_term = forms.CharField(
        label=_("Term (utm_term)"), max_length=200, required=False,
        validators=[validate_utm_code],
        help_text=_("Optional: the paid search keyword."),
    )  # fmt: skip

    def clean_base_url(self) -> str:
        url = self.cleaned_data["base_url"]
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError(_("Enter an http or https address."))
        return url

    def link(self) -> str:
        from renkei.marketing.utm import build_utm_url

        data = self.cleaned_data
        return build_utm_url(
            data["base_url"],
            {
                k: data[k]
                for k in ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
            },
        )


# --- content --------------------------------------------------------------------------
class ContentForm(forms.ModelForm):
    """A content asset; saved through renkei.marketing.content."""

    class Meta:
        model = ContentAsset
        fields = ["title", "kind", "url", "buyer_stage", "personas", "campaign", "description"]
        widgets = {
            "personas": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "url": forms.URLInput(attrs={"placeholder": "https://www.example.co.jp/wp/dx.pdf"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["personas"].queryset = Persona.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["personas"].help_text = _("Leave all unticked for content for any persona.")
        self.fields["campaign"].queryset = Campaign.objects.order_by("name")  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        values["personas"] = list(values["personas"])
        return values


# --- segments -------------------------------------------------------------------------
def _select_many(choices: Any, label: Any, size: int = 5) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": size}),
    )


class SegmentFilterForm(forms.Form):
    """A segment's filters as form fields; `filters()` gives renkei.marketing.segments'
    SegmentFilters."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200,
                        help_text=_("Name, reading, email, company or phone."))  # fmt: skip
    stages = _select_many(LifecycleStage.choices, _("Lifecycle stage"), 7)
    statuses = _select_many(LeadStatus.choices, _("Lead status"), 4)
    sources = _select_many(SourceChannel.choices, _("Source"), 6)
    consent = _select_many(ConsentStatus.choices, _("Email consent"), 3)
    has_email = forms.TypedChoiceField(
        label=_("Email address"),
        required=False,
        choices=[("", _("With or without")), ("true", _("Has an email")), ("false", _("No email"))],
        coerce=lambda v: v == "true",
        empty_value=None,
    )
    owners = forms.ModelMultipleChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )  # fmt: skip
    created_within_days = forms.IntegerField(
        label=_("Created within (days)"), required=False, min_value=1, max_value=3650
    )
    industries = _select_many(Industry.choices, _("Industry"), 6)
    employee_bands = _select_many(EmployeeBand.choices, _("Company size (employees)"), 5)
    regions = _select_many(Region.choices, _("Region"), 5)
    prefectures = _select_many(Prefecture.choices, _("Prefecture"), 5)
    personas = forms.ModelMultipleChoiceField(
        label=_("Persona"), queryset=Persona.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )  # fmt: skip
    no_persona = forms.BooleanField(label=_("Or no persona"), required=False)
    touch_types = _select_many(TouchType.choices, _("Touch type"), 5)
    touch_content = forms.ModelMultipleChoiceField(
        label=_("Content touched"), queryset=ContentAsset.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )  # fmt: skip
    touched_within_days = forms.IntegerField(
        label=_("Touch within (days)"), required=False, min_value=1, max_value=3650
    )
    campaigns = forms.ModelMultipleChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )  # fmt: skip
    member_statuses = _select_many(MemberStatus.choices, _("Member status"), 6)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = User.objects.filter(is_active=True).order_by(  # type: ignore[attr-defined]
            "last_name", "first_name", "id"
        )
        self.fields["owners"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]
        self.fields["personas"].queryset = Persona.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["touch_content"].queryset = ContentAsset.objects.order_by("title")  # type: ignore[attr-defined]
        self.fields["campaigns"].queryset = Campaign.objects.order_by("-start_date", "name")  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, filters: dict[str, Any]) -> dict[str, Any]:
        initial = dict(filters)
        if "has_email" in initial:
            initial["has_email"] = "true" if initial["has_email"] else "false"
        return initial

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name not in SEGMENT_FILTER_FIELDS:
                continue
            if hasattr(value, "values_list"):
                value = list(value.values_list("pk", flat=True))
            if name == "has_email" and value is not None:
                values[name] = value
                continue
            if value in (None, "", [], False):
                continue
            values[name] = value
        return values


SEGMENT_FILTER_FIELDS = set(SegmentFilterForm.base_fields)


class SegmentForm(SegmentFilterForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["name", "description"]
