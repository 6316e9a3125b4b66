"""The demo data generator: realistic, deterministic, and consistent with the funnel rules."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterator

import phonenumbers
import pytest
from django.db import transaction
from django.test import Client, override_settings
from stdnum.jp import cn as corporate_number_std

from renkei.contacts.choices import LeadStatus, LifecycleStage, SourceChannel
from renkei.contacts.models import Account, Contact
from renkei.core.calendar import BusinessCalendar
from renkei.core.choices import Role
from renkei.core.models import Team, User
from renkei.demo.data import DEMO_USERS
from renkei.demo.seed import DEMO_PASSWORD, demo_logins, has_data, seed
from renkei.funnel import services as funnel
from renkei.funnel.choices import ActorKind, MoveKind
from renkei.funnel.models import StageChange, StatusChange
from renkei.funnel.transitions import (
    ENTRY_STAGES,
    entry_stages_reached,
    stages_between,
    transition,
)

# A Friday afternoon in Tokyo (15:30 JST); the history covers the year before it.
NOW = dt.datetime(2026, 11, 20, 6, 30, tzinfo=dt.UTC)
SEED = 20260401
CONTACTS = 300
STAGES = list(LifecycleStage.values)
KATAKANA = re.compile(r"^[ァ-ヶー]+$")
FAST_HASHING = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    with FAST_HASHING:
        yield


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[str]:
    """One seeded database for the module, rolled back at its end."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            yield seed(contacts=CONTACTS, random_seed=SEED, now=NOW)
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


def _snapshot() -> dict[str, object]:
    return {
        "contacts": list(
            Contact.objects.order_by("id").values_list(
                "family_name",
                "given_name",
                "email",
                "phone",
                "account__name",
                "source_campaign",
                "lifecycle_stage",
                "created_at",
            )
        ),
        "accounts": list(
            Account.objects.order_by("id").values_list("name", "corporate_number", "domain")
        ),
        "stage_changes": list(
            StageChange.objects.order_by("id").values_list("to_stage", "at", "actor_label")
        ),
        "status_changes": StatusChange.objects.count(),
    }


def _seed_and_roll_back(**kwargs: object) -> dict[str, object]:
    with pytest.raises(_Rollback), transaction.atomic():
        seed(**kwargs)  # type: ignore[arg-type]
        snapshot = _snapshot()
        raise _Rollback
    return snapshot


def test_the_same_seed_and_moment_give_the_same_data(db):
    first = _seed_and_roll_back(contacts=120, random_seed=7, now=NOW)
    second = _seed_and_roll_back(contacts=120, random_seed=7, now=NOW)
    other = _seed_and_roll_back(contacts=120, random_seed=8, now=NOW)
    assert first == second
    assert len(first["contacts"]) == 120  # type: ignore[arg-type]
    assert first["contacts"] != other["contacts"]


def test_the_summary_counts_what_was_written(seeded, db):
    assert f"{CONTACTS:,} contacts at 50 accounts" in seeded
    assert f"{StageChange.objects.count():,} stage changes" in seeded
    assert f"{StatusChange.objects.count():,} status changes" in seeded
    assert has_data()


def test_every_contact_is_in_the_stage_of_its_last_stage_change(seeded, db):
    last: dict[int, StageChange] = {}
    for change in StageChange.objects.order_by("at", "id"):
        last[change.contact_id] = change
    contacts = list(Contact.objects.all())
    assert len(contacts) == CONTACTS
    for contact in contacts:
        assert contact.lifecycle_stage == last[contact.pk].to_stage
        assert contact.stage_changed_at == last[contact.pk].at


