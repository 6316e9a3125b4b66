"""The funnel report: how many leads reach each stage, how fast, computed from the
immutable stage events (DESIGN.md, "Metric definitions").

Definitions, as implemented here:

- A contact **reaches** stage S at its first stage event into S *or any later stage*: a
  forward move may skip stages (renkei.funnel.transitions), and the skipped stages count as
  reached at that moment. Subscribers are not leads.
- The **cohort** of a period is the contacts that first reached `lead` inside it. For each
  stage, `reached` counts the cohort members that reached it within `window_days` (default
  90) of becoming a lead. **商談化率** (lead → opportunity rate) is reached(opportunity) ÷
  reached(lead). A conversion rate X → Y is reached(Y) ÷ reached(X). Cohort members whose
  window has not ended yet are counted too and reported as `open`: their rates may still
  rise.
- The **period view** counts the contacts that first reached each stage inside the period,
  whenever they became leads; its lead → opportunity rate is opportunities ÷ leads of the
  same period. It is shown beside the cohort view, never instead of it.
- **Velocity**: the median number of business days (the organisation's calendar) between
  reaching one stage and the next, over the cohort members that reached both in the window.
- Recycled (moved back to lead by a person) and disqualified (lead status 対象外) are
  counted among the cohort members, within the window.

Periods are dates in the organisation's time zone: [from 00:00, to + 1 day 00:00).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Min
from django.utils.translation import gettext as _

from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.contacts.models import Contact
from renkei.core.calendar import BusinessCalendar
from renkei.core.models import Organisation
from renkei.funnel.choices import MoveKind
from renkei.funnel.models import StageChange, StatusChange

STAGES = [s for s in LifecycleStage.values if s != LifecycleStage.SUBSCRIBER]
DEFAULT_WINDOW_DAYS = 90
GROUPINGS = ("source", "campaign", "owner", "team", "industry", "month")


class ReportError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    tz: ZoneInfo

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), self.tz)

    @property
    def end_at(self) -> dt.datetime:
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), self.tz)

    def contains(self, at: dt.datetime) -> bool:
        return self.start_at <= at < self.end_at


def default_period(today: dt.date, tz: ZoneInfo) -> Period:
    """The last twelve months up to today."""
    return Period(today.replace(year=today.year - 1) + dt.timedelta(days=1), today, tz)


def _reach_times(until: dt.datetime) -> dict[int, dict[str, dt.datetime]]:
    """Each contact's first reach of each stage (see the module docstring), from the
    events before `until`."""
    firsts: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    rows = (
        StageChange.objects.filter(at__lt=until)
        .exclude(kind=MoveKind.RECYCLE)
        .exclude(to_stage=LifecycleStage.SUBSCRIBER)
        .values_list("contact_id", "to_stage")
        .annotate(first=Min("at"))
    )
    for contact_id, stage, first in rows:
        firsts[contact_id][stage] = first
    reached: dict[int, dict[str, dt.datetime]] = {}
    for contact_id, entries in firsts.items():
        times: dict[str, dt.datetime] = {}
        earliest: dt.datetime | None = None
        for stage in reversed(STAGES):
            at = entries.get(stage)
            if at is not None and (earliest is None or at < earliest):
                earliest = at
            if earliest is not None:
                times[stage] = earliest
        reached[contact_id] = times
    return reached


class _BusinessDays:
    """Business-day numbers over a date range, so that differences cost nothing."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.calendar = calendar
        self.numbers: dict[dt.date, int] = {}

    def between(self, a: dt.datetime, b: dt.datetime) -> int:
        tz = self.calendar.tz
        return self._number(b.astimezone(tz).date()) - self._number(a.astimezone(tz).date())

    def _number(self, day: dt.date) -> int:
        if day not in self.numbers:
            if not self.numbers:
                self.numbers[day] = 0
            else:
                self._extend(day)
        return self.numbers[day]

    def _extend(self, day: dt.date) -> None:
        low, high = min(self.numbers), max(self.numbers)
        while day > high:
            nxt = high + dt.timedelta(days=1)
            self.numbers[nxt] = self.numbers[high] + int(self.calendar.is_business_day(nxt))
            high = nxt
        while day < low:
            prev = low - dt.timedelta(days=1)
            self.numbers[prev] = self.numbers[low] - int(self.calendar.is_business_day(low))
            low = prev


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _cohort_block(
    members: list[int],
    reached: dict[int, dict[str, dt.datetime]],
    window: dt.timedelta,
    now: dt.datetime,
    days: _BusinessDays,
    recycled: set[int],
    disqualified: set[int],
) -> dict[str, Any]:
    counts = dict.fromkeys(STAGES, 0)
    gaps: dict[str, list[int]] = defaultdict(list)
    open_members = 0
    for contact_id in members:
        times = reached[contact_id]
        became_lead = times[LifecycleStage.LEAD]
        deadline = became_lead + window
        if deadline > now:
            open_members += 1
        previous: tuple[str, dt.datetime] | None = None
        for stage in STAGES:
            at = times.get(stage)
            if at is None or at > deadline:
                break
            counts[stage] += 1
            if previous is not None:
                gaps[f"{previous[0]}→{stage}"].append(days.between(previous[1], at))
            previous = (stage, at)
    leads = counts[LifecycleStage.LEAD]
    stages = []
    for index, stage in enumerate(STAGES):
        before = counts[STAGES[index - 1]] if index else leads
        stages.append(
            {
                "stage": stage,
                "label": str(LifecycleStage(stage).label),
                "reached": counts[stage],
                "rate_from_previous": _rate(counts[stage], before),
                "rate_from_lead": _rate(counts[stage], leads),
            }
        )
    return {
        "leads": leads,
        "open": open_members,
        "stages": stages,
        "lead_to_opportunity_rate": _rate(counts[LifecycleStage.OPPORTUNITY], leads),
        "median_business_days": {
            pair: statistics.median(values) for pair, values in gaps.items() if values
        },
        "recycled": len(recycled.intersection(members)),
        "disqualified": len(disqualified.intersection(members)),
    }


