from __future__ import annotations

import datetime as dt

import pytest

from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.contacts.models import Contact
from renkei.funnel import services as funnel
from renkei.funnel.choices import ActorKind, MoveKind
from renkei.funnel.models import StageChange, StatusChange
from tests.factories import make_contact

pytestmark = pytest.mark.django_db


def test_a_new_contact_enters_the_funnel_with_a_recorded_event(marketer):
    contact = make_contact(actor=marketer)
    assert contact.lifecycle_stage == LifecycleStage.LEAD
    assert contact.lead_status == LeadStatus.NEW
    assert contact.became_lead_at is not None
    change = StageChange.objects.get(contact=contact)
    assert (change.from_stage, change.to_stage, change.kind) == ("", "lead", MoveKind.ENTER)
    assert change.actor == marketer


def test_a_contact_created_as_mql_has_also_reached_lead(marketer):
    contact = make_contact(actor=marketer, stage=LifecycleStage.MQL)
    assert contact.became_lead_at == contact.became_mql_at is not None


def test_marketing_qualifies_a_lead_and_the_move_is_recorded(marketer):
    contact = make_contact()
    change = funnel.change_stage(contact, to_stage=LifecycleStage.MQL, actor=marketer)
    contact.refresh_from_db()
    assert contact.lifecycle_stage == LifecycleStage.MQL
    assert contact.became_mql_at == change.at
    assert change.actor_kind == ActorKind.USER
    assert change.from_stage == LifecycleStage.LEAD


def test_an_invalid_transition_is_refused_and_changes_nothing(field_rep):
    contact = make_contact()
    with pytest.raises(funnel.FunnelError) as err:
        funnel.change_stage(contact, to_stage=LifecycleStage.CUSTOMER, actor=field_rep)
    assert err.value.code == "invalid_transition"
    contact.refresh_from_db()
    assert contact.lifecycle_stage == LifecycleStage.LEAD
    assert StageChange.objects.filter(contact=contact).count() == 1


def test_a_role_may_only_make_its_own_moves(field_rep, inside_rep):
    contact = make_contact()
    with pytest.raises(funnel.FunnelError) as err:
        funnel.change_stage(contact, to_stage=LifecycleStage.MQL, actor=field_rep)
    assert err.value.code == "forbidden"
    funnel.change_stage(contact, to_stage=LifecycleStage.SAL, actor=inside_rep)
    contact.refresh_from_db()
    assert contact.lifecycle_stage == LifecycleStage.SAL


def test_managers_may_make_any_valid_move(manager):
    contact = make_contact()
    funnel.change_stage(contact, to_stage=LifecycleStage.SQL, actor=manager)
    funnel.change_stage(contact, to_stage=LifecycleStage.OPPORTUNITY, actor=manager)
    contact.refresh_from_db()
    assert contact.lifecycle_stage == LifecycleStage.OPPORTUNITY


def test_skipping_stages_marks_the_skipped_stages_as_reached_at_the_same_time(inside_rep):
    contact = make_contact()
    change = funnel.change_stage(contact, to_stage=LifecycleStage.SQL, actor=inside_rep)
    contact.refresh_from_db()
    assert contact.became_mql_at == contact.became_sal_at == contact.became_sql_at == change.at


def test_recycling_needs_a_person_and_a_reason(inside_rep):
    contact = make_contact()
    funnel.change_stage(contact, to_stage=LifecycleStage.SAL, actor=inside_rep)
    with pytest.raises(funnel.FunnelError) as err:
        funnel.change_stage(contact, to_stage=LifecycleStage.LEAD, actor=inside_rep)
    assert err.value.code == "reason_required"
    with pytest.raises(funnel.FunnelError) as err:
        funnel.change_stage(
            contact, to_stage=LifecycleStage.LEAD, actor=funnel.Actor.rule("x"), reason="r"
        )
    assert err.value.code == "needs_person"
    funnel.change_stage(
        contact, to_stage=LifecycleStage.LEAD, actor=inside_rep, reason="予算が来期"
    )
    contact.refresh_from_db()
    assert contact.lifecycle_stage == LifecycleStage.LEAD
    assert contact.lead_status == LeadStatus.NURTURE
    recycle = StageChange.objects.filter(contact=contact, kind=MoveKind.RECYCLE).get()
    assert recycle.reason == "予算が来期"
    # The earlier stage dates stay: history never changes when a lead moves back.
    assert contact.became_sal_at is not None


def test_rules_may_qualify_but_not_accept(db):
    contact = make_contact()
    funnel.change_stage(contact, to_stage=LifecycleStage.MQL, actor=funnel.Actor.rule("score≥80"))
    with pytest.raises(funnel.FunnelError) as err:
        funnel.change_stage(contact, to_stage=LifecycleStage.SAL, actor=funnel.Actor.system())
    assert err.value.code == "needs_person"


