"""Funnel histories for demo contacts, planned in memory under the real funnel rules.

A `Journey` applies moves with the same checks and side effects as
`renkei.funnel.services` (transition table, roles, reasons, disqualification, lead status
on entry, skipped stages counted as reached), so every generated history is one the
services would have accepted. `FunnelPlanner` decides which moves happen and when: delays in
business days on the organisation's calendar, and conversion that depends on the source.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field

from renkei.contacts.choices import LeadStatus, LifecycleStage, SourceChannel
from renkei.core.choices import Role
from renkei.core.permissions import SALES_AND_MARKETING
from renkei.demo import data
from renkei.demo.clock import BusinessClock
from renkei.demo.weighted import Weighted
from renkei.funnel.choices import ActorKind, MoveKind
from renkei.funnel.transitions import (
    ENTRY_STAGES,
    STATUS_ON_ENTRY,
    STATUSES_NEEDING_REASON,
    entry_stages_reached,
    stages_between,
    transition,
)

# The transition helpers rebuild the stage list on every call; a million moves ask the
# same few questions, so remember the answers.
_stages_between = functools.cache(stages_between)
_entry_stages_reached = functools.cache(entry_stages_reached)

S = LifecycleStage


class InvalidJourney(AssertionError):
    """A planned move the funnel services would refuse: a bug in the demo generator."""


@dataclass(frozen=True, slots=True)
class Who:
    """Who makes a move: a user (with the role the services check), a rule or the system."""

    kind: str
    user_id: int | None = None
    role: str = ""
    label: str = ""

    def may(self, roles: tuple[str, ...]) -> bool:
        # Mirrors User.has_role for an active user.
        if self.role == Role.ADMIN:
            return True
        if self.role == Role.MANAGER and Role.ADMIN not in roles:
            return True
        return self.role in roles


def rule(name: str) -> Who:
    return Who(kind=ActorKind.RULE, label=name)


def system(label: str) -> Who:
    return Who(kind=ActorKind.SYSTEM, label=label)


@dataclass(slots=True)
class StageEvent:
    from_stage: str
    to_stage: str
    kind: str
    at: int
    who: Who
    reason: str


@dataclass(slots=True)
class StatusEvent:
    from_status: str
    to_status: str
    at: int
    who: Who
    reason: str


@dataclass(slots=True)
class Journey:
    """One contact's stage and status history, and its resulting current state."""

    stage: str = ""
    status: str = ""
    became: dict[str, int] = field(default_factory=dict)
    stage_changed_at: int = 0
    last_at: int = 0
    owner_id: int | None = None
    stage_events: list[StageEvent] = field(default_factory=list)
    status_events: list[StatusEvent] = field(default_factory=list)

    def _check_time(self, at: int) -> None:
        if at <= self.last_at:
            raise InvalidJourney(f"event at {at} is not after the previous one at {self.last_at}")

    def enter(self, stage: str, at: int, who: Who, reason: str = "") -> None:
        """As funnel.services.add_contact."""
        if self.stage_events:
            raise InvalidJourney("a contact enters the funnel once")
        if stage not in ENTRY_STAGES:
            raise InvalidJourney(f"cannot enter at {stage}")
        self.stage = stage
        self.status = STATUS_ON_ENTRY[stage]
        for reached in _entry_stages_reached(stage):
            self.became[reached] = at
        self.stage_changed_at = self.last_at = at
        self.stage_events.append(StageEvent("", stage, MoveKind.ENTER, at, who, reason))

    def move(self, to_stage: str, at: int, who: Who, reason: str = "") -> None:
        """As funnel.services.change_stage."""
        self._check_time(at)
        move = transition(self.stage, to_stage)
        if move is None:
            raise InvalidJourney(f"no move {self.stage} → {to_stage}")
        if who.kind == ActorKind.USER:
            if not who.may(move.roles):
                raise InvalidJourney(f"{who.role} may not move {self.stage} → {to_stage}")
        elif not move.automatic:
            raise InvalidJourney(f"only a person may move {self.stage} → {to_stage}")
        if move.needs_reason and not reason:
            raise InvalidJourney("moving back needs a reason")
        if move.kind == MoveKind.FORWARD and self.status == LeadStatus.DISQUALIFIED:
            raise InvalidJourney("a disqualified contact cannot move forward")
        self.stage_events.append(StageEvent(self.stage, to_stage, move.kind, at, who, reason))
        if move.kind == MoveKind.FORWARD:
            for reached in _stages_between(self.stage, to_stage):
                self.became.setdefault(reached, at)
            self._status(STATUS_ON_ENTRY[to_stage], at, who, "")
        else:
            self._status(LeadStatus.NURTURE, at, who, reason)
        self.stage = to_stage
        self.stage_changed_at = self.last_at = at

    def set_status(self, to_status: str, at: int, who: Who, reason: str = "") -> None:
        """As funnel.services.change_status."""
        self._check_time(at)
        if to_status == self.status:
            raise InvalidJourney("the contact already has this status")
        needs_reason = (
            to_status in STATUSES_NEEDING_REASON or self.status == LeadStatus.DISQUALIFIED
        )
        if who.kind == ActorKind.USER:
            if not who.may(SALES_AND_MARKETING):
                raise InvalidJourney(f"{who.role} may not change lead status")
        elif needs_reason:
            raise InvalidJourney("only a person may make this status change")
        if needs_reason and not reason:
            raise InvalidJourney("this status change needs a reason")
        self._status(to_status, at, who, reason)
        self.last_at = at

    def _status(self, to_status: str, at: int, who: Who, reason: str) -> None:
        if to_status != self.status:
            self.status_events.append(StatusEvent(self.status, to_status, at, who, reason))
            self.status = to_status


