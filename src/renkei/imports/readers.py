"""Streaming readers for the files people import: CSV/TSV in any Japanese encoding, and XLSX.

A reader yields one `SourceRow` per data row; a row it cannot read (ragged, a field over the
size limit, a stray NUL) comes back with `error` set and the reader carries on. A file it
cannot read at all raises `ImportFileError` with a translated message.

Encoding detection follows ../shared/research/japan.md §3.5: a byte-order mark first, then a
strict UTF-8 decode of the whole file, then a strict CP932 decode (never the `shift_jis`
codec), then charset-normalizer (EUC-JP and the rest). Detection decodes the file in chunks,
so it costs one extra pass but never holds the whole file in memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import charset_normalizer
from django.utils.translation import gettext as _

# One field may hold at most this many characters; a longer one rejects its row.
MAX_FIELD_CHARS = 1_048_576
CHUNK = 1 << 20
SNIFF_BYTES = 64 * 1024
ENCODING_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "s-jis": "cp932",
    "windows-31j": "cp932",
    "ms932": "cp932",
    "utf8": "utf-8",
    "utf-8-bom": "utf-8-sig",
    "eucjp": "euc_jp",
    "euc-jp": "euc_jp",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read; `message` is translated for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SourceRow:
    """One data row: `number` counts data rows from 1 (the header is row 0)."""

    number: int
    values: dict[str, str] = field(default_factory=dict)
    error: str = ""


def normalize_encoding_name(name: str) -> str:
    """Codec name for a user's encoding choice; Shift_JIS always means CP932."""
    key = name.strip().lower()
    key = ENCODING_ALIASES.get(key, key)
    try:
        return codecs.lookup(key).name if key != "utf-8-sig" else "utf-8-sig"
    except LookupError:
        raise ImportFileError(_("Unknown encoding: %(name)s") % {"name": name}) from None


