"""Column mappings: which source column fills which Renkei field, and how values change.

A mapping is plain data (a `Mapping`, loadable from and savable to JSON), so the built-ins,
a user's JSON file and a mapping saved from the mapping screen (`SavedMapping`) all work the
same way. Without an explicit mapping the importer picks the built-in whose `recognize`
header groups are all present in the file.

Targets (`TARGETS`) are contact fields, company fields, `external_id`, the combined
`full_name` / `full_name_kana` (split at the first space) and `attributes.<key>` (kept in
`ContactAttributes.data`). Columns a mapping does not name are kept as attributes when
`keep_unmapped` is set.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.contacts.choices import ConsentStatus, SourceChannel

CONTACT_TARGETS = (
    "family_name", "given_name", "family_name_kana", "given_name_kana", "email", "phone",
    "department", "title", "source_channel", "source_campaign", "consent_status",
)  # fmt: skip
OTHER_TARGETS = (
    "full_name", "full_name_kana", "mobile", "company", "company_kana", "corporate_number",
    "website", "external_id",
)  # fmt: skip
TARGETS = CONTACT_TARGETS + OTHER_TARGETS
# Mapped columns whose raw value is also kept as an attribute, because the mapping to a
# choice loses detail (scoring reads the raw source value, for example).
LOSSY_TARGETS = {"source_channel", "consent_status"}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_BOOLEANS = {"yes": True, "no": False, "true": True, "false": False, "はい": True, "いいえ": False}


class MappingError(Exception):
    """A mapping that cannot be used; `message` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Mapping:
    """How to read one kind of file. See the module docstring for the targets."""

    name: str
    label: Any = ""  # a string or a lazily translated string
    # source column → target; several columns may feed one target (first non-blank wins).
    columns: dict[str, str] = field(default_factory=dict)
    # target → {source value (case-insensitive) → stored value}; "*" is the fallback.
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    # target → format string over source columns, e.g. {"family_name": "Lead {Lead Number}"}.
    templates: dict[str, str] = field(default_factory=dict)
    # target → value when the row leaves it blank.
    defaults: dict[str, str] = field(default_factory=dict)
    # cell texts that mean "no answer" (a web form's unselected default, for example).
    blank_values: list[str] = field(default_factory=list)
    keep_unmapped: bool = True
    # attributes: Yes/No → true/false and numeric text → numbers.
    typed_attributes: bool = True
    # the system the file comes from; external ids are unique per source.
    source: str = ""
    # header groups that identify this kind of file: every group needs one of its names.
    recognize: list[list[str]] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mapping:
        if not isinstance(data, dict) or not data.get("name"):
            raise MappingError(_("A mapping needs a name."))
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise MappingError(_("Unknown mapping keys: %(keys)s") % {"keys": ", ".join(unknown)})
        mapping = cls(**data)
        mapping.validate()
        return mapping

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["label"] = str(self.label)
        return data

    def validate(self) -> None:
        for column, target in self.columns.items():
            if target not in TARGETS and not target.startswith("attributes."):
                raise MappingError(
                    _("Column %(column)s maps to an unknown field %(target)s.")
                    % {"column": column, "target": target}
                )

    def matches(self, headers: list[str]) -> bool:
        present = {h.casefold() for h in headers}
        return bool(self.recognize) and all(
            any(name.casefold() in present for name in group) for group in self.recognize
        )

    def apply(self, row: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
        """(targets, attributes) for one source row; blank values are left out."""
        blanks = {b.casefold() for b in self.blank_values}

        def clean(value: str) -> str:
            text = (value or "").strip()
            return "" if text.casefold() in blanks else text

        targets: dict[str, Any] = {}
        attributes: dict[str, Any] = {}
        lookup = {k.casefold(): v for k, v in self.columns.items()}
        for column, raw in row.items():
            value = clean(raw)
            target = lookup.get(column.casefold())
            if target is None:
                if self.keep_unmapped and value:
                    attributes[column] = self._typed(value)
                continue
            if target.startswith("attributes."):
                if value:
                    attributes[target.removeprefix("attributes.")] = self._typed(value)
                continue
            if target in LOSSY_TARGETS and value:
                attributes[column] = self._typed(value)
            if value and not targets.get(target):
                targets[target] = value
        for target, template in self.templates.items():
            if not targets.get(target):
                cleaned = {k: clean(v) for k, v in row.items()}
                try:
                    text = template.format_map(cleaned).strip()
                except (KeyError, ValueError, IndexError):
                    text = ""
                if text and all(cleaned.get(n) for n in _template_fields(template)):
                    targets[target] = text
        for target, table in self.values.items():
            if target in targets:
                folded = {k.casefold(): v for k, v in table.items()}
                mapped = folded.get(str(targets[target]).casefold(), folded.get("*"))
                if mapped is not None:
                    targets[target] = mapped
        for target, value in self.defaults.items():
            targets.setdefault(target, value)
        return targets, attributes

    def _typed(self, value: str) -> Any:
        if not self.typed_attributes:
            return value
        folded = value.casefold()
        if folded in _BOOLEANS:
            return _BOOLEANS[folded]
        if _NUMBER.match(value):
            number = float(value)
            return int(number) if "." not in value else number
        return value


def _template_fields(template: str) -> list[str]:
    return re.findall(r"{([^{}]+)}", template)


X_EDUCATION_SOURCES = {
    "Google": SourceChannel.ADVERTISING,
    "bing": SourceChannel.ADVERTISING,
    "Facebook": SourceChannel.ADVERTISING,
    "Social Media": SourceChannel.ADVERTISING,
    "Pay per Click Ads": SourceChannel.ADVERTISING,
    "Direct Traffic": SourceChannel.WEBSITE,
    "Organic Search": SourceChannel.WEBSITE,
    "Olark Chat": SourceChannel.WEBSITE,
    "Live Chat": SourceChannel.WEBSITE,
    "Click2call": SourceChannel.WEBSITE,
    "Reference": SourceChannel.REFERRAL,
    "Referral Sites": SourceChannel.REFERRAL,
    "Welingak Website": SourceChannel.REFERRAL,
    "WeLearn": SourceChannel.REFERRAL,
    "welearnblog_Home": SourceChannel.CONTENT_DOWNLOAD,
    "blog": SourceChannel.CONTENT_DOWNLOAD,
    "youtubechannel": SourceChannel.CONTENT_DOWNLOAD,
    "*": SourceChannel.OTHER,
}

BUILTINS: dict[str, Mapping] = {
    "eight": Mapping(
        name="eight",
        label=gettext_lazy("Eight business cards"),
        columns={
            "会社名": "company",
            "部署名": "department",
            "役職": "title",
            "姓": "family_name",
            "名": "given_name",
            "e-mail": "email",
            "TEL直通": "phone",
            "TEL部門": "phone",
            "携帯電話": "mobile",
            "URL": "website",
        },
        defaults={"source_channel": SourceChannel.BUSINESS_CARD},
        source="eight",
        recognize=[["会社名"], ["姓"], ["名"], ["e-mail"], ["TEL直通", "TEL会社", "名刺交換日"]],
    ),
    "sansan": Mapping(
        name="sansan",
        label=gettext_lazy("Sansan business cards"),
        columns={
            "会社名": "company",
            "部署": "department",
            "役職": "title",
            "姓": "family_name",
            "名": "given_name",
            "姓カナ": "family_name_kana",
            "名カナ": "given_name_kana",
            "email1": "email",
            "e-mail(1)": "email",
            "TEL1": "phone",
            "TEL2": "phone",
            "携帯番号": "mobile",
            "URL1": "website",
            "人物ID": "external_id",
        },
        defaults={"source_channel": SourceChannel.BUSINESS_CARD},
        source="sansan",
        recognize=[["会社名"], ["姓"], ["姓カナ"], ["email1", "e-mail(1)"], ["TEL1", "名刺ID"]],
    ),
    "exhibition": Mapping(
        name="exhibition",
        label=gettext_lazy("Exhibition (展示会) lead list"),
        columns={
            "会社名": "company",
            "会社名カナ": "company_kana",
            "部署": "department",
            "部署名": "department",
            "役職": "title",
            "氏名": "full_name",
            "姓": "family_name",
            "名": "given_name",
            "フリガナ": "full_name_kana",
            "氏名カナ": "full_name_kana",
            "メール": "email",
            "メールアドレス": "email",
            "E-mail": "email",
            "電話": "phone",
            "電話番号": "phone",
            "TEL": "phone",
            "携帯": "mobile",
            "携帯電話": "mobile",
            "URL": "website",
            "来場者ID": "external_id",
            "バーコードID": "external_id",
            "受講票番号": "external_id",
            "温度感": "attributes.temperature",
        },
        defaults={"source_channel": SourceChannel.EXHIBITION},
        source="exhibition",
        recognize=[
            ["会社名"],
            ["氏名", "姓"],
            ["メール", "メールアドレス", "E-mail"],
            ["温度感", "フリガナ", "来場者ID", "バーコードID", "受講票番号"],
        ],
    ),
    "x-education": Mapping(
        name="x-education",
        label=gettext_lazy("X Education lead list"),
        columns={
            "Prospect ID": "external_id",
            "Lead Source": "source_channel",
            "Do Not Email": "consent_status",
        },
        values={
            "source_channel": {k: str(v) for k, v in X_EDUCATION_SOURCES.items()},
            "consent_status": {"Yes": ConsentStatus.OPTED_OUT, "*": ConsentStatus.UNKNOWN},
        },
        templates={"family_name": "Lead {Lead Number}"},
        defaults={"source_channel": SourceChannel.OTHER},
        blank_values=["Select"],
        source="x-education",
        recognize=[["Prospect ID"], ["Lead Number"], ["Lead Source"], ["Converted"]],
    ),
}


def recognize(headers: list[str]) -> Mapping | None:
    """The built-in mapping whose headers the file carries, if exactly one fits."""
    found = [m for m in BUILTINS.values() if m.matches(headers)]
    return found[0] if len(found) == 1 else None


def get_mapping(name_or_path: str) -> Mapping:
    """A built-in by name, a saved mapping by name, or a JSON file by path."""
    if name_or_path in BUILTINS:
        return BUILTINS[name_or_path]
    path = Path(name_or_path)
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise MappingError(
                _("Cannot read the mapping file: %(error)s") % {"error": exc.strerror}
            ) from None
        except json.JSONDecodeError as exc:
            raise MappingError(
                _("The mapping file is not valid JSON: %(error)s") % {"error": str(exc)}
            ) from None
        return Mapping.from_dict(data)
    from renkei.imports.models import SavedMapping

    saved = SavedMapping.objects.filter(name=name_or_path).first()
    if saved is not None:
        return Mapping.from_dict({**saved.definition, "name": saved.name})
    raise MappingError(
        _("Unknown mapping %(name)s; the built-in mappings are %(names)s.")
        % {"name": name_or_path, "names": ", ".join(sorted(BUILTINS))}
    )


# --- The mapping screen ---------------------------------------------------------------------
# The screen lists every column of the file with one target each. "Keep as attribute" stores
# the column under its own name; an ignored column is left out of the mapping, and a mapping
# built on the screen does not keep unmapped columns, so ignored columns are dropped.
TARGET_IGNORE = ""
TARGET_ATTRIBUTE = "@attribute"
NAME_TARGETS = ("family_name", "full_name")
# Headers the built-ins know, as hints for files no built-in recognises.
_GUESS_SOURCES = ("eight", "sansan", "exhibition")
_GUESS_EXTRA = {
    "email": "email", "e-mail": "email", "mail": "email", "メールアドレス": "email",
    "company": "company", "会社": "company", "企業名": "company", "phone": "phone",
    "電話番号": "phone", "title": "title", "department": "department", "名前": "full_name",
    "お名前": "full_name", "氏名": "full_name", "ふりがな": "full_name_kana",
    "フリガナ": "full_name_kana", "法人番号": "corporate_number", "ホームページ": "website",
}  # fmt: skip


def guess_target(header: str) -> str:
    """A target for a header no mapping names: what a built-in maps that header to, the
    target of the same name, or keep as attribute."""
    folded = header.strip().casefold()
    for name in _GUESS_SOURCES:
        for column, target in BUILTINS[name].columns.items():
            if column.casefold() == folded and not target.startswith("attributes."):
                return target
    extra = {k.casefold(): v for k, v in _GUESS_EXTRA.items()}
    if folded in extra:
        return extra[folded]
    if folded in TARGETS and folded != "external_id":
        return folded
    return TARGET_ATTRIBUTE


def screen_targets(mapping: Mapping | None, headers: list[str]) -> dict[str, str]:
    """The target the screen pre-selects for each header: the mapping's target; for a column
    the mapping does not name, keep as attribute (or ignore, when the mapping drops unmapped
    columns); without a mapping, a guess from the header."""
    if mapping is None:
        return {header: guess_target(header) for header in headers}
    lookup = {k.casefold(): v for k, v in mapping.columns.items()}
    result: dict[str, str] = {}
    for header in headers:
        target = lookup.get(header.casefold())
        if target is None:
            target = TARGET_ATTRIBUTE if mapping.keep_unmapped else TARGET_IGNORE
        elif target == f"attributes.{header}":
            target = TARGET_ATTRIBUTE
        result[header] = target
    return result


def columns_from_screen(targets: dict[str, str]) -> dict[str, str]:
    """The mapping's `columns` for the screen's choices: ignored columns left out, "keep as
    attribute" as `attributes.<column>`."""
    columns: dict[str, str] = {}
    for column, target in targets.items():
        if target == TARGET_IGNORE:
            continue
        columns[column] = f"attributes.{column}" if target == TARGET_ATTRIBUTE else target
    return columns


def mapping_from_screen(
    base: Mapping | None, targets: dict[str, str], *, name: str, source: str = ""
) -> Mapping:
    """A mapping with the screen's column targets and the base mapping's value tables,
    templates, defaults and blank values (the base's source too, so external ids keep
    matching)."""
    mapping = Mapping(
        name=name,
        label=name,
        columns=columns_from_screen(targets),
        values=dict(base.values) if base else {},
        templates=dict(base.templates) if base else {},
        defaults=dict(base.defaults) if base else {},
        blank_values=list(base.blank_values) if base else [],
        keep_unmapped=False,
        typed_attributes=base.typed_attributes if base else True,
        source=(base.source if base and base.source else "") or source or name,
    )
    mapping.validate()
    return mapping


def names_a_person(mapping: Mapping) -> bool:
    """Whether rows can get a family name: a column maps to the family or full name, or a
    template builds the family name."""
    return any(t in NAME_TARGETS for t in mapping.columns.values()) or bool(
        mapping.templates.get("family_name")
    )
