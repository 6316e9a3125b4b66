"""Rule scores: fit points (negative too), engagement points per touch with caps and time
decay, and a ledger whose entries add up to every score."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from renkei.contacts.choices import ConsentStatus, EmployeeBand, Industry, Prefecture
from renkei.marketing import campaigns as campaign_services
from renkei.marketing import content as content_services
from renkei.marketing import personas as persona_services
from renkei.marketing.choices import BuyerStage, CampaignType, ContentKind, TouchType
from renkei.marketing.tracking import record_touch
from renkei.scoring.compute import compute_scores
from renkei.scoring.explain import explain
from renkei.scoring.models import ContactScore, ScoreEntry
from tests.factories import make_account, make_contact
from tests.scoring.helpers import active_set

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)


def score_of(contact) -> ContactScore:
    return ContactScore.objects.get(contact=contact)


def fit(field, values, points):
    return {"kind": "fit", "field": field, "values": values, "points": points}


def engagement(field, points, **extra):
    return {"kind": "engagement", "field": field, "points": points, **extra}


def test_fit_rules_add_up_for_matching_contacts_only(manager):
    rules = active_set(
        manager,
        [
            fit("industry", [Industry.MANUFACTURING], 20),
            fit("employee_band", [EmployeeBand.B300_999], 10),
            fit("prefecture", [Prefecture.AICHI], 5),
            fit("title", ["部長"], 15),
        ],
    )
    maker = make_account(
        industry=Industry.MANUFACTURING,
        employee_band=EmployeeBand.B300_999,
        prefecture=Prefecture.AICHI,
    )
    fits = make_contact(account=maker, title="情報システム部長")
    other = make_contact(account=make_account(industry=Industry.FINANCE), title="主任")
    compute_scores(rules)
    assert score_of(fits).fit == 50
    assert score_of(fits).total == 50
    assert score_of(other).total == 0


def test_keyword_rules_ignore_width_and_case(manager):
    rules = active_set(manager, [fit("department", ["IT"], 10)])
    wide = make_contact(department="ＩＴ推進室")
    lower = make_contact(department="it strategy")
    compute_scores(rules)
    assert score_of(wide).fit == 10
    assert score_of(lower).fit == 10


def test_negative_fit_rules_lower_the_score(manager):
    rules = active_set(
        manager,
        [
            fit("free_mail", [], -30),
            fit("competitor_domain", ["rival.co.jp"], -100),
            fit("consent_status", [ConsentStatus.OPTED_OUT], -5),
        ],
    )
    gmail = make_contact(email="taro@gmail.com")
    rival = make_contact(email="hanako@tokyo.rival.co.jp")
    company = make_contact(email="jiro@example.co.jp")
    compute_scores(rules)
    assert score_of(gmail).total == -30
    assert score_of(rival).total == -100
    assert score_of(company).total == 0


def test_persona_rule_uses_the_contacts_persona(manager, marketer):
    persona = persona_services.create_persona(
        actor=marketer, name="情シス", department_keywords="情報システム"
    )
    rules = active_set(manager, [fit("persona", [persona.pk], 25)])
    matched = make_contact(department="情報システム部")
    persona_services.match_personas([matched.pk])
    compute_scores(rules)
    assert score_of(matched).fit == 25


def test_each_touch_gives_points_up_to_the_rules_cap(manager):
    rules = active_set(manager, [engagement("page_view", 5, cap=12)], half_life_days=10_000 / 3)
    contact = make_contact()
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            record_touch(type=TouchType.PAGE_VIEW, contact=contact, at=NOW)
        compute_scores(rules, now=NOW)
    assert score_of(contact).engagement == pytest.approx(12)
    capped = ScoreEntry.objects.filter(contact=contact, is_cap=True).get()
    assert capped.points == pytest.approx(-8)


def test_points_halve_every_half_life(manager):
    rules = active_set(manager, [engagement("download", 40)], half_life_days=30)
    contact = make_contact()
    record_touch(type=TouchType.DOWNLOAD, contact=contact, at=NOW - dt.timedelta(days=30))
    record_touch(type=TouchType.DOWNLOAD, contact=contact, at=NOW - dt.timedelta(days=60))
    with time_machine.travel(NOW, tick=False):
        compute_scores(rules)
    assert score_of(contact).engagement == pytest.approx(20 + 10)
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        compute_scores(rules)
    assert score_of(contact).engagement == pytest.approx(10 + 5)


def test_engagement_rules_can_require_a_buyer_stage_or_campaign_type(manager, marketer):
    asset = content_services.create_content(
        actor=marketer,
        title="料金表",
        kind=ContentKind.PRICE_PAGE,
        url="https://example.co.jp/price",
        buyer_stage=BuyerStage.DECISION,
        link=False,
    )
    webinar = campaign_services.create_campaign(
        actor=marketer, name="DXウェビナー", type=CampaignType.WEBINAR, utm_campaign="dx-webinar"
    )
    rules = active_set(
        manager,
        [
            engagement("page_view", 10, buyer_stage=BuyerStage.DECISION),
            engagement("form_submit", 30, campaign_type=CampaignType.WEBINAR),
        ],
        half_life_days=3650,
    )
    contact = make_contact()
    with time_machine.travel(NOW, tick=False):
        record_touch(type=TouchType.PAGE_VIEW, contact=contact, url=asset.url)
        record_touch(type=TouchType.PAGE_VIEW, contact=contact, url="https://example.co.jp/blog")
        record_touch(type=TouchType.FORM_SUBMIT, contact=contact, utm_campaign="dx-webinar")
        record_touch(type=TouchType.FORM_SUBMIT, contact=contact, utm_campaign="other")
        compute_scores(rules)
    assert webinar.pk
    assert score_of(contact).engagement == pytest.approx(40)


def test_custom_event_rules_count_only_their_event_names(manager):
    rules = active_set(
        manager, [engagement("custom", 7, values=["trial_start"])], half_life_days=3650
    )
    contact = make_contact()
    with time_machine.travel(NOW, tick=False):
        record_touch(type=TouchType.CUSTOM, contact=contact, name="trial_start")
        record_touch(type=TouchType.CUSTOM, contact=contact, name="video_play")
        compute_scores(rules)
    assert score_of(contact).engagement == pytest.approx(7)


def test_rule_set_caps_limit_fit_and_engagement(manager):
    rules = active_set(
        manager,
        [fit("industry", [Industry.IT], 80), engagement("email_click", 10)],
        fit_cap=50,
        engagement_cap=15,
        half_life_days=3650,
    )
    contact = make_contact(account=make_account(industry=Industry.IT))
    with time_machine.travel(NOW, tick=False):
        for _ in range(3):
            record_touch(type=TouchType.EMAIL_CLICK, contact=contact)
        compute_scores(rules)
    score = score_of(contact)
    assert (score.fit, score.engagement, score.total) == pytest.approx((50, 15, 65))


def test_the_ledger_explains_the_total(manager):
    rules = active_set(
        manager,
        [
            fit("industry", [Industry.IT], 20),
            fit("free_mail", [], -10),
            engagement("page_view", 4, cap=10),
            engagement("download", 15),
        ],
        half_life_days=14,
    )
    contact = make_contact(account=make_account(industry=Industry.IT), email="a@yahoo.co.jp")
    for days in (1, 3, 5, 8):
        record_touch(type=TouchType.PAGE_VIEW, contact=contact, at=NOW - dt.timedelta(days=days))
    record_touch(
        type=TouchType.DOWNLOAD, contact=contact, at=NOW - dt.timedelta(days=14), title="DX白書"
    )
    with time_machine.travel(NOW, tick=False):
        compute_scores(rules)
    score = score_of(contact)
    entries = ScoreEntry.objects.filter(contact=contact, run=score.run)
    assert sum(e.points for e in entries) == pytest.approx(score.total)
    explanation = explain(contact)
    assert sum(line.points for line in explanation.lines) == pytest.approx(score.total)
    texts = [line.text for line in explanation.lines]
    assert "Industry is IT and software" in texts
    assert "Email address is a free-mail address" in texts
    download = next(line for line in explanation.engagement if "Download" in line.text)
    assert download.points == pytest.approx(7.5)
    assert download.touches[0].label == "Download: DX白書"


def test_earlier_computations_stay_in_the_ledger(manager):
    rules = active_set(manager, [fit("industry", [Industry.IT], 20)])
    contact = make_contact(account=make_account(industry=Industry.IT))
    first = compute_scores(rules)
    second = compute_scores(rules)
    assert ScoreEntry.objects.filter(contact=contact, run_id=first.run_id).count() == 1
    assert score_of(contact).run_id == second.run_id
    with pytest.raises(TypeError):
        ScoreEntry.objects.filter(contact=contact).first().delete()


def test_caps_are_explained_in_the_readers_language(manager):
    rules = active_set(
        manager,
        [fit("industry", [Industry.IT], 80), engagement("page_view", 10, cap=15)],
        fit_cap=50,
        half_life_days=3650,
    )
    contact = make_contact(account=make_account(industry=Industry.IT))
    with time_machine.travel(NOW, tick=False):
        for _ in range(2):
            record_touch(type=TouchType.PAGE_VIEW, contact=contact)
        compute_scores(rules)
    texts = {line.text: line.points for line in explain(contact).lines}
    assert texts["The fit score is at most 50 points"] == pytest.approx(-30)
    assert texts["Capped at 15 points: Each Page view (at most 15 points)"] == pytest.approx(-5)


@pytest.mark.parametrize(
    ("email", "free"),
    [
        ("taro@gmail.com", True),
        ("Taro@GMAIL.COM", True),
        ("hanako@abc.ocn.ne.jp", True),
        ("jiro@mail.example.co.jp", False),
        ("gmail.com@example.co.jp", False),
        ("", False),
    ],
)
def test_free_mail_rules_know_providers_and_their_subdomains(manager, email, free):
    rules = active_set(manager, [fit("free_mail", [], -20)])
    contact = make_contact(email=email)
    compute_scores(rules)
    assert score_of(contact).total == (-20 if free else 0)