@dataclass(frozen=True)
class SourceProfile:
    """How leads from one source behave: how many qualify, how many turn into deals."""

    p_mql: float  # lead → MQL, first time round
    mql_days: tuple[int, int, int]  # business days to MQL: low, mode, high
    p_sal: float  # a worked MQL is accepted by inside sales
    p_disqualify: float  # a worked MQL is disqualified
    p_sql: float  # SAL → SQL (appointment set)
    p_opportunity: float  # field sales accepts the appointment
    p_won: float
    hot: bool = False  # inbound request: first touch within business hours
    p_skip_sal: float = 0.0  # an appointment booked on the first call (MQL → SQL)


PROFILES: dict[str, SourceProfile] = {
    SourceChannel.REFERRAL: SourceProfile(
        0.9, (1, 3, 10), 0.85, 0.02, 0.75, 0.85, 0.45, hot=True, p_skip_sal=0.35
    ),
    SourceChannel.WEBSITE: SourceProfile(
        0.35, (5, 20, 60), 0.75, 0.05, 0.6, 0.8, 0.35, hot=True, p_skip_sal=0.2
    ),
    SourceChannel.WEBINAR: SourceProfile(0.45, (1, 3, 20), 0.6, 0.05, 0.45, 0.7, 0.3),
    SourceChannel.ADVERTISING: SourceProfile(0.3, (2, 10, 45), 0.5, 0.12, 0.4, 0.65, 0.25),
    SourceChannel.CONTENT_DOWNLOAD: SourceProfile(0.3, (3, 15, 60), 0.5, 0.1, 0.35, 0.65, 0.25),
    SourceChannel.BUSINESS_CARD: SourceProfile(0.25, (3, 15, 60), 0.55, 0.05, 0.4, 0.65, 0.25),
    SourceChannel.EXHIBITION: SourceProfile(0.18, (3, 20, 80), 0.5, 0.08, 0.35, 0.6, 0.22),
    SourceChannel.OUTBOUND: SourceProfile(0.2, (10, 30, 90), 0.45, 0.1, 0.4, 0.6, 0.25),
}
# An outbound lead worked by inside sales on the first call: accepted, or an appointment.
OUTBOUND_P_SAL = 0.2
OUTBOUND_P_SQL = 0.08
# A recycled lead that marketing brings back to MQL (natural histories).
P_REENGAGE = 0.3
P_SUBSCRIBER_TO_LEAD = 0.3
P_RULE_QUALIFIES = 0.7
REOPEN_REASON = "状況変化により再検討"
# Delays in deep histories, relative to natural ones.
DEEP_PACE = 0.6
_DISQUALIFY_REASONS = Weighted(data.DISQUALIFY_REASONS)


@dataclass(frozen=True)
class Staff:
    """The demo users who act on contacts, by function."""

    marketing: list[Who]
    inside_sales: list[Who]
    field_east: list[Who]
    field_west: list[Who]


def _tri(rng: random.Random, spec: tuple[int, int, int]) -> int:
    low, mode, high = spec
    return round(rng.triangular(low, high, mode))


