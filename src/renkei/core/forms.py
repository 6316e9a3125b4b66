"""Forms for a user's own settings: profile, language, API tokens, password reset."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from renkei.core.choices import Weekday
from renkei.core.models import ClosedDay, Organisation, User


class ProfileForm(forms.ModelForm):
    """The details a user may change about themselves (not their role or team)."""

    class Meta:
        model = User
        fields = ["last_name", "first_name", "email", "language"]
        labels = {
            "last_name": _("Family name"),
            "first_name": _("Given name"),
            "email": _("Email"),
            "language": _("Language"),
        }
        help_texts = {"language": _("Empty: the organisation's default language.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("Organisation default")),
            *[(code, name) for code, name in settings.LANGUAGES],
        ]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, such as “CRM sync” or “Reporting script”."),
    )


class LocalizedPasswordResetForm(PasswordResetForm):
    """Sends the reset email in the recipient's own language when they chose one."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context.get("user")
        language = getattr(user, "language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class OrganisationForm(forms.ModelForm):
    """The organisation's settings; saved through core.services.update_organisation."""

    time_zone = forms.ChoiceField(label=_("Time zone"))
    fiscal_year_start_month = forms.TypedChoiceField(
        label=_("Fiscal year starts in"), coerce=int, choices=[]
    )
    workdays = forms.TypedMultipleChoiceField(
        label=_("Working weekdays"),
        coerce=int,
        choices=Weekday.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Organisation
        fields = [
            "name", "time_zone", "default_language", "fiscal_year_start_month",
            "business_day_start", "business_day_end", "workdays", "observe_public_holidays",
            "close_year_end",
        ]  # fmt: skip
        widgets = {
            "business_day_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "business_day_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z) for z in sorted(available_timezones())]
        self.fields["fiscal_year_start_month"].choices = [(m, MONTHS[m]) for m in range(1, 13)]


class ClosedDayForm(forms.ModelForm):
    class Meta:
        model = ClosedDay
        fields = ["date", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"name": _("For example 創立記念日 or 夏季休暇.")}
