"""The lead agreement: drafts, approval by both sides, activation, and leads qualified by it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from renkei.contacts.choices import ConsentStatus, LeadStatus, LifecycleStage
from renkei.core.choices import Role
from renkei.funnel import agreement as agreements
from renkei.funnel import services as funnel
from renkei.funnel.choices import ActorKind, AgreementStatus
from renkei.funnel.models import Qualification, StageChange
from tests.factories import make_account, make_contact, make_team, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def leaders():
    marketing = make_team("マーケティング部", "marketing")
    sales = make_team("インサイドセールス", "inside_sales")
    return {
        "marketing": make_user(Role.MANAGER, team=marketing),
        "sales": make_user(Role.MANAGER, team=sales),
        "director": make_user(Role.MANAGER),  # no team: management
    }


@pytest.fixture
def no_scores(monkeypatch):
    monkeypatch.setattr(agreements, "_score_providers", [])


def activate(leaders, **values):
    draft = agreements.draft_agreement(actor=leaders["marketing"], **values)
    agreements.approve(draft, actor=leaders["marketing"], side="marketing")
    agreements.approve(draft, actor=leaders["sales"], side="sales")
    draft.refresh_from_db()
    return draft


def test_a_draft_becomes_active_only_when_both_sides_approve(leaders, no_scores):
    draft = agreements.draft_agreement(
        actor=leaders["marketing"], title="2026年度 リード定義", mql_required=["email", "company"]
    )
    agreements.approve(draft, actor=leaders["marketing"], side="marketing")
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.DRAFT
    agreements.approve(draft, actor=leaders["sales"], side="sales")
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.ACTIVE and draft.activated_at is not None
    assert agreements.active_agreement() == draft


def test_a_new_version_supersedes_the_active_one_which_stays_readable(leaders, no_scores):
    first = activate(leaders, title="v1", mql_required=["email"])
    second = agreements.draft_agreement(actor=leaders["sales"], title="v2")
    assert second.version == 2
    assert second.mql_required == ["email"]  # a draft starts from the active terms
    agreements.approve(second, actor=leaders["director"], side="marketing")
    agreements.approve(second, actor=leaders["sales"], side="sales")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == AgreementStatus.SUPERSEDED and first.superseded_at is not None
    assert second.status == AgreementStatus.ACTIVE


def test_who_may_approve(leaders, marketer, no_scores):
    draft = agreements.draft_agreement(actor=leaders["marketing"], mql_required=["email"])
    with pytest.raises(agreements.AgreementError, match="Only a manager who leads"):
        agreements.approve(draft, actor=marketer, side="marketing")
    with pytest.raises(agreements.AgreementError, match="Only a manager who leads"):
        agreements.approve(draft, actor=leaders["marketing"], side="sales")
    agreements.approve(draft, actor=leaders["director"], side="marketing")
    with pytest.raises(agreements.AgreementError, match="same person"):
        agreements.approve(draft, actor=leaders["director"], side="sales")
    with pytest.raises(agreements.AgreementError, match="approved already"):
        agreements.approve(draft, actor=leaders["marketing"], side="marketing")
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.DRAFT


def test_changing_a_draft_withdraws_its_approvals(leaders, no_scores):
    draft = agreements.draft_agreement(actor=leaders["marketing"], mql_required=["email"])
    agreements.approve(draft, actor=leaders["marketing"], side="marketing")
    agreements.update_draft(draft, actor=leaders["sales"], mql_required=["email", "phone"])
    assert draft.approvals.count() == 0
    active = activate(leaders, mql_required=["email"])
    with pytest.raises(agreements.AgreementError, match="Only a draft"):
        agreements.update_draft(active, actor=leaders["sales"], notes="後から変更")


def test_bad_definitions_are_refused_and_nothing_is_activated_by_accident(leaders, no_scores):
    with pytest.raises(ValidationError) as caught:
        agreements.draft_agreement(
            actor=leaders["marketing"],
            mql_required=["budget"],
            mql_min_score=5000,
            competitor_domains=["not a domain"],
            title=" ",
        )
    assert set(caught.value.message_dict) == {
        "mql_required", "mql_min_score", "competitor_domains", "title",
    }  # fmt: skip
    empty = agreements.draft_agreement(actor=leaders["marketing"], mql_exclusions=["free_mail"])
    agreements.approve(empty, actor=leaders["marketing"], side="marketing")
    with pytest.raises(agreements.AgreementError, match="needs a score, a required field"):
        agreements.approve(empty, actor=leaders["sales"], side="sales")
    scored = agreements.draft_agreement(actor=leaders["marketing"], mql_min_score=60)
    agreements.approve(scored, actor=leaders["marketing"], side="marketing")
    with pytest.raises(agreements.AgreementError, match="no score is computed"):
        agreements.approve(scored, actor=leaders["sales"], side="sales")
    assert agreements.active_agreement() is None


def test_leads_meeting_the_definition_move_to_mql_with_the_rule_as_reason(leaders, no_scores):
    company = make_account(name="株式会社アクメ")
    good = make_contact(email="taro@acme.co.jp", account=company)
    no_company = make_contact(email="hanako@acme.co.jp")
    free_mail = make_contact(email="jiro@gmail.com", account=None)
    rival = make_contact(email="spy@rival.co.jp", account=make_account(name="ライバル株式会社"))
    nurtured = make_contact(email="saburo@acme.co.jp", account=company)
    funnel.change_status(nurtured, to_status=LeadStatus.NURTURE, actor=leaders["marketing"],
                         reason="時期尚早")  # fmt: skip
    agreement = activate(
        leaders,
        mql_required=["email", "company"],
        mql_exclusions=["free_mail", "competitor"],
        competitor_domains=["@rival.co.jp"],
    )

    result = agreements.qualify()

    assert result.qualified == [good.pk]
    good.refresh_from_db()
    assert good.lifecycle_stage == LifecycleStage.MQL
    move = StageChange.objects.get(contact=good, to_stage=LifecycleStage.MQL)
    assert move.actor_kind == ActorKind.RULE
    assert move.actor_label == f"Lead agreement v{agreement.version}"
    assert move.reason.startswith(f"Meets lead agreement v{agreement.version}")
    assert Qualification.objects.get(contact=good).agreement == agreement
    for other in (no_company, free_mail, rival, nurtured):
        other.refresh_from_db()
        assert other.lifecycle_stage == LifecycleStage.LEAD
    assert agreements.qualify().qualified == []  # nothing twice


def test_a_score_condition_uses_the_registered_scores(leaders, monkeypatch):
    hot = make_contact(consent_status=ConsentStatus.OPTED_IN)
    cold = make_contact(consent_status=ConsentStatus.OPTED_IN)
    monkeypatch.setattr(agreements, "_score_providers", [lambda ids: {hot.pk: 80, cold.pk: 20}])
    activate(leaders, mql_min_score=60, mql_required=["opted_in"])
    assert agreements.qualify().qualified == [hot.pk]
    reason = StageChange.objects.get(contact=hot, to_stage=LifecycleStage.MQL).reason
    assert "score 80 ≥ 60" in reason
    verdict = agreements.evaluate(agreements.active_agreement(), cold, 20)
    assert verdict.missing == ["score below 60"]


def test_leaders_draft_and_approve_in_the_pages_and_everyone_reads_the_terms(
    client_for, leaders, inside_rep, no_scores
):
    from django.urls import reverse

    marketing = client_for(leaders["marketing"])
    response = marketing.post(
        reverse("funnel:agreement_new"),
        {
            "title": "2026年度 下期",
            "mql_required": ["email", "company"],
            "mql_exclusions": ["competitor"],
            "competitor_domains": "rival.co.jp\n",
            "inside_first_touch_hours": "4",
            "field_decision_days": "2",
            "mql_target_per_month": "120",
            "accepted_appointments_target_per_month": "30",
        },
    )
    draft = agreements.LeadAgreement.objects.get()
    assert response.status_code == 302 and draft.competitor_domains == ["rival.co.jp"]
    detail = reverse("funnel:agreement_detail", args=[draft.version])
    marketing.post(reverse("funnel:agreement_approve", args=[draft.version]), {"side": "marketing"})
    page = client_for(leaders["sales"]).get(detail).content.decode()
    assert "Approve for Sales" in page and "Approve for Marketing" not in page
    client_for(leaders["sales"]).post(
        reverse("funnel:agreement_approve", args=[draft.version]), {"side": "sales"}
    )
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.ACTIVE
    readable = client_for(inside_rep).get(reverse("funnel:agreements")).content.decode()
    assert "In force: version 1" in readable
    rep_view = client_for(inside_rep).get(detail).content.decode()
    assert "rival.co.jp" in rep_view and "Approve for" not in rep_view
    assert client_for(inside_rep).get(reverse("funnel:agreement_new")).status_code == 403
    bad = marketing.post(
        reverse("funnel:agreement_new"),
        {
            "title": "x",
            "mql_min_score": "5000",
            "inside_first_touch_hours": "4",
            "field_decision_days": "2",
            "mql_target_per_month": "0",
            "accepted_appointments_target_per_month": "0",
        },
    )
    assert bad.status_code == 200 and "1000" in bad.content.decode()


def test_the_score_condition_reads_the_rule_scores(leaders, manager):
    from renkei.contacts.choices import Industry
    from renkei.scoring.compute import compute_scores
    from tests.scoring.helpers import active_set

    rules = active_set(
        manager,
        [{"kind": "fit", "field": "industry", "values": [Industry.MANUFACTURING], "points": 70}],
    )
    maker = make_contact(account=make_account(industry=Industry.MANUFACTURING))
    bank = make_contact(account=make_account(industry=Industry.FINANCE))
    compute_scores(rules)
    activate(leaders, mql_min_score=60)
    assert agreements.qualify().qualified == [maker.pk]
    bank.refresh_from_db()
    assert bank.lifecycle_stage == LifecycleStage.LEAD
