"""Forms for the contacts and accounts pages: list filters, and the fields a person may
edit. Writes go through renkei.contacts.services (and renkei.funnel.services for new
contacts); these forms only validate input and turn it into service arguments."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from renkei.contacts.choices import (
    ConsentStatus,
    EmployeeBand,
    Industry,
    LeadStatus,
    LifecycleStage,
    Prefecture,
    SourceChannel,
)
from renkei.contacts.dedup.choices import DuplicateKind, DuplicateStatus, MergeSide
from renkei.contacts.dedup.engine import Kind, Record
from renkei.contacts.models import Account, Contact, validate_corporate_number
from renkei.contacts.normalize import clean_corporate_number, format_phone
from renkei.contacts.querysets import AccountQuerySet, ContactQuerySet
from renkei.core.models import Team, User

ACCOUNT_OPTIONS_LIMIT = 20


def _with_blank(label: str, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


def active_users() -> Any:
    return User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields where the form has
    them, above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- Contacts list ---------------------------------------------------------------------
CONTACT_SORT_CHOICES = [
    ("updated", _("Recently updated")),
    ("created", _("Recently created")),
    ("kana", _("Name (kana)")),
    ("stage", _("Stage")),
]


class ContactFilterForm(forms.Form):
    """The search and filters of the contacts list (all optional, all in the URL)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=forms.SearchInput)
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=_with_blank(_("All stages"), LifecycleStage.choices),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_with_blank(_("All statuses"), LeadStatus.choices),
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=_with_blank(_("All sources"), SourceChannel.choices),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        required=False,
        queryset=Team.objects.order_by("name"),
        empty_label=_("All teams"),
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=CONTACT_SORT_CHOICES)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["owner"].choices = [
            ("", _("Everyone")),
            ("me", _("Me")),
            ("none", _("Unassigned")),
            *((str(u.pk), u.display_name) for u in active_users()),
        ]

    def apply(self, contacts: ContactQuerySet) -> ContactQuerySet:
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        if data.get("q"):
            contacts = contacts.search(data["q"])
        if data.get("stage"):
            contacts = contacts.in_stage(data["stage"])
        if data.get("status"):
            contacts = contacts.with_status(data["status"])
        if data.get("source"):
            contacts = contacts.from_source(data["source"])
        if data.get("team"):
            contacts = contacts.for_team(data["team"])
        owner = data.get("owner")
        if owner == "me":
            contacts = contacts.owned_by(self.user)
        elif owner == "none":
            contacts = contacts.unassigned()
        elif owner:
            contacts = contacts.filter(owner_id=int(owner))
        return contacts.sorted_by(data.get("sort") or "updated")

    @property
    def has_filters(self) -> bool:
        if not self.is_bound:
            return False
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return any(data.get(k) for k in ("q", "stage", "status", "owner", "source", "team"))


# --- Accounts list ---------------------------------------------------------------------
ACCOUNT_SORT_CHOICES = [
    ("kana", _("Name (kana)")),
    ("name", _("Name")),
    ("updated", _("Recently updated")),
]


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=forms.SearchInput)
    industry = forms.ChoiceField(
        label=_("Industry"),
        required=False,
        choices=_with_blank(_("All industries"), Industry.choices),
    )
    prefecture = forms.ChoiceField(
        label=_("Prefecture"),
        required=False,
        choices=_with_blank(_("All prefectures"), Prefecture.choices),
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=ACCOUNT_SORT_CHOICES)

    def apply(self, accounts: AccountQuerySet) -> AccountQuerySet:
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        if data.get("q"):
            accounts = accounts.search(data["q"])
        if data.get("industry"):
            accounts = accounts.in_industry(data["industry"])
        if data.get("prefecture"):
            accounts = accounts.in_prefecture(data["prefecture"])
        return accounts.sorted_by(data.get("sort") or "kana")

    @property
    def has_filters(self) -> bool:
        if not self.is_bound:
            return False
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return any(data.get(k) for k in ("q", "industry", "prefecture"))


# --- Contact details -------------------------------------------------------------------
def account_label(account: Account) -> str:
    details = [d for d in (account.get_prefecture_display(), account.domain) if d]
    return f"{account.name} ({' · '.join(details)})" if details else account.name


