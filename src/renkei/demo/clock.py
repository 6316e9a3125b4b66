"""Business-day arithmetic on epoch seconds, fast enough for a million generated events.

Built once from the organisation's `BusinessCalendar` (weekends, Japanese public holidays,
年末年始 and the organisation's own closed days, business hours in its time zone): the
opening and closing moments of every business day in a date range. Moving "N business days
later" is then index arithmetic instead of a day-by-day walk.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random

from renkei.core.calendar import BusinessCalendar

# Nothing is scheduled in the last minute before closing.
_CLOSING_MARGIN = 60
_MIN_GAP = 60


class BusinessClock:
    """Opening and closing times (epoch seconds) of the business days from `first` to `last`."""

    def __init__(self, calendar: BusinessCalendar, first: dt.date, last: dt.date) -> None:
        self.calendar = calendar
        self.tz = calendar.tz
        opens: list[int] = []
        closes: list[int] = []
        day = first
        while day <= last:
            if calendar.is_business_day(day):
                opens.append(int(dt.datetime.combine(day, calendar.day_start, self.tz).timestamp()))
                closes.append(int(dt.datetime.combine(day, calendar.day_end, self.tz).timestamp()))
            day += dt.timedelta(days=1)
        if not opens:
            raise ValueError("the calendar has no business day in the demo period")
        self.opens = opens
        self.closes = closes
        # A moment after every business day in range: "does not happen in this history".
        self.never = closes[-1] + 3650 * 86400

    def day_index(self, ts: int) -> int:
        """The business day `ts` falls in, or the next one when `ts` is outside business hours."""
        return bisect.bisect_right(self.closes, ts)

    def is_business_moment(self, ts: int) -> bool:
        i = self.day_index(ts)
        return i < len(self.opens) and self.opens[i] <= ts < self.closes[i]

    def later(self, rng: random.Random, ts: int, days: int) -> int:
        """A random moment in business hours `days` business days after the day of `ts`.

        With `days == 0` it is later the same business day, or the next business day when
        the day is nearly over. The result is always after `ts`.
        """
        i = self.day_index(ts) + max(days, 0)
        if i >= len(self.opens):
            return self.never
        low = self.opens[i]
        if low <= ts:
            low = ts + _MIN_GAP
        high = self.closes[i] - _CLOSING_MARGIN
        if low >= high:
            i += 1
            if i >= len(self.opens):
                return self.never
            low, high = self.opens[i], self.closes[i] - _CLOSING_MARGIN
        return rng.randint(low, high)

    def after_business_seconds(self, ts: int, seconds: int) -> int:
        """The moment `seconds` of business time after `ts` (SLA-style: the clock pauses
        outside business hours)."""
        i = self.day_index(ts)
        remaining = max(seconds, _MIN_GAP)
        while i < len(self.opens):
            begin = max(self.opens[i], ts)
            available = self.closes[i] - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
            i += 1
        return self.never

    def at_local(self, day: dt.date, seconds_into_day: int) -> int:
        """Epoch seconds of a local wall-clock moment (seconds after local midnight)."""
        midnight = dt.datetime.combine(day, dt.time(0, 0), self.tz)
        return int(midnight.timestamp()) + seconds_into_day
