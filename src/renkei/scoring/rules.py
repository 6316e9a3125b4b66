"""The rules themselves: validation of a rule's settings, the contacts and touches a rule
matches (as ORM filters, so one definition serves a single contact and a million), and each
rule described in words.

A fit rule matches contacts; an engagement rule matches touches. Both are plain querysets,
which renkei.scoring.compute turns into set-based INSERT … SELECT statements.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Lower, StrIndex, Substr
from django.db.models.lookups import In
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from renkei.contacts.choices import ConsentStatus, EmployeeBand, Industry, Prefecture, Region
from renkei.contacts.models import Contact
from renkei.contacts.normalize import FREE_MAIL_DOMAINS
from renkei.marketing.choices import BuyerStage, CampaignType, TouchType
from renkei.marketing.models import Persona, Touch, split_keywords
from renkei.scoring.choices import VALUELESS_FIT_FIELDS, FitField, RuleKind
from renkei.scoring.models import Rule

MAX_POINTS = 1000
MAX_CAP = 100_000
MAX_HALF_LIFE_DAYS = 3650
MAX_VALUES = 100
DOMAIN = re.compile(r"^(?=.{4,200}$)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")

CHOICE_FIELDS: dict[str, type[Any]] = {
    FitField.INDUSTRY: Industry,
    FitField.EMPLOYEE_BAND: EmployeeBand,
    FitField.REGION: Region,
    FitField.PREFECTURE: Prefecture,
    FitField.CONSENT_STATUS: ConsentStatus,
}
KEYWORD_FIELDS = {FitField.DEPARTMENT: "department", FitField.TITLE: "title"}


@dataclass(frozen=True)
class RuleInput:
    """A rule's settings after validation."""

    kind: str
    field: str
    values: list[Any]
    points: int
    cap: int | None = None
    buyer_stage: str = ""
    campaign_type: str = ""


def _as_list(values: Any) -> list[Any]:
    if values is None:
        return []
    if isinstance(values, str):
        return split_keywords(values)
    if isinstance(values, (list, tuple, set, frozenset)):
        return [v.strip() if isinstance(v, str) else v for v in values if v not in ("", None)]
    return [values]


def _clean_domain(value: str) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    text = re.sub(r"^[a-z]+://", "", text).split("/", 1)[0]
    return text.rsplit("@", 1)[-1].removeprefix("www.").strip(".")


