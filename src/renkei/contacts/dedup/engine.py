"""The matching engine: is this pair of records one entity? Pure functions, no database.

A verdict is `merge` (the same entity, safe to merge automatically), `review` (probably the
same; a person decides) or `separate`. The rules follow ../shared/research/japan.md §2.3:

- companies: a corporate number (法人番号) on both sides decides. Otherwise names are compared
  as keys (NFKC, 法人格 and branch removed, spaces and punctuation dropped, variant kanji
  folded); an equal key merges unless the 法人格 differ, 前株 meets 後株 (different 商号),
  or the websites' registrable domains differ, which go to review. A kana-only or bank-style
  name (カ)ヤマダ) equal to the other side's フリガナ merges; hiragana vs katakana, the same
  domain, the same phone or a near-identical name go to review.
- people: a shared personal email address (not a role mailbox like info@, not free mail)
  merges; a shared mobile number merges when the names agree; the same name at the same
  company merges; the same name elsewhere, the same reading in different kanji (斉藤/斎藤),
  a romaji name matching the reading, hiragana vs katakana go to review. Role mailboxes,
  switchboard (代表) numbers and other landlines are not evidence that two people are one.

Each verdict carries `reasons`: short, stable English phrases listed in `Reason`, so scripts
and the review queue can rely on them. docs/dedup.md documents them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import jaconv
from django.db import models
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from renkei.contacts.normalize import (
    ENGLISH_FORM,
    CompanyName,
    FormPosition,
    base_text,
    company_domain,
    company_reading_key,
    corporate_number_key,
    email_parts,
    is_free_mail,
    is_role_mailbox,
    is_valid_corporate_number,
    parse_company_name,
    parse_phone,
    person_name_key,
    reading_key,
    romaji_words,
    squeeze,
)

SIMILAR_NAME_RATIO = 90.0


class Decision(models.TextChoices):
    """What to do with a pair of records."""

    MERGE = "merge", _("Merge")
    REVIEW = "review", _("Review")
    SEPARATE = "separate", _("Keep separate")


class Kind(models.TextChoices):
    """What a pair of records describes."""

    COMPANY = "company", _("Company")
    PERSON = "person", _("Person")


class Reason:
    """The stable reason phrases a verdict may carry."""

    SAME_CORPORATE_NUMBER = "same corporate number"
    DIFFERENT_CORPORATE_NUMBERS = "different corporate numbers"
    SAME_NAME = "same name"
    SAME_NAME_BRANCH = "same name apart from a branch"
    FORM_MISSING = "法人格 missing on one side"
    DIFFERENT_FORMS = "different 法人格"
    BEFORE_VS_AFTER = "前株 vs 後株"
    DIFFERENT_DOMAINS = "different domains"
    SAME_DOMAIN = "same domain"
    NAME_MATCHES_READING = "name matches reading"
    SAME_READING = "same reading"
    HIRAGANA_VS_KATAKANA = "hiragana vs katakana"
    SIMILAR_NAMES = "similar names"
    SAME_PHONE = "same phone number"
    DIFFERENT_NAMES = "different names"
    NO_EVIDENCE = "no shared evidence"
    SAME_EMAIL = "same email"
    SAME_FREE_MAIL = "same free-mail address"
    ROLE_MAILBOX = "shared role mailbox"
    SWITCHBOARD = "shared switchboard number"
    SAME_LANDLINE = "same landline number"
    SAME_MOBILE = "same mobile number"
    SAME_COMPANY = "same company"
    SIMILAR_COMPANY = "probably the same company"
    DIFFERENT_COMPANY = "different company"
    COMPANY_UNKNOWN = "company unknown"
    SAME_READING_DIFFERENT_KANJI = "same reading, different kanji"
    ROMAJI_MATCHES_READING = "romaji name matches reading"
    PARTIAL_NAME = "partial name"
    SIMILAR_KANJI = "easily confused kanji"
    NAME_ORDER = "name order differs"

    @classmethod
    def all(cls) -> list[str]:
        return [v for k, v in vars(cls).items() if k.isupper() and isinstance(v, str)]


@dataclass(frozen=True)
class Record:
    """One side of a pair as it arrived (a form, a business card, a list). Blank = unknown."""

    company: str = ""
    name: str = ""
    kana: str = ""
    email: str = ""
    phone: str = ""
    corporate_number: str = ""
    website: str = ""


@dataclass
class Verdict:
    """The decision on a pair and why."""

    decision: Decision
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"decision": str(self.decision), "reasons": list(self.reasons)}


def _verdict(decision: Decision, *reasons: str) -> Verdict:
    unique: list[str] = []
    for reason in reasons:
        if reason and reason not in unique:
            unique.append(reason)
    return Verdict(decision, unique)


# --- companies ---------------------------------------------------------------------------


def _corporate_number(value: str) -> str:
    return corporate_number_key(value) if value else ""


def _forms_conflict(a: CompanyName, b: CompanyName) -> bool:
    return bool(a.form and b.form and ENGLISH_FORM not in (a.form, b.form) and a.form != b.form)


def _positions_conflict(a: CompanyName, b: CompanyName) -> bool:
    sides = {FormPosition.BEFORE, FormPosition.AFTER}
    return (
        a.form != ENGLISH_FORM
        and b.form != ENGLISH_FORM
        and a.position in sides
        and b.position in sides
        and a.position != b.position
    )


def _script_folded(key: str) -> str:
    return jaconv.hira2kata(key)


def compare_companies(a: Record, b: Record) -> Verdict:
    """Are two company records the same company? (japan.md §2.3, company rules)."""
    number_a, number_b = (
        _corporate_number(a.corporate_number),
        _corporate_number(b.corporate_number),
    )
    if number_a and number_b:
        if number_a == number_b:
            return _verdict(Decision.MERGE, Reason.SAME_CORPORATE_NUMBER)
        if is_valid_corporate_number(number_a) or is_valid_corporate_number(number_b):
            return _verdict(Decision.SEPARATE, Reason.DIFFERENT_CORPORATE_NUMBERS)

    name_a, name_b = parse_company_name(a.company), parse_company_name(b.company)
    domain_a = company_domain(website=a.website, email=a.email)
    domain_b = company_domain(website=b.website, email=b.email)
    same_domain = bool(domain_a and domain_a == domain_b)
    different_domains = bool(domain_a and domain_b and domain_a != domain_b)

    names_equal = bool(name_a.key) and name_a.key == name_b.key
    reading_equal = False
    if not names_equal:
        reading_a = name_a.reading
        reading_b = name_b.reading
        kana_a = company_reading_key(a.kana) if a.kana else ""
        kana_b = company_reading_key(b.kana) if b.kana else ""
        reading_equal = bool(
            (reading_a and reading_a in (kana_b, reading_b)) or (reading_b and reading_b == kana_a)
        )
        if reading_equal and reading_a and reading_a == reading_b and not (kana_a or kana_b):
            # Both names are written in kana and differ only in script (さいぼうず/サイボウズ)
            # or in small/large kana: distinct trade names until someone checks.
            if _script_folded(name_a.key) == _script_folded(name_b.key):
                return _verdict(Decision.REVIEW, Reason.HIRAGANA_VS_KATAKANA)
            return _verdict(Decision.REVIEW, Reason.SAME_READING)

    if names_equal or reading_equal:
        first = Reason.SAME_NAME if names_equal else Reason.NAME_MATCHES_READING
        extra = [Reason.SAME_NAME_BRANCH] if (name_a.branch or name_b.branch) else []
        if different_domains:
            return _verdict(Decision.REVIEW, first, Reason.DIFFERENT_DOMAINS)
        if _forms_conflict(name_a, name_b):
            return _verdict(Decision.REVIEW, first, Reason.DIFFERENT_FORMS)
        if _positions_conflict(name_a, name_b):
            if same_domain:
                return _verdict(Decision.MERGE, first, Reason.BEFORE_VS_AFTER, Reason.SAME_DOMAIN)
            return _verdict(Decision.REVIEW, first, Reason.BEFORE_VS_AFTER)
        if bool(name_a.form) != bool(name_b.form):
            # 山田商事 may be 株式会社山田商事 or 山田商事株式会社 (different 商号): an equal
            # name without its 法人格 needs another piece of evidence.
            if not same_domain:
                return _verdict(Decision.REVIEW, first, Reason.FORM_MISSING, *extra)
            extra.append(Reason.FORM_MISSING)
        if same_domain:
            extra.append(Reason.SAME_DOMAIN)
        return _verdict(Decision.MERGE, first, *extra)

    if name_a.key and name_b.key and _script_folded(name_a.key) == _script_folded(name_b.key):
        return _verdict(Decision.REVIEW, Reason.HIRAGANA_VS_KATAKANA)
    kana_a = company_reading_key(a.kana) if a.kana else ""
    kana_b = company_reading_key(b.kana) if b.kana else ""
    if kana_a and kana_a == kana_b:
        if different_domains:
            return _verdict(Decision.SEPARATE, Reason.SAME_READING, Reason.DIFFERENT_DOMAINS)
        return _verdict(Decision.REVIEW, Reason.SAME_READING)
    if same_domain:
        return _verdict(Decision.REVIEW, Reason.SAME_DOMAIN)
    phone_a, phone_b = parse_phone(a.phone), parse_phone(b.phone)
    if phone_a and phone_b and phone_a.e164 == phone_b.e164:
        return _verdict(Decision.REVIEW, Reason.SAME_PHONE)
    if (
        name_a.key
        and name_b.key
        and not different_domains
        and fuzz.ratio(name_a.key, name_b.key) >= SIMILAR_NAME_RATIO
    ):
        return _verdict(Decision.REVIEW, Reason.SIMILAR_NAMES)
    if name_a.key and name_b.key:
        return _verdict(Decision.SEPARATE, Reason.DIFFERENT_NAMES)
    return _verdict(Decision.SEPARATE, Reason.NO_EVIDENCE)


# --- people ------------------------------------------------------------------------------

NameRelation = Literal[
    "same",
    "same_reading",
    "similar_kanji",
    "reordered",
    "script",
    "romaji",
    "partial",
    "different",
    "unknown",
]
# Kanji that are distinct in names but often typed for one another (斉藤/斎藤, 太郎/太朗):
# a pair that differs only in these is worth a look, never an automatic merge.
_CONFUSABLE_KANJI = [
    frozenset(group)
    for group in ("斉斎", "郎朗", "冨富", "桧檜", "舘館", "竜龍", "万萬", "篭籠", "曽曾", "籐藤",
                  "弘宏", "浩洋", "紀記", "恵惠", "祐裕", "子仔", "智知", "沙紗", "奈那")
]  # fmt: skip


def _confusable(key_a: str, key_b: str) -> bool:
    if len(key_a) != len(key_b) or key_a == key_b:
        return False
    differences = [(x, y) for x, y in zip(key_a, key_b, strict=True) if x != y]
    return len(differences) <= 2 and all(
        any(x in group and y in group for group in _CONFUSABLE_KANJI) for x, y in differences
    )


_MIN_FULL_NAME = 3  # characters of a name key without spaces that make a full name


def _name_relation(a: Record, b: Record) -> NameRelation:
    key_a, key_b = person_name_key(a.name), person_name_key(b.name)
    if not key_a or not key_b:
        # Only a reading on one side (a list with フリガナ but no kanji): compare readings.
        read_a = reading_key(a.kana) if a.kana else ""
        read_b = reading_key(b.kana) if b.kana else ""
        if read_a and read_a == read_b:
            return "same_reading"
        return "unknown"
    if key_a == key_b:
        if " " in key_a or len(key_a) >= _MIN_FULL_NAME or (" " in a.name and " " in b.name):
            return "same"
        return "partial"
    kana_a = reading_key(a.kana) if a.kana else ""
    kana_b = reading_key(b.kana) if b.kana else ""
    # A name written only in kana is its own reading.
    if not kana_a and parse_company_name(key_a).reading:
        kana_a = reading_key(key_a)
    if not kana_b and parse_company_name(key_b).reading:
        kana_b = reading_key(key_b)
    if kana_a and kana_a == kana_b:
        if _script_folded(key_a) == _script_folded(key_b):
            return "script"
        return "same_reading"
    if _confusable(key_a, key_b):
        return "similar_kanji"
    words_a, words_b = base_text(a.name).split(), base_text(b.name).split()
    if len(words_a) > 1 and sorted(map(squeeze, words_a)) == sorted(map(squeeze, words_b)):
        return "reordered"  # 太郎 山田 vs 山田 太郎
    romaji_a = _romaji(a)
    romaji_b = _romaji(b)
    if romaji_a and romaji_b and _romaji_equal(romaji_a, romaji_b):
        return "romaji"
    latin_a, latin_b = key_a.isascii(), key_b.isascii()
    if latin_a != latin_b:
        # A romaji card against a kanji card with no reading to compare: only the other
        # side's email can tell (Taro Yamada vs 山田 太郎 <taro.yamada@…>).
        latin, other = (a, b) if latin_a else (b, a)
        if _romaji_in_email(person_name_key(latin.name).split(), other.email):
            return "romaji"
        return "unknown"
    if (key_a.startswith(key_b) or key_b.startswith(key_a)) and " " not in key_a + key_b:
        shorter = min(len(key_a), len(key_b))
        if shorter >= 2:
            return "partial"
    return "different"


def _romaji_in_email(words: list[str], email: str) -> bool:
    local, _ = email_parts(email)
    if not local or not words:
        return False
    tokens = [t for t in re.split(r"[._+-]", local) if t]
    folded = [romaji_words(t)[0] if t.isalpha() else t for t in tokens]
    wanted = [romaji_words(w)[0] for w in words]
    return all(w in folded for w in wanted) or "".join(tokens) in (
        "".join(words),
        "".join(reversed(words)),
    )


def _romaji(record: Record) -> list[str]:
    name = record.name.strip()
    if name and person_name_key(name) and name.isascii():
        return romaji_words(name)
    if record.kana:
        return romaji_words(record.kana)
    return []


def _romaji_equal(a: list[str], b: list[str]) -> bool:
    if sorted(a) == sorted(b):
        return True
    joined_a, joined_b = "".join(a), "".join(b)
    return joined_a in ("".join(b), "".join(reversed(b))) or joined_b == "".join(reversed(a))


@lru_cache(maxsize=65536)
def _compare_companies(a: Record, b: Record) -> Verdict:
    """compare_companies, remembered: an import compares the same pairs of companies for
    every pair of their people. Callers must not change the verdict they get."""
    return compare_companies(a, b)


def _company_relation(a: Record, b: Record) -> tuple[str, list[str]]:
    """ "same", "similar", "different" or "unknown", with the company verdict's reasons."""
    _, domain_a = email_parts(a.email)
    _, domain_b = email_parts(b.email)
    mail_a = domain_a if domain_a and not is_free_mail(domain_a) else ""
    mail_b = domain_b if domain_b and not is_free_mail(domain_b) else ""
    has_a = bool(a.company or a.corporate_number or a.website or mail_a)
    has_b = bool(b.company or b.corporate_number or b.website or mail_b)
    if not (has_a and has_b):
        return "unknown", []
    if (a.company or a.corporate_number or a.website) and (
        b.company or b.corporate_number or b.website
    ):
        verdict = _compare_companies(
            Record(company=a.company, corporate_number=a.corporate_number, website=a.website),
            Record(company=b.company, corporate_number=b.corporate_number, website=b.website),
        )
        if verdict.decision == Decision.MERGE:
            return "same", list(verdict.reasons)
        if Reason.DIFFERENT_CORPORATE_NUMBERS in verdict.reasons:
            return "different", list(verdict.reasons)
    if mail_a and mail_a == mail_b:
        return "same", [Reason.SAME_DOMAIN]
    site_a = company_domain(website=a.website) or mail_a
    site_b = company_domain(website=b.website) or mail_b
    if site_a and site_a == site_b:
        return "same", [Reason.SAME_DOMAIN]
    if a.company and b.company:
        verdict = _compare_companies(
            Record(company=a.company, website=a.website, email=a.email),
            Record(company=b.company, website=b.website, email=b.email),
        )
        if verdict.decision == Decision.MERGE:
            return "same", list(verdict.reasons)
        if verdict.decision == Decision.REVIEW:
            return "similar", list(verdict.reasons)
        return "different", list(verdict.reasons)
    if site_a and site_b:
        return "different", [Reason.DIFFERENT_DOMAINS]
    # One side gives a company name, the other only a domain: nothing to compare.
    return "unknown", []


