"""Lead lists with outcomes, read for training and evaluating a predictive score.

A *scoring mapping* says how to read one kind of lead list (JSON, or a built-in by name):

    {
      "name": "x-education",
      "outcome": "Converted",              # the column holding the outcome
      "positive": ["1"],                   # its values that mean "converted" (case-insensitive)
      "order": "Lead Number",              # optional: a column that grows with time
      "ignore": ["Prospect ID", "Tags"],   # identifiers and columns that leak the outcome
      "blank_values": ["Select"],          # cell texts that mean "no answer"
      "types": {"TotalVisits": "number"}   # optional: number | category | flag per column
    }

Every other column is a feature. Its type is inferred unless given: a column whose filled
cells all read as numbers is a number; a column of yes/no answers a flag; anything else a
category (compared case-insensitively; values seen fewer than `MIN_CATEGORY_COUNT` times
are pooled as "other"). Blank cells stay missing, which the model handles itself.
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from renkei.imports.readers import open_table

MIN_CATEGORY_COUNT = 10
FEATURE_TYPES = ("number", "category", "flag")
_FLAGS = {"yes": 1.0, "no": 0.0, "true": 1.0, "false": 0.0, "はい": 1.0, "いいえ": 0.0}


class DatasetError(Exception):
    """A lead list or mapping that cannot be used; `message` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ScoringMapping:
    name: str
    outcome: str
    positive: list[str]
    order: str = ""
    ignore: list[str] = field(default_factory=list)
    blank_values: list[str] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> ScoringMapping:
        if not isinstance(data, dict):
            raise DatasetError(_("A scoring mapping is a JSON object."))
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise DatasetError(
                _("Unknown keys in the scoring mapping: %(keys)s.") % {"keys": ", ".join(unknown)}
            )
        for key in ("name", "outcome"):
            if not isinstance(data.get(key), str) or not data[key].strip():
                raise DatasetError(_("The scoring mapping needs “%(key)s”.") % {"key": key})
        positive = data.get("positive")
        if not isinstance(positive, list) or not positive:
            raise DatasetError(
                _("The scoring mapping needs “positive”: the outcome values that mean converted.")
            )
        types = data.get("types") or {}
        bad = sorted(t for t in types.values() if t not in FEATURE_TYPES)
        if bad:
            raise DatasetError(
                _("Unknown column types: %(types)s (use %(known)s).")
                % {"types": ", ".join(bad), "known": ", ".join(FEATURE_TYPES)}
            )
        return cls(
            name=data["name"],
            outcome=data["outcome"],
            positive=[str(v) for v in positive],
            order=data.get("order") or "",
            ignore=[str(v) for v in data.get("ignore") or []],
            blank_values=[str(v) for v in data.get("blank_values") or []],
            types={str(k): str(v) for k, v in types.items()},
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


BUILT_IN = {
    "x-education": ScoringMapping(
        name="x-education",
        outcome="Converted",
        positive=["1"],
        order="Lead Number",
        # Identifiers, and the columns the sales team filled in after contacting the lead
        # (the dataset's README): a model that sees them learns the answer.
        ignore=[
            "Prospect ID",
            "Lead Number",
            "Tags",
            "Lead Quality",
            "Lead Profile",
            "Asymmetrique Activity Index",
            "Asymmetrique Profile Index",
            "Asymmetrique Activity Score",
            "Asymmetrique Profile Score",
            "Last Notable Activity",
        ],
        blank_values=["Select"],
    ),
}


def get_mapping(name_or_path: str) -> ScoringMapping:
    """A built-in scoring mapping by name, or one read from a JSON file."""
    if name_or_path in BUILT_IN:
        return BUILT_IN[name_or_path]
    path = Path(name_or_path)
    if not path.is_file():
        raise DatasetError(
            _("No scoring mapping %(name)s: use %(names)s or a JSON file.")
            % {"name": name_or_path, "names": ", ".join(BUILT_IN)}
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(
            _("The scoring mapping %(file)s cannot be read: %(error)s")
            % {"file": path.name, "error": str(exc)}
        ) from None
    return ScoringMapping.from_dict(data)


@dataclass
class Feature:
    name: str
    type: str
    categories: list[str] = field(default_factory=list)  # index → value, for categories

    def code(self, value: str) -> float:
        """A category's code: its index, "other" for a rare value, NaN if unknown."""
        index = self.__dict__.get("_index")
        if index is None:
            index = self.__dict__["_index"] = {v: float(i) for i, v in enumerate(self.categories)}
        if value in index:
            return index[value]
        return index.get("other", math.nan)


@dataclass
class Dataset:
    """The feature matrix (missing values as NaN, categories as codes), the outcomes and
    the order of the rows in time when the mapping names an order column."""

    X: np.ndarray
    y: np.ndarray
    features: list[Feature]
    order: np.ndarray | None
    skipped: int = 0

    @property
    def rows(self) -> int:
        return len(self.y)

    @property
    def categorical_mask(self) -> list[bool]:
        return [f.type == "category" for f in self.features]


def _text(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def _number(value: str) -> float | None:
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def load(path: Path | str, mapping: ScoringMapping) -> Dataset:
    """Read the lead list at `path` (CSV, TSV or XLSX in any encoding the importer reads)."""
    with open_table(path) as table:
        headers = table.headers
        missing = [c for c in (mapping.outcome, mapping.order) if c and c not in headers]
        if missing:
            raise DatasetError(
                _("The file has no column %(columns)s.") % {"columns": ", ".join(missing)}
            )
        columns = [h for h in headers if h not in {mapping.outcome, mapping.order, *mapping.ignore}]
        if not columns:
            raise DatasetError(_("The mapping leaves no column to learn from."))
        blanks = {b.lower() for b in mapping.blank_values} | {""}
        positive = {_text(p).lower() for p in mapping.positive}
        values: list[list[str | None]] = []
        outcomes: list[int] = []
        order: list[float] = []
        skipped = 0
        for row in table.rows():
            if row.error:
                skipped += 1
                continue
            outcome = _text(row.values.get(mapping.outcome, ""))
            if not outcome:
                skipped += 1
                continue
            outcomes.append(int(outcome.lower() in positive))
            if mapping.order:
                order.append(_number(_text(row.values.get(mapping.order, ""))) or math.nan)
            cells = []
            for column in columns:
                cell = _text(row.values.get(column, ""))
                cells.append(None if cell.lower() in blanks else cell)
            values.append(cells)
    if not outcomes:
        raise DatasetError(_("The file has no rows with an outcome."))
    if len(set(outcomes)) < 2:
        raise DatasetError(
            _("Every row has the same outcome; a model needs converted and unconverted leads.")
        )
    features = [
        _feature(name, [v[j] for v in values], mapping.types.get(name))
        for j, name in enumerate(columns)
    ]
    X = np.full((len(values), len(features)), np.nan)
    for j, feature in enumerate(features):
        X[:, j] = [_encode(feature, v[j]) for v in values]
    return Dataset(
        X=X,
        y=np.array(outcomes, dtype=int),
        features=features,
        order=np.array(order) if mapping.order else None,
        skipped=skipped,
    )


def _feature(name: str, cells: list[str | None], forced: str | None) -> Feature:
    filled = [c for c in cells if c is not None]
    kind = forced
    if kind is None:
        if filled and all(_number(c) is not None for c in filled):
            kind = "number"
        elif filled and all(c.lower() in _FLAGS for c in filled):
            kind = "flag"
        else:
            kind = "category"
    feature = Feature(name=name, type=kind)
    if kind == "category":
        counts: dict[str, int] = {}
        for cell in filled:
            counts[cell.lower()] = counts.get(cell.lower(), 0) + 1
        frequent = sorted(
            (v for v, n in counts.items() if n >= MIN_CATEGORY_COUNT), key=lambda v: -counts[v]
        )
        # The gradient-boosting model takes at most 255 categories per feature.
        feature.categories = frequent[:254]
        if len(feature.categories) < len(counts):
            feature.categories.append("other")
    return feature


def _encode(feature: Feature, cell: str | None) -> float:
    if cell is None:
        return math.nan
    if feature.type == "number":
        number = _number(cell)
        return math.nan if number is None else number
    if feature.type == "flag":
        return _FLAGS.get(cell.lower(), math.nan)
    return feature.code(cell.lower())


def describe(feature: Feature, value: float) -> str:
    """A feature's value as a person reads it."""
    if math.isnan(value):
        return _("(blank)")
    if feature.type == "category":
        index = int(value)
        return feature.categories[index] if 0 <= index < len(feature.categories) else "?"
    if feature.type == "flag":
        return _("yes") if value else _("no")
    return f"{value:g}"
