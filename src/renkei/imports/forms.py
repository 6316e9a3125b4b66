"""Forms of the web import: the upload, the mapping screen and a saved mapping's editor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from renkei.imports import saved_mappings
from renkei.imports.choices import MatchMode
from renkei.imports.mappings import BUILTINS, TARGET_ATTRIBUTE, TARGET_IGNORE, TARGETS
from renkei.imports.models import SavedMapping

ENCODING_CHOICES = [
    ("", _("Detect automatically")),
    ("utf-8", "UTF-8"),
    ("utf-8-sig", _("UTF-8 with BOM")),
    ("cp932", _("Shift_JIS (CP932)")),
]

TARGET_LABELS = {
    "family_name": _("Family name (姓)"),
    "given_name": _("Given name (名)"),
    "full_name": _("Full name (氏名, split at the first space)"),
    "family_name_kana": _("Family name, kana"),
    "given_name_kana": _("Given name, kana"),
    "full_name_kana": _("Full name, kana (split at the first space)"),
    "email": _("Email"),
    "phone": _("Phone"),
    "mobile": _("Mobile phone"),
    "department": _("Department"),
    "title": _("Title"),
    "source_channel": _("Source"),
    "source_campaign": _("Source campaign"),
    "consent_status": _("Email consent"),
    "company": _("Company name"),
    "company_kana": _("Company name, kana"),
    "corporate_number": _("Corporate number (法人番号)"),
    "website": _("Company website"),
    "external_id": _("External id (the record's id in the source system)"),
}
TARGET_GROUPS = [
    (
        _("Contact"),
        [
            "family_name", "given_name", "full_name", "family_name_kana", "given_name_kana",
            "full_name_kana", "email", "phone", "mobile", "department", "title",
            "source_channel", "source_campaign", "consent_status",
        ],
    ),
    (_("Company"), ["company", "company_kana", "corporate_number", "website"]),
    (_("Other"), ["external_id"]),
]  # fmt: skip
assert {t for _group, names in TARGET_GROUPS for t in names} == set(TARGETS)


def target_label(target: str) -> str:
    """A target's name for people: the field, "Attribute: key", or "Ignore"."""
    if target == TARGET_IGNORE:
        return str(_("Ignore"))
    if target == TARGET_ATTRIBUTE:
        return str(_("Keep as attribute"))
    if target.startswith("attributes."):
        return str(_("Attribute “%(key)s”") % {"key": target.removeprefix("attributes.")})
    return str(TARGET_LABELS.get(target, target))


def target_choices(current: str = "") -> list[Any]:
    """The choices of a column's <select>: the fields by group, keep as attribute, ignore,
    and the column's current attribute key when it has its own."""
    choices: list[Any] = [
        (TARGET_ATTRIBUTE, _("Keep as attribute")),
        (TARGET_IGNORE, _("Ignore")),
    ]
    if current.startswith("attributes."):
        choices.insert(1, (current, target_label(current)))
    choices += [
        (group, [(name, TARGET_LABELS[name]) for name in names]) for group, names in TARGET_GROUPS
    ]
    return choices


def mapping_choices() -> list[Any]:
    """The upload page's mapping choices: recognise, the built-ins, the saved mappings."""
    choices: list[Any] = [("", _("Recognise the layout automatically"))]
    choices.append(
        (_("Built-in"), [(f"builtin:{key}", str(m.label)) for key, m in BUILTINS.items()])
    )
    saved = [(f"saved:{pk}", name) for pk, name in SavedMapping.objects.values_list("pk", "name")]
    if saved:
        choices.append((_("Saved mappings"), saved))
    return choices


