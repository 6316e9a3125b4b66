"""The JSON shape of a form's fields, and the validation of submitted values."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, model_validator

from renkei.contacts.normalize import InvalidPhoneNumber, normalize_phone
from renkei.marketing.choices import FieldMapping, FieldType

RESERVED_PREFIX = "rk_"  # hidden fields: rk_hp (honeypot), rk_vid, rk_utm_*, rk_referrer, ...
HONEYPOT = "rk_hp"
CONSENT = "rk_consent"
HIDDEN_FIELDS = (
    "rk_vid",
    "rk_page",
    "rk_referrer",
    "rk_utm_source",
    "rk_utm_medium",
    "rk_utm_campaign",
    "rk_utm_term",
    "rk_utm_content",
)
MAX_LENGTHS = {
    FieldMapping.FAMILY_NAME: 100,
    FieldMapping.GIVEN_NAME: 100,
    FieldMapping.FAMILY_NAME_KANA: 100,
    FieldMapping.GIVEN_NAME_KANA: 100,
    FieldMapping.EMAIL: 254,
    FieldMapping.PHONE: 40,
    FieldMapping.DEPARTMENT: 200,
    FieldMapping.TITLE: 200,
    FieldMapping.COMPANY: 200,
    FieldMapping.WEBSITE: 200,
}
TEXT_MAX = 500
TEXTAREA_MAX = 5000


class FormField(BaseModel):
    """One field of a form."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    mapping: FieldMapping = FieldMapping.CUSTOM
    label_ja: str = Field(min_length=1, max_length=200)
    label_en: str = Field(default="", max_length=200)
    type: FieldType = FieldType.TEXT
    required: bool = False

    @model_validator(mode="after")
    def _not_reserved(self) -> FormField:
        if self.key.startswith(RESERVED_PREFIX):
            raise ValueError(f"keys starting with {RESERVED_PREFIX!r} are reserved")
        return self

    def label(self, language: str) -> str:
        return self.label_en if language.startswith("en") and self.label_en else self.label_ja

    @property
    def input_type(self) -> str:
        if self.mapping == FieldMapping.EMAIL:
            return FieldType.EMAIL
        if self.mapping == FieldMapping.PHONE:
            return FieldType.TEL
        return self.type

    @property
    def max_length(self) -> int:
        if self.mapping != FieldMapping.CUSTOM:
            return MAX_LENGTHS[FieldMapping(self.mapping)]
        return TEXTAREA_MAX if self.type == FieldType.TEXTAREA else TEXT_MAX


class FormDefinition(BaseModel):
    """A form's fields: unique keys, each contact field mapped at most once, and a required
    family name and email (a contact needs a name, and submissions are matched by email)."""

    fields: list[FormField] = Field(min_length=1, max_length=40)

    @model_validator(mode="after")
    def _consistent(self) -> FormDefinition:
        keys = [f.key for f in self.fields]
        if len(set(keys)) != len(keys):
            raise ValueError("field keys must be unique")
        mapped = [f.mapping for f in self.fields if f.mapping != FieldMapping.CUSTOM]
        if len(set(mapped)) != len(mapped):
            raise ValueError("each contact field may be mapped once")
        for needed in (FieldMapping.FAMILY_NAME, FieldMapping.EMAIL):
            if not any(f.mapping == needed and f.required for f in self.fields):
                raise ValueError(f"a required field mapped to {needed.value} is needed")
        return self


def definition_errors(fields: Any) -> list[str]:
    """Readable problems of a fields list (empty when valid)."""
    from pydantic import ValidationError as PydanticError

    try:
        FormDefinition.model_validate({"fields": fields})
    except PydanticError as exc:
        return [str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()]
    return []


def parse_fields(fields: Any) -> list[FormField]:
    return FormDefinition.model_validate({"fields": fields}).fields


def clean_values(
    fields: list[FormField], data: dict[str, str]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Validate submitted values against the form's fields; returns the cleaned values
    (by key) and the errors (by key), both translated into the active language."""
    values: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for field in fields:
        value = (data.get(field.key) or "").strip()
        if not value:
            if field.required:
                errors[field.key] = [_("This field is required.")]
            continue
        if len(value) > field.max_length:
            errors[field.key] = [_("Enter at most %(n)d characters.") % {"n": field.max_length}]
            continue
        if field.input_type == FieldType.EMAIL:
            try:
                validate_email(value)
            except ValidationError:
                errors[field.key] = [_("Enter a valid email address.")]
                continue
        if field.input_type == FieldType.TEL:
            try:
                normalize_phone(value)
            except InvalidPhoneNumber:
                errors[field.key] = [
                    _("Enter a valid phone number, such as 03-1234-5678 or +81 3 1234 5678.")
                ]
                continue
        if field.mapping == FieldMapping.WEBSITE:
            candidate = value if "://" in value else f"https://{value}"
            try:
                URLValidator(schemes=["http", "https"])(candidate)
            except ValidationError:
                errors[field.key] = [_("Enter a valid web address.")]
                continue
            value = candidate
        values[field.key] = value
    return values, errors
