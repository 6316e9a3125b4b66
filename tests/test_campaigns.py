"""Campaigns: settings and their validation, touches linked by UTM code (when recorded and
afterwards), members with status history, the roll-up, and the pages and link builder."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from renkei.contacts.choices import LifecycleStage
from renkei.core.models import AuditLog
from renkei.funnel import services as funnel
from renkei.marketing import campaigns, services, tracking
from renkei.marketing.choices import CampaignType, MemberStatus, TouchType
from renkei.marketing.models import Campaign, CampaignMember, Touch
from renkei.marketing.utm import build_utm_url
from tests.factories import make_account, make_contact
from tests.marketing.conftest import make_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def expo(marketer) -> Campaign:
    return campaigns.create_campaign(
        actor=marketer,
        name="Japan IT Week 春 2026",
        type=CampaignType.EXHIBITION,
        start_date=dt.date(2026, 4, 8),
        end_date=dt.date(2026, 4, 10),
        budget=3_000_000,
        actual_cost=2_400_000,
        utm_campaign="itweek-spring-2026",
    )


def batch(code: str, url: str = "https://www.example.co.jp/lp/") -> tracking.BatchIn:
    return tracking.BatchIn(
        visitor="v" * 20, events=[{"type": "page_view", "url": url, "utm_campaign": code}]
    )


# --- settings -------------------------------------------------------------------------
def test_a_campaign_without_a_code_gets_one_from_its_name(marketer):
    first = campaigns.create_campaign(actor=marketer, name="Spring Webinar", type="webinar")
    second = campaigns.create_campaign(actor=marketer, name="Spring Webinar", type="webinar")
    assert (first.utm_campaign, second.utm_campaign) == ("spring-webinar", "spring-webinar-2")
    assert AuditLog.objects.filter(object_id=str(first.pk), actor=marketer).exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"budget": -1}, "budget"),
        ({"actual_cost": -500}, "actual_cost"),
        ({"start_date": dt.date(2026, 5, 2), "end_date": dt.date(2026, 5, 1)}, "end_date"),
        ({"utm_campaign": "spring sale"}, "utm_campaign"),
        ({"type": "billboard"}, "type"),
    ],
)
def test_bad_campaign_values_are_refused(marketer, values, field):
    with pytest.raises(ValidationError) as err:
        campaigns.create_campaign(actor=marketer, **({"name": "x", "type": "email"} | values))
    assert field in err.value.message_dict
    assert not Campaign.objects.exists()


def test_a_utm_code_belongs_to_one_campaign(marketer, expo):
    with pytest.raises(ValidationError) as err:
        campaigns.create_campaign(
            actor=marketer, name="y", type="email", utm_campaign="itweek-spring-2026"
        )
    assert "utm_campaign" in err.value.message_dict


# --- touches --------------------------------------------------------------------------
def test_a_page_view_with_the_campaigns_code_is_linked_when_recorded(expo):
    tracking.record_batch(batch("itweek-spring-2026"))
    tracking.record_batch(batch("other"))
    assert Touch.objects.get(utm_campaign="itweek-spring-2026").campaign == expo
    assert Touch.objects.get(utm_campaign="other").campaign is None


def test_touches_recorded_before_the_campaign_existed_are_linked_when_it_is_saved(marketer):
    tracking.record_batch(batch("autumn-seminar"))
    seminar = campaigns.create_campaign(
        actor=marketer, name="秋のセミナー", type="seminar", utm_campaign="autumn-seminar"
    )
    assert Touch.objects.get().campaign == seminar
    campaigns.update_campaign(seminar, actor=marketer, utm_campaign="autumn-seminar-2026")
    assert Touch.objects.get().campaign is None
    tracking.record_batch(batch("autumn-seminar-2026"))
    Touch.objects.update(campaign=None)
    assert campaigns.backfill_touch_campaigns() == 1


def test_a_form_submission_links_its_touch_and_makes_the_contact_a_member(marketer, expo):
    form = make_form(actor=marketer, campaign="itweek-spring-2026")
    services.receive_submission(
        form,
        values={"company": "株式会社サンプル", "family_name": "田中", "email": "t@sample.co.jp"},
        hidden={},
        consent_given=False,
        ip="127.0.0.1",
        user_agent="Mozilla/5.0",
        language="ja",
    )
    touch = Touch.objects.get(type=TouchType.FORM_SUBMIT)
    assert touch.campaign == expo
    member = CampaignMember.objects.get(campaign=expo)
    assert (member.contact, member.status) == (touch.contact, MemberStatus.RESPONDED)
    assert member.changes.get().actor_label == "form"


# --- members --------------------------------------------------------------------------
def test_members_are_added_by_email_and_unknown_addresses_reported(marketer, expo):
    tanaka = make_contact(email="tanaka@sample.co.jp")
    campaigns.add_members(expo, [tanaka], status=MemberStatus.REGISTERED, actor=marketer)
    suzuki = make_contact(email="suzuki@sample.co.jp")
    result = campaigns.add_members_by_email(
        expo,
        "Suzuki@Sample.co.jp, tanaka@sample.co.jp\nnobody@sample.co.jp",
        status=MemberStatus.INVITED,
        actor=marketer,
    )
    assert [m.contact for m in result.added] == [suzuki]
    assert result.already == 1 and result.unknown == ["nobody@sample.co.jp"]
    assert CampaignMember.objects.get(contact=tanaka).status == MemberStatus.REGISTERED


def test_a_status_change_is_recorded_in_the_members_history(marketer, expo):
    contact = make_contact()
    (member,) = campaigns.add_members(
        expo, [contact], status=MemberStatus.REGISTERED, actor=marketer
    ).added
    campaigns.change_member_status(member, MemberStatus.ATTENDED, actor=marketer)
    history = [(c.from_status, c.to_status, c.actor) for c in member.changes.order_by("at", "id")]
    assert history == [
        ("", MemberStatus.REGISTERED, marketer),
        (MemberStatus.REGISTERED, MemberStatus.ATTENDED, marketer),
    ]
    with pytest.raises(campaigns.CampaignError):
        campaigns.change_member_status(member, MemberStatus.ATTENDED, actor=marketer)


def test_the_roll_up_counts_members_touches_stages_and_cost(marketer, inside_rep, expo):
    reached = [make_contact(stage=LifecycleStage.LEAD) for _ in range(3)]
    subscriber = make_contact(stage=LifecycleStage.SUBSCRIBER)
    campaigns.add_members(expo, [*reached, subscriber], status="attended", actor=marketer)
    funnel.change_stage(reached[0], to_stage=LifecycleStage.MQL, actor=marketer)
    anonymous_visit = batch("itweek-spring-2026")
    tracking.record_batch(anonymous_visit)
    tracking.record_touch(
        type=TouchType.PAGE_VIEW, contact=make_contact(), utm_campaign="itweek-spring-2026"
    )
    report = campaigns.campaign_report(expo)
    assert report.member_count == 4
    assert report.contacts_reached == 5  # four members and one touched contact
    assert report.touch_count == 2
    stages = {row["stage"]: (row["ever"], row["since"]) for row in report.stages}
    assert stages[LifecycleStage.LEAD] == (3, 0)  # they were leads before joining
    assert stages[LifecycleStage.MQL] == (1, 1)
    assert report.leads == 3  # the subscriber is not a lead
    assert report.cost_per_lead == 800_000


# --- pages ----------------------------------------------------------------------------
def test_marketing_creates_a_campaign_through_the_page(client_for, marketer):
    response = client_for(marketer).post(
        reverse("marketing:campaign_new"),
        {
            "name": "製造業向けウェビナー",
            "type": "webinar",
            "channel": "webinar",
            "buyer_stage": "interest",
            "start_date": "2026-06-01",
            "end_date": "2026-06-01",
            "budget": "200000",
            "actual_cost": "0",
            "utm_campaign": "",
            "description": "",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.utm_campaign.startswith("campaign") or campaign.utm_campaign
    page = client_for(marketer).get(response["Location"]).content.decode()
    assert "製造業向けウェビナー" in page and "¥200,000" in page


def test_the_campaign_form_explains_bad_input(client_for, marketer):
    response = client_for(marketer).post(
        reverse("marketing:campaign_new"),
        {"name": "x", "type": "email", "budget": "-5", "utm_campaign": "a b"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in html
    assert "no spaces" in html
    assert not Campaign.objects.exists()


def test_the_campaign_page_shows_members_and_their_history(client_for, marketer, expo):
    contact = make_contact(account=make_account(name="株式会社サンプル"))
    client = client_for(marketer)
    response = client.post(
        reverse("marketing:campaign_members_add", args=[expo.pk]),
        {"emails": f"{contact.email}\nnobody@example.com", "status": "registered"},
    )
    assert response.status_code == 302
    member = CampaignMember.objects.get()
    client.post(
        reverse("marketing:campaign_member_status", args=[expo.pk, member.pk]),
        {"status": "no_show"},
    )
    html = client.get(reverse("marketing:campaign_detail", args=[expo.pk])).content.decode()
    assert contact.full_name in html and "株式会社サンプル" in html
    assert "Registered → No-show" in html
    page = client.get(reverse("web:contact_detail", args=[contact.pk])).content.decode()
    assert 'id="campaigns-panel"' in page
    assert "Japan IT Week 春 2026: Registered → No-show" in page


def test_adding_members_reports_unknown_addresses(client_for, marketer, expo):
    client = client_for(marketer)
    response = client.post(
        reverse("marketing:campaign_members_add", args=[expo.pk]),
        {"emails": "nobody@example.com", "status": "invited"},
        follow=True,
    )
    assert "No contact has these addresses: nobody@example.com" in response.content.decode()


def test_removing_a_member_asks_first(client_for, marketer, expo):
    contact = make_contact()
    (member,) = campaigns.add_members(expo, [contact], actor=marketer).added
    url = reverse("marketing:campaign_member_remove", args=[expo.pk, member.pk])
    assert "Take" in client_for(marketer).get(url).content.decode()
    assert client_for(marketer).post(url).status_code == 302
    assert not CampaignMember.objects.exists()


def test_deleting_a_campaign_keeps_its_touches(client_for, marketer, expo):
    tracking.record_batch(batch("itweek-spring-2026"))
    client_for(marketer).post(reverse("marketing:campaign_delete", args=[expo.pk]))
    assert not Campaign.objects.exists()
    assert Touch.objects.get().campaign is None


def test_campaign_pages_are_for_marketing(client_for, field_rep, expo):
    client = client_for(field_rep)
    assert client.get(reverse("marketing:campaigns")).status_code == 403
    assert client.get(reverse("marketing:campaign_detail", args=[expo.pk])).status_code == 403
    assert client.get(reverse("marketing:utm_builder")).status_code == 403


def test_the_campaign_list_filters_by_type(client_for, marketer, expo):
    campaigns.create_campaign(actor=marketer, name="メルマガ 6月号", type="email")
    html = client_for(marketer).get(reverse("marketing:campaigns"), {"type": "email"})
    html = html.content.decode()
    assert "メルマガ 6月号" in html and "Japan IT Week" not in html


def test_the_utm_builder_builds_a_copyable_link(client_for, marketer, expo):
    response = client_for(marketer).get(
        reverse("marketing:utm_builder"),
        {
            "base_url": "https://www.example.co.jp/lp/?ref=top#form",
            "utm_source": "newsletter",
            "utm_medium": "email",
            "utm_campaign": "itweek-spring-2026",
            "utm_content": "",
            "utm_term": "",
        },
    )
    link = response.context["link"]
    assert response.status_code == 200
    parts = urlsplit(link)
    assert parts.fragment == "form"
    assert parse_qs(parts.query) == {
        "ref": ["top"],
        "utm_source": ["newsletter"],
        "utm_medium": ["email"],
        "utm_campaign": ["itweek-spring-2026"],
    }
    assert 'data-copy="#utm-link"' in response.content.decode()


def test_the_utm_builder_refuses_bad_input(client_for, marketer):
    response = client_for(marketer).get(
        reverse("marketing:utm_builder"),
        {
            "base_url": "javascript:alert(1)",
            "utm_source": "a b",
            "utm_medium": "",
            "utm_campaign": "x",
        },
    )
    assert response.status_code == 422
    assert response.context["link"] == ""
    html = response.content.decode()
    assert "Enter a valid URL." in html and "This field is required." in html


def test_building_a_link_replaces_existing_utm_parameters():
    url = build_utm_url(
        "https://example.jp/a?utm_source=old&x=1",
        {"utm_source": "new", "utm_medium": "cpc", "utm_campaign": "春"},
    )
    assert url == "https://example.jp/a?x=1&utm_source=new&utm_medium=cpc&utm_campaign=%E6%98%A5"


def test_the_admin_lists_campaigns(client_for, admin_user, expo):
    client = client_for(admin_user)
    assert client.get("/admin/marketing/campaign/").status_code == 200
    assert client.get("/admin/marketing/campaignmember/").status_code == 200


# --- merging duplicates ---------------------------------------------------------------
def test_merging_two_members_of_one_campaign_keeps_one_membership_with_both_histories(
    marketer, expo
):
    from renkei.contacts.dedup.services import merge_contacts
    from renkei.marketing import personas
    from renkei.marketing.models import PersonaMatch

    survivor, duplicate = make_contact(), make_contact()
    (kept,) = campaigns.add_members(expo, [survivor], status="registered", actor=marketer).added
    (theirs,) = campaigns.add_members(expo, [duplicate], status="registered", actor=marketer).added
    campaigns.change_member_status(theirs, MemberStatus.ATTENDED, actor=marketer)
    hand = personas.create_persona(actor=marketer, name="手動")
    auto = personas.create_persona(actor=marketer, name="自動", title_keywords="部長")
    PersonaMatch.objects.create(contact=survivor, persona=auto, matched_at=expo.created_at)
    personas.choose_persona(duplicate, hand, actor=marketer)

    merge_contacts(survivor, duplicate, actor=marketer)

    member = CampaignMember.objects.get(campaign=expo)
    assert (member.pk, member.contact_id, member.status) == (kept.pk, survivor.pk, "attended")
    assert member.changes.count() == 3
    match = PersonaMatch.objects.get(contact=survivor)
    assert (match.persona, match.manual) == (hand, True)


def test_the_form_builder_suggests_campaign_codes(client_for, marketer, expo):
    html = client_for(marketer).get(reverse("marketing:form_new")).content.decode()
    assert 'list="campaign-codes"' in html
    assert '<option value="itweek-spring-2026">Japan IT Week 春 2026</option>' in html