def test_disqualifying_needs_a_reason_and_blocks_forward_moves(inside_rep):
    contact = make_contact()
    with pytest.raises(funnel.FunnelError):
        funnel.change_status(contact, to_status=LeadStatus.DISQUALIFIED, actor=inside_rep)
    funnel.change_status(
        contact, to_status=LeadStatus.DISQUALIFIED, actor=inside_rep, reason="競合他社"
    )
    with pytest.raises(funnel.FunnelError) as err:
        funnel.change_stage(contact, to_stage=LifecycleStage.SAL, actor=inside_rep)
    assert err.value.code == "disqualified"
    funnel.change_status(
        contact, to_status=LeadStatus.WORKING, actor=inside_rep, reason="再検討の連絡あり"
    )
    funnel.change_stage(contact, to_stage=LifecycleStage.SAL, actor=inside_rep)
    assert StatusChange.objects.filter(contact=contact).count() == 2


def test_a_stale_form_cannot_overwrite_a_newer_stage(marketer, inside_rep):
    contact = make_contact()
    funnel.change_stage(contact, to_stage=LifecycleStage.SAL, actor=inside_rep)
    with pytest.raises(funnel.FunnelError) as err:
        funnel.change_stage(
            contact.pk, to_stage=LifecycleStage.MQL, actor=marketer, expected_stage="lead"
        )
    assert err.value.code == "stale"


def test_a_change_cannot_be_backdated_before_the_last_one(inside_rep):
    contact = make_contact()
    earlier = contact.became_lead_at - dt.timedelta(days=1)
    with pytest.raises(funnel.FunnelError) as err:
        funnel.change_stage(contact, to_stage=LifecycleStage.SAL, actor=inside_rep, at=earlier)
    assert err.value.code == "before_last_change"


def test_stage_changes_are_immutable(db):
    contact = make_contact()
    change = StageChange.objects.get(contact=contact)
    change.reason = "rewritten"
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        change.delete()


def test_a_batch_move_checks_each_contact_and_records_each_move(inside_rep, marketer):
    ready = [make_contact() for _ in range(3)]
    disqualified = make_contact()
    funnel.change_status(
        disqualified, to_status=LeadStatus.DISQUALIFIED, actor=inside_rep, reason="競合導入済み"
    )
    already = make_contact(stage=LifecycleStage.MQL)
    ids = [c.pk for c in [*ready, disqualified, already]] + [999_999]
    result = funnel.change_stages(ids, to_stage=LifecycleStage.MQL, actor=funnel.Actor.rule("r"))
    assert len(result.moved) == 3
    assert {pk: e.code for pk, e in result.refused.items()} == {
        disqualified.pk: "disqualified",
        already.pk: "same_stage",
        999_999: "not_found",
    }
    for contact in ready:
        contact.refresh_from_db()
        assert contact.lifecycle_stage == LifecycleStage.MQL
        assert contact.became_mql_at == result.moved[0].at
        assert contact.stage_changes.filter(to_stage="mql", actor_label="r").count() == 1
    disqualified.refresh_from_db()
    assert disqualified.lifecycle_stage == LifecycleStage.LEAD


def test_a_batch_move_gives_the_same_result_as_single_moves(inside_rep):
    single, batched = make_contact(), make_contact()
    funnel.change_stage(single, to_stage=LifecycleStage.SAL, actor=inside_rep)
    funnel.change_stages([batched.pk], to_stage=LifecycleStage.SAL, actor=inside_rep)
    fields = ["lifecycle_stage", "lead_status", "became_lead_at", "became_sal_at"]
    a, b = (Contact.objects.values(*fields).get(pk=c.pk) for c in (single, batched))
    assert a["lifecycle_stage"] == b["lifecycle_stage"] == LifecycleStage.SAL
    assert a["lead_status"] == b["lead_status"] == LeadStatus.WORKING
    assert b["became_sal_at"] is not None
    assert [(e.from_status, e.to_status) for e in StatusChange.objects.filter(contact=batched)] == [
        (e.from_status, e.to_status) for e in StatusChange.objects.filter(contact=single)
    ]


def test_a_batch_recycle_needs_a_reason_for_every_contact(inside_rep):
    contact = make_contact(stage=LifecycleStage.MQL)
    result = funnel.change_stages([contact.pk], to_stage=LifecycleStage.LEAD, actor=inside_rep)
    assert result.refused[contact.pk].code == "reason_required"
    result = funnel.change_stages(
        [contact.pk], to_stage=LifecycleStage.LEAD, actor=inside_rep, reason="時期尚早"
    )
    contact.refresh_from_db()
    assert contact.lead_status == LeadStatus.NURTURE
    assert result.moved[0].reason == "時期尚早"
