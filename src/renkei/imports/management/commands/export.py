"""./renkei export {contacts,accounts,touches} FILE [--format csv|xlsx] [--encoding ...]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from renkei.imports.exports import ENCODINGS, FORMATS, ExportError, export, kinds

LATER_KINDS = {"opportunities"}


class Command(BaseCommand):
    help = "Export contacts, accounts or touches as CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="contacts, accounts or touches")
        parser.add_argument("file", help="the file to write")
        parser.add_argument("--format", choices=FORMATS, help="csv or xlsx (from the name)")
        parser.add_argument("--encoding", choices=ENCODINGS, default="utf-8-sig")
        parser.add_argument("--json", action="store_true", help="print a JSON summary")
        parser.add_argument(
            "--segment", help="contacts only: the contacts of this segment (id or name)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind in LATER_KINDS:
            raise CommandError(
                _("Exporting %(kind)s is not available yet; the kinds are: %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(kinds())}
            )
        fmt = options["format"] or ("xlsx" if options["file"].lower().endswith(".xlsx") else "csv")
        try:
            if options["segment"]:
                result = self._segment(kind, options, fmt)
            else:
                result = export(kind, options["file"], format=fmt, encoding=options["encoding"])
        except ExportError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.summary(), ensure_ascii=False))
            return
        self.stdout.write(
            _("%(rows)d rows written to %(file)s.") % {"rows": result.rows, "file": result.path}
        )
        if result.replaced:
            self.stdout.write(
                _("%(count)d characters could not be written in CP932 and became ?: %(chars)s")
                % {"count": result.replaced, "chars": " ".join(result.unencodable)}
            )

    def _segment(self, kind: str, options: dict[str, Any], fmt: str) -> Any:
        from renkei.marketing.models import Segment
        from renkei.marketing.segments import export_segment

        if kind != "contacts":
            raise CommandError(_("--segment exports contacts only."))
        value = options["segment"]
        segment = (
            Segment.objects.filter(pk=int(value)).first()
            if value.isdigit()
            else Segment.objects.filter(name=value).first()
        )
        if segment is None:
            raise CommandError(_("No segment %(value)s.") % {"value": value})
        return export_segment(
            segment, options["file"], actor=None, format=fmt, encoding=options["encoding"]
        )