def validate_rule(
    *,
    kind: str,
    field: str,
    values: Any = None,
    points: Any,
    cap: Any = None,
    buyer_stage: str = "",
    campaign_type: str = "",
) -> RuleInput:
    """The rule's settings checked and normalized; a ValidationError names each field
    that is wrong, in words the person who typed it understands."""
    errors: dict[str, list[str]] = {}
    items = _as_list(values)
    cleaned: list[Any] = []
    if kind not in RuleKind.values:
        raise ValidationError({"kind": [_("Choose fit or engagement.")]})
    if kind == RuleKind.FIT:
        if field not in FitField.values:
            errors["field"] = [
                _("Unknown field “%(field)s”. Use one of: %(fields)s.")
                % {"field": field, "fields": ", ".join(FitField.values)}
            ]
        elif field in VALUELESS_FIT_FIELDS:
            cleaned = []
        elif not items:
            errors["values"] = [_("Give at least one value for this rule.")]
        elif len(items) > MAX_VALUES:
            errors["values"] = [_("Give at most %(n)s values.") % {"n": MAX_VALUES}]
        elif field in CHOICE_FIELDS:
            allowed = CHOICE_FIELDS[field].values
            wrong = [str(v) for v in items if str(v) not in allowed]
            if wrong:
                errors["values"] = [
                    _("Not a valid choice: %(values)s.") % {"values": ", ".join(wrong)}
                ]
            cleaned = [v for v in allowed if v in {str(i) for i in items}]
        elif field in KEYWORD_FIELDS:
            cleaned = list(dict.fromkeys(str(v)[:100] for v in items if str(v).strip()))
        elif field == FitField.PERSONA:
            try:
                ids = sorted({int(v) for v in items})
            except (TypeError, ValueError):
                ids = []
            found = set(Persona.objects.filter(pk__in=ids).values_list("pk", flat=True))
            if not ids or found != set(ids):
                errors["values"] = [_("Choose personas that exist.")]
            cleaned = ids
        elif field == FitField.COMPETITOR_DOMAIN:
            domains = [_clean_domain(v) for v in items]
            wrong = [str(v) for v, d in zip(items, domains, strict=True) if not DOMAIN.match(d)]
            if wrong:
                errors["values"] = [
                    _("Not a domain: %(values)s. Write it like example.co.jp.")
                    % {"values": ", ".join(wrong)}
                ]
            cleaned = sorted(set(domains))
        if cap not in (None, ""):
            errors["cap"] = [_("Only engagement rules have a maximum.")]
        if buyer_stage or campaign_type:
            errors["buyer_stage"] = [_("Only engagement rules look at content or campaigns.")]
    else:
        if field not in TouchType.values:
            errors["field"] = [
                _("Unknown touch type “%(field)s”. Use one of: %(fields)s.")
                % {"field": field, "fields": ", ".join(TouchType.values)}
            ]
        elif items and field != TouchType.CUSTOM:
            errors["values"] = [_("Event names apply to custom events only.")]
        cleaned = list(dict.fromkeys(str(v)[:100] for v in items))
        if buyer_stage and buyer_stage not in BuyerStage.values:
            errors["buyer_stage"] = [_("Choose a buyer stage from the list.")]
        if campaign_type and campaign_type not in CampaignType.values:
            errors["campaign_type"] = [_("Choose a campaign type from the list.")]
    try:
        points_value = int(points)
        if str(points).strip() != str(points_value) and not isinstance(points, int):
            raise ValueError
    except (TypeError, ValueError):
        errors["points"] = [_("Enter a whole number of points.")]
        points_value = 0
    else:
        if points_value == 0:
            errors["points"] = [_("A rule must give points: enter a number other than 0.")]
        elif abs(points_value) > MAX_POINTS:
            errors["points"] = [
                _("Points must be between −%(max)s and %(max)s.") % {"max": MAX_POINTS}
            ]
    cap_value: int | None = None
    if kind == RuleKind.ENGAGEMENT and cap not in (None, ""):
        try:
            cap_value = int(cap)
        except (TypeError, ValueError):
            errors["cap"] = [_("Enter a whole number of points.")]
        else:
            if not 0 < cap_value <= MAX_CAP:
                errors["cap"] = [
                    _("The maximum must be between 1 and %(max)s points.") % {"max": MAX_CAP}
                ]
            elif points_value < 0:
                errors["cap"] = [_("A maximum applies to rules that give positive points.")]
    if errors:
        raise ValidationError(errors)
    return RuleInput(
        kind=kind,
        field=field,
        values=cleaned,
        points=points_value,
        cap=cap_value,
        buyer_stage=buyer_stage if kind == RuleKind.ENGAGEMENT else "",
        campaign_type=campaign_type if kind == RuleKind.ENGAGEMENT else "",
    )


