"""./renkei import contacts FILE [--mapping NAME|FILE] [--dry-run] [--report FILE] [--json]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from renkei.imports.choices import MatchMode
from renkei.imports.mappings import MappingError
from renkei.imports.readers import ImportFileError
from renkei.imports.services import ImportError_, create_job, run_job, write_report

LATER_KINDS = {"opportunities"}


class Command(BaseCommand):
    help = "Import contacts from a CSV, TSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="what the file holds: contacts")
        parser.add_argument("file", help="CSV, TSV or XLSX file")
        parser.add_argument(
            "--mapping",
            help="built-in mapping (eight, sansan, exhibition, x-education), a saved "
            "mapping's name or a JSON file; recognised from the headers when left out",
        )
        parser.add_argument("--dry-run", action="store_true", help="write no contacts")
        parser.add_argument(
            "--match",
            choices=MatchMode.values,
            default=MatchMode.DEDUP,
            help="dedup: the duplicate-detection engine (default); exact: external id and "
            "email only (faster for large trusted lists)",
        )
        parser.add_argument("--report", help="write the per-row outcomes to this CSV file")
        parser.add_argument("--encoding", help="text encoding (detected when left out)")
        parser.add_argument("--sheet", help="XLSX sheet name (the first sheet by default)")
        parser.add_argument(
            "--json", action="store_true", help="print a JSON summary as the last line"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind in LATER_KINDS:
            raise CommandError(
                _("Importing %(kind)s is not available yet; only contacts can be imported.")
                % {"kind": kind}
            )
        try:
            job = create_job(
                options["file"],
                kind=kind,
                mapping=options["mapping"],
                dry_run=options["dry_run"],
                encoding=options["encoding"],
                sheet=options["sheet"],
                matching=options["match"],
            )
            job = run_job(job)
        except (ImportError_, ImportFileError, MappingError) as exc:
            raise CommandError(exc.message) from None
        summary: dict[str, Any] = {
            **job.counts,
            "job": job.pk,
            "file": job.file_name,
            "mapping": job.mapping_name,
            "encoding": job.encoding,
            "dry_run": job.dry_run,
            "matching": job.matching,
        }
        if options["report"]:
            write_report(job, options["report"])
            summary["report"] = options["report"]
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            _(
                "%(rows)d rows: %(created)d created, %(updated)d updated, %(merged)d merged, "
                "%(review)d to review, %(rejected)d rejected."
            )
            % job.counts
        )
        if job.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
