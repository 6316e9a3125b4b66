"""Export of contacts, accounts and (from apps above, through `register`) touches as CSV
(UTF-8 with BOM for Excel, or CP932) and XLSX.

Every text cell that a spreadsheet would read as a formula (starting with =, +, -, @, a tab
or a carriage return) is prefixed with an apostrophe. In CP932 files, characters CP932
cannot encode (𠮷, emoji, ...) are written as "?" and listed in the summary.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.contacts.models import Account, Contact
from renkei.contacts.normalize import format_phone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# kind → function giving (headers, rows); contacts and accounts are built in, apps above
# the contacts layer add their own kinds (renkei.marketing registers "touches").
_TABLES: dict[str, Callable[[], tuple[list[str], Iterator[list[Any]]]]] = {}
FORMATS = ("csv", "xlsx")
ENCODINGS = ("utf-8-sig", "cp932")
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ExportError(Exception):
    """An export that cannot be made; `message` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ExportResult:
    """What an export wrote."""

    kind: str
    path: str
    format: str
    encoding: str
    rows: int = 0
    replaced: int = 0
    unencodable: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.path,
            "format": self.format,
            "encoding": self.encoding,
            "rows": self.rows,
            "replaced": self.replaced,
            "unencodable": self.unencodable,
        }


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def local_time(value: Any) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _contact_columns() -> list[tuple[str, Callable[[Contact], Any]]]:
    def label(name: str) -> str:
        return str(Contact._meta.get_field(name).verbose_name)

    return [
        ("ID", lambda c: c.pk),
        (label("family_name"), lambda c: c.family_name),
        (label("given_name"), lambda c: c.given_name),
        (label("family_name_kana"), lambda c: c.family_name_kana),
        (label("given_name_kana"), lambda c: c.given_name_kana),
        (label("account"), lambda c: c.account.name if c.account else ""),
        (label("department"), lambda c: c.department),
        (label("title"), lambda c: c.title),
        (label("email"), lambda c: c.email),
        (label("phone"), lambda c: format_phone(c.phone)),
        (label("lifecycle_stage"), lambda c: c.get_lifecycle_stage_display()),
        (label("lead_status"), lambda c: c.get_lead_status_display()),
        (label("source_channel"), lambda c: c.get_source_channel_display()),
        (label("source_campaign"), lambda c: c.source_campaign),
        (label("consent_status"), lambda c: c.get_consent_status_display()),
        (label("owner"), lambda c: c.owner.display_name if c.owner else ""),
        (label("created_at"), lambda c: local_time(c.created_at)),
        (label("updated_at"), lambda c: local_time(c.updated_at)),
    ]


def _account_columns() -> list[tuple[str, Callable[[Account], Any]]]:
    def label(name: str) -> str:
        return str(Account._meta.get_field(name).verbose_name)

    return [
        ("ID", lambda a: a.pk),
        (label("name"), lambda a: a.name),
        (label("name_kana"), lambda a: a.name_kana),
        (label("corporate_number"), lambda a: a.corporate_number),
        (label("website"), lambda a: a.website),
        (label("domain"), lambda a: a.domain),
        (label("industry"), lambda a: a.get_industry_display()),
        (label("employee_band"), lambda a: a.get_employee_band_display()),
        (label("prefecture"), lambda a: a.get_prefecture_display()),
        (label("owner"), lambda a: a.owner.display_name if a.owner else ""),
        (label("created_at"), lambda a: local_time(a.created_at)),
    ]


def register(kind: str, table: Callable[[], tuple[list[str], Iterator[list[Any]]]]) -> None:
    """Make `kind` exportable: `table()` gives the header and the rows (raw values; cells
    are neutralised here)."""
    _TABLES[kind] = table


def kinds() -> list[str]:
    return list(_TABLES)


def rows_of(columns: list[tuple[str, Callable[[Any], Any]]], objects: Any) -> tuple[
    list[str], Iterator[list[Any]]
]:  # fmt: skip
    """(headers, rows) for a queryset and a list of (header, getter) columns."""
    return [c[0] for c in columns], (
        [get(obj) for _, get in columns] for obj in objects.iterator(chunk_size=2000)
    )


def contacts_table(contacts: Any = None) -> tuple[list[str], Iterator[list[Any]]]:
    """The contacts export's header and rows, of every contact or of a queryset (a
    segment's contacts, for example)."""
    contacts = Contact.objects.all() if contacts is None else contacts
    return rows_of(_contact_columns(), contacts.select_related("account", "owner").order_by("id"))


def _contacts() -> tuple[list[str], Iterator[list[Any]]]:
    return contacts_table()


def _accounts() -> tuple[list[str], Iterator[list[Any]]]:
    return rows_of(_account_columns(), Account.objects.select_related("owner").order_by("id"))


register("contacts", _contacts)
register("accounts", _accounts)


def _table(kind: str) -> tuple[list[str], Iterator[list[Any]]]:
    table = _TABLES.get(kind)
    if table is None:
        raise ExportError(
            _("Exporting %(kind)s is not available; the kinds are: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(_TABLES)}
        )
    headers, rows = table()
    return headers, ([neutralise(v) for v in row] for row in rows)


def _encodable(value: Any, result: ExportResult) -> Any:
    if not isinstance(value, str):
        return value
    try:
        value.encode("cp932")
    except UnicodeEncodeError:
        out = []
        for char in value:
            try:
                char.encode("cp932")
            except UnicodeEncodeError:
                result.replaced += 1
                if char not in result.unencodable:
                    result.unencodable.append(char)
                out.append("?")
            else:
                out.append(char)
        return "".join(out)
    return value


def export(
    kind: str,
    path: Path | str,
    *,
    format: str = "csv",
    encoding: str = "utf-8-sig",
    table: tuple[list[str], Iterator[list[Any]]] | None = None,
) -> ExportResult:
    """Write every record of `kind` (see `kinds()`) to `path`, or the rows of `table`
    (from `contacts_table(queryset)`, say); returns what was written."""
    if format not in FORMATS:
        raise ExportError(_("Unknown format %(format)s.") % {"format": format})
    if format == "csv" and encoding not in ENCODINGS:
        raise ExportError(
            _("CSV exports are written in UTF-8 with BOM (utf-8-sig) or CP932 (cp932).")
        )
    if table is None:
        headers, rows = _table(kind)
    else:
        headers, raw_rows = table
        rows = ([neutralise(v) for v in row] for row in raw_rows)
    result = ExportResult(
        kind=kind, path=str(path), format=format, encoding=encoding if format == "csv" else ""
    )
    if format == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(title=kind)
        sheet.append(headers)
        for row in rows:
            sheet.append([_XLSX_ILLEGAL.sub("", v) if isinstance(v, str) else v for v in row])
            result.rows += 1
        workbook.save(path)
        return result
    with Path(path).open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        if encoding == "cp932":
            writer.writerow([_encodable(h, result) for h in headers])
            for row in rows:
                writer.writerow([_encodable(v, result) for v in row])
                result.rows += 1
        else:
            writer.writerow(headers)
            for row in rows:
                writer.writerow(row)
                result.rows += 1
    return result
