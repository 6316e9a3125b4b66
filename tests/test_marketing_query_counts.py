"""Marketing list pages run the same number of queries however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.marketing import campaigns, content, personas, segments, tracking
from renkei.marketing.choices import TouchType
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_rows(marketer, n: int, start: int) -> None:
    persona = personas.create_persona(actor=marketer, name=f"ペルソナ{start}")
    expo = campaigns.Campaign.objects.filter(name="expo").first() or campaigns.create_campaign(
        actor=marketer, name="expo", type="exhibition", utm_campaign="expo"
    )
    for i in range(start, start + n):
        contact = make_contact(account=make_account())
        campaign = campaigns.create_campaign(
            actor=marketer, name=f"c{i}", type="email", target_personas=[persona], owner=marketer
        )
        asset = content.create_content(
            actor=marketer, title=f"a{i}", kind="article", url=f"https://ex.jp/a{i}",
            buyer_stage="interest", personas=[persona], campaign=campaign,
        )  # fmt: skip
        tracking.record_touch(type=TouchType.PAGE_VIEW, contact=contact, url=asset.url)
        (member,) = campaigns.add_members(expo, [contact], status="invited", actor=marketer).added
        campaigns.change_member_status(member, "attended", actor=marketer)
        segments.create_segment(actor=marketer, name=f"s{i}", filters={"stages": ["lead"]})
    personas.match_personas()


@pytest.mark.parametrize(
    "name",
    ["marketing:personas", "marketing:campaigns", "marketing:content", "marketing:content_map"],
)
def test_a_marketing_list_runs_the_same_queries_for_more_rows(marketer, name):
    client = Client()
    client.force_login(marketer)
    client.get(reverse("web:home"))
    add_rows(marketer, 2, 0)
    few = queries(client, reverse(name))
    add_rows(marketer, 4, 10)
    assert queries(client, reverse(name)) == few


def test_the_campaign_page_runs_the_same_queries_for_more_members(marketer):
    client = Client()
    client.force_login(marketer)
    add_rows(marketer, 2, 0)
    expo = campaigns.Campaign.objects.get(name="expo")
    url = reverse("marketing:campaign_detail", args=[expo.pk])
    few = queries(client, url)
    add_rows(marketer, 4, 10)
    assert queries(client, url) == few