def test_every_stage_change_sequence_follows_the_transition_table(seeded, db):
    roles = dict(User.objects.values_list("pk", "role"))
    histories: dict[int, list[StageChange]] = defaultdict(list)
    for change in StageChange.objects.order_by("at", "id"):
        histories[change.contact_id].append(change)
    for history in histories.values():
        entry, *moves = history
        assert (entry.kind, entry.from_stage) == (MoveKind.ENTER, "")
        assert entry.to_stage in ENTRY_STAGES
        previous = entry
        for move in moves:
            assert move.from_stage == previous.to_stage
            assert move.at > previous.at
            rule = transition(move.from_stage, move.to_stage)
            assert rule is not None, (move.from_stage, move.to_stage)
            assert move.kind == rule.kind
            if move.actor_kind == ActorKind.USER:
                assert roles[move.actor_id] in rule.roles
            else:
                assert rule.automatic
            if move.kind == MoveKind.RECYCLE:
                assert move.reason
            previous = move


def _actor(event: StageChange | StatusChange, users: dict[int, User]) -> User | funnel.Actor:
    if event.actor_kind == ActorKind.USER:
        return users[event.actor_id]
    if event.actor_kind == ActorKind.RULE:
        return funnel.Actor.rule(event.actor_label)
    return funnel.Actor.system(event.actor_label)


def _events(contact: Contact) -> tuple[list[tuple], list[tuple]]:
    stage = contact.stage_changes.order_by("at", "id").values_list(
        "from_stage", "to_stage", "kind", "at", "actor_kind", "actor_id", "actor_label", "reason"
    )
    status = contact.status_changes.order_by("at", "id").values_list(
        "from_status", "to_status", "at", "actor_kind", "actor_id", "actor_label", "reason"
    )
    return list(stage), list(status)


def test_every_history_replays_through_the_funnel_services(seeded, db):
    """Re-making each contact's moves with the real services, with the same actors, times
    and reasons, is accepted and gives the same events and the same contact fields."""
    users = {user.pk: user for user in User.objects.all()}
    for contact in Contact.objects.order_by("id"):
        stages = list(contact.stage_changes.order_by("at", "id"))
        statuses = list(contact.status_changes.order_by("at", "id"))
        # Status changes at a stage change's moment are that move's side effect.
        moments = {change.at for change in stages}
        actions = sorted(
            [*stages[1:], *(s for s in statuses if s.at not in moments)], key=lambda e: e.at
        )
        entry = stages[0]
        replica = funnel.add_contact(
            actor=_actor(entry, users),
            stage=entry.to_stage,
            at=entry.at,
            reason=entry.reason,
            family_name=contact.family_name,
            given_name=contact.given_name,
        )
        for event in actions:
            if isinstance(event, StageChange):
                funnel.change_stage(
                    replica.pk,
                    to_stage=event.to_stage,
                    actor=_actor(event, users),
                    reason=event.reason,
                    at=event.at,
                )
            else:
                funnel.change_status(
                    replica.pk,
                    to_status=event.to_status,
                    actor=_actor(event, users),
                    reason=event.reason,
                    at=event.at,
                )
        replica.refresh_from_db()
        assert _events(replica) == _events(contact)
        for field in ["lifecycle_stage", "lead_status", "stage_changed_at"] + [
            f"became_{stage}_at" for stage in STAGES
        ]:
            assert getattr(replica, field) == getattr(contact, field), field


def test_became_at_fields_are_the_first_time_each_stage_was_reached(seeded, db):
    reached: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    for change in StageChange.objects.order_by("at", "id"):
        if change.kind == MoveKind.ENTER:
            stages = entry_stages_reached(change.to_stage)
        elif change.kind == MoveKind.FORWARD:
            stages = stages_between(change.from_stage, change.to_stage)
        else:
            stages = []
        for stage in stages:
            reached[change.contact_id].setdefault(stage, change.at)
    for contact in Contact.objects.all():
        for stage in STAGES:
            assert contact.became_at(stage) == reached[contact.pk].get(stage), stage


def test_status_and_updated_at_follow_the_last_events(seeded, db):
    last_status: dict[int, StatusChange] = {}
    for change in StatusChange.objects.order_by("at", "id"):
        last_status[change.contact_id] = change
    for contact in Contact.objects.all():
        status_change = last_status.get(contact.pk)
        if status_change is not None:
            assert contact.lead_status == status_change.to_status
        else:
            assert contact.lead_status == LeadStatus.NEW
        latest = contact.stage_changed_at
        if status_change is not None:
            latest = max(latest, status_change.at)
        assert contact.updated_at == latest
        assert contact.created_at <= contact.stage_changed_at <= NOW


