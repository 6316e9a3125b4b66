"""Computing scores, set-based: one INSERT … SELECT per rule writes its ledger entries for
every matching contact (or touch) at once, caps add negative correction entries, and one
statement sums the entries into each contact's current score.

The same code scores one contact (a touch arrived) and a million (a rule set was
activated): only the set of contacts differs. Engagement points decay exponentially,
`points × 0.5 ^ (age in days / half-life)`, evaluated by the database as of the
computation's `now`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from renkei.contacts.models import Contact
from renkei.marketing.models import Touch
from renkei.scoring import rules as rule_logic
from renkei.scoring.choices import RuleKind, RuleSetStatus
from renkei.scoring.models import ContactScore, RuleSet, ScoreEntry, ScoreRun

logger = logging.getLogger(__name__)

ENTRY_COLUMNS = (
    "run_id, contact_id, rule_set_id, rule_id, touch_id, part, is_cap, points, at, reason"
)


@dataclass(frozen=True)
class RunResult:
    run_id: int
    rule_set_version: int
    contacts: int
    entries: int
    seconds: float


def active_rule_set() -> RuleSet | None:
    return RuleSet.objects.filter(status=RuleSetStatus.ACTIVE).first()


def _sql(qs: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    # Without the model's default ordering: a sorted subquery makes SQLite prefer an index
    # on the sort column over the contact's.
    sql, params = qs.order_by().query.sql_with_params()
    return sql, tuple(params)


def _decay_sql() -> str:
    """SQL for `0.5 ^ (age in days / half-life)` of the touch `t`; parameters: now, half-life."""
    if connection.vendor == "postgresql":
        return "POWER(0.5, EXTRACT(EPOCH FROM (%s::timestamptz - t.at)) / 86400.0 / %s)"
    # SQLite keeps datetimes as ISO text in UTC; Django registers POWER for SQLite.
    return "POWER(0.5, (julianday(%s) - julianday(t.at)) / %s)"


def _reason(text: str) -> str:
    return text[:500]


def _scope(contact_ids: Sequence[int] | None) -> tuple[QuerySet[Contact], QuerySet[Touch]]:
    if contact_ids is None:
        return Contact.objects.all(), Touch.objects.filter(contact__isnull=False)
    ids = list(contact_ids)
    return Contact.objects.filter(pk__in=ids), Touch.objects.filter(contact_id__in=ids)


def compute_scores(
    rule_set: RuleSet,
    contact_ids: Sequence[int] | None = None,
    *,
    now: dt.datetime | None = None,
) -> RunResult:
    """Score `contact_ids` (all contacts when None) with `rule_set`: write the ledger
    entries of one new computation and replace those contacts' current scores."""
    now = now or timezone.now()
    started = timezone.now()
    entry_table = ScoreEntry._meta.db_table
    score_table = ContactScore._meta.db_table
    contact_table = Contact._meta.db_table
    at = connection.ops.adapt_datetimefield_value(now)
    rules = list(rule_set.rules.all())
    contacts, touches = _scope(contact_ids)
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        if contact_ids is not None and connection.vendor == "postgresql":
            # Serialize concurrent computations of the same contacts.
            list(contacts.select_for_update().values_list("pk", flat=True))
        if contact_ids is None and connection.vendor == "postgresql":
            # A full rescore can be redone: do not wait for its WAL to reach the disk (a
            # crash loses at most this computation, never consistency).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        run = ScoreRun.objects.create(
            rule_set=rule_set, all_contacts=contact_ids is None, started_at=started
        )
        with connection.cursor() as cursor:
            for rule in rules:
                reason = _reason(rule_logic.describe(rule))
                if rule.kind == RuleKind.FIT:
                    sub, params = _sql(rule_logic.fit_contacts(rule, contacts).values("pk"))
                    cursor.execute(
                        f"INSERT INTO {entry_table} ({ENTRY_COLUMNS}) "  # noqa: S608 - names, ORM-built SQL
                        f"SELECT %s, c.id, %s, %s, NULL, %s, %s, %s, %s, %s "
                        f"FROM {contact_table} c WHERE c.id IN ({sub})",
                        (run.pk, rule_set.pk, rule.pk, RuleKind.FIT, False, float(rule.points),
                         at, reason, *params),
                    )  # fmt: skip
                    continue
                sub, params = _sql(
                    rule_logic.engagement_touches(rule, touches.filter(at__lte=now)).values("pk")
                )
                cursor.execute(
                    f"INSERT INTO {entry_table} ({ENTRY_COLUMNS}) "  # noqa: S608 - names, ORM-built SQL
                    f"SELECT %s, t.contact_id, %s, %s, t.id, %s, %s, %s * {_decay_sql()}, %s, %s "
                    f"FROM {Touch._meta.db_table} t WHERE t.id IN ({sub})",
                    (run.pk, rule_set.pk, rule.pk, RuleKind.ENGAGEMENT, False, float(rule.points),
                     at, rule_set.half_life_days, at, reason, *params),
                )  # fmt: skip
                if rule.cap:
                    cap_reason = _reason(
                        _("Capped at %(cap)s points: %(rule)s") % {"cap": rule.cap, "rule": reason}
                    )
                    cursor.execute(
                        f"INSERT INTO {entry_table} ({ENTRY_COLUMNS}) "  # noqa: S608 - names, ORM-built SQL
                        f"SELECT run_id, contact_id, rule_set_id, rule_id, NULL, part, %s, "
                        f"%s - SUM(points), %s, %s FROM {entry_table} "
                        f"WHERE run_id = %s AND rule_id = %s "
                        f"GROUP BY run_id, contact_id, rule_set_id, rule_id, part "
                        f"HAVING SUM(points) > %s",
                        (True, float(rule.cap), at, cap_reason, run.pk, rule.pk, float(rule.cap)),
                    )  # fmt: skip
            for part, cap in ((RuleKind.FIT, rule_set.fit_cap),
                              (RuleKind.ENGAGEMENT, rule_set.engagement_cap)):  # fmt: skip
                if not cap:
                    continue
                label = _("fit score") if part == RuleKind.FIT else _("engagement score")
                cap_reason = _reason(
                    _("The %(part)s is at most %(cap)s points") % {"part": label, "cap": cap}
                )
                cursor.execute(
                    f"INSERT INTO {entry_table} ({ENTRY_COLUMNS}) "  # noqa: S608 - names, ORM-built SQL
                    f"SELECT run_id, contact_id, rule_set_id, NULL, NULL, part, %s, "
                    f"%s - SUM(points), %s, %s FROM {entry_table} "
                    f"WHERE run_id = %s AND part = %s "
                    f"GROUP BY run_id, contact_id, rule_set_id, part HAVING SUM(points) > %s",
                    (True, float(cap), at, cap_reason, run.pk, part, float(cap)),
                )  # fmt: skip
            # The current scores: the sums of this computation's entries.
            scope_sql, scope_params = _sql(contacts.values("pk"))
            if contact_ids is None:
                cursor.execute(f"DELETE FROM {score_table}")  # noqa: S608 - names, ORM-built SQL
                where, where_params = "", ()
            else:
                cursor.execute(
                    f"DELETE FROM {score_table} WHERE contact_id IN ({scope_sql})",  # noqa: S608 - names, ORM-built SQL
                    scope_params,
                )
                where, where_params = f"WHERE c.id IN ({scope_sql})", scope_params
            cursor.execute(
                f"INSERT INTO {score_table} "  # noqa: S608 - names, ORM-built SQL
                f"(contact_id, fit, engagement, total, rule_set_id, run_id, computed_at) "
                f"SELECT c.id, "
                f"COALESCE(SUM(CASE WHEN e.part = %s THEN e.points END), 0), "
                f"COALESCE(SUM(CASE WHEN e.part = %s THEN e.points END), 0), "
                f"COALESCE(SUM(e.points), 0), %s, %s, %s "
                f"FROM {contact_table} c LEFT JOIN {entry_table} e "
                f"ON e.contact_id = c.id AND e.run_id = %s {where} GROUP BY c.id",
                (RuleKind.FIT, RuleKind.ENGAGEMENT, rule_set.pk, run.pk, at, run.pk,
                 *where_params),
            )  # fmt: skip
            scored = cursor.rowcount
        entries = ScoreEntry.objects.filter(run=run).count()
        finished = timezone.now()
        ScoreRun.objects.filter(pk=run.pk).update(contact_count=scored, finished_at=finished)
    seconds = (finished - started).total_seconds()
    logger.info(
        "scored %d contacts with rule set v%d: %d entries in %.2f s",
        scored, rule_set.version, entries, seconds,
    )  # fmt: skip
    return RunResult(run.pk, rule_set.version, scored, entries, seconds)


def rescore_contacts(
    contact_ids: Sequence[int], *, now: dt.datetime | None = None
) -> RunResult | None:
    """Score these contacts with the active rule set (None when there is none)."""
    rule_set = active_rule_set()
    if rule_set is None or not contact_ids:
        return None
    return compute_scores(rule_set, list(contact_ids), now=now)


def rescore_all(
    rule_set_id: int | None = None, *, now: dt.datetime | None = None
) -> RunResult | None:
    """Score every contact with the active rule set (or `rule_set_id` if it is the active
    one: a task queued for a version that was replaced meanwhile does nothing)."""
    rule_set = active_rule_set()
    if rule_set is None or (rule_set_id is not None and rule_set.pk != rule_set_id):
        return None
    return compute_scores(rule_set, None, now=now)