def _group_keys(by: str, members: Iterable[int], reached, tz: ZoneInfo) -> dict[int, str]:
    members = list(members)
    if by == "month":
        return {
            c: reached[c][LifecycleStage.LEAD].astimezone(tz).strftime("%Y-%m") for c in members
        }
    field = {
        "source": "source_channel",
        "campaign": "source_campaign",
        "owner": "owner__username",
        "team": "owner__team__name",
        "industry": "account__industry",
    }[by]
    keys: dict[int, str] = {}
    for start in range(0, len(members), 5000):
        chunk = members[start : start + 5000]
        keys.update(
            (pk, value or "")
            for pk, value in Contact.objects.filter(pk__in=chunk).values_list("pk", field)
        )
    return keys


def funnel_report(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The funnel for a period: cohort and period views, velocity, and per-group cohorts."""
    org = Organisation.current()
    tz = ZoneInfo(org.time_zone)
    now = now or dt.datetime.now(dt.UTC)
    if by is not None and by not in GROUPINGS:
        raise ReportError(
            _("Unknown grouping %(by)s; use one of: %(choices)s.")
            % {"by": by, "choices": ", ".join(GROUPINGS)}
        )
    if window_days < 1:
        raise ReportError(_("The window must be at least one day."))
    today = now.astimezone(tz).date()
    period = default_period(today, tz)
    period = Period(start or period.start, end or period.end, tz)
    if period.end < period.start:
        raise ReportError(_("The period ends before it starts."))
    window = dt.timedelta(days=window_days)
    reached = _reach_times(until=max(period.end_at + window, now))
    cohort = [
        c
        for c, times in reached.items()
        if LifecycleStage.LEAD in times and period.contains(times[LifecycleStage.LEAD])
    ]
    cohort.sort()
    recycled = set(
        StageChange.objects.filter(
            kind=MoveKind.RECYCLE, at__gte=period.start_at, at__lt=period.end_at + window
        ).values_list("contact_id", flat=True)
    )
    disqualified = set(
        StatusChange.objects.filter(
            to_status=LeadStatus.DISQUALIFIED,
            at__gte=period.start_at,
            at__lt=period.end_at + window,
        ).values_list("contact_id", flat=True)
    )
    days = _BusinessDays(BusinessCalendar.for_organisation(org))
    block: Callable[[list[int]], dict[str, Any]] = lambda members: _cohort_block(  # noqa: E731
        members, reached, window, now, days, recycled, disqualified
    )
    entered = dict.fromkeys(STAGES, 0)
    for times in reached.values():
        for stage, at in times.items():
            if period.contains(at):
                entered[stage] += 1
    result: dict[str, Any] = {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "time_zone": str(tz),
        "window_days": window_days,
        "cohort": block(cohort),
        "period": {
            "entered": entered,
            "lead_to_opportunity_rate": _rate(
                entered[LifecycleStage.OPPORTUNITY], entered[LifecycleStage.LEAD]
            ),
        },
    }
    if by:
        keys = _group_keys(by, cohort, reached, tz)
        groups: dict[str, list[int]] = defaultdict(list)
        for contact_id in cohort:
            groups[keys.get(contact_id, "")].append(contact_id)
        result["by"] = by
        result["groups"] = [
            {"key": key, **block(members)}
            for key, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ]
    return result