def test_referrals_and_inquiries_turn_into_opportunities_far_more_than_cards(seeded, db):
    def rate(*channels: str) -> float:
        contacts = Contact.objects.filter(source_channel__in=channels)
        won = contacts.filter(became_opportunity_at__isnull=False).count()
        return won / contacts.count()

    warm = rate(SourceChannel.REFERRAL, SourceChannel.WEBSITE)
    cold = rate(SourceChannel.EXHIBITION, SourceChannel.CONTENT_DOWNLOAD)
    assert warm > 0.2
    assert warm > 4 * cold
    assert rate(SourceChannel.REFERRAL) > rate(SourceChannel.EXHIBITION)


def test_moves_happen_on_business_days_in_business_hours(seeded, db):
    calendar = BusinessCalendar.for_organisation()
    people_moves = list(
        StageChange.objects.exclude(kind=MoveKind.ENTER).values_list("at", flat=True)
    ) + list(StatusChange.objects.values_list("at", flat=True))
    assert people_moves
    for at in people_moves:
        local = at.astimezone(calendar.tz)
        assert calendar.is_business_day(local.date()), local
        assert dt.time(9) <= local.time() < dt.time(18), local


def test_owners_follow_the_stage(seeded, db):
    roles = dict(User.objects.values_list("pk", "role"))
    for contact in Contact.objects.all():
        owner_role = roles.get(contact.owner_id)
        if contact.lifecycle_stage in (LifecycleStage.MQL, LifecycleStage.SAL):
            assert owner_role == Role.INSIDE_SALES
        elif contact.lifecycle_stage in (
            LifecycleStage.SQL,
            LifecycleStage.OPPORTUNITY,
            LifecycleStage.CUSTOMER,
        ):
            assert owner_role == Role.FIELD_SALES
        elif contact.lead_status == LeadStatus.NURTURE:
            # Recycled leads go back to marketing.
            assert contact.owner_id is None
        else:
            # New leads wait for marketing, or are an inside-sales rep's outbound calls.
            assert owner_role in (None, Role.INSIDE_SALES)


def test_recycles_and_disqualifications_carry_japanese_reasons(seeded, db):
    recycles = StageChange.objects.filter(kind=MoveKind.RECYCLE)
    assert recycles.exists()
    assert recycles.filter(reason="予算確保が来期").exists()
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", r.reason) for r in recycles)
    disqualified = StatusChange.objects.filter(to_status=LeadStatus.DISQUALIFIED)
    assert disqualified.exists()
    assert all(change.reason for change in disqualified)
    assert StageChange.objects.filter(actor_kind=ActorKind.RULE, actor_label="スコア閾値到達")


def test_corporate_numbers_are_valid_and_unique(seeded, db):
    numbers = list(Account.objects.values_list("corporate_number", flat=True))
    present = [n for n in numbers if n]
    assert len(present) >= 0.7 * len(numbers)
    assert len(set(present)) == len(present)
    assert all(corporate_number_std.is_valid(n) for n in present)


def test_company_names_use_many_legal_form_notations(seeded, db):
    seed(contacts=0, accounts=400, random_seed=11, now=NOW)
    names = list(Account.objects.values_list("name", flat=True))
    assert any(n.startswith("株式会社") for n in names)
    assert any(n.endswith("株式会社") for n in names)
    assert any("(株)" in n or "（株）" in n for n in names)
    assert any("㈱" in n for n in names)
    assert any("有限会社" in n for n in names)
    assert any("合同会社" in n for n in names)
    assert any(n.startswith("一般社団法人") for n in names)
    assert any(re.search(r"(Co\., Ltd\.|Inc\.|Corporation|K\.K\.)$", n) for n in names)
    keys = list(Account.objects.values_list("normalized_name", flat=True))
    assert len(set(keys)) == len(keys)
    assert all(KATAKANA.match(kana) for kana in Account.objects.values_list("name_kana", flat=True))


