"""Normalization of Japanese company names, person names, emails, phones and identifiers.

The rules follow ../shared/research/japan.md §2: NFKC width folding first, then 法人格
(corporate-form) removal in any position and notation, spaces and punctuation removed.
Issue #3 builds duplicate matching on these.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv
import phonenumbers
from stdnum.jp import cn as corporate_number_std

# 法人格: longest first so 特定非営利活動法人 wins over 法人 fragments.
CORPORATE_FORMS = sorted(
    [
        "株式会社",
        "有限会社",
        "合同会社",
        "合資会社",
        "合名会社",
        "相互会社",
        "一般社団法人",
        "一般財団法人",
        "公益社団法人",
        "公益財団法人",
        "特定非営利活動法人",
        "NPO法人",
        "社会福祉法人",
        "医療法人社団",
        "医療法人財団",
        "医療法人",
        "学校法人",
        "宗教法人",
        "独立行政法人",
        "国立大学法人",
        "地方独立行政法人",
        "税理士法人",
        "弁護士法人",
        "監査法人",
        "司法書士法人",
        "行政書士法人",
        "社会保険労務士法人",
        "特許業務法人",
        "協同組合",
    ],
    key=len,
    reverse=True,
)
# Abbreviations, after NFKC (㈱ becomes (株), full-width （株） becomes (株)).
CORPORATE_ABBREVIATIONS = [
    "(株)", "(有)", "(同)", "(資)", "(名)", "(社)", "(財)", "(一社)", "(一財)", "(公社)",
    "(公財)", "(特非)", "(医)", "(学)", "(福)", "(独)",
]  # fmt: skip
_ENGLISH_FORMS = re.compile(
    r"\b(co\.?,?\s*ltd\.?|company\s+limited|corporation|corp\.?|incorporated|inc\.?|"
    r"k\.?\s?k\.?|limited|ltd\.?|llc|g\.?k\.?|co\.?)(?=\W|$)",
    re.IGNORECASE,
)
_PUNCTUATION = re.compile(r"[\s\u3000・･.,，、。'\"’”“`\-‐‑–—―ー~〜()\[\]{}「」『』【】&＆/]+")


def nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "")


def clean_text(value: str) -> str:
    """NFKC, one space between words, no leading or trailing space."""
    return " ".join(nfkc(value).split())


def strip_corporate_form(name: str) -> str:
    """Remove 法人格 before or after the name (前株・後株), in any notation."""
    text = clean_text(name)
    for abbreviation in CORPORATE_ABBREVIATIONS:
        text = text.replace(abbreviation, " ")
    for form in CORPORATE_FORMS:
        text = text.replace(form, " ")
    text = _ENGLISH_FORMS.sub(" ", text)
    return " ".join(text.split())


def normalize_company_name(name: str) -> str:
    """A comparison key for a company name: same key, same company name.

    >>> normalize_company_name("株式会社 サンプル商事") == normalize_company_name("ｻﾝﾌﾟﾙ商事㈱")
    True
    """
    stripped = strip_corporate_form(name)
    key = _PUNCTUATION.sub("", stripped).lower()
    return key or _PUNCTUATION.sub("", clean_text(name)).lower()


def normalize_kana(value: str) -> str:
    """Readings compare as full-width katakana without spaces (ﾔﾏﾀﾞ, やまだ → ヤマダ)."""
    return jaconv.hira2kata(nfkc(value)).replace(" ", "")


def normalize_email(value: str) -> str:
    return nfkc(value).strip().lower()


class InvalidPhoneNumber(ValueError):
    pass


def normalize_phone(value: str, region: str = "JP") -> str:
    """E.164 form of a phone number; Japanese numbers may be written nationally.

    Raises InvalidPhoneNumber for anything that is not a valid number.
    """
    raw = nfkc(value).strip()
    if not raw:
        return ""
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(str(exc)) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber(raw)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """A number for display: national format for Japan, international otherwise."""
    if not e164:
        return ""
    parsed = phonenumbers.parse(e164, None)
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 81
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, fmt)


def is_valid_corporate_number(value: str) -> bool:
    """法人番号: 13 digits whose first digit is the check digit."""
    return corporate_number_std.is_valid(nfkc(value))


def clean_corporate_number(value: str) -> str:
    return corporate_number_std.compact(nfkc(value)).replace("-", "")


def domain_from_website(website: str) -> str:
    """The host of a website address, lower-case, without `www.`."""
    text = nfkc(website).strip().lower()
    if not text:
        return ""
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    host = re.split(r"[/?#:]", text, maxsplit=1)[0]
    return host.removeprefix("www.")


def search_key(*parts: str) -> str:
    """The text a search matches against: NFKC, lower-case, kana as katakana."""
    return jaconv.hira2kata(nfkc(" ".join(p for p in parts if p)).lower())
