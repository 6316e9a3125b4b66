"""A contact's score in words: the rules and touches behind it, from the ledger entries of
the computation that wrote the current score."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from renkei.contacts.models import Contact
from renkei.marketing.choices import TouchType
from renkei.scoring import rules as rule_logic
from renkei.scoring.choices import RuleKind
from renkei.scoring.models import ContactScore, Rule, ScoreEntry


@dataclass
class TouchLine:
    touch_id: int | None
    type: str
    label: str
    at: dt.datetime | None
    points: float


@dataclass
class ReasonLine:
    """One rule's contribution (or a cap's correction) to a contact's score."""

    part: str
    rule_id: int | None
    text: str
    points: float
    is_cap: bool = False
    touches: list[TouchLine] = field(default_factory=list)

    @property
    def touch_count(self) -> int:
        return len(self.touches)


@dataclass
class Explanation:
    score: ContactScore
    fit: list[ReasonLine]
    engagement: list[ReasonLine]

    @property
    def lines(self) -> list[ReasonLine]:
        return self.fit + self.engagement


def _touch_label(entry: ScoreEntry) -> str:
    touch = entry.touch
    if touch is None:
        return _("a touch that was removed")
    kind = TouchType(touch.type).label if touch.type in TouchType.values else touch.type
    what = (
        (touch.content.title if touch.content_id else "") or touch.title or touch.name or touch.url
    )
    return f"{kind}: {what}" if what else str(kind)


def explain(contact: Contact, *, touch_limit: int = 20) -> Explanation | None:
    """The current score of `contact` and the reasons behind it (None when it has no score).
    The points of the lines add up to the score."""
    score = (
        ContactScore.objects.select_related("rule_set", "run").filter(contact_id=contact.pk).first()
    )
    if score is None:
        return None
    entries = (
        ScoreEntry.objects.filter(contact_id=contact.pk, run_id=score.run_id)
        .select_related("touch__content")
        .order_by("id")
    )
    rules = {r.pk: r for r in Rule.objects.filter(rule_set_id=score.rule_set_id)}
    lines: dict[tuple[int | None, bool, str], ReasonLine] = {}
    for entry in entries:
        key = (entry.rule_id, entry.is_cap, entry.part)
        line = lines.get(key)
        if line is None:
            rule = rules.get(entry.rule_id) if entry.rule_id else None
            text = rule_logic.describe(rule) if rule is not None else entry.reason
            if entry.is_cap and rule is not None:
                text = _("Capped at %(cap)s points: %(rule)s") % {"cap": rule.cap, "rule": text}
            elif entry.is_cap:
                fit = entry.part == RuleKind.FIT
                text = _("The %(part)s is at most %(cap)s points") % {
                    "part": _("fit score") if fit else _("engagement score"),
                    "cap": score.rule_set.fit_cap if fit else score.rule_set.engagement_cap,
                }
            line = lines[key] = ReasonLine(
                part=entry.part, rule_id=entry.rule_id, text=text, points=0.0, is_cap=entry.is_cap
            )
        line.points += entry.points
        if entry.touch_id is not None or (entry.part == RuleKind.ENGAGEMENT and not entry.is_cap):
            line.touches.append(
                TouchLine(
                    touch_id=entry.touch_id,
                    type=entry.touch.type if entry.touch else "",
                    label=_touch_label(entry),
                    at=entry.touch.at if entry.touch else None,
                    points=entry.points,
                )
            )
    for line in lines.values():
        line.touches.sort(
            key=lambda t: t.at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True
        )
        del line.touches[touch_limit:]
    ordered = sorted(lines.values(), key=lambda line: (line.is_cap, -abs(line.points)))
    return Explanation(
        score=score,
        fit=[line for line in ordered if line.part == RuleKind.FIT],
        engagement=[line for line in ordered if line.part == RuleKind.ENGAGEMENT],
    )
