"""Backtesting a lead agreement: what its MQL definition would have produced in a past
period, and how those leads actually converted — so both leaders see what they agree to
before they approve.

For each lead that became a lead in the period, the definition is applied to what the
contact is now (its fields, company, consent and, for a score condition, its current score:
past scores are not kept, so a score condition is judged with today's score — the page says
so). A lead that meets it counts as an MQL of the month it became a lead. Its outcome comes
from the stage events: whether it reached SQL (an appointment), an opportunity and a won deal
within the window. The same is computed for the active agreement, side by side.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from renkei.analytics.funnel import DEFAULT_WINDOW_DAYS, Period, _reach_times
from renkei.contacts.choices import LifecycleStage, SourceChannel
from renkei.contacts.models import Contact
from renkei.core.models import Organisation
from renkei.funnel import agreement as agreements
from renkei.funnel.models import LeadAgreement
from renkei.marketing.models import PersonaMatch

OUTCOMES = (LifecycleStage.SQL, LifecycleStage.OPPORTUNITY, LifecycleStage.CUSTOMER)


@dataclass
class _Tally:
    mqls: int = 0
    sql: int = 0
    opportunity: int = 0
    customer: int = 0

    def add(self, reached: dict[str, bool]) -> None:
        self.mqls += 1
        self.sql += reached[LifecycleStage.SQL]
        self.opportunity += reached[LifecycleStage.OPPORTUNITY]
        self.customer += reached[LifecycleStage.CUSTOMER]

    def as_dict(self) -> dict[str, Any]:
        def rate(n: int) -> float | None:
            return round(n / self.mqls, 4) if self.mqls else None

        return {
            "mqls": self.mqls,
            "sql": self.sql,
            "opportunity": self.opportunity,
            "customer": self.customer,
            "sql_rate": rate(self.sql),
            "opportunity_rate": rate(self.opportunity),
            "won_rate": rate(self.customer),
        }


def backtest(
    definitions: list[LeadAgreement],
    *,
    start: dt.date,
    end: dt.date,
    window_days: int = DEFAULT_WINDOW_DAYS,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """For each agreement in `definitions`: MQLs per month, by source and by persona, with
    their outcomes, over the leads that became leads between `start` and `end`."""
    org = Organisation.current()
    tz = ZoneInfo(org.time_zone)
    now = now or dt.datetime.now(dt.UTC)
    period = Period(start, end, tz)
    window = dt.timedelta(days=window_days)
    reached = _reach_times(until=max(period.end_at + window, now))
    cohort = sorted(
        pk
        for pk, times in reached.items()
        if LifecycleStage.LEAD in times and period.contains(times[LifecycleStage.LEAD])
    )
    personas = dict(
        PersonaMatch.objects.filter(contact_id__in=cohort).values_list(
            "contact_id", "persona__name"
        )
    )
    results: list[dict[str, Any]] = []
    tallies = [
        {
            "months": defaultdict(_Tally),
            "sources": defaultdict(_Tally),
            "personas": defaultdict(_Tally),
            "total": _Tally(),
        }
        for _definition in definitions
    ]
    sources = dict(SourceChannel.choices)
    for start_index in range(0, len(cohort), 2000):
        chunk = cohort[start_index : start_index + 2000]
        scores = agreements.scores_for(chunk) or {}
        for contact in Contact.objects.filter(pk__in=chunk).only(
            "pk", "email", "phone", "account_id", "title", "consent_status", "source_channel"
        ):
            times = reached[contact.pk]
            became = times[LifecycleStage.LEAD]
            outcome = {
                stage: stage in times and times[stage] <= became + window for stage in OUTCOMES
            }
            month = became.astimezone(tz).strftime("%Y-%m")
            source = str(sources.get(contact.source_channel, contact.source_channel))
            persona = personas.get(contact.pk) or _("No persona")
            for definition, tally in zip(definitions, tallies, strict=True):
                verdict = agreements.evaluate(definition, contact, scores.get(contact.pk))
                if not verdict.qualifies:
                    continue
                tally["months"][month].add(outcome)
                tally["sources"][source].add(outcome)
                tally["personas"][persona].add(outcome)
                tally["total"].add(outcome)
    months = _months(start, end)
    for definition, tally in zip(definitions, tallies, strict=True):
        results.append(
            {
                "version": definition.version,
                "title": definition.title,
                "status": definition.status,
                "total": tally["total"].as_dict(),
                "months": [{"month": m, **tally["months"][m].as_dict()} for m in months],
                "by_source": _ranked(tally["sources"]),
                "by_persona": _ranked(tally["personas"]),
            }
        )
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "window_days": window_days,
        "leads": len(cohort),
        "score_judged_now": any(d.mql_min_score is not None for d in definitions),
        "definitions": results,
    }


def _months(start: dt.date, end: dt.date) -> list[str]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _ranked(groups: dict[str, _Tally]) -> list[dict[str, Any]]:
    return [
        {"key": key, **tally.as_dict()}
        for key, tally in sorted(groups.items(), key=lambda kv: (-kv[1].mqls, kv[0]))
    ]