def compare_people(a: Record, b: Record) -> Verdict:
    """Are two person records the same person? (japan.md §2.3, person rules)."""
    notes: list[str] = []
    local_a, domain_a = email_parts(a.email)
    local_b, domain_b = email_parts(b.email)
    shared_free_mail = False
    if local_a and (local_a, domain_a) == (local_b, domain_b):
        if is_role_mailbox(local_a):
            notes.append(Reason.ROLE_MAILBOX)
        elif is_free_mail(domain_a):
            shared_free_mail = True
        else:
            return _verdict(Decision.MERGE, Reason.SAME_EMAIL)

    shared_mobile = False
    phone_a, phone_b = parse_phone(a.phone), parse_phone(b.phone)
    if phone_a and phone_b and phone_a.e164 == phone_b.e164:
        if phone_a.switchboard or phone_b.switchboard:
            notes.append(Reason.SWITCHBOARD)
        elif phone_a.mobile:
            shared_mobile = True
        elif phone_a.extension and phone_b.extension and phone_a.extension != phone_b.extension:
            notes.append(Reason.SWITCHBOARD)
        else:
            notes.append(Reason.SAME_LANDLINE)

    relation = _name_relation(a, b)
    company, company_reasons = _company_relation(a, b)

    if shared_mobile:
        if relation in ("same", "unknown"):
            return _verdict(Decision.MERGE, Reason.SAME_MOBILE, *_name_reason(relation), *notes)
        if relation == "different":
            return _verdict(Decision.REVIEW, Reason.SAME_MOBILE, Reason.DIFFERENT_NAMES, *notes)
        return _verdict(Decision.REVIEW, Reason.SAME_MOBILE, *_name_reason(relation), *notes)

    if shared_free_mail:
        if relation == "same":
            return _verdict(Decision.MERGE, Reason.SAME_FREE_MAIL, Reason.SAME_NAME, *notes)
        if relation == "different":
            return _verdict(
                Decision.SEPARATE, Reason.SAME_FREE_MAIL, Reason.DIFFERENT_NAMES, *notes
            )
        return _verdict(Decision.REVIEW, Reason.SAME_FREE_MAIL, *_name_reason(relation), *notes)

    if relation == "same":
        if company == "same":
            return _verdict(Decision.MERGE, Reason.SAME_NAME, Reason.SAME_COMPANY, *notes)
        if company == "similar":
            return _verdict(
                Decision.REVIEW, Reason.SAME_NAME, Reason.SIMILAR_COMPANY, *company_reasons, *notes
            )
        if company == "different":
            return _verdict(Decision.REVIEW, Reason.SAME_NAME, Reason.DIFFERENT_COMPANY, *notes)
        return _verdict(Decision.REVIEW, Reason.SAME_NAME, Reason.COMPANY_UNKNOWN, *notes)

    if relation in ("same_reading", "similar_kanji", "reordered", "script", "romaji", "partial"):
        if company == "different":
            return _verdict(
                Decision.SEPARATE, *_name_reason(relation), Reason.DIFFERENT_COMPANY, *notes
            )
        return _verdict(Decision.REVIEW, *_name_reason(relation), *_company_reason(company), *notes)

    if relation == "different":
        return _verdict(Decision.SEPARATE, Reason.DIFFERENT_NAMES, *notes)
    return _verdict(Decision.SEPARATE, Reason.NO_EVIDENCE, *notes)


