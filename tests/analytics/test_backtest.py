"""Backtesting a draft lead agreement against the one in force, on past leads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from renkei.analytics.backtest import backtest
from renkei.contacts.choices import LifecycleStage
from renkei.core.choices import Role
from renkei.funnel import agreement as agreements
from tests.analytics.helpers import JST, lead, move
from tests.factories import make_account, make_team, make_user

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=JST)


@pytest.fixture
def leaders(monkeypatch):
    monkeypatch.setattr(agreements, "_score_providers", [])
    return (
        make_user(Role.MANAGER, team=make_team("マーケティング部", "marketing")),
        make_user(Role.MANAGER, team=make_team("営業部", "field_sales")),
    )


@pytest.fixture
def history(inside_rep, field_rep):
    company = make_account(name="株式会社アクメ")
    won = lead(dt.datetime(2026, 5, 11, 10, tzinfo=JST), email="a@acme.co.jp", account=company,
               source_channel="website")  # fmt: skip
    move(won, LifecycleStage.SQL, dt.datetime(2026, 5, 20, 10, tzinfo=JST), inside_rep)
    move(won, LifecycleStage.OPPORTUNITY, dt.datetime(2026, 5, 27, 10, tzinfo=JST), field_rep)
    lead(dt.datetime(2026, 5, 12, 10, tzinfo=JST), email="b@gmail.com", source_channel="exhibition")
    lead(dt.datetime(2026, 6, 2, 10, tzinfo=JST), email="", source_channel="exhibition")
    return won


def test_a_draft_is_compared_with_the_agreement_in_force_on_past_leads(leaders, history):
    marketing, sales = leaders
    active = agreements.draft_agreement(actor=marketing, title="現行", mql_required=["email"])
    agreements.approve(active, actor=marketing, side="marketing")
    agreements.approve(active, actor=sales, side="sales")
    active.refresh_from_db()
    draft = agreements.draft_agreement(actor=marketing, title="改定案", mql_required=["company"])

    result = backtest([draft, active], start=dt.date(2026, 5, 1), end=dt.date(2026, 6, 30), now=NOW)

    assert result["leads"] == 3
    by_version = {d["version"]: d for d in result["definitions"]}
    assert by_version[draft.version]["total"]["mqls"] == 1  # only the lead with a company
    assert by_version[draft.version]["total"]["opportunity_rate"] == 1.0
    assert by_version[active.version]["total"]["mqls"] == 2  # both leads with an email
    assert by_version[active.version]["total"]["opportunity_rate"] == 0.5
    months = {m["month"]: m["mqls"] for m in by_version[active.version]["months"]}
    assert months == {"2026-05": 2, "2026-06": 0}
    sources = {g["key"]: g["mqls"] for g in by_version[active.version]["by_source"]}
    assert sources == {"Website inquiry": 1, "Exhibition": 1}


def test_everyone_can_open_the_backtest_page(client_for, leaders, history, inside_rep):
    marketing, _sales = leaders
    draft = agreements.draft_agreement(actor=marketing, mql_required=["company"])
    page = client_for(inside_rep).get(reverse("analytics:agreement_backtest", args=[draft.version]))
    assert page.status_code == 200
    assert "MQLs per month" in page.content.decode()
