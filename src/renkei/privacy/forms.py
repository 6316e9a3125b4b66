"""Django forms of the privacy pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.core.choices import Role
from renkei.core.models import User
from renkei.privacy.models import DataSubjectRequest, PrivacyNotice


class RequestForm(forms.ModelForm):
    """Intake and later updates of a privacy request."""

    class Meta:
        model = DataSubjectRequest
        fields = [
            "kind", "regime", "requester_name", "requester_email", "requester_phone",
            "requester_contact", "received_at", "due_on", "identity_status",
            "identity_method", "status", "handler", "outcome", "notes",
        ]  # fmt: skip
        widgets = {
            "received_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "requester_contact": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "due_on": _("Leave empty on a new request: set from the deadline rule."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_on"].required = self.instance.pk is not None
        self.fields["handler"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.ADMIN, Role.MANAGER]
        )
        if self.instance.pk is None:
            for name in ("status", "outcome"):
                del self.fields[name]


class ContactSearchForm(forms.Form):
    email = forms.CharField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    kana = forms.CharField(label=_("Name (kana)"), required=False, max_length=200)


class NoticeForm(forms.ModelForm):
    class Meta:
        model = PrivacyNotice
        fields = ["title_ja", "title_en", "text_ja", "text_en"]
        widgets = {
            "text_ja": forms.Textarea(attrs={"rows": 10}),
            "text_en": forms.Textarea(attrs={"rows": 10}),
        }
