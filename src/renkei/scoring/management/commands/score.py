"""./renkei score evaluate --dataset FILE --mapping NAME|FILE [--json]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from renkei.imports.readers import ImportFileError
from renkei.scoring import datasets
from renkei.scoring.evaluation import evaluate


class Command(BaseCommand):
    help = "Evaluate the predictive lead score on a lead list with known outcomes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        evaluate_parser = sub.add_parser(
            "evaluate",
            help="train and cross-validate on a lead list; imports nothing",
        )
        evaluate_parser.add_argument("--dataset", required=True, help="CSV, TSV or XLSX file")
        evaluate_parser.add_argument(
            "--mapping",
            required=True,
            help="a built-in scoring mapping (x-education) or a JSON mapping file",
        )
        evaluate_parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            mapping = datasets.get_mapping(options["mapping"])
            dataset = datasets.load(options["dataset"], mapping)
        except datasets.DatasetError as exc:
            raise CommandError(exc.message) from None
        except ImportFileError as exc:
            raise CommandError(exc.message) from None
        result = evaluate(dataset)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            _(
                "%(rows)d leads, %(positives)d converted. %(validation)s: ROC AUC %(auc).3f, "
                "PR AUC %(pr).3f, lift in the top decile %(lift).2f, calibration error "
                "%(ece).3f."
            )
            % {
                "rows": result["rows"],
                "positives": result["positives"],
                "validation": result["validation"],
                "auc": result["roc_auc"],
                "pr": result["pr_auc"],
                "lift": result["lift_top_decile"],
                "ece": result["ece"],
            }
        )
        if "time_ordered" in result:
            t = result["time_ordered"]
            self.stdout.write(
                _(
                    "Time-ordered (train on earlier leads, score later ones): ROC AUC %(auc).3f, "
                    "calibration error %(ece).3f."
                )
                % {"auc": t["roc_auc"], "ece": t["ece"]}
            )
        self.stdout.write(_("Features: %(features)s") % {"features": ", ".join(result["features"])})
