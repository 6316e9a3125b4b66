"""The figures on the home page, each from a query (three in all): contacts by stage and
status, stage moves of the last 30 days, and the latest stage changes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.contacts.models import Contact
from renkei.core.choices import Role
from renkei.core.models import User
from renkei.funnel.choices import MoveKind
from renkei.funnel.models import StageChange

RECENT_DAYS = 30
RECENT_CHANGES = 10


def contacts_url(**filters: str) -> str:
    return reverse("web:contacts") + ("?" + urlencode(filters) if filters else "")


@dataclass
class StageRow:
    stage: str
    label: str
    total: int
    open: int
    mine: int
    url: str


@dataclass
class Tile:
    label: Any
    value: int
    url: str
    icon: str
    hint: Any = ""


@dataclass
class Dashboard:
    stages: list[StageRow]
    total: int
    mine: int
    tiles: list[Tile] = field(default_factory=list)
    recent_changes: list[StageChange] = field(default_factory=list)
    since: dt.datetime | None = None

    def chart_data(self) -> dict[str, Any]:
        return {
            "labels": [str(row.label) for row in self.stages],
            "stages": [row.stage for row in self.stages],
            "values": [row.total for row in self.stages],
        }


def build_dashboard(user: User, *, now: dt.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    since = now - dt.timedelta(days=RECENT_DAYS)

    by_stage_status = (
        Contact.objects.order_by()
        .values("lifecycle_stage", "lead_status")
        .annotate(
            total=Count("id"),
            mine=Count("id", filter=Q(owner=user)),
            unassigned=Count("id", filter=Q(owner__isnull=True)),
        )
    )
    totals: Counter[str] = Counter()
    open_: Counter[str] = Counter()
    mine: Counter[str] = Counter()
    cell: dict[tuple[str, str], dict[str, int]] = {}
    for row in by_stage_status:
        stage, status = row["lifecycle_stage"], row["lead_status"]
        totals[stage] += row["total"]
        mine[stage] += row["mine"]
        if status != LeadStatus.DISQUALIFIED:
            open_[stage] += row["total"]
        cell[(stage, status)] = row

    moves = (
        StageChange.objects.filter(at__gte=since)
        .order_by()
        .values("to_stage", "kind")
        .annotate(n=Count("id"))
    )
    entered: Counter[str] = Counter()
    new_contacts = 0
    for row in moves:
        if row["kind"] == MoveKind.ENTER:
            new_contacts += row["n"]
        if row["kind"] != MoveKind.RECYCLE:
            entered[row["to_stage"]] += row["n"]

    stages = [
        StageRow(
            stage=stage,
            label=label,
            total=totals[stage],
            open=open_[stage],
            mine=mine[stage],
            url=contacts_url(stage=stage),
        )
        for stage, label in LifecycleStage.choices
    ]
    dashboard = Dashboard(
        stages=stages, total=sum(totals.values()), mine=sum(mine.values()), since=since
    )

    def count(stage: str, status: str, key: str = "total") -> int:
        return cell.get((stage, status), {}).get(key, 0)

    new_mqls = count(LifecycleStage.MQL, LeadStatus.NEW)
    unassigned_mqls = sum(
        count(LifecycleStage.MQL, status, "unassigned")
        for status in LeadStatus.values
        if status != LeadStatus.DISQUALIFIED
    )
    tiles = {
        "my": Tile(_("My contacts"), dashboard.mine, contacts_url(owner="me"), "user-check"),
        "new": Tile(
            _("New contacts"),
            new_contacts,
            contacts_url(sort="created"),
            "user-plus",
            _("last 30 days"),
        ),
        "mql_30": Tile(
            _("Reached MQL"),
            entered[LifecycleStage.MQL],
            contacts_url(stage=LifecycleStage.MQL),
            "target-arrow",
            _("last 30 days"),
        ),
        "new_mqls": Tile(
            _("New MQLs in the queue"),
            new_mqls,
            contacts_url(stage=LifecycleStage.MQL, status=LeadStatus.NEW),
            "inbox",
            _("not yet worked"),
        ),
        "unassigned_mqls": Tile(
            _("Unassigned MQLs"),
            unassigned_mqls,
            contacts_url(stage=LifecycleStage.MQL, owner="none"),
            "user-question",
        ),
        "sal": Tile(
            _("SALs being worked"),
            open_[LifecycleStage.SAL],
            contacts_url(stage=LifecycleStage.SAL),
            "phone",
        ),
        "sql_waiting": Tile(
            _("SQLs waiting"),
            open_[LifecycleStage.SQL],
            contacts_url(stage=LifecycleStage.SQL),
            "calendar",
            _("appointments to accept"),
        ),
        "opportunities": Tile(
            _("Open opportunities"),
            open_[LifecycleStage.OPPORTUNITY],
            contacts_url(stage=LifecycleStage.OPPORTUNITY),
            "briefcase",
        ),
        "sql_30": Tile(
            _("Reached SQL"),
            entered[LifecycleStage.SQL],
            contacts_url(stage=LifecycleStage.SQL),
            "calendar-check",
            _("last 30 days"),
        ),
        "customers_30": Tile(
            _("Won customers"),
            entered[LifecycleStage.CUSTOMER],
            contacts_url(stage=LifecycleStage.CUSTOMER),
            "trophy",
            _("last 30 days"),
        ),
    }
    keys_by_role = {
        Role.MARKETING: ["new", "mql_30", "new_mqls", "my"],
        Role.INSIDE_SALES: ["new_mqls", "unassigned_mqls", "sal", "my"],
        Role.FIELD_SALES: ["sql_waiting", "opportunities", "customers_30", "my"],
    }
    default = ["new", "new_mqls", "sql_waiting", "opportunities"]
    dashboard.tiles = [tiles[key] for key in keys_by_role.get(user.role, default)]

    dashboard.recent_changes = list(
        StageChange.objects.exclude(kind=MoveKind.ENTER)
        .select_related("contact", "contact__account", "actor")
        .order_by("-at", "-id")[:RECENT_CHANGES]
    )
    return dashboard
