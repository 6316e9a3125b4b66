"""The demo's marketing data: personas matched to the seeded contacts, campaigns from
their source campaigns with members, content with touches; deterministic, and without
changing the contacts themselves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings

from renkei.contacts.models import Contact
from renkei.demo.seed import seed
from renkei.marketing.choices import CampaignType, MemberStatus, TouchType
from renkei.marketing.models import (
    Campaign,
    CampaignMember,
    ContentAsset,
    Persona,
    PersonaMatch,
    Touch,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 6, 30, tzinfo=dt.UTC)
FAST = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


class _Rollback(Exception):
    pass


def _seeded_marketing(random_seed: int) -> dict[str, object]:
    with FAST, pytest.raises(_Rollback), transaction.atomic():
        seed(contacts=300, random_seed=random_seed, now=NOW)
        snapshot = {
            "personas": sorted(PersonaMatch.objects.values_list("contact__email", "persona__name")),
            "campaigns": list(
                Campaign.objects.order_by("utm_campaign").values_list(
                    "utm_campaign", "name", "budget", "actual_cost", "start_date"
                )
            ),
            "members": sorted(
                CampaignMember.objects.values_list(
                    "campaign__utm_campaign", "contact__email", "status"
                )
            ),
            "touches": sorted(
                Touch.objects.values_list(
                    "contact__email", "type", "at", "url", "campaign__utm_campaign"
                )
            ),
        }
        raise _Rollback
    return snapshot


def test_the_demo_marketing_data_is_the_same_for_the_same_seed():
    assert _seeded_marketing(11) == _seeded_marketing(11)


def test_the_demo_has_personas_campaigns_and_content_tied_together():
    with FAST:
        seed(contacts=300, random_seed=5, now=NOW)
    assert Persona.objects.count() == 5
    assert PersonaMatch.objects.count() > 50
    webinar = Campaign.objects.filter(type=CampaignType.WEBINAR).first()
    assert webinar is not None and webinar.members.exists()
    for member in webinar.members.all():
        assert Contact.objects.get(pk=member.contact_id).source_campaign == webinar.name
        if member.status != MemberStatus.REGISTERED:
            assert member.changes.order_by("at", "id").first().to_status == "registered"
    form_touches = Touch.objects.filter(type=TouchType.FORM_SUBMIT, campaign=webinar)
    assert form_touches.count() == webinar.members.count()
    assert ContentAsset.objects.count() == 10
    assert Touch.objects.filter(content__isnull=False, type=TouchType.PAGE_VIEW).exists()
    assert not Touch.objects.filter(at__gt=NOW).exists()
