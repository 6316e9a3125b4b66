"""Forms for a user's own settings: profile, language, API tokens, password reset."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from renkei.core.models import User


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