def account_options(query: str, selected: Account | None) -> list[tuple[str, str]]:
    """The options of the account chooser: none, the current choice, and up to
    ACCOUNT_OPTIONS_LIMIT accounts matching `query`."""
    options: list[tuple[str, str]] = [("", str(_("No account")))]
    seen: set[int] = set()
    if selected is not None:
        options.append((str(selected.pk), account_label(selected)))
        seen.add(selected.pk)
    if query.strip():
        for account in Account.objects.search(query).order_by("normalized_name", "id")[
            :ACCOUNT_OPTIONS_LIMIT
        ]:
            if account.pk not in seen:
                options.append((str(account.pk), account_label(account)))
    return options


class AccountChoiceField(forms.ModelChoiceField):
    """Validates against every account but renders only the options it is given, so a
    form stays small however many accounts there are."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Account.objects.all(), **kwargs)

    def set_options(self, options: list[tuple[str, str]]) -> None:
        self.widget.choices = options


class ContactForm(forms.Form):
    """A contact's details (not its stage or status: the funnel moves those)."""

    family_name = forms.CharField(label=_("Family name"), max_length=100)
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name_kana = forms.CharField(
        label=_("Family name (kana)"), max_length=100, required=False
    )
    given_name_kana = forms.CharField(label=_("Given name (kana)"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("For example 03-1234-5678 or +81 3 1234 5678."),
    )
    department = forms.CharField(label=_("Department"), max_length=200, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    account = AccountChoiceField(label=_("Account"), required=False)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=active_users(), required=False, empty_label=_("Unassigned")
    )
    source_channel = forms.ChoiceField(
        label=_("Source"), choices=SourceChannel.choices, initial=SourceChannel.OTHER
    )
    source_campaign = forms.CharField(label=_("Source campaign"), max_length=200, required=False)
    consent_status = forms.ChoiceField(
        label=_("Email consent"), choices=ConsentStatus.choices, initial=ConsentStatus.UNKNOWN
    )

    SERVICE_FIELDS = (
        "family_name", "given_name", "family_name_kana", "given_name_kana", "email", "phone",
        "department", "title", "account", "owner", "source_channel", "source_campaign",
        "consent_status",
    )  # fmt: skip

    def __init__(self, *args: Any, account_query: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account_query = account_query
        self.fields["account"].set_options(account_options(account_query, self._selected_account()))

    def _selected_account(self) -> Account | None:
        raw = self.data.get("account") if self.is_bound else self.initial.get("account")
        if isinstance(raw, Account):
            return raw
        if not raw or not str(raw).isdigit():
            return None
        return Account.objects.filter(pk=int(raw)).first()

    @classmethod
    def initial_for(cls, contact: Contact) -> dict[str, Any]:
        initial = {name: getattr(contact, name) for name in cls.SERVICE_FIELDS}
        try:
            initial["phone"] = format_phone(contact.phone)
        except phonenumbers.NumberParseException:
            initial["phone"] = contact.phone
        return initial

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}


class NewContactForm(ContactForm):
    """A contact's details plus the stage it enters the funnel in."""

    stage = forms.ChoiceField(
        label=_("Enters the funnel as"),
        choices=[
            (s, LifecycleStage(s).label)
            for s in (LifecycleStage.SUBSCRIBER, LifecycleStage.LEAD, LifecycleStage.MQL)
        ],
        initial=LifecycleStage.LEAD,
    )


# --- Account details -------------------------------------------------------------------
class AccountForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    name_kana = forms.CharField(label=_("Company name (kana)"), max_length=200, required=False)
    corporate_number = forms.CharField(
        label=_("Corporate number (法人番号)"),
        max_length=20,
        required=False,
        help_text=_("13 digits, as published by the National Tax Agency."),
    )
    website = forms.CharField(label=_("Website"), max_length=300, required=False)
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=_with_blank("—", Industry.choices)
    )
    employee_band = forms.ChoiceField(
        label=_("Employees"), required=False, choices=_with_blank("—", EmployeeBand.choices)
    )
    prefecture = forms.ChoiceField(
        label=_("Prefecture"), required=False, choices=_with_blank("—", Prefecture.choices)
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=active_users(), required=False, empty_label=_("Unassigned")
    )

    SERVICE_FIELDS = (
        "name", "name_kana", "corporate_number", "website", "industry", "employee_band",
        "prefecture", "owner",
    )  # fmt: skip

    @classmethod
    def initial_for(cls, account: Account) -> dict[str, Any]:
        return {name: getattr(account, name) for name in cls.SERVICE_FIELDS}

    def clean_corporate_number(self) -> str:
        value = clean_corporate_number(self.cleaned_data["corporate_number"])
        if not value:
            return ""
        validate_corporate_number(value)
        # A number another account has is refused by the service, on this field.
        return value

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}