def validate_settings(
    *, half_life_days: Any, fit_cap: Any = None, engagement_cap: Any = None
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    try:
        half_life = float(half_life_days)
    except (TypeError, ValueError):
        errors["half_life_days"] = [_("Enter a number of days.")]
        half_life = 0.0
    else:
        if not 0 < half_life <= MAX_HALF_LIFE_DAYS:
            errors["half_life_days"] = [
                _("The half-life must be more than 0 and at most %(max)s days.")
                % {"max": MAX_HALF_LIFE_DAYS}
            ]
    caps: dict[str, int | None] = {}
    for name, value in (("fit_cap", fit_cap), ("engagement_cap", engagement_cap)):
        if value in (None, ""):
            caps[name] = None
            continue
        try:
            caps[name] = int(value)
        except (TypeError, ValueError):
            errors[name] = [_("Enter a whole number of points.")]
            continue
        if not 0 < caps[name] <= MAX_CAP:  # type: ignore[operator]
            errors[name] = [
                _("The maximum must be between 1 and %(max)s points.") % {"max": MAX_CAP}
            ]
    if errors:
        raise ValidationError(errors)
    return {"half_life_days": half_life, **caps}


# --- what a rule matches ------------------------------------------------------------------
def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def keyword_variants(keyword: str) -> set[str]:
    """A keyword as typed, NFKC-folded and in full-width, so ＩＴ and IT both match (case is
    folded by the database's case-insensitive comparison)."""
    folded = unicodedata.normalize("NFKC", keyword).strip()
    return {v for v in (keyword.strip(), folded, _fullwidth(folded)) if v}


def _domain_q(domains: Iterable[str], *, company: bool) -> Q:
    q = Q(pk__in=[])
    for domain in domains:
        q |= Q(email__iendswith=f"@{domain}") | Q(email__iendswith=f".{domain}")
        if company:
            q |= Q(account__domain__iexact=domain) | Q(account__domain__iendswith=f".{domain}")
    return q


def _after(text: Any, separator: str) -> Any:
    """What follows the first `separator` in `text` (all of it when there is none)."""
    return Substr(text, StrIndex(text, Value(separator)) + 1)


def _free_mail_q() -> Q:
    """An address at a free-mail domain (renkei.contacts.normalize) or a subdomain of one,
    up to two levels (taro@abc.ocn.ne.jp). Hash look-ups of the address's domain and its
    parents: a hundred LIKEs or one regular expression cost a fifth of a full rescore."""
    domains = sorted(FREE_MAIL_DOMAINS)
    domain = Lower(_after(F("email"), "@"))
    parent = _after(domain, ".")
    return Q(In(domain, domains)) | Q(In(parent, domains)) | Q(In(_after(parent, "."), domains))


def fit_filter(rule: Rule) -> Q:
    """The contacts a fit rule applies to, as a filter on Contact."""
    values = rule.values
    match rule.field:
        case FitField.INDUSTRY:
            return Q(account__industry__in=values)
        case FitField.EMPLOYEE_BAND:
            return Q(account__employee_band__in=values)
        case FitField.REGION:
            return Q(account__region__in=values)
        case FitField.PREFECTURE:
            return Q(account__prefecture__in=values)
        case FitField.DEPARTMENT | FitField.TITLE:
            column = KEYWORD_FIELDS[rule.field]
            q = Q(pk__in=[])
            for keyword in values:
                for variant in keyword_variants(keyword):
                    q |= Q(**{f"{column}__icontains": variant})
            return q
        case FitField.PERSONA:
            return Q(persona_match__persona_id__in=values)
        case FitField.FREE_MAIL:
            return _free_mail_q()
        case FitField.COMPETITOR_DOMAIN:
            return _domain_q(values, company=True)
        case FitField.CONSENT_STATUS:
            return Q(consent_status__in=values)
    raise ValueError(f"unknown fit field {rule.field}")


def fit_contacts(rule: Rule, contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    return contacts.filter(fit_filter(rule))


def engagement_touches(rule: Rule, touches: QuerySet[Touch]) -> QuerySet[Touch]:
    """The touches an engagement rule gives points for."""
    touches = touches.filter(type=rule.field)
    if rule.values:
        touches = touches.filter(name__in=rule.values)
    if rule.buyer_stage:
        touches = touches.filter(content__buyer_stage=rule.buyer_stage)
    if rule.campaign_type:
        touches = touches.filter(campaign__type=rule.campaign_type)
    return touches


# --- words ------------------------------------------------------------------------------
def _labels(rule: Rule) -> list[str]:
    if rule.field in CHOICE_FIELDS:
        choices = CHOICE_FIELDS[rule.field]
        return [str(choices(v).label) if v in choices.values else str(v) for v in rule.values]
    if rule.field == FitField.PERSONA:
        names = dict(Persona.objects.filter(pk__in=rule.values).values_list("pk", "name"))
        return [names.get(v, f"#{v}") for v in rule.values]
    return [str(v) for v in rule.values]


def describe(rule: Rule) -> str:
    """The rule in words, in the active language: “Industry is Manufacturing or IT”."""
    either = _(" or ").join(_labels(rule)) if rule.values else ""
    if rule.kind == RuleKind.FIT:
        match rule.field:
            case FitField.INDUSTRY:
                return _("Industry is %(values)s") % {"values": either}
            case FitField.EMPLOYEE_BAND:
                return _("Company size is %(values)s") % {"values": either}
            case FitField.REGION:
                return _("Region is %(values)s") % {"values": either}
            case FitField.PREFECTURE:
                return _("Prefecture is %(values)s") % {"values": either}
            case FitField.DEPARTMENT:
                return _("Department contains %(values)s") % {"values": either}
            case FitField.TITLE:
                return _("Title contains %(values)s") % {"values": either}
            case FitField.PERSONA:
                return _("Persona is %(values)s") % {"values": either}
            case FitField.FREE_MAIL:
                return _("Email address is a free-mail address")
            case FitField.COMPETITOR_DOMAIN:
                return _("Email or company domain is a competitor's: %(values)s") % {
                    "values": ", ".join(rule.values)
                }
            case FitField.CONSENT_STATUS:
                return _("Email consent is %(values)s") % {"values": either}
        return rule.field
    touch = str(TouchType(rule.field).label) if rule.field in TouchType.values else rule.field
    text = _("Each %(touch)s") % {"touch": touch}
    if rule.values:
        text += " " + _("named %(names)s") % {"names": either}
    if rule.buyer_stage:
        text += " " + _("of content for the %(stage)s stage") % {
            "stage": BuyerStage(rule.buyer_stage).label
        }
    if rule.campaign_type:
        text += " " + _("in a %(type)s campaign") % {"type": CampaignType(rule.campaign_type).label}
    if rule.cap:
        text += " " + ngettext("(at most %(cap)s point)", "(at most %(cap)s points)", rule.cap) % {
            "cap": rule.cap
        }
    return text
