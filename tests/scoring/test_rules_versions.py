"""Rule-set versions: drafts are edited, activation archives the active version and
rescores everyone, history stays readable; bad input is refused with clear errors; a new
touch rescores its contact in the worker."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renkei.contacts.choices import Industry
from renkei.marketing.choices import TouchType
from renkei.marketing.tracking import BatchIn, identify_visitor, record_batch, record_touch
from renkei.scoring import services
from renkei.scoring.choices import RuleSetStatus
from renkei.scoring.models import ContactScore, RuleSet
from renkei.scoring.services import ScoringError
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
IT_RULE = {"kind": "fit", "field": "industry", "values": [Industry.IT], "points": 20}


@pytest.fixture(autouse=True)
def immediate_tasks(settings) -> None:
    settings.TASKS = IMMEDIATE


def draft_with(actor, *rules, **settings):
    draft = services.create_draft(actor=actor, name="v", **settings)
    for rule in rules:
        services.add_rule(draft, actor=actor, **rule)
    return draft


def test_activating_archives_the_previous_version_and_keeps_it_readable(
    manager, django_capture_on_commit_callbacks
):
    first = draft_with(manager, IT_RULE)
    services.activate(first, actor=manager)
    second = services.create_draft(actor=manager)
    assert [(r.field, r.points) for r in second.rules.all()] == [("industry", 20)]
    services.add_rule(second, actor=manager, **{**IT_RULE, "points": 35})
    with django_capture_on_commit_callbacks(execute=True):
        services.activate(second, actor=manager)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RuleSetStatus.ARCHIVED and first.archived_at is not None
    assert second.status == RuleSetStatus.ACTIVE and second.activated_by == manager
    assert list(first.rules.values_list("points", flat=True)) == [20]


def test_activation_rescores_every_contact(manager, django_capture_on_commit_callbacks):
    contact = make_contact(account=make_account(industry=Industry.IT))
    draft = draft_with(manager, IT_RULE)
    with django_capture_on_commit_callbacks(execute=True):
        services.activate(draft, actor=manager)
    score = ContactScore.objects.get(contact=contact)
    assert (score.total, score.rule_set_id) == (20, draft.pk)


def test_active_and_archived_versions_cannot_be_changed(manager):
    active = draft_with(manager, IT_RULE)
    services.activate(active, actor=manager)
    with pytest.raises(ScoringError, match="cannot be changed"):
        services.add_rule(active, actor=manager, **IT_RULE)
    with pytest.raises(ScoringError):
        services.remove_rule(active.rules.get(), actor=manager)
    with pytest.raises(ScoringError):
        services.delete_draft(active, actor=manager)


def test_an_empty_draft_cannot_be_activated(manager):
    with pytest.raises(ScoringError, match="at least one rule"):
        services.activate(services.create_draft(actor=manager), actor=manager)
    assert not RuleSet.objects.filter(status=RuleSetStatus.ACTIVE).exists()


def test_marketers_draft_but_only_managers_activate(marketer, manager, inside_rep):
    draft = draft_with(marketer, IT_RULE)
    with pytest.raises(PermissionDenied):
        services.activate(draft, actor=marketer)
    with pytest.raises(PermissionDenied):
        services.create_draft(actor=inside_rep)
    with pytest.raises(PermissionDenied):
        services.add_rule(draft, actor=inside_rep, **IT_RULE)
    services.activate(draft, actor=manager)


F = "fit"
E = "engagement"


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        ({"kind": F, "field": "shoe_size", "values": ["27"], "points": 5}, "field", "Unknown field"),  # noqa: E501
        ({"kind": F, "field": "industry", "values": [], "points": 5}, "values", "at least one value"),  # noqa: E501
        ({"kind": F, "field": "industry", "values": ["mining"], "points": 5}, "values", "Not a valid choice"),  # noqa: E501
        ({"kind": F, "field": "industry", "values": ["it"], "points": 5000}, "points", "between −1000 and 1000"),  # noqa: E501
        ({"kind": F, "field": "industry", "values": ["it"], "points": 0}, "points", "other than 0"),
        ({"kind": F, "field": "competitor_domain", "values": ["not a domain"], "points": -5}, "values", "Not a domain"),  # noqa: E501
        ({"kind": F, "field": "persona", "values": [999], "points": 5}, "values", "personas that exist"),  # noqa: E501
        ({"kind": E, "field": "fax", "points": 5}, "field", "Unknown touch type"),
        ({"kind": E, "field": "page_view", "points": 5, "cap": 0}, "cap", "between 1 and"),
        ({"kind": E, "field": "page_view", "points": 5, "buyer_stage": "later"}, "buyer_stage", "buyer stage"),  # noqa: E501
    ],
)  # fmt: skip
def test_bad_rules_are_refused_with_a_clear_error(manager, rule, field, message):
    draft = services.create_draft(actor=manager)
    with pytest.raises(ValidationError) as caught:
        services.add_rule(draft, actor=manager, **rule)
    assert message in " ".join(caught.value.message_dict[field])
    assert not draft.rules.exists()


@pytest.mark.parametrize("half_life", [0, -3, "x"])
def test_the_half_life_must_be_positive(manager, half_life):
    draft = services.create_draft(actor=manager)
    with pytest.raises(ValidationError) as caught:
        services.update_draft(draft, actor=manager, name="v", half_life_days=half_life)
    assert "half_life_days" in caught.value.message_dict


def test_a_new_touch_rescores_its_contact_in_the_worker(
    manager, django_capture_on_commit_callbacks
):
    services.activate(
        draft_with(manager, {"kind": "engagement", "field": "download", "points": 10}),
        actor=manager,
    )
    contact = make_contact()
    with django_capture_on_commit_callbacks(execute=True):
        record_touch(type=TouchType.DOWNLOAD, contact=contact)
    assert ContactScore.objects.get(contact=contact).engagement == pytest.approx(10, abs=0.01)


def test_tracked_page_views_of_an_identified_visitor_rescore_the_contact(
    manager, django_capture_on_commit_callbacks
):
    services.activate(
        draft_with(manager, {"kind": "engagement", "field": "page_view", "points": 3}),
        actor=manager,
    )
    contact = make_contact()
    batch = BatchIn(
        visitor="v" * 20,
        events=[{"type": "page_view", "url": "https://example.co.jp/"}] * 2,
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_batch(batch)
    assert not ContactScore.objects.filter(contact=contact).exists()
    with django_capture_on_commit_callbacks(execute=True):
        identify_visitor("v" * 20, contact)
    assert ContactScore.objects.get(contact=contact).engagement == pytest.approx(6, abs=0.01)
    with django_capture_on_commit_callbacks(execute=True):
        record_batch(batch)
    assert ContactScore.objects.get(contact=contact).engagement == pytest.approx(12, abs=0.01)


def test_contacts_edited_lately_are_rescored_by_the_periodic_job(manager):
    from renkei.contacts import services as contact_services
    from renkei.scoring.compute import compute_scores
    from renkei.scoring.tasks import rescore_recent_contacts

    rule_set = services.activate(draft_with(manager, IT_RULE), actor=manager, rescore=False)
    contact = make_contact(account=make_account(industry=Industry.FINANCE))
    compute_scores(rule_set)
    assert ContactScore.objects.get(contact=contact).total == 0
    contact_services.update_account(contact.account, actor=manager, industry=Industry.IT)
    assert rescore_recent_contacts.call() >= 1
    assert ContactScore.objects.get(contact=contact).total == 20


def test_rule_changes_and_activation_are_in_the_audit_log(manager):
    from renkei.core.audit import history

    draft = draft_with(manager, IT_RULE)
    services.remove_rule(draft.rules.get(), actor=manager)
    services.add_rule(draft, actor=manager, kind="fit", field="free_mail", points=-5)
    services.activate(draft, actor=manager, rescore=False)
    changes = [entry.changes for entry in history(draft).order_by("id")]
    assert {"rule_added": [None, "Industry is IT and software"]} in changes
    assert {"rule_removed": ["Industry is IT and software", None]} in changes
    assert changes[-1] == {"status": ["draft", "active"]}