# --- Duplicates ------------------------------------------------------------------------
class DuplicateFilterForm(forms.Form):
    """The filters of the duplicates queue; no status means the open pairs."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=_with_blank(_("Contacts and accounts"), DuplicateKind.choices),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=DuplicateStatus.choices)

    def apply(self, candidates: Any) -> Any:
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        candidates = candidates.filter(status=data.get("status") or DuplicateStatus.OPEN)
        if data.get("kind"):
            candidates = candidates.filter(kind=data["kind"])
        return candidates

    @property
    def has_filters(self) -> bool:
        if not self.is_bound:
            return False
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("kind")) or data.get("status") not in ("", None, DuplicateStatus.OPEN)


class DuplicateMergeForm(forms.Form):
    """Which record of a pair survives and, for each field both fill in differently, whose
    value it keeps ("a" or "b"). `conflicts` are the names of those fields."""

    SIDES = ("a", "b")

    survivor = forms.ChoiceField(
        label=_("Keep this record"), widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )

    def __init__(
        self,
        *args: Any,
        a_id: int,
        b_id: int,
        conflicts: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.ids = {"a": a_id, "b": b_id}
        self.fields["survivor"].choices = [("a", _("Record A")), ("b", _("Record B"))]
        self.fields["survivor"].initial = "a"
        self.conflicts = [name for name, _label in conflicts]
        for name, label in conflicts:
            self.fields[f"keep_{name}"] = forms.ChoiceField(
                label=label,
                choices=[("a", _("Record A")), ("b", _("Record B"))],
                initial="a",
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def survivor_id(self) -> int:
        return self.ids[self.cleaned_data["survivor"]]

    def field_choices(self) -> dict[str, str]:
        """The reviewer's choices as merge_* expects them: "survivor" or "duplicate"."""
        survivor = self.cleaned_data["survivor"]
        return {
            name: (
                MergeSide.SURVIVOR
                if self.cleaned_data[f"keep_{name}"] == survivor
                else MergeSide.DUPLICATE
            )
            for name in self.conflicts
        }


class DedupTestForm(forms.Form):
    """Two records side by side for the steward's rule tester (nothing is saved)."""

    RECORD_FIELDS = (
        ("company", _("Company"), 200),
        ("name", _("Name"), 200),
        ("kana", _("Kana"), 200),
        ("email", _("Email"), 254),
        ("phone", _("Phone"), 40),
        ("corporate_number", _("Corporate number (法人番号)"), 40),
        ("website", _("Website"), 300),
    )

    kind = forms.ChoiceField(
        label=_("Compare as"),
        choices=Kind.choices,
        initial=Kind.COMPANY,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for side in ("a", "b"):
            for name, label, length in self.RECORD_FIELDS:
                self.fields[f"{side}_{name}"] = forms.CharField(
                    label=label, max_length=length, required=False
                )

    def side(self, side: str) -> list[forms.BoundField]:
        return [self[f"{side}_{name}"] for name, _label, _length in self.RECORD_FIELDS]

    @property
    def side_a(self) -> list[forms.BoundField]:
        return self.side("a")

    @property
    def side_b(self) -> list[forms.BoundField]:
        return self.side("b")

    def record(self, side: str) -> Record:
        return Record(
            **{
                name: self.cleaned_data[f"{side}_{name}"].strip()
                for name, _label, _length in self.RECORD_FIELDS
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for side in ("a", "b"):
            values = [data.get(f"{side}_{field[0]}") or "" for field in self.RECORD_FIELDS]
            if not any(value.strip() for value in values):
                raise ValidationError(_("Fill in at least one field of each record."))
        return data
