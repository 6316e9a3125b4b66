"""The demo data generator: a year of a Japanese B2B SaaS company's shared funnel.

連携テクノロジー株式会社 sells a B2B SaaS. Its marketing team runs exhibitions, webinars,
content and ads; inside sales works the MQLs and books appointments; two field-sales teams
(東日本 / 西日本) run the deals. `seed()` creates:

* the organisation, four teams and one demo user per seat (`DEMO_USERS`, password
  `DEMO_PASSWORD`), with `get_or_create`: seeding again never duplicates users, and an
  existing user keeps its password, role and team;
* accounts with 法人格 in every notation, readings, valid 法人番号 (most), websites and
  domains, industries, sizes and prefectures leaning on Tokyo, Osaka, Aichi and Fukuoka;
* contacts with kanji names and katakana readings, work emails on their company's domain
  (some free mail), valid Japanese phone numbers in E.164, departments and titles, a source
  channel and campaign, and consent;
* personas, campaigns (from the contacts' exhibitions, webinars, content offers, ads and
  referrals) with members, content assets, and touches (renkei.demo.marketing);
* for every contact, a funnel history ending at `now`: entry, qualification, acceptance,
  appointments, deals won and lost, recycles and disqualifications, each move on a business
  day in business hours (the organisation's calendar), made by an actor whose role may make
  it, with conversion that differs by source. Histories are planned in memory under the
  same rules as `renkei.funnel.services` (see `renkei.demo.journeys`) and written with
  `bulk_create`, so a hundred thousand contacts take minutes, not hours.

Seeding into a database that already has data adds accounts and contacts beside it
(company names, 法人番号, domains and emails avoid the ones in use).

Bulk seeding bypasses the services on purpose, so it writes no audit-log entries for the
accounts and contacts it creates; every StageChange and StatusChange is written, and the
denormalized fields on each contact (stage, status, became_*_at, stage_changed_at,
updated_at) agree with them.

The generated companies, domains and people are invented, but their domains may resemble
real ones: never point a seeded database at a real mail server.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import DateTimeField, F, Max, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from faker import Faker

from renkei.contacts.choices import LifecycleStage
from renkei.contacts.models import Account, Contact
from renkei.core.calendar import BusinessCalendar
from renkei.core.choices import Role
from renkei.core.models import Organisation, Team, User
from renkei.demo import data
from renkei.demo.clock import BusinessClock
from renkei.demo.companies import AccountSpec, CompanyFactory, mobile
from renkei.demo.journeys import FunnelPlanner, Journey, Staff, Who
from renkei.demo.marketing import seed_marketing
from renkei.demo.people import CHANNEL_SHARES, Campaigns, ContactDetails, PersonFactory
from renkei.demo.scoring import seed_rule_set
from renkei.demo.weighted import Weighted
from renkei.funnel.choices import ActorKind
from renkei.funnel.models import StageChange, StatusChange

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "renkei-demo"  # noqa: S105 -- the published demo password
DEFAULT_SEED = 20260401
HISTORY_DAYS = 365
BATCH_SIZE = 5000
# A contact's share of a `stage_changes` target never exceeds this many moves.
MAX_MOVES_PER_CONTACT = 60
FREE_MAIL_SHARE = 0.08

_STAGES = list(LifecycleStage.values)


def has_data() -> bool:
    """Whether the database holds any contact (the demo seeds only an empty one)."""
    return Contact.objects.exists()


def demo_logins() -> list[tuple[str, str]]:
    """The demo users that exist, as (username, role label), in seat order."""
    users = User.objects.filter(username__in=[u.username for u in data.DEMO_USERS])
    roles = {user.username: user.role for user in users}
    return [
        (u.username, str(Role(roles[u.username]).label))
        for u in data.DEMO_USERS
        if u.username in roles
    ]


def ensure_demo_users() -> tuple[Organisation, list[User], int]:
    """The organisation, teams and demo users, created when missing.

    Returns the organisation, the demo users in seat order, and how many were created.
    """
    org = Organisation.current()
    if not org.name:
        org.name = data.ORGANISATION_NAME
        org.save(update_fields=["name", "updated_at"])
    teams = {
        name: Team.objects.get_or_create(name=name, defaults={"function": function})[0]
        for name, function in data.TEAMS.items()
    }
    password = ""
    users: list[User] = []
    created_count = 0
    for seat in data.DEMO_USERS:
        user = User.objects.filter(username=seat.username).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                username=seat.username,
                password=password,
                email=f"{seat.username.replace('_', '.')}@{data.ORGANISATION_DOMAIN}",
                role=seat.role,
                team=teams[seat.team] if seat.team else None,
                last_name=seat.last_name,
                first_name=seat.first_name,
                language="ja",
                is_staff=seat.role == Role.ADMIN,
                is_superuser=seat.role == Role.ADMIN,
            )
            created_count += 1
        users.append(user)
    return org, users, created_count


def _staff(users: list[User]) -> Staff:
    def who(user: User) -> Who:
        return Who(ActorKind.USER, user.pk, user.role, user.display_name)

    team_names = {user.pk: user.team.name if user.team else "" for user in users}
    marketing = [who(u) for u in users if u.role == Role.MARKETING]
    inside = [who(u) for u in users if u.role == Role.INSIDE_SALES]
    field = [u for u in users if u.role == Role.FIELD_SALES]
    west = [who(u) for u in field if team_names[u.pk] == data.TEAM_FIELD_WEST]
    east = [who(u) for u in field if team_names[u.pk] != data.TEAM_FIELD_WEST]
    if not (marketing and inside and field):
        raise RuntimeError(
            "The demo users for marketing, inside sales and field sales must keep their roles."
        )
    return Staff(marketing, inside, east or west, west or east)


def _when(ts: int | None) -> dt.datetime | None:
    return None if ts is None else dt.datetime.fromtimestamp(ts, dt.UTC)


def seed(
    contacts: int = 3000,
    accounts: int | None = None,
    random_seed: int = DEFAULT_SEED,
    *,
    stage_changes: int | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Create demo users (if missing), `accounts` companies (default: a tenth of
    `contacts`, at least 50) and `contacts` people with a year of funnel history ending at
    `now` (default: the current time). The same `random_seed` and `now` give the same data.

    `stage_changes` asks for about that many StageChange rows in total: recycled leads
    then come back through nurture more often (benchmark volumes; e.g. 1,000,000 for
    100,000 contacts). Without it, histories are natural (about 2–3 moves a contact).

    Returns a one-line summary with counts and the elapsed time.
    """
    started = time.perf_counter()
    rng = random.Random(random_seed)
    fake = Faker("ja_JP")
    fake.seed_instance(random_seed)
    now = now or timezone.now()
    now_ts = int(now.timestamp())
    start_ts = now_ts - HISTORY_DAYS * 86400

    with transaction.atomic():
        org, users, new_users = ensure_demo_users()
    staff = _staff(users)
    calendar = BusinessCalendar.for_organisation(org)
    local_now = now.astimezone(calendar.tz).date()
    clock = BusinessClock(
        calendar,
        local_now - dt.timedelta(days=HISTORY_DAYS + 7),
        local_now + dt.timedelta(days=2 * HISTORY_DAYS),
    )

    account_count = accounts if accounts is not None else max(50, contacts // 10)
    specs, account_rows = _create_accounts(rng, staff, account_count)

    campaigns = Campaigns(rng, clock, staff, start_ts, now_ts)
    planner = FunnelPlanner(rng, clock, staff, now_ts)
    people = PersonFactory(rng, fake)
    details = ContactDetails(rng, set(Contact.objects.values_list("email", flat=True)))
    picker = Weighted((i, spec.contact_weight) for i, spec in enumerate(specs)) if specs else None

    planned = written_stage = written_status = 0
    last_contact_id = Contact.objects.aggregate(n=Max("id"))["n"] or 0
    for chunk_start in range(0, contacts, BATCH_SIZE):
        rows: list[tuple[Contact, Journey]] = []
        for index in range(chunk_start, min(contacts, chunk_start + BATCH_SIZE)):
            budget = 0
            if stage_changes:
                # What is still missing, spread over the contacts still to come.
                share = max(0.0, (stage_changes - planned) / (contacts - index))
                budget = min(MAX_MOVES_PER_CONTACT, int(share) + (rng.random() < share % 1))
            if picker is not None:
                position = picker.pick(rng)
                spec, account = specs[position], account_rows[position]
            else:
                spec, account = None, None
            row = _contact(rng, campaigns, planner, people, details, spec, account, budget)
            planned += len(row[1].stage_events)
            rows.append(row)
        stage_count, status_count = _write_contacts(rows)
        written_stage += stage_count
        written_status += status_count
        logger.info(
            "demo seed: %d of %d contacts, %d stage changes",
            chunk_start + len(rows),
            contacts,
            written_stage,
        )
    _date_accounts([a.pk for a in account_rows], start_ts)
    events = {
        event.name: event.at
        for group in (campaigns.webinars, campaigns.exhibitions)
        if group is not None
        for event in group.items
    }
    marketing = seed_marketing(
        random_seed=random_seed,
        now=now,
        after_contact_id=last_contact_id,
        events=events,
        owners=[users[i] for i, seat in enumerate(data.DEMO_USERS) if seat.role == Role.MARKETING],
    )
    rule_set = seed_rule_set(now=now)

    elapsed = time.perf_counter() - started
    summary = (
        f"Seeded {contacts:,} contacts at {account_count:,} accounts with "
        f"{written_stage:,} stage changes and {written_status:,} status changes "
        f"({len(users)} demo users, {new_users} new); {marketing}; "
        f"scored with rules v{rule_set.version}; in {elapsed:.1f} s."
    )
    logger.debug("%s", summary)
    return summary


def _create_accounts(
    rng: random.Random, staff: Staff, count: int
) -> tuple[list[AccountSpec], list[Account]]:
    existing = Account.objects.values_list("normalized_name", "corporate_number", "domain")
    names, numbers, domains = set(), set(), set()
    for name, number, domain in existing:
        names.add(name)
        numbers.add(number)
        domains.add(domain)
    factory = CompanyFactory(
        rng,
        field_east=[w.user_id for w in staff.field_east if w.user_id is not None],
        field_west=[w.user_id for w in staff.field_west if w.user_id is not None],
        taken_names=names,
        taken_numbers=numbers,
        taken_domains=domains,
    )
    specs = [factory.make() for _ in range(count)]
    rows = []
    for spec in specs:
        account = Account(
            name=spec.name,
            name_kana=spec.name_kana,
            corporate_number=spec.corporate_number,
            website=spec.website,
            domain=spec.domain,
            industry=spec.industry,
            employee_band=spec.employee_band,
            prefecture=spec.prefecture,
            owner_id=spec.owner_id,
        )
        account.refresh_derived_fields()
        rows.append(account)
    with transaction.atomic():
        Account.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return specs, rows


def _contact(
    rng: random.Random,
    campaigns: Campaigns,
    planner: FunnelPlanner,
    people: PersonFactory,
    details: ContactDetails,
    spec: AccountSpec | None,
    account: Account | None,
    budget: int,
) -> tuple[Contact, Journey]:
    channel = CHANNEL_SHARES.pick(rng)
    person = people.make()
    west = spec.west if spec else rng.random() < 0.35
    touch = campaigns.first_touch(channel, west)
    journey = planner.plan(
        touch.channel,
        entry_stage=touch.entry_stage,
        created_at=touch.created_at,
        entry_who=touch.entry_who,
        engaged_at=touch.engaged_at,
        west=west,
        budget=budget,
    )
    if spec is not None:
        department, title = details.position(spec)
        phone = details.phone(spec)
    else:
        department, title, phone = "", "", mobile(rng)
    contact = Contact(
        family_name=person.family_name,
        given_name=person.given_name,
        family_name_kana=person.family_name_kana,
        given_name_kana=person.given_name_kana,
        email=details.email(person, spec, rng.random() < FREE_MAIL_SHARE),
        phone=phone,
        department=department,
        title=title,
        account=account,
        owner_id=journey.owner_id,
        source_channel=touch.channel,
        source_campaign=touch.campaign,
        first_touch_at=_when(touch.first_touch_at),
        first_touch_url=touch.url,
        lifecycle_stage=journey.stage,
        lead_status=journey.status,
        stage_changed_at=_when(journey.stage_changed_at),
        consent_status=touch.consent,
        created_at=_when(touch.created_at),
    )
    for stage in _STAGES:
        setattr(contact, f"became_{stage}_at", _when(journey.became.get(stage)))
    contact.refresh_derived_fields()
    return contact, journey


@transaction.atomic
def _write_contacts(rows: list[tuple[Contact, Journey]]) -> tuple[int, int]:
    """Insert a batch of contacts with their histories; returns the events written."""
    Contact.objects.bulk_create([contact for contact, _journey in rows], batch_size=BATCH_SIZE)
    stage_rows: list[StageChange] = []
    status_rows: list[StatusChange] = []
    for contact, journey in rows:
        for e in journey.stage_events:
            stage_rows.append(
                StageChange(
                    contact_id=contact.pk,
                    from_stage=e.from_stage,
                    to_stage=e.to_stage,
                    kind=e.kind,
                    at=_when(e.at),
                    actor_kind=e.who.kind,
                    actor_id=e.who.user_id,
                    actor_label=e.who.label[:100],
                    reason=e.reason,
                )
            )
        for s in journey.status_events:
            status_rows.append(
                StatusChange(
                    contact_id=contact.pk,
                    from_status=s.from_status,
                    to_status=s.to_status,
                    at=_when(s.at),
                    actor_kind=s.who.kind,
                    actor_id=s.who.user_id,
                    actor_label=s.who.label[:100],
                    reason=s.reason,
                )
            )
    StageChange.objects.bulk_create(stage_rows, batch_size=BATCH_SIZE)
    StatusChange.objects.bulk_create(status_rows, batch_size=BATCH_SIZE)
    # `updated_at` is auto_now, so bulk_create stamped it with the current time: set it to
    # the contact's last funnel activity, as the services would have.
    last_status = (
        StatusChange.objects.filter(contact=OuterRef("pk"))
        .values("contact")
        .annotate(last=Max("at"))
        .values("last")
    )
    Contact.objects.filter(pk__in=[contact.pk for contact, _journey in rows]).update(
        updated_at=Greatest(
            F("stage_changed_at"),
            Coalesce(Subquery(last_status, output_field=DateTimeField()), F("stage_changed_at")),
        )
    )
    return len(stage_rows), len(status_rows)


def _date_accounts(account_ids: list[int], start_ts: int) -> None:
    """Date each new account by its first contact (auto_now_add stamped the current time)."""
    first_contact = (
        Contact.objects.filter(account=OuterRef("pk"))
        .values("account")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    fallback = Value(_when(start_ts), output_field=DateTimeField())
    for i in range(0, len(account_ids), BATCH_SIZE):
        with transaction.atomic():
            Account.objects.filter(pk__in=account_ids[i : i + BATCH_SIZE]).update(
                created_at=Coalesce(
                    Subquery(first_contact, output_field=DateTimeField()), fallback
                ),
                updated_at=Coalesce(
                    Subquery(first_contact, output_field=DateTimeField()), fallback
                ),
            )