class UploadForm(forms.Form):
    """The file and how to read it."""

    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx,text/csv"}),
    )
    encoding = forms.ChoiceField(
        label=_("Character encoding"),
        choices=ENCODING_CHOICES,
        required=False,
        help_text=_("For CSV and TSV files. Excel's “CSV” is usually Shift_JIS (CP932)."),
    )
    sheet = forms.CharField(
        label=_("Sheet"),
        max_length=100,
        required=False,
        help_text=_("For Excel files: the sheet to read; blank for the first sheet."),
    )
    mapping = forms.ChoiceField(label=_("Column mapping"), required=False)
    matching = forms.ChoiceField(
        label=_("Matching existing contacts"),
        choices=MatchMode.choices,
        initial=MatchMode.DEDUP,
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        help_text=_(
            "Read, check and match every row and report the outcomes without changing any contact."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mapping"].choices = mapping_choices()
        self.fields["file"].help_text = _("CSV, TSV or Excel (.xlsx), up to %(limit)s.") % {
            "limit": filesizeformat(self.max_bytes)
        }

    @property
    def max_bytes(self) -> int:
        return int(settings.IMPORT_MAX_UPLOAD_MB) * 1024 * 1024

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > self.max_bytes:
            raise ValidationError(
                _("The file is %(size)s; files of up to %(limit)s can be imported.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(self.max_bytes)},
                code="too_large",
            )
        return uploaded


class ReadAgainForm(forms.Form):
    """Read an uploaded file again: another encoding (text) or sheet (XLSX)."""

    encoding = forms.ChoiceField(
        label=_("Character encoding"), choices=ENCODING_CHOICES, required=False
    )
    sheet = forms.ChoiceField(label=_("Sheet"), required=False)

    def __init__(self, *args: Any, upload: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"encoding": upload.encoding_choice, "sheet": upload.sheet or ""}
        )
        super().__init__(*args, **kwargs)
        sheets = upload.sheets or []
        self.fields["sheet"].choices = [("", _("The first sheet"))] + [
            (name, name) for name in sheets
        ]
        if upload.format == "xlsx":
            del self.fields["encoding"]
        else:
            del self.fields["sheet"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data.setdefault("encoding", "")
        data.setdefault("sheet", "")
        return data


class ColumnMappingForm(forms.Form):
    """The mapping screen: a target for each column, and optionally a name to save it as."""

    matching = forms.ChoiceField(label=_("Matching existing contacts"), choices=MatchMode.choices)
    dry_run = forms.BooleanField(
        label=_("Dry run (report the outcomes, change nothing)"), required=False
    )
    save = forms.BooleanField(label=_("Save this mapping for later imports"), required=False)
    save_name = forms.CharField(label=_("Mapping name"), max_length=100, required=False)

    def __init__(
        self, *args: Any, headers: list[str], targets: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        for index, header in enumerate(headers):
            current = targets.get(header, TARGET_ATTRIBUTE)
            self.fields[self.column_field(index)] = forms.ChoiceField(
                label=header,
                choices=target_choices(current),
                initial=current,
                required=False,
            )

    @staticmethod
    def column_field(index: int) -> str:
        return f"column_{index}"

    def column_fields(self) -> list[tuple[int, forms.BoundField]]:
        return [(i, self[self.column_field(i)]) for i in range(len(self.headers))]

    def targets(self) -> dict[str, str]:
        """header → chosen target (after is_valid)."""
        return {
            header: self.cleaned_data.get(self.column_field(i)) or TARGET_IGNORE
            for i, header in enumerate(self.headers)
        }

    def clean_save_name(self) -> str:
        name = self.cleaned_data.get("save_name", "")
        if self.data.get(self.add_prefix("save")) and name is not None:
            return saved_mappings.check_name(name)
        return name


class SavedMappingForm(forms.Form):
    """A saved mapping's name."""

    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args: Any, instance: SavedMapping, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_name(self) -> str:
        return saved_mappings.check_name(self.cleaned_data["name"], exclude=self.instance)


class ColumnRowForm(forms.Form):
    """One column of a saved mapping: its header and target."""

    column = forms.CharField(label=_("Column"), max_length=200, required=False)
    target = forms.ChoiceField(label=_("Field"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = (self.initial or {}).get("target", "") or self.data.get(
            self.add_prefix("target"), ""
        )
        self.fields["target"].choices = target_choices(current)


class BaseColumnRowFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            column = " ".join((form.cleaned_data.get("column") or "").split())
            if not column:
                continue
            if column.casefold() in seen:
                raise ValidationError(
                    _("The column %(column)s is listed twice.") % {"column": column}
                )
            seen.add(column.casefold())

    def columns(self) -> dict[str, str]:
        """column → target, for columns with a target; keep as attribute is stored as
        `attributes.<column>`."""
        result: dict[str, str] = {}
        for form in self.forms:
            column = " ".join((form.cleaned_data.get("column") or "").split())
            target = form.cleaned_data.get("target") or TARGET_IGNORE
            if not column or target == TARGET_IGNORE:
                continue
            result[column] = f"attributes.{column}" if target == TARGET_ATTRIBUTE else target
        return result


ColumnRowFormSet = forms.formset_factory(
    ColumnRowForm, formset=BaseColumnRowFormSet, extra=3, max_num=300, validate_max=True
)
