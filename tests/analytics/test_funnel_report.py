"""The funnel report, computed from stage events, on histories built through the funnel."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from renkei.analytics.funnel import funnel_report
from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.contacts.models import Contact
from renkei.funnel import services as funnel
from tests.analytics.helpers import JST, lead, move

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=JST)


@pytest.fixture
def people(marketer, inside_rep, field_rep):
    return {"marketing": marketer, "inside": inside_rep, "field": field_rep}


def stages(report: dict) -> dict[str, int]:
    return {row["stage"]: row["reached"] for row in report["cohort"]["stages"]}


def test_skipped_stages_count_as_reached_and_the_window_bounds_the_cohort(people):
    a = lead(dt.datetime(2026, 4, 6, 10, tzinfo=JST), source_channel="website")
    move(a, LifecycleStage.SQL, dt.datetime(2026, 4, 8, 10, tzinfo=JST), people["inside"])
    move(a, LifecycleStage.OPPORTUNITY, dt.datetime(2026, 4, 10, 10, tzinfo=JST), people["field"])
    b = lead(dt.datetime(2026, 4, 7, 10, tzinfo=JST), source_channel="exhibition")
    move(b, LifecycleStage.MQL, dt.datetime(2026, 4, 9, 10, tzinfo=JST), people["marketing"])
    move(b, LifecycleStage.SAL, dt.datetime(2026, 5, 1, 10, tzinfo=JST), people["inside"])
    move(b, LifecycleStage.SQL, dt.datetime(2026, 7, 1, 10, tzinfo=JST), people["inside"])
    move(b, LifecycleStage.OPPORTUNITY, dt.datetime(2026, 7, 30, 10, tzinfo=JST), people["field"])
    lead(dt.datetime(2026, 4, 20, 10, tzinfo=JST), source_channel="website")

    report = funnel_report(start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30), now=NOW)
    # a skipped mql and sal: they count as reached; b reached sql after 85 days, inside the
    # window, and an opportunity after 114, outside it.
    assert stages(report) == {
        "lead": 3, "mql": 2, "sal": 2, "sql": 2, "opportunity": 1, "customer": 0,
    }  # fmt: skip
    assert report["cohort"]["lead_to_opportunity_rate"] == pytest.approx(1 / 3, abs=1e-4)
    longer = funnel_report(
        start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30), window_days=120, now=NOW
    )
    assert stages(longer)["opportunity"] == 2
    by_source = funnel_report(
        start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30), by="source", now=NOW
    )
    groups = {g["key"]: g for g in by_source["groups"]}
    assert groups["website"]["leads"] == 2 and groups["website"]["lead_to_opportunity_rate"] == 0.5
    assert groups["exhibition"]["lead_to_opportunity_rate"] == 0.0


def test_the_period_view_counts_entries_in_the_period_whoever_became_a_lead_when(people):
    early = lead(dt.datetime(2026, 3, 10, 10, tzinfo=JST))
    move(early, LifecycleStage.SQL, dt.datetime(2026, 4, 2, 10, tzinfo=JST), people["inside"])
    move(
        early, LifecycleStage.OPPORTUNITY, dt.datetime(2026, 4, 3, 10, tzinfo=JST), people["field"]
    )
    lead(dt.datetime(2026, 4, 15, 10, tzinfo=JST))

    report = funnel_report(start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30), now=NOW)
    assert report["cohort"]["leads"] == 1
    assert report["cohort"]["lead_to_opportunity_rate"] == 0.0
    assert report["period"]["entered"]["opportunity"] == 1
    assert report["period"]["entered"]["lead"] == 1
    assert report["period"]["lead_to_opportunity_rate"] == 1.0


def test_periods_are_days_in_tokyo_and_fiscal_years_start_in_april(people):
    # 2026-03-31 15:30 UTC is 2026-04-01 00:30 in Tokyo: the first day of 2026年度.
    lead(dt.datetime(2026, 3, 31, 15, 30, tzinfo=dt.UTC))
    lead(dt.datetime(2026, 3, 31, 14, 30, tzinfo=dt.UTC))  # 23:30 on 3/31 in Tokyo
    april = funnel_report(start=dt.date(2026, 4, 1), end=dt.date(2027, 3, 31), now=NOW)
    march = funnel_report(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), now=NOW)
    assert april["cohort"]["leads"] == 1
    assert march["cohort"]["leads"] == 1


def test_velocity_is_measured_in_business_days_across_golden_week(people):
    c = lead(dt.datetime(2026, 4, 28, 10, tzinfo=JST))
    # 4/29 昭和の日, 5/2–5/6 weekend and holidays: 4/30, 5/1 and 5/7 are business days.
    move(c, LifecycleStage.MQL, dt.datetime(2026, 5, 7, 10, tzinfo=JST), people["marketing"])
    report = funnel_report(start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30), now=NOW)
    assert report["cohort"]["median_business_days"] == {"lead→mql": 3}


def test_recycled_and_disqualified_leads_are_counted_and_keep_their_first_reach(people):
    c = lead(dt.datetime(2026, 4, 6, 10, tzinfo=JST))
    move(c, LifecycleStage.MQL, dt.datetime(2026, 4, 7, 10, tzinfo=JST), people["marketing"])
    move(c, LifecycleStage.LEAD, dt.datetime(2026, 4, 20, 10, tzinfo=JST), people["marketing"],
         reason="予算なし")  # fmt: skip
    d = lead(dt.datetime(2026, 4, 8, 10, tzinfo=JST))
    funnel.change_status(d, to_status=LeadStatus.DISQUALIFIED, actor=people["marketing"],
                         reason="競合他社", at=dt.datetime(2026, 4, 9, 10, tzinfo=JST))  # fmt: skip
    report = funnel_report(start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30), now=NOW)
    assert report["cohort"]["leads"] == 2  # the recycle is not a second entry as a lead
    assert stages(report)["mql"] == 1
    assert report["cohort"]["recycled"] == 1
    assert report["cohort"]["disqualified"] == 1


def test_the_report_reconciles_with_an_independent_count_over_the_demo_data():
    from renkei.demo.seed import seed

    seed(contacts=600)
    now = dt.datetime.now(dt.UTC)
    report = funnel_report(now=now)
    start = dt.datetime.combine(dt.date.fromisoformat(report["from"]), dt.time(), JST)
    end = dt.datetime.combine(
        dt.date.fromisoformat(report["to"]) + dt.timedelta(days=1), dt.time(), JST
    )
    window = dt.timedelta(days=90)
    cohort = [
        c for c in Contact.objects.all() if c.became_lead_at and start <= c.became_lead_at < end
    ]
    expected = {
        stage: sum(1 for c in cohort
                   if c.became_at(stage) and c.became_at(stage) <= c.became_lead_at + window)
        for stage in ("lead", "mql", "sal", "sql", "opportunity", "customer")
    }  # fmt: skip
    assert stages(report) == expected
    assert report["cohort"]["leads"] > 300


def test_command_prints_every_stage_as_json_and_refuses_bad_input(people, capsys):
    lead(dt.datetime(2026, 4, 6, 10, tzinfo=JST))
    call_command("report", "funnel", "--from", "2026-04-01", "--to", "2026-04-30", "--json")
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [row["stage"] for row in report["cohort"]["stages"]] == [
        "lead", "mql", "sal", "sql", "opportunity", "customer",
    ]  # fmt: skip
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("report", "funnel", "--from", "2026/04/01")
    with pytest.raises(CommandError):
        call_command("report", "funnel", "--from", "2026-05-01", "--to", "2026-04-01")
    with pytest.raises(CommandError):
        call_command("report", "funnel", "--window", "0")
