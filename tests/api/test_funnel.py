from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.utils.translation import gettext

from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.funnel import services as funnel
from renkei.funnel.models import StageChange, StatusChange
from tests.api.helpers import error_of
from tests.factories import make_contact

pytestmark = pytest.mark.django_db

JST = dt.timezone(dt.timedelta(hours=9))


def stage_of(contact) -> str:
    contact.refresh_from_db()
    return contact.lifecycle_stage


# --- moving stages ----------------------------------------------------------------------


def test_marketing_qualifies_a_lead_and_the_move_is_recorded_as_the_token_user(marketer, api_for):
    contact = make_contact()
    response = api_for(marketer).post(f"/contacts/{contact.pk}/stage", {"to_stage": "mql"})
    assert response.status_code == 201, response.content
    body = response.json()
    change = StageChange.objects.get(pk=body["id"])
    assert (change.from_stage, change.to_stage, change.actor) == ("lead", "mql", marketer)
    assert body["contact_id"] == contact.pk
    assert (body["from_stage"], body["to_stage"], body["kind"]) == ("lead", "mql", "forward")
    assert (body["actor_kind"], body["actor_id"]) == ("user", marketer.pk)
    assert stage_of(contact) == LifecycleStage.MQL


def test_an_invalid_transition_is_422_and_changes_nothing(field_rep, api_for):
    contact = make_contact()
    response = api_for(field_rep).post(f"/contacts/{contact.pk}/stage", {"to_stage": "customer"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_transition"
    assert error["message"] == "A contact cannot move from Lead to Customer."
    assert stage_of(contact) == LifecycleStage.LEAD


def test_a_move_the_role_may_not_make_is_403(field_rep, api_for):
    contact = make_contact()
    response = api_for(field_rep).post(f"/contacts/{contact.pk}/stage", {"to_stage": "mql"})
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert stage_of(contact) == LifecycleStage.LEAD


def test_a_move_based_on_a_stale_stage_is_409(marketer, inside_rep, api_for):
    contact = make_contact()
    funnel.change_stage(contact, to_stage=LifecycleStage.MQL, actor=marketer)
    response = api_for(inside_rep).post(
        f"/contacts/{contact.pk}/stage", {"to_stage": "sal", "expected_stage": "lead"}
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "stale"
    assert stage_of(contact) == LifecycleStage.MQL


def test_a_move_with_the_current_expected_stage_goes_through(inside_rep, api_for):
    contact = make_contact(stage=LifecycleStage.MQL)
    response = api_for(inside_rep).post(
        f"/contacts/{contact.pk}/stage", {"to_stage": "sal", "expected_stage": "mql"}
    )
    assert response.status_code == 201
    assert stage_of(contact) == LifecycleStage.SAL


def test_recycling_without_a_reason_is_422(inside_rep, api_for):
    contact = make_contact(stage=LifecycleStage.MQL)
    api = api_for(inside_rep)
    response = api.post(f"/contacts/{contact.pk}/stage", {"to_stage": "lead"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "reason_required"
    response = api.post(
        f"/contacts/{contact.pk}/stage", {"to_stage": "lead", "reason": "予算なし、来期再検討"}
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "recycle"
    assert response.json()["reason"] == "予算なし、来期再検討"


def test_moving_to_the_current_stage_is_422(marketer, api_for):
    contact = make_contact()
    response = api_for(marketer).post(f"/contacts/{contact.pk}/stage", {"to_stage": "lead"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "same_stage"


def test_an_unknown_stage_is_a_validation_error(marketer, api_for):
    contact = make_contact()
    response = api_for(marketer).post(f"/contacts/{contact.pk}/stage", {"to_stage": "won"})
    assert response.status_code == 422
    error = error_of(response)
    assert (error["code"], list(error["fields"])) == ("invalid", ["to_stage"])


def test_moving_an_unknown_contact_is_404(marketer, api_for):
    response = api_for(marketer).post("/contacts/999999/stage", {"to_stage": "mql"})
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_funnel_refusals_are_in_the_request_language(field_rep, api_for):
    contact = make_contact()
    response = api_for(field_rep, language="ja").post(
        f"/contacts/{contact.pk}/stage", {"to_stage": "customer"}
    )
    assert response.status_code == 422
    assert response["Content-Language"] == "ja"
    with translation.override("ja"):
        expected = gettext("A contact cannot move from %(source)s to %(target)s.") % {
            "source": LifecycleStage.LEAD.label,
            "target": LifecycleStage.CUSTOMER.label,
        }
    assert error_of(response)["message"] == expected


# --- lead status ------------------------------------------------------------------------


def test_setting_the_lead_status_is_recorded(inside_rep, api_for):
    contact = make_contact()
    response = api_for(inside_rep).post(f"/contacts/{contact.pk}/status", {"to_status": "working"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["from_status"], body["to_status"], body["actor_id"]) == (
        "new",
        "working",
        inside_rep.pk,
    )
    assert StatusChange.objects.get(pk=body["id"]).actor == inside_rep
    contact.refresh_from_db()
    assert contact.lead_status == LeadStatus.WORKING


def test_disqualifying_needs_a_reason(inside_rep, api_for):
    contact = make_contact()
    api = api_for(inside_rep)
    response = api.post(f"/contacts/{contact.pk}/status", {"to_status": "disqualified"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "reason_required"
    response = api.post(
        f"/contacts/{contact.pk}/status", {"to_status": "disqualified", "reason": "競合社員"}
    )
    assert response.status_code == 201


def test_a_disqualified_contact_cannot_move_forward(inside_rep, api_for):
    contact = make_contact(stage=LifecycleStage.MQL)
    funnel.change_status(
        contact, to_status=LeadStatus.DISQUALIFIED, actor=inside_rep, reason="重複"
    )
    response = api_for(inside_rep).post(f"/contacts/{contact.pk}/stage", {"to_stage": "sal"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "disqualified"


def test_setting_the_status_of_an_unknown_contact_is_404(inside_rep, api_for):
    response = api_for(inside_rep).post("/contacts/999999/status", {"to_status": "working"})
    assert response.status_code == 404


# --- stage change history ---------------------------------------------------------------


def test_stage_changes_are_listed_newest_first(marketer, inside_rep, api_for):
    first = make_contact(at=dt.datetime(2026, 4, 1, 10, 0, tzinfo=JST))
    funnel.change_stage(
        first,
        to_stage=LifecycleStage.MQL,
        actor=marketer,
        at=dt.datetime(2026, 4, 3, 10, 0, tzinfo=JST),
    )
    make_contact(at=dt.datetime(2026, 4, 2, 10, 0, tzinfo=JST))
    body = api_for(inside_rep).get("/stage-changes").json()
    assert body["count"] == 3
    assert [item["at"][:10] for item in body["items"]] == ["2026-04-03", "2026-04-02", "2026-04-01"]
    entry = body["items"][-1]
    assert (entry["from_stage"], entry["to_stage"], entry["kind"]) == (None, "lead", "enter")


def test_stage_changes_are_filtered_by_contact_stage_and_time(marketer, api_for):
    contact = make_contact(at=dt.datetime(2026, 4, 1, 10, 0, tzinfo=JST))
    qualified = funnel.change_stage(
        contact,
        to_stage=LifecycleStage.MQL,
        actor=marketer,
        at=dt.datetime(2026, 4, 5, 10, 0, tzinfo=JST),
    )
    other = make_contact(at=dt.datetime(2026, 4, 3, 10, 0, tzinfo=JST))
    api = api_for(marketer)

    def listed(**params) -> list[int]:
        response = api.get("/stage-changes", params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    other_entry = StageChange.objects.get(contact=other).pk
    contact_entry = StageChange.objects.get(contact=contact, to_stage="lead").pk
    assert listed(contact=contact.pk) == [qualified.pk, contact_entry]
    assert listed(to_stage="mql") == [qualified.pk]
    assert listed(since="2026-04-03T10:00:00+09:00") == [qualified.pk, other_entry]
    assert listed(until="2026-04-03T10:00:00+09:00") == [contact_entry]
    assert listed(since="2026-04-02T00:00:00Z", until="2026-04-04T00:00:00Z") == [other_entry]


def test_a_contacts_stage_changes_are_listed(marketer, api_for):
    contact = make_contact()
    funnel.change_stage(contact, to_stage=LifecycleStage.MQL, actor=marketer)
    make_contact()
    body = api_for(marketer).get(f"/contacts/{contact.pk}/stage-changes").json()
    assert body["count"] == 2
    assert [item["to_stage"] for item in body["items"]] == ["mql", "lead"]
    assert {item["contact_id"] for item in body["items"]} == {contact.pk}


def test_the_stage_changes_of_an_unknown_contact_are_404(marketer, api_for):
    response = api_for(marketer).get("/contacts/999999/stage-changes")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
