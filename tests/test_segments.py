"""Segments: saved dynamic lists from filters on the contact, its company, persona,
touches and campaign membership; their live count and pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from renkei.contacts.choices import ConsentStatus, EmployeeBand, Industry, LifecycleStage
from renkei.contacts.models import Contact
from renkei.core.models import AuditLog
from renkei.marketing import campaigns, personas, segments, tracking
from renkei.marketing.choices import TouchType
from renkei.marketing.models import Segment
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def emails(filters: dict) -> set[str]:
    parsed = segments.parse_filters(filters)
    return set(parsed.apply(Contact.objects.all()).values_list("email", flat=True))


@pytest.fixture
def people(marketer):
    maker = make_account(industry=Industry.MANUFACTURING, employee_band=EmployeeBand.B300_999)
    bank = make_account(industry=Industry.FINANCE, prefecture="27")
    return {
        "maker_mql": make_contact(
            account=maker, stage=LifecycleStage.MQL, email="a@maker.jp", title="部長",
            consent_status=ConsentStatus.OPTED_IN,
        ),
        "maker_lead": make_contact(account=maker, email="b@maker.jp"),
        "bank_lead": make_contact(account=bank, email="c@bank.jp"),
        "nobody": make_contact(email=""),
    }  # fmt: skip


def test_contact_and_company_filters_combine(people):
    assert emails({"stages": ["mql", "lead"], "industries": ["manufacturing"]}) == {
        "a@maker.jp",
        "b@maker.jp",
    }
    assert emails({"regions": ["kinki"]}) == {"c@bank.jp"}
    assert emails({"consent": ["opted_in"]}) == {"a@maker.jp"}
    assert emails({"has_email": False}) == {""}


def test_persona_filters_include_or_exclude_the_unmatched(marketer, people):
    boss = personas.create_persona(actor=marketer, name="部長", title_keywords="部長")
    personas.match_personas()
    assert emails({"personas": [boss.pk]}) == {"a@maker.jp"}
    assert emails({"personas": [boss.pk], "no_persona": True}) == {
        "a@maker.jp", "b@maker.jp", "c@bank.jp", "",
    }  # fmt: skip
    assert "a@maker.jp" not in emails({"no_persona": True})


def test_touch_filters_describe_one_touch(people):
    now = timezone.now()
    tracking.record_touch(
        type=TouchType.PAGE_VIEW, contact=people["maker_lead"], at=now - dt.timedelta(days=40)
    )
    tracking.record_touch(type=TouchType.FORM_SUBMIT, contact=people["bank_lead"], at=now)
    assert emails({"touch_types": ["page_view"]}) == {"b@maker.jp"}
    assert emails({"touched_within_days": 30}) == {"c@bank.jp"}
    assert emails({"touch_types": ["page_view"], "touched_within_days": 30}) == set()


def test_campaign_filters_describe_one_membership(marketer, people):
    webinar = campaigns.create_campaign(actor=marketer, name="ウェビナー", type="webinar")
    expo = campaigns.create_campaign(actor=marketer, name="展示会", type="exhibition")
    campaigns.add_members(webinar, [people["maker_mql"]], status="no_show", actor=marketer)
    campaigns.add_members(expo, [people["bank_lead"]], status="attended", actor=marketer)
    assert emails({"campaigns": [webinar.pk]}) == {"a@maker.jp"}
    assert emails({"member_statuses": ["attended"]}) == {"c@bank.jp"}
    assert emails({"campaigns": [webinar.pk], "member_statuses": ["attended"]}) == set()


def test_a_segment_follows_the_data(marketer, people):
    segment = segments.create_segment(actor=marketer, name="MQL", filters={"stages": ["mql"]})
    assert segments.contacts_of(segment).count() == 1
    make_contact(stage=LifecycleStage.MQL)
    assert segments.contacts_of(segment).count() == 2
    assert AuditLog.objects.filter(object_id=str(segment.pk), actor=marketer).exists()


@pytest.mark.parametrize(
    "filters",
    [{}, {"stages": ["nowhere"]}, {"colour": ["red"]}, {"touched_within_days": 0}],
)
def test_bad_or_empty_filters_are_refused(marketer, filters):
    with pytest.raises(ValidationError) as err:
        segments.create_segment(actor=marketer, name="x", filters=filters)
    assert "filters" in err.value.message_dict
    assert not Segment.objects.exists()


# --- pages ----------------------------------------------------------------------------
def test_marketing_builds_a_segment_and_sees_its_contacts(client_for, marketer, people):
    client = client_for(marketer)
    response = client.post(
        reverse("marketing:segment_new"),
        {
            "name": "製造業のMQL",
            "description": "",
            "stages": ["mql"],
            "industries": ["manufacturing"],
        },
    )
    segment = Segment.objects.get()
    assert response.status_code == 302
    assert segment.filters == {"stages": ["mql"], "industries": ["manufacturing"]}
    html = client.get(response["Location"]).content.decode()
    assert people["maker_mql"].full_name in html
    assert people["maker_lead"].full_name not in html
    assert "Manufacturing" in html  # the filters, described
    listing = client.get(reverse("marketing:segments")).content.decode()
    assert "製造業のMQL" in listing


def test_the_live_count_follows_the_filters(client_for, marketer, people):
    client = client_for(marketer)
    url = reverse("marketing:segment_count")
    counted = client.get(url, {"industries": "manufacturing"}).content.decode()
    assert '<span class="h1 mb-0">2</span>' in counted and "contacts match now" in counted
    assert "Choose at least one filter." in client.get(url).content.decode()
    bad = client.get(url, {"touched_within_days": "-3"}).content.decode()
    assert "greater than or equal to 1" in bad


def test_the_segment_form_needs_a_name_and_a_filter(client_for, marketer):
    response = client_for(marketer).post(reverse("marketing:segment_new"), {"name": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html and "Choose at least one filter." in html


def test_editing_a_segment_keeps_its_filters_in_the_form(client_for, marketer, people):
    segment = segments.create_segment(
        actor=marketer, name="メールなし", filters={"has_email": False}
    )
    client = client_for(marketer)
    form = client.get(reverse("marketing:segment_edit", args=[segment.pk])).context["form"]
    assert form["has_email"].value() == "false"
    client.post(
        reverse("marketing:segment_edit", args=[segment.pk]),
        {"name": "メールあり", "has_email": "true"},
    )
    segment.refresh_from_db()
    assert (segment.name, segment.filters) == ("メールあり", {"has_email": True})


def test_deleting_a_segment_asks_first(client_for, marketer, people):
    segment = segments.create_segment(actor=marketer, name="x", filters={"stages": ["lead"]})
    url = reverse("marketing:segment_delete", args=[segment.pk])
    assert "Its contacts are not changed." in client_for(marketer).get(url).content.decode()
    client_for(marketer).post(url)
    assert not Segment.objects.exists() and Contact.objects.count() == 4


def test_segment_pages_are_for_marketing(client_for, field_rep):
    client = client_for(field_rep)
    for name in ("marketing:segments", "marketing:segment_new", "marketing:segment_count"):
        assert client.get(reverse(name)).status_code == 403


def test_the_admin_validates_segment_filters(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get("/admin/marketing/segment/").status_code == 200
    response = client.post(
        "/admin/marketing/segment/add/",
        {"name": "x", "description": "", "filters": '{"colour": 1}', "owner": ""},
    )
    assert response.status_code == 200 and not Segment.objects.exists()
    client.post(
        "/admin/marketing/segment/add/",
        {"name": "MQL", "description": "", "filters": '{"stages": ["mql"]}', "owner": ""},
    )
    assert Segment.objects.get().filters == {"stages": ["mql"]}
