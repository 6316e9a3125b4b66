"""List endpoints run a fixed number of queries whatever the page size: token look-up,
count, page (related rows joined)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.contacts.choices import LifecycleStage
from renkei.funnel import services as funnel
from tests.factories import make_account, make_contact, make_user

pytestmark = pytest.mark.django_db

LIST_QUERIES = 3


@pytest.fixture
def funnel_data(marketer):
    for n in range(12):
        owner = make_user(username=f"owner{n}")
        account = make_account(owner=owner)
        contact = make_contact(account=account, owner=owner)
        funnel.change_stage(contact, to_stage=LifecycleStage.MQL, actor=marketer)


def queries_for(api, path: str, limit: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, {"limit": limit})
    assert response.status_code == 200
    assert len(response.json()["items"]) == min(limit, response.json()["count"])
    return len(captured)


@pytest.mark.parametrize("path", ["/contacts", "/accounts", "/stage-changes"])
def test_a_list_runs_the_same_queries_for_any_page_size(
    path, marketer, api_for, funnel_data, django_assert_max_num_queries
):
    api = api_for(marketer)
    api.get("/me")  # the first use of a token records when it was used
    one = queries_for(api, path, limit=1)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = api.get(path, {"limit": 12})
    assert len(response.json()["items"]) == 12
    assert queries_for(api, path, limit=12) == one


def test_a_contacts_stage_changes_run_a_fixed_number_of_queries(
    marketer, api_for, django_assert_max_num_queries
):
    contact = make_contact()
    for stage in (LifecycleStage.MQL, LifecycleStage.LEAD, LifecycleStage.MQL):
        funnel.change_stage(contact, to_stage=stage, actor=marketer, reason="再検討")
    api = api_for(marketer)
    api.get("/me")
    with django_assert_max_num_queries(LIST_QUERIES + 1):  # + the contact's existence
        response = api.get(f"/contacts/{contact.pk}/stage-changes")
    assert response.json()["count"] == 4
