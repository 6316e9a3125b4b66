"""Rule-set pages: list, editing a draft with labelled forms, activation by managers only,
the score panel on the contact page and the score column of the contacts list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renkei.contacts.choices import Industry
from renkei.scoring import services
from renkei.scoring.compute import compute_scores
from renkei.scoring.models import RuleSet
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_a_marketer_builds_a_draft_on_the_pages(client_for, marketer):
    client = client_for(marketer)
    response = client.post(reverse("scoring:rule_set_new"), follow=True)
    draft = RuleSet.objects.get()
    assert response.status_code == 200
    assert (
        b'<label class="form-label required" for="id_fit-points">Points</label>' in response.content
    )
    url = reverse("scoring:rule_add", args=[draft.pk, "fit"])
    response = client.post(
        url,
        {"fit-field": "industry", "fit-options": ["industry:it"], "fit-points": "20"},
        follow=True,
    )
    assert "Industry is IT and software" in response.content.decode()
    url = reverse("scoring:rule_add", args=[draft.pk, "engagement"])
    client.post(url, {"eng-field": "download", "eng-points": "10", "eng-cap": "30"})
    assert draft.rules.count() == 2
    response = client.post(
        reverse("scoring:rule_set_settings", args=[draft.pk]),
        {"name": "2026年下期", "half_life_days": "0"},
    )
    assert response.status_code == 422
    assert "The half-life must be more than 0" in response.content.decode()
    rule = draft.rules.first()
    client.post(reverse("scoring:rule_remove", args=[draft.pk, rule.pk]))
    assert draft.rules.count() == 1


def test_a_rule_without_values_shows_the_error_at_its_field(client_for, marketer):
    draft = services.create_draft(actor=marketer)
    response = client_for(marketer).post(
        reverse("scoring:rule_add", args=[draft.pk, "fit"]),
        {"fit-field": "title", "fit-words": "", "fit-points": "10"},
    )
    assert response.status_code == 422
    assert 'id="id_fit-words_errors"' in response.content.decode()
    assert "Give at least one value for this rule." in response.content.decode()


def test_only_managers_see_and_use_activation(client_for, marketer, manager):
    draft = services.create_draft(actor=marketer)
    services.add_rule(draft, actor=marketer, kind="fit", field="free_mail", points=-20)
    url = reverse("scoring:rule_set_detail", args=[draft.pk])
    assert "Activate this version" not in client_for(marketer).get(url).content.decode()
    activate = reverse("scoring:rule_set_activate", args=[draft.pk])
    assert client_for(marketer).post(activate).status_code == 403
    assert "Activate this version" in client_for(manager).get(url).content.decode()
    client_for(manager).post(activate)
    draft.refresh_from_db()
    assert draft.status == "active"


def test_sales_read_the_rules_but_cannot_change_them(client_for, inside_rep, manager):
    draft = services.create_draft(actor=manager)
    assert client_for(inside_rep).get(reverse("scoring:rule_sets")).status_code == 200
    assert (
        client_for(inside_rep).get(reverse("scoring:rule_set_detail", args=[draft.pk])).status_code
        == 200
    )
    assert client_for(inside_rep).post(reverse("scoring:rule_set_new")).status_code == 403
    response = client_for(inside_rep).post(
        reverse("scoring:rule_add", args=[draft.pk, "fit"]),
        {"fit-field": "free_mail", "fit-points": "-5"},
    )
    assert response.status_code == 403


def test_the_contact_page_shows_the_score_and_its_reasons(client_for, manager, inside_rep):
    draft = services.create_draft(actor=manager)
    services.add_rule(draft, actor=manager, kind="fit", field="industry", values=["it"], points=20)
    services.add_rule(draft, actor=manager, kind="fit", field="free_mail", points=-5)
    rules = services.activate(draft, actor=manager)
    contact = make_contact(account=make_account(industry=Industry.IT), email="x@gmail.com")
    compute_scores(rules)
    page = (
        client_for(inside_rep)
        .get(reverse("web:contact_detail", args=[contact.pk]))
        .content.decode()
    )
    assert '<span class="fs-1 fw-bold" data-score-total>15</span>' in page
    assert "Industry is IT and software" in page
    assert "Email address is a free-mail address" in page


def test_the_contacts_list_shows_scores_without_a_query_per_row(
    client_for, manager, django_assert_max_num_queries
):
    draft = services.create_draft(actor=manager)
    services.add_rule(draft, actor=manager, kind="fit", field="industry", values=["it"], points=20)
    rules = services.activate(draft, actor=manager)
    account = make_account(industry=Industry.IT)
    for _ in range(5):
        make_contact(account=account)
    compute_scores(rules)
    client = client_for(manager)
    client.get(reverse("web:contacts"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("web:contacts"))
    assert response.content.decode().count(">20</span>") == 5