def _decodes_strictly(path: Path, encoding: str, skip: int = 0) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as fh:
            fh.seek(skip)
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _half_width_kana_share(text: str) -> float:
    letters = [c for c in text if not c.isascii() and not c.isspace()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\uff61" <= c <= "\uff9f") / len(letters)


def detect_encoding(path: Path) -> str:
    """The encoding of a text file: BOM → UTF-8 → CP932 → charset-normalizer."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes_strictly(path, "utf-8"):
        return "utf-8"
    if _decodes_strictly(path, "cp932"):
        # EUC-JP bytes can decode as CP932 half-width kana; trust the detector then.
        if _half_width_kana_share(head.decode("cp932", errors="ignore")) > 0.6:
            best = charset_normalizer.from_bytes(head).best()
            if best is not None and best.encoding.startswith("euc"):
                return best.encoding
        return "cp932"
    best = charset_normalizer.from_bytes(head).best()
    if best is not None and _decodes_strictly(path, best.encoding):
        return best.encoding
    raise ImportFileError(
        _(
            "Could not tell the file's character encoding. Choose it explicitly "
            "(UTF-8, CP932 (Shift_JIS), UTF-16 or EUC-JP)."
        )
    )


def _looks_binary(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head[:8192]:
        return True
    controls = sum(1 for b in head[:8192] if b < 9 or 13 < b < 32)
    return controls > len(head[:8192]) * 0.05


def _sniff_delimiter(first_line: str) -> str:
    """Tab if the header has more tabs than commas (TSV, Excel "Unicode text"), else
    semicolon if it has only semicolons, else comma."""
    tabs, commas, semicolons = (first_line.count(c) for c in "\t,;")
    if tabs > commas:
        return "\t"
    if semicolons > commas:
        return ";"
    return ","


def _clean_header(headers: list[str]) -> list[str]:
    cleaned: list[str] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(headers, start=1):
        name = " ".join(str(raw or "").replace("\ufeff", "").split())
        if not name:
            name = _("column %(number)d") % {"number": index}
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        cleaned.append(name)
    return cleaned


def _strip_trailing_blanks(values: list[str]) -> list[str]:
    end = len(values)
    while end and not values[end - 1].strip():
        end -= 1
    return values[:end]


class Table:
    """An open import file: its format, encoding and header, and an iterator of rows.

    Use as a context manager; `rows()` streams the data rows once.
    """

    format: str
    encoding: str
    headers: list[str]

    def __init__(self, path: Path, *, encoding: str | None = None, sheet: str | None = None):
        self.path = Path(path)
        self._handle: IO[Any] | None = None
        self._workbook: Any = None
        self._rows: Iterator[Any] | None = None
        try:
            size = self.path.stat().st_size
        except OSError as exc:
            raise ImportFileError(
                _("Cannot open the file: %(error)s") % {"error": exc.strerror}
            ) from None
        if size == 0:
            raise ImportFileError(_("The file is empty."))
        with self.path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
        if head.startswith(b"PK\x03\x04") or self.path.suffix.lower() in {".xlsx", ".xlsm"}:
            self._open_xlsx(sheet)
        elif head.startswith(b"\xd0\xcf\x11\xe0"):
            raise ImportFileError(
                _("Old Excel files (.xls) cannot be read; save the file as .xlsx or CSV.")
            )
        else:
            self._open_text(head, encoding)

    # --- text ---------------------------------------------------------------------------
    def _open_text(self, head: bytes, encoding: str | None) -> None:
        self.format = "csv"
        if encoding:
            self.encoding = normalize_encoding_name(encoding)
            if not _decodes_strictly(self.path, self.encoding):
                raise ImportFileError(
                    _("The file is not valid %(encoding)s text.") % {"encoding": encoding}
                )
        else:
            if _looks_binary(head):
                raise ImportFileError(
                    _("This is not a CSV or text file (it contains binary data).")
                )
            self.encoding = detect_encoding(self.path)
        self._handle = self.path.open(encoding=self.encoding, newline="")
        first_line = self._handle.readline()
        if not first_line.strip():
            raise ImportFileError(_("The file has no header row."))
        delimiter = _sniff_delimiter(first_line)
        if delimiter == "\t":
            self.format = "tsv"
        self._handle.seek(0)
        csv.field_size_limit(MAX_FIELD_CHARS)
        self._reader = csv.reader(self._handle, delimiter=delimiter)
        try:
            header = next(self._reader)
        except csv.Error as exc:
            raise ImportFileError(
                _("The header row cannot be read: %(error)s") % {"error": str(exc)}
            ) from None
        self.headers = _clean_header(_strip_trailing_blanks(header))

    def _text_rows(self) -> Iterator[SourceRow]:
        number = 0
        width = len(self.headers)
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                message = str(exc)
                if "field larger than field limit" in message:
                    message = _("a field is longer than %(limit)d characters") % {
                        "limit": MAX_FIELD_CHARS
                    }
                yield SourceRow(number, error=message)
                continue
            if not cells:
                continue  # a blank line is not a data row
            number += 1
            if len(cells) != width:
                trimmed = _strip_trailing_blanks(cells)
                if len(trimmed) > width or len(cells) < width:
                    yield SourceRow(
                        number,
                        values=dict(zip(self.headers, cells, strict=False)),
                        error=_("row has %(cells)d cells, header has %(header)d")
                        % {"cells": len(cells), "header": width},
                    )
                    continue
                cells = trimmed + [""] * (width - len(trimmed))
            yield SourceRow(number, values=dict(zip(self.headers, cells, strict=True)))

    # --- xlsx ---------------------------------------------------------------------------
    def _open_xlsx(self, sheet: str | None) -> None:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        self.format = "xlsx"
        self.encoding = ""
        try:
            self._workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise ImportFileError(
                _("The file is not a readable XLSX workbook (%(error)s).")
                % {"error": type(exc).__name__}
            ) from None
        if sheet:
            if sheet not in self._workbook.sheetnames:
                raise ImportFileError(
                    _("The workbook has no sheet named %(sheet)s.") % {"sheet": sheet}
                )
            worksheet = self._workbook[sheet]
        else:
            worksheet = self._workbook.worksheets[0]
        self._rows = worksheet.iter_rows(values_only=True)
        try:
            header = next(self._rows)
        except StopIteration:
            raise ImportFileError(_("The file is empty.")) from None
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ImportFileError(
                _("The file is not a readable XLSX workbook (%(error)s).")
                % {"error": type(exc).__name__}
            ) from None
        self.headers = _clean_header(_strip_trailing_blanks([_cell_text(v) for v in header]))
        if not self.headers:
            raise ImportFileError(_("The file has no header row."))

    def _xlsx_rows(self) -> Iterator[SourceRow]:
        assert self._rows is not None
        number = 0
        width = len(self.headers)
        for raw in self._rows:
            cells = _strip_trailing_blanks([_cell_text(v) for v in raw])
            if not cells:
                continue
            number += 1
            if any(len(c) > MAX_FIELD_CHARS for c in cells):
                yield SourceRow(
                    number,
                    error=_("a field is longer than %(limit)d characters")
                    % {"limit": MAX_FIELD_CHARS},
                )
                continue
            if len(cells) > width:
                yield SourceRow(
                    number,
                    values=dict(zip(self.headers, cells, strict=False)),
                    error=_("row has %(cells)d cells, header has %(header)d")
                    % {"cells": len(cells), "header": width},
                )
                continue
            cells += [""] * (width - len(cells))
            yield SourceRow(number, values=dict(zip(self.headers, cells, strict=True)))

    # --- common -------------------------------------------------------------------------
    def rows(self) -> Iterator[SourceRow]:
        if self.format == "xlsx":
            return self._xlsx_rows()
        return self._text_rows()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        if self._workbook is not None:
            self._workbook.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def open_table(path: Path | str, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """Open an import file (CSV, TSV or XLSX) for streaming."""
    return Table(Path(path), encoding=encoding, sheet=sheet)


def preview(path: Path | str, *, encoding: str | None = None, limit: int = 5) -> dict[str, Any]:
    """The header, detected encoding and first rows, for a mapping screen."""
    with open_table(path, encoding=encoding) as table:
        rows = []
        for row in table.rows():
            rows.append(row)
            if len(rows) >= limit:
                break
        return {
            "format": table.format,
            "encoding": table.encoding,
            "headers": table.headers,
            "rows": [{"number": r.number, "values": r.values, "error": r.error} for r in rows],
        }


__all__ = ["ImportFileError", "SourceRow", "Table", "detect_encoding", "open_table", "preview"]