def test_prefectures_lean_on_the_big_business_areas(seeded, db):
    seed(contacts=0, accounts=400, random_seed=12, now=NOW)
    counts = Counter(Account.objects.values_list("prefecture", flat=True))
    assert counts.most_common(1)[0][0] == "13"
    big_four = sum(counts[code] for code in ("13", "27", "23", "40"))
    assert big_four > 0.5 * sum(counts.values())


def test_people_have_readings_valid_phones_and_work_emails(seeded, db):
    contacts = list(Contact.objects.select_related("account"))
    on_company_domain = 0
    for contact in contacts:
        assert KATAKANA.match(contact.family_name_kana), contact.family_name_kana
        assert KATAKANA.match(contact.given_name_kana), contact.given_name_kana
        assert re.fullmatch(r"[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+", contact.email)
        if contact.account and contact.email.endswith("@" + contact.account.domain):
            on_company_domain += 1
        if contact.phone:
            assert re.fullmatch(r"\+81\d{9,10}", contact.phone)
            number = phonenumbers.parse(contact.phone)
            assert phonenumbers.is_valid_number(number), contact.phone
    assert on_company_domain > 0.8 * len(contacts)
    assert len({c.email for c in contacts}) == len(contacts)
    assert sum(1 for c in contacts if c.phone) > 0.6 * len(contacts)


def test_exhibition_months_bring_more_new_contacts(seeded, db):
    exhibition_months = {1, 4, 7, 10}
    per_month = Counter(
        (c.year, c.month)
        for c in Contact.objects.values_list("created_at", flat=True).iterator()
        if c is not None
    )
    show = [n for (year, month), n in per_month.items() if month in exhibition_months]
    other = [n for (year, month), n in per_month.items() if month not in exhibition_months]
    assert sum(show) / len(show) > 1.5 * sum(other) / len(other)
    assert Contact.objects.filter(source_campaign__contains="春 展示会").exists()


def test_every_role_has_a_demo_login_with_the_demo_password(seeded, db):
    logins = demo_logins()
    assert [username for username, _label in logins] == [u.username for u in DEMO_USERS]
    roles = set(
        User.objects.filter(username__in=[u for u, _l in logins]).values_list("role", flat=True)
    )
    assert roles == set(Role.values)
    for username, _label in logins:
        assert Client().login(username=username, password=DEMO_PASSWORD), username
    assert {team.name for team in Team.objects.all()} >= {
        "マーケティング部",
        "インサイドセールス",
        "フィールドセールス東日本",
        "フィールドセールス西日本",
    }


def test_seeding_again_adds_people_without_duplicating_users(seeded, db):
    users = User.objects.count()
    contacts = Contact.objects.count()
    accounts = Account.objects.count()
    seed(contacts=60, accounts=10, random_seed=SEED, now=NOW)
    assert User.objects.count() == users
    assert Contact.objects.count() == contacts + 60
    assert Account.objects.count() == accounts + 10
    emails = list(Contact.objects.values_list("email", flat=True))
    assert len(set(emails)) == len(emails)
    keys = list(Account.objects.values_list("normalized_name", flat=True))
    assert len(set(keys)) == len(keys)


def test_the_demos_opted_in_contacts_may_receive_marketing_email(db):
    from renkei.contacts.choices import ConsentStatus
    from renkei.contacts.models import Contact
    from renkei.demo.seed import seed
    from renkei.nurture.services import eligibility

    seed(contacts=300)
    opted_in = list(Contact.objects.filter(consent_status=ConsentStatus.OPTED_IN).exclude(email=""))
    assert opted_in
    checks = eligibility(opted_in)
    assert all(not checks[c.pk].skip_reason for c in opted_in)
    from renkei.nurture.models import SenderIdentity

    assert not SenderIdentity.load().missing  # the demo company is the sender