def _name_reason(relation: NameRelation) -> list[str]:
    return {
        "same": [Reason.SAME_NAME],
        "same_reading": [Reason.SAME_READING_DIFFERENT_KANJI],
        "similar_kanji": [Reason.SIMILAR_KANJI],
        "reordered": [Reason.NAME_ORDER],
        "script": [Reason.HIRAGANA_VS_KATAKANA],
        "romaji": [Reason.ROMAJI_MATCHES_READING],
        "partial": [Reason.PARTIAL_NAME],
        "different": [Reason.DIFFERENT_NAMES],
        "unknown": [],
    }[relation]


def _company_reason(company: str) -> list[str]:
    return {
        "same": [Reason.SAME_COMPANY],
        "similar": [Reason.SIMILAR_COMPANY],
        "different": [Reason.DIFFERENT_COMPANY],
        "unknown": [Reason.COMPANY_UNKNOWN],
    }[company]


_KIND_ALIASES = {
    "company": Kind.COMPANY,
    "account": Kind.COMPANY,
    "person": Kind.PERSON,
    "contact": Kind.PERSON,
    "people": Kind.PERSON,
}


def parse_kind(kind: str) -> Kind:
    """`company`/`account` or `person`/`contact`; raises ValueError for anything else."""
    try:
        return _KIND_ALIASES[kind.strip().lower()]
    except KeyError:
        raise ValueError(kind) from None


def compare(kind: str, a: Record, b: Record) -> Verdict:
    """Compare two records of the given kind (`company` or `person`)."""
    if parse_kind(kind) == Kind.COMPANY:
        return compare_companies(a, b)
    return compare_people(a, b)