class FunnelPlanner:
    """Plans one contact's journey from its entry into the funnel up to `now`.

    With `budget` (a number of stage changes wanted for this contact) recycled leads keep
    coming back through nurture until the budget is spent or time runs out; this is how
    `seed(stage_changes=…)` reaches benchmark volumes. Without it, histories are natural.
    """

    def __init__(self, rng: random.Random, clock: BusinessClock, staff: Staff, now: int) -> None:
        self.rng = rng
        self.clock = clock
        self.staff = staff
        self.now = now
        # Deep histories (a budget of moves to spend) move faster than natural ones.
        self._pace = 1.0

    # --- helpers ----------------------------------------------------------------------
    def _later(self, ts: int, days: int) -> int:
        return self.clock.later(self.rng, ts, round(days * self._pace))

    def _field_rep(self, west: bool) -> Who:
        return self.rng.choice(self.staff.field_west if west else self.staff.field_east)

    def _chance(self, p: float) -> bool:
        return self.rng.random() < p

    # --- the plan ---------------------------------------------------------------------
    def plan(
        self,
        channel: str,
        *,
        entry_stage: str,
        created_at: int,
        entry_who: Who,
        engaged_at: int,
        west: bool,
        budget: int = 0,
    ) -> Journey:
        """`engaged_at` is when the person showed real interest (the webinar they attended,
        the show where they left a card); qualification delays count from then."""
        profile = PROFILES[channel]
        journey = Journey()
        journey.enter(entry_stage, created_at, entry_who)
        if entry_stage == S.MQL:
            journey.owner_id = self._assign_inside_sales()
        if entry_who.role == Role.INSIDE_SALES:
            journey.owner_id = entry_who.user_id
        cycle = 0
        while True:
            more = budget > 0 and len(journey.stage_events) < budget
            self._pace = DEEP_PACE if more else 1.0
            stage = journey.stage
            if stage == S.SUBSCRIBER:
                going = self._subscriber_to_lead(journey, more)
            elif stage == S.LEAD:
                if cycle == 0 and channel == SourceChannel.OUTBOUND:
                    going = self._work_outbound(journey, west)
                    cycle = 1
                else:
                    going = self._qualify(journey, profile, cycle, engaged_at, more)
            elif stage == S.MQL:
                going = self._work_mql(journey, profile, cycle, west, more)
            elif stage == S.SAL:
                going = self._work_sal(journey, profile, cycle, west)
            elif stage == S.SQL:
                going = self._work_sql(journey, profile, cycle)
            elif stage == S.OPPORTUNITY:
                going = self._work_opportunity(journey, profile)
            else:  # customer: the end of this demo's funnel
                going = False
            if not going:
                return journey
            if journey.stage == S.LEAD and journey.status == LeadStatus.NURTURE:
                journey.owner_id = None
                if stage != S.LEAD:
                    cycle += 1

    def _assign_inside_sales(self) -> int | None:
        return self.rng.choice(self.staff.inside_sales).user_id

    def _inside_rep(self, journey: Journey) -> Who:
        for rep in self.staff.inside_sales:
            if rep.user_id == journey.owner_id:
                return rep
        rep = self.rng.choice(self.staff.inside_sales)
        journey.owner_id = rep.user_id
        return rep

    def _field_owner(self, journey: Journey, west: bool) -> Who:
        for rep in (*self.staff.field_east, *self.staff.field_west):
            if rep.user_id == journey.owner_id:
                return rep
        rep = self._field_rep(west)
        journey.owner_id = rep.user_id
        return rep

    def _subscriber_to_lead(self, journey: Journey, more: bool) -> bool:
        if not (more or self._chance(P_SUBSCRIBER_TO_LEAD)):
            return False
        at = self._later(journey.last_at, self.rng.randint(5, 60))
        if at > self.now:
            return False
        journey.move(S.LEAD, at, rule("資料ダウンロード"))
        return True

    def _qualify(
        self, journey: Journey, profile: SourceProfile, cycle: int, engaged_at: int, more: bool
    ) -> bool:
        """Lead → MQL by the scoring rule or a marketer; recycled leads after nurture."""
        rng = self.rng
        if cycle == 0:
            start = max(journey.last_at, engaged_at)
            days = _tri(rng, profile.mql_days)
            p = profile.p_mql
        else:
            start = journey.last_at
            days = _tri(rng, (2, 5, 15) if more else (30, 60, 150))
            p = P_REENGAGE
        if more:
            # Deep histories: nurture works more often, and sooner.
            p += (1 - p) * 0.5
        while not self._chance(p):
            # Another nurture round before the lead shows interest again, or never.
            if not more:
                return False
            days += _tri(rng, (2, 5, 12))
        at = self._later(start, days)
        if at > self.now:
            return False
        if self._chance(P_RULE_QUALIFIES):
            journey.move(S.MQL, at, rule(data.SCORE_RULE))
        else:
            marketer = rng.choice(self.staff.marketing)
            journey.move(S.MQL, at, marketer, rng.choice(data.MQL_MANUAL_REASONS))
        journey.owner_id = self._assign_inside_sales()
        return True

    def _first_touch(self, journey: Journey, profile: SourceProfile, rep: Who) -> bool:
        """Inside sales starts working a new MQL: within the hour for inbound requests."""
        if journey.status != LeadStatus.NEW:
            return True
        if profile.hot:
            at = self.clock.after_business_seconds(journey.last_at, self.rng.randint(240, 5400))
        else:
            at = self._later(journey.last_at, self.rng.choice((0, 0, 1, 1, 2, 3)))
        if at > self.now:
            return False
        journey.set_status(LeadStatus.WORKING, at, rep)
        return True

    def _work_mql(
        self, journey: Journey, profile: SourceProfile, cycle: int, west: bool, more: bool
    ) -> bool:
        rng = self.rng
        rep = self._inside_rep(journey)
        if not self._first_touch(journey, profile, rep):
            return False
        damp = 1.0 if cycle == 0 else 0.8
        roll = rng.random()
        if roll < profile.p_disqualify:
            at = self._later(journey.last_at, rng.randint(0, 4))
            if at > self.now:
                return False
            reason = _DISQUALIFY_REASONS.pick(rng)
            journey.set_status(LeadStatus.DISQUALIFIED, at, rep, reason)
            if not more:
                return False
            # Deep histories: the situation changes and marketing reopens the contact.
            at = self._later(at, _tri(rng, (5, 15, 40)))
            if at > self.now:
                return False
            journey.set_status(LeadStatus.NEW, at, rng.choice(self.staff.marketing), REOPEN_REASON)
            return True
        if roll < profile.p_disqualify + profile.p_sal * damp:
            at = self._later(journey.last_at, rng.randint(0, 5))
            if at > self.now:
                return False
            if self._chance(profile.p_skip_sal):
                journey.move(S.SQL, at, rep)
                self._field_owner(journey, west)
            else:
                journey.move(S.SAL, at, rep)
            return True
        at = self._later(journey.last_at, rng.randint(3, 10) if more else rng.randint(5, 15))
        if at > self.now:
            return False
        who = rep if self._chance(0.8) else rng.choice(self.staff.marketing)
        journey.move(S.LEAD, at, who, rng.choice(data.MQL_RECYCLE_REASONS))
        return True

    def _work_sal(self, journey: Journey, profile: SourceProfile, cycle: int, west: bool) -> bool:
        rng = self.rng
        rep = self._inside_rep(journey)
        damp = 1.0 if cycle == 0 else 0.8
        if self._chance(profile.p_sql * damp):
            at = self._later(journey.last_at, _tri(rng, (2, 6, 20)))
            if at > self.now:
                return False
            journey.move(S.SQL, at, rep)
            self._field_owner(journey, west)
            return True
        at = self._later(journey.last_at, _tri(rng, (5, 12, 30)))
        if at > self.now:
            return False
        journey.move(S.LEAD, at, rep, rng.choice(data.SAL_RECYCLE_REASONS))
        return True

    def _work_sql(self, journey: Journey, profile: SourceProfile, cycle: int) -> bool:
        """Field sales meets the prospect (初回訪問) and accepts or hands it back."""
        rng = self.rng
        rep = self._field_owner(journey, west=False)
        at = self._later(journey.last_at, _tri(rng, (1, 4, 10)))
        if at > self.now:
            return False
        damp = 1.0 if cycle == 0 else 0.85
        if self._chance(profile.p_opportunity * damp):
            journey.move(S.OPPORTUNITY, at, rep)
            return True
        if self._chance(0.6):
            journey.move(S.LEAD, at, rep, rng.choice(data.SQL_RECYCLE_REASONS))
        else:
            inside = rng.choice(self.staff.inside_sales)
            journey.move(S.LEAD, at, inside, rng.choice(data.SQL_RECYCLE_REASONS[:3]))
        return True

    def _work_opportunity(self, journey: Journey, profile: SourceProfile) -> bool:
        rng = self.rng
        rep = self._field_owner(journey, west=False)
        at = self._later(journey.last_at, _tri(rng, (15, 40, 110)))
        if at > self.now:
            return False
        if self._chance(profile.p_won):
            journey.move(S.CUSTOMER, at, rep)
            return False
        journey.move(S.LEAD, at, rep, rng.choice(data.LOST_REASONS))
        return True

    def _work_outbound(self, journey: Journey, west: bool) -> bool:
        """Inside sales calls an outbound list lead: accepted, an appointment, or nurture."""
        rng = self.rng
        rep = self._inside_rep(journey)
        at = self._later(journey.last_at, rng.randint(0, 10))
        if at > self.now:
            return False
        journey.set_status(LeadStatus.WORKING, at, rep)
        at = self._later(at, rng.randint(1, 8))
        if at > self.now:
            return False
        roll = rng.random()
        if roll < OUTBOUND_P_SQL:
            journey.move(S.SQL, at, rep)
            self._field_owner(journey, west)
        elif roll < OUTBOUND_P_SQL + OUTBOUND_P_SAL:
            journey.move(S.SAL, at, rep)
        else:
            journey.set_status(
                LeadStatus.NURTURE, at, rep, rng.choice(data.OUTBOUND_NURTURE_REASONS)
            )
        return True
