"""The organisation's business calendar: which days are worked, and business-time arithmetic.

Answers "t plus N business hours" (SLA due times) and "business time between a and b"
(SLA compliance, velocity). Days are closed for weekends outside the working weekdays,
Japanese public holidays (from the maintained `holidays` package, 振替休日 and 国民の休日
included), the year-end holidays 12/29–1/3 when enabled, and the organisation's own closed
days. Times are aware datetimes; the result is in UTC.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import holidays

from renkei.core.models import ClosedDay, Organisation

UTC = dt.UTC
_MAX_DAYS = 3660  # ten years: a guard against an organisation with no working days


@functools.lru_cache(maxsize=64)
def _japanese_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("JP", years=year, language="ja").items())


def public_holidays(year: int) -> dict[dt.date, str]:
    """Japanese public holidays of a year, with their Japanese names."""
    return _japanese_holidays(year)


def is_year_end_holiday(day: dt.date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


class BusinessCalendar:
    """A snapshot of the organisation's calendar settings for business-time arithmetic."""

    def __init__(
        self,
        *,
        time_zone: str = "Asia/Tokyo",
        day_start: dt.time = dt.time(9, 0),
        day_end: dt.time = dt.time(18, 0),
        workdays: Iterable[int] = (0, 1, 2, 3, 4),
        observe_public_holidays: bool = True,
        close_year_end: bool = True,
        closed_days: Iterable[dt.date] = (),
    ) -> None:
        if day_end <= day_start:
            raise ValueError("day_end must be after day_start")
        self.tz = ZoneInfo(time_zone)
        self.day_start = day_start
        self.day_end = day_end
        self.workdays = frozenset(workdays)
        self.observe_public_holidays = observe_public_holidays
        self.close_year_end = close_year_end
        self.closed_days = frozenset(closed_days)

    @classmethod
    def for_organisation(cls, org: Organisation | None = None) -> BusinessCalendar:
        org = org or Organisation.current()
        return cls(
            time_zone=org.time_zone,
            day_start=org.business_day_start,
            day_end=org.business_day_end,
            workdays=org.workdays,
            observe_public_holidays=org.observe_public_holidays,
            close_year_end=org.close_year_end,
            closed_days=ClosedDay.objects.values_list("date", flat=True),
        )

    # --- days -------------------------------------------------------------------------
    def closed_reason(self, day: dt.date) -> str | None:
        """Why a day is closed, or None when it is a business day."""
        if day in self.closed_days:
            return "closed_day"
        if self.close_year_end and is_year_end_holiday(day):
            return "year_end"
        if self.observe_public_holidays and day in _japanese_holidays(day.year):
            return "public_holiday"
        if day.weekday() not in self.workdays:
            return "weekend"
        return None

    def is_business_day(self, day: dt.date) -> bool:
        return self.closed_reason(day) is None

    def _window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (
            dt.datetime.combine(day, self.day_start, tzinfo=self.tz),
            dt.datetime.combine(day, self.day_end, tzinfo=self.tz),
        )

    def _business_days_from(self, day: dt.date) -> Iterable[dt.date]:
        for offset in range(_MAX_DAYS):
            candidate = day + dt.timedelta(days=offset)
            if self.is_business_day(candidate):
                yield candidate
        raise ValueError("the calendar has no business day in ten years")

    # --- arithmetic -------------------------------------------------------------------
    def add_business_time(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The moment `duration` of business time after `start` (an aware datetime)."""
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        if duration < dt.timedelta(0):
            raise ValueError("duration must not be negative")
        local = start.astimezone(self.tz)
        remaining = duration
        for day in self._business_days_from(local.date()):
            open_at, close_at = self._window(day)
            begin = max(open_at, local) if day == local.date() else open_at
            if begin >= close_at:
                continue
            available = close_at - begin
            if remaining <= available:
                return (begin + remaining).astimezone(UTC)
            remaining -= available
        raise AssertionError("unreachable")  # pragma: no cover

    def add_business_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        return self.add_business_time(start, dt.timedelta(hours=hours))

    def add_business_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The same local time `days` business days later (rolled to the next open day)."""
        local = start.astimezone(self.tz)
        day = local.date()
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                counted += 1
        return dt.datetime.combine(day, local.timetz()).astimezone(UTC)

    def business_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Business time from `a` to `b`; negative when `b` is before `a`."""
        if a.tzinfo is None or b.tzinfo is None:
            raise ValueError("a and b must be aware datetimes")
        if b < a:
            return -self.business_time_between(b, a)
        start, end = a.astimezone(self.tz), b.astimezone(self.tz)
        total = dt.timedelta(0)
        day = start.date()
        while day <= end.date():
            if self.is_business_day(day):
                open_at, close_at = self._window(day)
                lo, hi = max(open_at, start), min(close_at, end)
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total

    def business_days_between(self, a: dt.date, b: dt.date) -> int:
        """Business days after `a` up to and including `b` (0 when b <= a)."""
        count = 0
        day = a
        while day < b:
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                count += 1
        return count


def fiscal_year(day: dt.date, start_month: int = 4) -> int:
    """The fiscal year (年度) a day falls in, labelled by the year it starts."""
    return day.year if day.month >= start_month else day.year - 1


def fiscal_year_bounds(year: int, start_month: int = 4) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year `year` (2026年度 = 2026-04-01 … 2027-03-31)."""
    first = dt.date(year, start_month, 1)
    next_first = dt.date(year + 1, start_month, 1)
    return first, next_first - dt.timedelta(days=1)
