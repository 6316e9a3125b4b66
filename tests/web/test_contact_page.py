from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.funnel import services as funnel
from renkei.funnel.models import StageChange, StatusChange
from tests.factories import make_account, make_contact
from tests.web.conftest import HTMX

pytestmark = pytest.mark.django_db


def stage_url(contact) -> str:
    return reverse("web:contact_stage", args=[contact.pk])


def status_url(contact) -> str:
    return reverse("web:contact_status", args=[contact.pk])


def test_the_contact_page_shows_the_details_and_the_timeline(client_for, marketer):
    account = make_account(name="株式会社サンプル")
    contact = make_contact(
        family_name="鈴木",
        given_name="花子",
        family_name_kana="スズキ",
        given_name_kana="ハナコ",
        title="部長",
        email="hanako@sample.co.jp",
        phone="03-1234-5678",
        account=account,
        actor=marketer,
    )
    response = client_for(marketer).get(reverse("web:contact_detail", args=[contact.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("鈴木 花子", "スズキ ハナコ", "部長", "hanako@sample.co.jp", "株式会社サンプル"):
        assert text in html
    assert "03-1234-5678" in html
    assert 'href="tel:+81312345678"' in html
    assert "Entered the funnel as Lead" in html
    assert marketer.display_name in html


def test_the_stage_form_offers_only_the_moves_the_users_role_may_make(
    client_for, marketer, inside_rep, field_rep
):
    contact = make_contact(stage=LifecycleStage.MQL)
    url = reverse("web:contact_detail", args=[contact.pk])

    def offered(user) -> list[str]:
        form = client_for(user).get(url).context["stage_form"]
        return [m.target for m in form.moves]

    assert offered(marketer) == [LifecycleStage.LEAD]
    assert offered(inside_rep) == [LifecycleStage.SAL, LifecycleStage.SQL, LifecycleStage.LEAD]
    assert offered(field_rep) == []
    assert "Your role makes no moves from this stage." in (
        client_for(field_rep).get(url).content.decode()
    )


def test_changing_stage_with_htmx_swaps_the_panel_and_the_timeline(client_for, inside_rep):
    contact = make_contact(stage=LifecycleStage.MQL)
    response = client_for(inside_rep).post(
        stage_url(contact),
        {"stage-to_stage": "sal", "stage-expected_stage": "mql", "stage-reason": ""},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="funnel-panel"')
    assert re.search(r'<section id="timeline"[^>]* hx-swap-oob="true">', html)
    assert re.search(r'<span id="contact-badges"[^>]* hx-swap-oob="true">', html)
    assert "MQL → SAL" in html
    assert "<html" not in html
    contact.refresh_from_db()
    assert contact.lifecycle_stage == LifecycleStage.SAL
    change = StageChange.objects.filter(contact=contact).first()
    assert change.actor == inside_rep


def test_changing_stage_without_javascript_redirects_with_a_message(client_for, inside_rep):
    contact = make_contact(stage=LifecycleStage.MQL)
    client = client_for(inside_rep)
    response = client.post(
        stage_url(contact),
        {"stage-to_stage": "sql", "stage-expected_stage": "mql"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:contact_detail", args=[contact.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{contact.full_name} moved to SQL."
    ]
    contact.refresh_from_db()
    assert contact.lifecycle_stage == LifecycleStage.SQL


def test_changing_stage_without_reason_when_recycling_shows_an_error_and_changes_nothing(
    client_for, inside_rep
):
    contact = make_contact(stage=LifecycleStage.MQL)
    data = {"stage-to_stage": "lead", "stage-expected_stage": "mql", "stage-reason": "  "}
    client = client_for(inside_rep)

    htmx = client.post(stage_url(contact), data, headers=HTMX)
    assert htmx.status_code == 400
    assert "Moving a contact back needs a reason." in htmx.content.decode()

    plain = client.post(stage_url(contact), data)
    assert plain.status_code == 422
    assert "Moving a contact back needs a reason." in plain.content.decode()
    assert "<html" in plain.content.decode()

    contact.refresh_from_db()
    assert contact.lifecycle_stage == LifecycleStage.MQL
    assert StageChange.objects.filter(contact=contact).count() == 1


def test_recycling_with_a_reason_moves_the_contact_back_and_shows_the_reason(
    client_for, inside_rep
):
    contact = make_contact(stage=LifecycleStage.MQL)
    response = client_for(inside_rep).post(
        stage_url(contact),
        {"stage-to_stage": "lead", "stage-expected_stage": "mql", "stage-reason": "予算なし"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "予算なし" in response.content.decode()
    contact.refresh_from_db()
    assert (contact.lifecycle_stage, contact.lead_status) == ("lead", LeadStatus.NURTURE)


def test_an_invalid_move_shows_the_funnels_message_and_changes_nothing(client_for, field_rep):
    contact = make_contact()
    client = client_for(field_rep)
    data = {"stage-to_stage": "customer", "stage-expected_stage": "lead"}
    htmx = client.post(stage_url(contact), data, headers=HTMX)
    assert htmx.status_code == 400
    assert "A contact cannot move from Lead to Customer." in htmx.content.decode()
    plain = client.post(stage_url(contact), data)
    assert plain.status_code == 422
    contact.refresh_from_db()
    assert contact.lifecycle_stage == LifecycleStage.LEAD


def test_a_move_the_role_may_not_make_is_refused(client_for, field_rep):
    contact = make_contact()
    response = client_for(field_rep).post(
        stage_url(contact),
        {"stage-to_stage": "mql", "stage-expected_stage": "lead"},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert "Your role may not make this move." in response.content.decode()
    contact.refresh_from_db()
    assert contact.lifecycle_stage == LifecycleStage.LEAD


def test_a_move_from_an_outdated_page_is_refused_and_the_panel_shows_the_new_stage(
    client_for, marketer, inside_rep
):
    contact = make_contact()
    funnel.change_stage(contact, to_stage=LifecycleStage.MQL, actor=marketer)
    response = client_for(inside_rep).post(
        stage_url(contact),
        {"stage-to_stage": "sal", "stage-expected_stage": "lead", "stage-reason": "架電済み"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this contact&#x27;s stage meanwhile" in html
    assert 'name="stage-expected_stage" value="mql"' in html
    assert "架電済み" in html
    contact.refresh_from_db()
    assert contact.lifecycle_stage == LifecycleStage.MQL


def test_a_missing_target_stage_is_a_form_error(client_for, inside_rep):
    contact = make_contact()
    response = client_for(inside_rep).post(
        stage_url(contact), {"stage-expected_stage": "lead"}, headers=HTMX
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_the_stage_and_status_endpoints_take_only_post(client_for, inside_rep):
    contact = make_contact()
    client = client_for(inside_rep)
    assert client.get(stage_url(contact)).status_code == 405
    assert client.get(status_url(contact)).status_code == 405


def test_the_stage_form_is_protected_against_cross_site_requests(inside_rep):
    from django.test import Client

    contact = make_contact()
    client = Client(enforce_csrf_checks=True)
    client.force_login(inside_rep)
    response = client.post(
        stage_url(contact), {"stage-to_stage": "sal", "stage-expected_stage": "lead"}
    )
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.lifecycle_stage == LifecycleStage.LEAD


def test_disqualifying_needs_a_reason(client_for, inside_rep):
    contact = make_contact()
    client = client_for(inside_rep)
    refused = client.post(status_url(contact), {"status-to_status": "disqualified"}, headers=HTMX)
    assert refused.status_code == 400
    assert "This change needs a reason." in refused.content.decode()
    contact.refresh_from_db()
    assert contact.lead_status == LeadStatus.NEW
    done = client.post(
        status_url(contact),
        {"status-to_status": "disqualified", "status-reason": "競合他社"},
        headers=HTMX,
    )
    assert done.status_code == 200
    contact.refresh_from_db()
    assert contact.lead_status == LeadStatus.DISQUALIFIED
    assert StatusChange.objects.get(contact=contact).reason == "競合他社"


def test_reopening_a_disqualified_contact_needs_a_reason(client_for, inside_rep):
    contact = make_contact()
    funnel.change_status(
        contact, to_status=LeadStatus.DISQUALIFIED, actor=inside_rep, reason="重複"
    )
    client = client_for(inside_rep)
    page = client.get(reverse("web:contact_detail", args=[contact.pk])).content.decode()
    assert "Required when reopening a disqualified contact." in page
    assert "Reopen it by changing its status before moving it forward." in page
    refused = client.post(status_url(contact), {"status-to_status": "working"})
    assert refused.status_code == 422
    contact.refresh_from_db()
    assert contact.lead_status == LeadStatus.DISQUALIFIED
    ok = client.post(
        status_url(contact), {"status-to_status": "working", "status-reason": "再検討"}
    )
    assert ok.status_code == 302
    contact.refresh_from_db()
    assert contact.lead_status == LeadStatus.WORKING


def test_a_disqualified_contact_is_not_offered_forward_moves(client_for, inside_rep):
    contact = make_contact(stage=LifecycleStage.MQL)
    funnel.change_status(
        contact, to_status=LeadStatus.DISQUALIFIED, actor=inside_rep, reason="重複"
    )
    form = (
        client_for(inside_rep)
        .get(reverse("web:contact_detail", args=[contact.pk]))
        .context["stage_form"]
    )
    assert [m.target for m in form.moves] == [LifecycleStage.LEAD]


def test_setting_the_status_it_already_has_shows_the_funnels_message(client_for, inside_rep):
    contact = make_contact()
    response = client_for(inside_rep).post(
        status_url(contact), {"status-to_status": "new"}, headers=HTMX
    )
    assert response.status_code == 400
    assert "The contact already has this status." in response.content.decode()


def test_the_contact_page_of_an_unknown_contact_is_not_found(client_for, marketer):
    assert client_for(marketer).get("/contacts/424242/").status_code == 404
    assert client_for(marketer).post("/contacts/424242/stage/").status_code == 404


def test_a_stage_move_and_the_status_it_sets_show_as_one_timeline_entry(client_for, inside_rep):
    contact = make_contact(stage=LifecycleStage.MQL)
    funnel.change_stage(contact, to_stage=LifecycleStage.LEAD, actor=inside_rep, reason="時期尚早")
    response = client_for(inside_rep).get(reverse("web:contact_detail", args=[contact.pk]))
    first = response.context["timeline"][0]
    assert first.entry.title == "MQL → Lead"
    assert [r.title for r in first.related] == ["Status: New → Back to nurture"]
    assert response.content.decode().count("時期尚早") == 1
