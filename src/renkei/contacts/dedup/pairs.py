"""Reading pairs of records in the format of ../shared/datasets/ja-dedup/pairs.csv."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from renkei.contacts.dedup.engine import Record, Verdict, compare, parse_kind

RECORD_FIELDS = ("company", "name", "kana", "email", "phone", "corporate_number", "website")
REQUIRED_COLUMNS = ("id", "kind")


class PairsFormatError(ValueError):
    """The file is not a pairs CSV; the message says what is wrong."""


@dataclass(frozen=True)
class Pair:
    """One row of a pairs file."""

    id: str
    kind: str
    a: Record
    b: Record
    expected: str = ""
    note: str = ""


def _record(row: dict[str, str | None], side: str) -> Record:
    return Record(**{f: (row.get(f"{side}_{f}") or "").strip() for f in RECORD_FIELDS})


def read_pairs(lines: Iterable[str]) -> Iterator[Pair]:
    """Parse pairs; raise PairsFormatError on a missing column, a ragged row or a bad kind."""
    reader = csv.DictReader(lines)
    header = reader.fieldnames
    if not header:
        raise PairsFormatError("the file is empty; expected a header row with id,kind,a_*,b_*")
    header = [h.strip().lstrip("\ufeff") for h in header]
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise PairsFormatError(f"missing column(s): {', '.join(missing)}")
    if not any(h.startswith(("a_", "b_")) and h[2:] in RECORD_FIELDS for h in header):
        raise PairsFormatError("no record columns: expected a_company, a_name … b_website")
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if None in row:
            raise PairsFormatError(f"line {line}: more fields than the header has")
        if any(value is None for value in row.values()):
            raise PairsFormatError(f"line {line}: fewer fields than the header has")
        pair_id = (row.get("id") or "").strip()
        if not pair_id:
            raise PairsFormatError(f"line {line}: empty id")
        if pair_id in seen:
            raise PairsFormatError(f"line {line}: duplicate id {pair_id!r}")
        seen.add(pair_id)
        kind = (row.get("kind") or "").strip()
        try:
            parse_kind(kind)
        except ValueError:
            raise PairsFormatError(
                f"line {line}: unknown kind {kind!r} (expected company or person)"
            ) from None
        yield Pair(
            id=pair_id,
            kind=kind,
            a=_record(row, "a"),
            b=_record(row, "b"),
            expected=(row.get("expected") or "").strip(),
            note=(row.get("note") or "").strip(),
        )


def check_pairs(pairs: Iterable[Pair]) -> list[tuple[Pair, Verdict]]:
    return [(pair, compare(pair.kind, pair.a, pair.b)) for pair in pairs]
