"""The lifecycle state machine: which stage moves exist and who may make them.

Forward moves may skip stages (inside sales can book an appointment for a lead marketing
has not yet qualified); the skipped stages count as reached at the same moment, so every
"reached stage X" metric stays consistent. Moving back (recycling to `lead`) is only ever
a human action with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from renkei.contacts.choices import LeadStatus
from renkei.contacts.choices import LifecycleStage as S
from renkei.core.choices import Role as R
from renkei.funnel.choices import MoveKind


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    kind: MoveKind
    roles: tuple[str, ...]
    # Whether systems and rules (not only people) may make this move.
    automatic: bool = False

    @property
    def needs_reason(self) -> bool:
        return self.kind == MoveKind.RECYCLE


_M, _IS, _FS = R.MARKETING, R.INSIDE_SALES, R.FIELD_SALES

TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t
    for t in [
        Transition(S.SUBSCRIBER, S.LEAD, MoveKind.FORWARD, (_M, _IS), automatic=True),
        Transition(S.SUBSCRIBER, S.MQL, MoveKind.FORWARD, (_M,), automatic=True),
        Transition(S.LEAD, S.MQL, MoveKind.FORWARD, (_M,), automatic=True),
        Transition(S.LEAD, S.SAL, MoveKind.FORWARD, (_IS,)),
        Transition(S.LEAD, S.SQL, MoveKind.FORWARD, (_IS,)),
        Transition(S.MQL, S.SAL, MoveKind.FORWARD, (_IS,)),
        Transition(S.MQL, S.SQL, MoveKind.FORWARD, (_IS,)),
        Transition(S.SAL, S.SQL, MoveKind.FORWARD, (_IS,)),
        Transition(S.SQL, S.OPPORTUNITY, MoveKind.FORWARD, (_FS,)),
        Transition(S.OPPORTUNITY, S.CUSTOMER, MoveKind.FORWARD, (_FS,), automatic=True),
        Transition(S.MQL, S.LEAD, MoveKind.RECYCLE, (_M, _IS)),
        Transition(S.SAL, S.LEAD, MoveKind.RECYCLE, (_IS,)),
        Transition(S.SQL, S.LEAD, MoveKind.RECYCLE, (_IS, _FS)),
        Transition(S.OPPORTUNITY, S.LEAD, MoveKind.RECYCLE, (_FS,)),
    ]
}

# Stages a contact may be created in.
ENTRY_STAGES = (S.SUBSCRIBER, S.LEAD, S.MQL)

# The lead status a contact gets on entering a stage by a forward move.
STATUS_ON_ENTRY = {
    S.SUBSCRIBER: LeadStatus.NEW,
    S.LEAD: LeadStatus.NEW,
    S.MQL: LeadStatus.NEW,
    S.SAL: LeadStatus.WORKING,
    S.SQL: LeadStatus.WORKING,
    S.OPPORTUNITY: LeadStatus.WORKING,
    S.CUSTOMER: LeadStatus.WORKING,
}

# Lead statuses that only a person may set, and only with a reason.
STATUSES_NEEDING_REASON = (LeadStatus.NURTURE, LeadStatus.DISQUALIFIED)


def transition(source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((source, target))


def targets_from(source: str) -> list[Transition]:
    return [t for (s, _t), t in TRANSITIONS.items() if s == source]


def stages_between(source: str, target: str) -> list[str]:
    """The stages a forward move reaches, skipped ones included, in order."""
    order = list(S.values)
    return order[order.index(source) + 1 : order.index(target) + 1]


def entry_stages_reached(stage: str) -> list[str]:
    """The stages a new contact counts as having reached when created in `stage`: an MQL
    is also a lead; a subscriber is only a subscriber."""
    if stage == S.SUBSCRIBER:
        return [S.SUBSCRIBER]
    order = list(S.values)
    return order[order.index(S.LEAD) : order.index(stage) + 1]
