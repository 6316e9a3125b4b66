"""./renkei report funnel [--from DATE] [--to DATE] [--by FIELD] [--window DAYS] [--json]"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from renkei.analytics.funnel import DEFAULT_WINDOW_DAYS, GROUPINGS, ReportError, funnel_report


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Dates are written YYYY-MM-DD, not %(value)s.") % {"value": value}
        ) from None


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


class Command(BaseCommand):
    help = "Reports computed from the funnel's stage events."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        funnel = sub.add_parser("funnel", help="cohort and period funnel, 商談化率, velocity")
        funnel.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        funnel.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (default today)")
        funnel.add_argument("--by", choices=GROUPINGS, help="break the cohort down")
        funnel.add_argument(
            "--window", type=int, default=DEFAULT_WINDOW_DAYS, help="days a lead has to convert"
        )
        funnel.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = funnel_report(
                start=_date(options["start"]) if options["start"] else None,
                end=_date(options["end"]) if options["end"] else None,
                by=options["by"],
                window_days=options["window"],
            )
        except ReportError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        cohort = report["cohort"]
        self.stdout.write(
            _("Funnel %(start)s – %(end)s (%(tz)s), window %(days)d days")
            % {"start": report["from"], "end": report["to"], "tz": report["time_zone"],
               "days": report["window_days"]}
        )  # fmt: skip
        self.stdout.write(
            _("Cohort: %(leads)d leads (%(open)d still inside their window)")
            % {"leads": cohort["leads"], "open": cohort["open"]}
        )
        for row in cohort["stages"]:
            self.stdout.write(
                f"  {row['label']:<14} {row['reached']:>8}  "
                f"{_percent(row['rate_from_previous']):>7}  {_percent(row['rate_from_lead']):>7}"
            )
        self.stdout.write(
            _("商談化率 (lead → opportunity, cohort): %(rate)s; period view: %(period)s")
            % {
                "rate": _percent(cohort["lead_to_opportunity_rate"]),
                "period": _percent(report["period"]["lead_to_opportunity_rate"]),
            }
        )
        for pair, days in cohort["median_business_days"].items():
            self.stdout.write(
                _("  median %(pair)s: %(days)s business days") % {"pair": pair, "days": days}
            )
        for group in report.get("groups", []):
            self.stdout.write(
                f"  [{group['key'] or '—'}] {group['leads']} → "
                f"{_percent(group['lead_to_opportunity_rate'])}"
            )
