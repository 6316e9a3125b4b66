"""`renkei dedup check PAIRS.csv [--json]`: run the matching engine over known pairs.

Reads pairs in the format of ../shared/datasets/ja-dedup/pairs.csv (`-` reads stdin) and
prints one verdict per pair. It never touches the database.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renkei.contacts.dedup.pairs import PairsFormatError, check_pairs, read_pairs


class Command(BaseCommand):
    help = "Duplicate detection tools. `dedup check PAIRS.csv` runs the engine on known pairs."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{check}")
        check = sub.add_parser(
            "check",
            help="Decide each pair of a pairs CSV (id, kind, a_*, b_* columns); writes nothing.",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        check.add_argument("pairs", help="the pairs CSV (UTF-8), or - for standard input")
        check.add_argument(
            "--json", action="store_true", help="print a JSON list: id, decision, reasons"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self.check_pairs(options["pairs"], as_json=options["json"])

    def check_pairs(self, path: str, *, as_json: bool) -> None:
        try:
            if path == "-":
                text = sys.stdin.buffer.read().decode("utf-8-sig")
            else:
                with open(path, "rb") as handle:
                    text = handle.read().decode("utf-8-sig")
            results = check_pairs(read_pairs(io.StringIO(text, newline="")))
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file", returncode=2) from None
        except IsADirectoryError:
            raise CommandError(f"{path}: is a directory", returncode=2) from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: not UTF-8 text", returncode=2) from None
        except PairsFormatError as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        except Exception as exc:  # csv.Error and friends: the file is not a CSV
            if exc.__class__.__module__ == "_csv":
                raise CommandError(f"{path}: not a CSV file ({exc})", returncode=2) from None
            raise
        if as_json:
            payload = [
                {"id": pair.id, "decision": str(v.decision), "reasons": v.reasons}
                for pair, v in results
            ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.write_table(results)

    def write_table(self, results: list) -> None:
        rows = [("id", "kind", "decision", "expected", "reasons")]
        for pair, verdict in results:
            flag = "" if not pair.expected or pair.expected == verdict.decision else " ✗"
            rows.append(
                (
                    pair.id,
                    pair.kind,
                    str(verdict.decision) + flag,
                    pair.expected,
                    "; ".join(verdict.reasons),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [row[i].ljust(widths[i]) for i in range(4)]
            self.stdout.write("  ".join([*cells, row[4]]).rstrip())
        mismatched = sum(1 for pair, v in results if pair.expected and pair.expected != v.decision)
        with_expected = sum(1 for pair, _ in results if pair.expected)
        if with_expected:
            self.stdout.write(f"\n{with_expected - mismatched}/{with_expected} pairs as expected")
