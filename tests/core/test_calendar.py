from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from renkei.core.calendar import BusinessCalendar, fiscal_year, fiscal_year_bounds
from renkei.core.models import ClosedDay, Organisation

JST = ZoneInfo("Asia/Tokyo")


def jst(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JST)


@pytest.fixture
def cal() -> BusinessCalendar:
    return BusinessCalendar()


def test_golden_week_is_closed_including_the_substitute_holiday(cal):
    # 2026: 5/3 (Sun) 憲法記念日, 5/4 みどりの日, 5/5 こどもの日, 5/6 振替休日.
    closed = [dt.date(2026, 5, d) for d in range(2, 7)]
    assert not any(cal.is_business_day(d) for d in closed)
    assert cal.closed_reason(dt.date(2026, 5, 6)) == "public_holiday"
    assert cal.is_business_day(dt.date(2026, 5, 7))


def test_sla_due_time_skips_golden_week(cal):
    due = cal.add_business_hours(jst(2026, 5, 1, 17, 30), 2)
    assert due.astimezone(JST) == jst(2026, 5, 7, 10, 30)


def test_sla_due_time_skips_silver_week(cal):
    # 9/21 敬老の日, 9/22 国民の休日, 9/23 秋分の日.
    due = cal.add_business_hours(jst(2026, 9, 18, 17, 30), 1)
    assert due.astimezone(JST) == jst(2026, 9, 24, 9, 30)


def test_sla_due_time_skips_the_year_end_holidays(cal):
    due = cal.add_business_hours(jst(2026, 12, 28, 16, 0), 4)
    assert due.astimezone(JST) == jst(2027, 1, 4, 11, 0)


def test_year_end_closing_can_be_turned_off(db):
    open_cal = BusinessCalendar(close_year_end=False)
    assert open_cal.is_business_day(dt.date(2026, 12, 29))
    assert not open_cal.is_business_day(dt.date(2027, 1, 1))  # 元日 is a public holiday


def test_a_lead_arriving_at_night_is_due_next_morning(cal):
    due = cal.add_business_hours(jst(2026, 11, 24, 23, 10), 1)
    assert due.astimezone(JST) == jst(2026, 11, 25, 10, 0)


def test_utc_input_is_read_in_the_organisations_time_zone(cal):
    # 2026-02-10 23:30 UTC is 2/11 建国記念の日 08:30 in Tokyo.
    due = cal.add_business_hours(dt.datetime(2026, 2, 10, 23, 30, tzinfo=dt.UTC), 1)
    assert due.astimezone(JST) == jst(2026, 2, 12, 10, 0)
    assert due.tzinfo == dt.UTC


def test_business_time_between_counts_only_open_hours(cal):
    start, end = jst(2026, 4, 30, 17, 0), jst(2026, 5, 7, 10, 0)
    # 4/30 17:00–18:00, 5/1 09:00–18:00, 5/7 09:00–10:00
    assert cal.business_time_between(start, end) == dt.timedelta(hours=11)
    assert cal.business_time_between(end, start) == -dt.timedelta(hours=11)


def test_business_time_across_new_year(cal):
    start, end = jst(2026, 12, 28, 17, 0), jst(2027, 1, 4, 9, 30)
    assert cal.business_time_between(start, end) == dt.timedelta(hours=1, minutes=30)


def test_adding_and_measuring_business_time_agree(cal):
    start = jst(2026, 4, 28, 15, 45)
    for hours in (0.5, 3, 9, 27, 100):
        due = cal.add_business_hours(start, hours)
        assert cal.business_time_between(start, due) == dt.timedelta(hours=hours)


def test_add_business_days_over_golden_week(cal):
    assert cal.add_business_days(jst(2026, 4, 30, 10, 0), 2).astimezone(JST) == jst(
        2026, 5, 7, 10, 0
    )


def test_business_days_between(cal):
    assert cal.business_days_between(dt.date(2026, 5, 1), dt.date(2026, 5, 8)) == 2


def test_the_organisations_own_closed_days_and_hours_apply(db):
    org = Organisation.current()
    org.business_day_start = dt.time(10, 0)
    org.business_day_end = dt.time(17, 0)
    org.save()
    ClosedDay.objects.create(date=dt.date(2026, 8, 13), name="夏季休暇")
    cal = BusinessCalendar.for_organisation()
    assert cal.closed_reason(dt.date(2026, 8, 13)) == "closed_day"
    due = cal.add_business_hours(jst(2026, 8, 12, 16, 0), 2)
    assert due.astimezone(JST) == jst(2026, 8, 14, 11, 0)


def test_naive_datetimes_are_refused(cal):
    with pytest.raises(ValueError):
        cal.add_business_hours(dt.datetime(2026, 5, 1, 9, 0), 1)


def test_fiscal_year_starts_in_april_by_default():
    assert fiscal_year(dt.date(2026, 3, 31)) == 2025
    assert fiscal_year(dt.date(2026, 4, 1)) == 2026
    assert fiscal_year_bounds(2026) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert fiscal_year(dt.date(2026, 12, 31), start_month=1) == 2026
