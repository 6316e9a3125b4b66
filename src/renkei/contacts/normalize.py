"""Normalization of Japanese company names, person names, emails, phones and identifiers.

The rules follow ../shared/research/japan.md §2: NFKC width folding first, then 法人格
(corporate-form) removal in any position and notation, spaces and punctuation removed.
Issue #3 builds duplicate matching on these.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jaconv
import phonenumbers
import tldextract
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
    return _normalize_phone(value, region)


@lru_cache(maxsize=4096)
def _normalize_phone(value: str, region: str) -> str:
    # Cached: parsing is the slow part of an import row, and a number is often
    # normalized twice (when read, then when the contact is validated).
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


# --- Matching keys (japan.md §2.2), used by renkei.contacts.dedup -------------------------

# Standalone voiced/semi-voiced marks (゛゜) become combining marks so NFKC composes ウ゛ → ヴ.
_DETACHED_MARKS = str.maketrans({"\u309b": "\u3099", "\u309c": "\u309a"})
# Dash-like characters that follow a katakana letter are the long-vowel mark (サーバ－ = サーバー).
_KATAKANA_DASH = re.compile(r"(?<=[\u30a1-\u30fa\u30fc])[-‐‑‒–—―−－ｰ~〜～]")

# 異体字: variant kanji folded for comparison keys only (never for display). 斎 and 斉 are
# distinct surnames, so 齋 folds to 斎 and 齊 to 斉, never to each other.
VARIANT_KANJI = str.maketrans(
    {
        "髙": "高", "﨑": "崎", "嵜": "崎", "碕": "崎", "邊": "辺", "邉": "辺", "澤": "沢",
        "濱": "浜", "濵": "浜", "齋": "斎", "齊": "斉", "國": "国", "櫻": "桜", "廣": "広",
        "德": "徳", "惠": "恵", "眞": "真", "嶋": "島", "嶌": "島", "𠮷": "吉", "槇": "槙",
        "藪": "薮", "瀨": "瀬", "戶": "戸", "曾": "曽", "黑": "黒", "條": "条", "實": "実",
        "淺": "浅", "榮": "栄", "增": "増", "藏": "蔵", "豐": "豊", "會": "会", "學": "学",
        "與": "与", "鐵": "鉄", "舊": "旧", "圓": "円", "縣": "県", "壽": "寿", "彌": "弥",
        "遙": "遥", "靜": "静", "晝": "昼", "竝": "並", "辯": "弁", "瀧": "滝", "龜": "亀",
        "ヶ": "ケ", "ヵ": "カ",
    }
)  # fmt: skip
_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_NOT_KEY_CHAR = re.compile(r"[^\w\u30fc]|_")


def base_text(value: str) -> str:
    """NFKC with detached voiced marks repaired and katakana long-vowel dashes unified."""
    text = unicodedata.normalize("NFKC", (value or "").translate(_DETACHED_MARKS))
    return _KATAKANA_DASH.sub("ー", text).strip()


def squeeze(value: str) -> str:
    """Letters and digits only (and ー), case-folded, variant kanji folded."""
    return _NOT_KEY_CHAR.sub("", value).casefold().translate(VARIANT_KANJI)


def reading_key(value: str) -> str:
    """A reading (フリガナ) for comparison: katakana, small kana large, no ー or spaces.

    >>> reading_key("やまだ しょうじ") == reading_key("ﾔﾏﾀﾞｼﾖｳｼﾞ")
    True
    """
    text = jaconv.hira2kata(base_text(value)).translate(_SMALL_KANA)
    return _NOT_KEY_CHAR.sub("", text).replace("ー", "")


# 法人格 notations → canonical form. "EN" (Co., Ltd., Inc. …) is compatible with any form.
ENGLISH_FORM = "EN"
_FORM_VARIANTS: dict[str, str] = {
    "株式会社": "株式会社", "(株)": "株式会社", "株式會社": "株式会社",
    "カブシキガイシャ": "株式会社", "カブシキカイシャ": "株式会社",
    "特例有限会社": "有限会社", "有限会社": "有限会社", "有限會社": "有限会社", "(有)": "有限会社",
    "ユウゲンガイシャ": "有限会社",
    "合同会社": "合同会社", "(同)": "合同会社", "ゴウドウガイシャ": "合同会社",
    "合資会社": "合資会社", "(資)": "合資会社",
    "合名会社": "合名会社", "(名)": "合名会社",
    "相互会社": "相互会社",
    "一般社団法人": "一般社団法人", "(一社)": "一般社団法人",
    "一般財団法人": "一般財団法人", "(一財)": "一般財団法人",
    "公益社団法人": "公益社団法人", "(公社)": "公益社団法人",
    "公益財団法人": "公益財団法人", "(公財)": "公益財団法人",
    "社団法人": "社団法人", "(社)": "社団法人",
    "財団法人": "財団法人", "(財)": "財団法人",
    "特定非営利活動法人": "特定非営利活動法人", "NPO法人": "特定非営利活動法人",
    "npo法人": "特定非営利活動法人", "(特非)": "特定非営利活動法人",
    "医療法人社団": "医療法人", "医療法人財団": "医療法人", "社会医療法人": "医療法人",
    "医療法人": "医療法人", "(医)": "医療法人",
    "社会福祉法人": "社会福祉法人", "(福)": "社会福祉法人",
    "学校法人": "学校法人", "(学)": "学校法人",
    "国立大学法人": "国立大学法人", "公立大学法人": "公立大学法人",
    "地方独立行政法人": "独立行政法人", "独立行政法人": "独立行政法人", "(独)": "独立行政法人",
    "国立研究開発法人": "国立研究開発法人",
    "宗教法人": "宗教法人",
    "弁護士法人": "弁護士法人", "税理士法人": "税理士法人", "監査法人": "監査法人",
    "司法書士法人": "司法書士法人", "行政書士法人": "行政書士法人",
    "社会保険労務士法人": "社会保険労務士法人", "特許業務法人": "特許業務法人",
    "有限責任事業組合": "有限責任事業組合", "協同組合": "協同組合",
}  # fmt: skip
_FORM_PATTERN = re.compile(
    "|".join(re.escape(v) for v in sorted(_FORM_VARIANTS, key=len, reverse=True))
)
_ENGLISH_FORM_PATTERN = re.compile(
    r"(?<![\w])(co\.?\s*,?\s*ltd\.?|company\s+limited|kabushiki\s+kaisha|corporation|corp\.?"
    r"|incorporated|inc\.?|k\.\s?k\.?|kk|limited|ltd\.?|llc|l\.l\.c\.|g\.\s?k\.?|co\.?)(?=\W|$)",
    re.IGNORECASE,
)
# 全銀協 bank-transfer abbreviations: カ)ヤマダ (前株), ヤマダ(カ (後株),
# ヤマダ(カ)オオサカ (with a branch).
_BANK_FORMS: dict[str, str] = {
    "カ": "株式会社", "ユ": "有限会社", "ド": "合同会社", "メ": "合名会社", "シ": "合資会社",
    "イ": "医療法人", "ザイ": "財団法人", "シヤ": "社団法人", "シャ": "社団法人",
    "ガク": "学校法人", "フク": "社会福祉法人", "トクヒ": "特定非営利活動法人",
    "ドク": "独立行政法人", "ダイ": "国立大学法人", "シユウ": "宗教法人", "シュウ": "宗教法人",
    "ソ": "相互会社",
}  # fmt: skip
_BANK_ALTERNATION = "|".join(sorted(_BANK_FORMS, key=len, reverse=True))
_BANK_PREFIX = re.compile(rf"^({_BANK_ALTERNATION})\)\s*(?=[\u30a1-\u30fcA-Za-z0-9])")
_BANK_SUFFIX = re.compile(rf"(?<=[\u30a1-\u30fcA-Za-z0-9])\s*\(({_BANK_ALTERNATION})(\).*)?$")
_BRANCH_WORDS = (
    "支店|支社|営業所|事業所|出張所|本社|本店|工場|研究所|支部|事業部|営業部|本部|オフィス|"
    # as bank-transfer names spell them (ｵｵｻｶｼﾃﾝ)
    "シテン|シシヤ|シシャ|エイギヨウシヨ|エイギョウショ|ホンシヤ|ホンシャ|ホンテン"
)
_TRAILING_BRANCH = re.compile(rf"\s+\S*({_BRANCH_WORDS})$")
_BRANCH_TAIL = re.compile(rf"^\s*\S*({_BRANCH_WORDS})$")
_KANA_ONLY = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff]+$")


class FormPosition:
    BEFORE = "before"  # 前株
    AFTER = "after"  # 後株
    MIDDLE = "middle"
    NONE = ""


@dataclass(frozen=True)
class CompanyName:
    """A company name taken apart for matching (the original is kept by the caller)."""

    key: str  # squeezed name without 法人格 or branch
    form: str  # canonical 法人格, ENGLISH_FORM, or ""
    position: str  # FormPosition
    bank_style: bool  # written as a bank-transfer name (カ)ヤマダ)
    reading: str  # reading_key of the name when it is written only in kana, else ""
    branch: str  # the branch token that was dropped, if any


@lru_cache(maxsize=65536)
def parse_company_name(name: str) -> CompanyName:
    """Split a company name into its comparison key, 法人格 and that 法人格's position."""
    text = " ".join(base_text(name).split())
    form = ""
    position = FormPosition.NONE
    bank_style = False
    branch = ""
    match = _BANK_PREFIX.search(text)
    if match:
        form, position, bank_style = _BANK_FORMS[match.group(1)], FormPosition.BEFORE, True
        text = text[match.end() :]
    else:
        match = _BANK_SUFFIX.search(text)
        if match:
            form, position, bank_style = _BANK_FORMS[match.group(1)], FormPosition.AFTER, True
            branch = (match.group(2) or "").lstrip(")").strip()
            text = text[: match.start()]
    if not bank_style:
        match = _FORM_PATTERN.search(text)
        if match:
            form = _FORM_VARIANTS[match.group(0)]
            before, after = text[: match.start()].strip(), text[match.end() :].strip()
            if not before:
                position = FormPosition.BEFORE
            elif not after:
                position = FormPosition.AFTER
            elif _BRANCH_TAIL.match(after):
                position, branch, text = FormPosition.AFTER, after, text[: match.end()]
            else:
                position = FormPosition.MIDDLE
            text = _FORM_PATTERN.sub(" ", text)
        else:
            english = _ENGLISH_FORM_PATTERN.search(text)
            if english:
                form = ENGLISH_FORM
                text = _ENGLISH_FORM_PATTERN.sub(" ", text)
    text = " ".join(text.split())
    match = _TRAILING_BRANCH.search(text)
    if match and not branch:
        branch, text = match.group(0).strip(), text[: match.start()]
    key = squeeze(text)
    reading = reading_key(text) if key and _KANA_ONLY.match(squeeze(text)) else ""
    return CompanyName(key, form, position, bank_style, reading, branch)


def company_reading_key(kana: str) -> str:
    """A company's フリガナ as a reading key, without the reading of its 法人格."""
    text = jaconv.hira2kata(base_text(kana))
    parsed = parse_company_name(text)
    return reading_key(parsed.key) if parsed.key else ""


def person_name_key(name: str) -> str:
    """A person's name for comparison: spaces dropped; Latin names as sorted words.

    >>> person_name_key("Taro YAMADA") == person_name_key("yamada taro")
    True
    """
    text = _HONORIFIC.sub("", base_text(name))
    if text.isascii():
        words = sorted(w for w in re.split(r"[\s,.]+", text.casefold()) if w)
        words = [w for w in words if w not in _LATIN_HONORIFICS]
        return " ".join(words)
    return squeeze(text)


# Honorifics typed after a name in forms and lists (山田太郎 様) are not part of it.
_HONORIFIC = re.compile(r"\s*(様|さま|サマ|殿|どの|さん|氏)\s*$")
_LATIN_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "san", "sama"})


_ROMAJI_FOLDS = (("ou", "o"), ("oo", "o"), ("uu", "u"), ("oh", "o"), ("ei", "e"), ("nm", "mm"))


def romaji_words(value: str) -> list[str]:
    """Hepburn-ish words with long vowels folded (さいとう, Saito, SAITOH → saito)."""
    text = base_text(value)
    if not text.isascii():
        text = jaconv.kana2alphabet(jaconv.kata2hira(text.translate(_SMALL_KANA_KEEP)))
    words = []
    for word in re.split(r"[\s,.]+", text.casefold()):
        if not word:
            continue
        word = word.replace("-", "").replace("'", "")
        for old, new in _ROMAJI_FOLDS:
            word = word.replace(old, new)
        words.append(word)
    return words


_SMALL_KANA_KEEP = str.maketrans({"ー": ""})

# Registrable domains come from the bundled public suffix list, never from the network.
_tld_extract: tldextract.TLDExtract | None = None

FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.co.jp", "ymail.ne.jp", "yahoo.com", "icloud.com",
        "me.com", "mac.com", "outlook.jp", "outlook.com", "hotmail.com", "hotmail.co.jp",
        "live.jp", "live.com", "msn.com", "aol.com", "proton.me", "protonmail.com",
        "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp",
        "disney.ne.jp", "ymobile.ne.jp", "y-mobile.ne.jp", "willcom.com", "rakuten.jp",
        "nifty.com", "nifty.ne.jp", "biglobe.ne.jp", "ocn.ne.jp", "so-net.ne.jp",
        "plala.or.jp", "dion.ne.jp", "excite.co.jp", "infoseek.jp", "livedoor.com",
        "goo.jp", "mail.goo.ne.jp", "zoho.com", "gmx.com", "yandex.com", "qq.com",
        "163.com", "naver.com", "hanmail.net", "jcom.home.ne.jp", "eonet.ne.jp",
        "kcn.ne.jp", "odn.ne.jp", "mopera.net", "tiki.ne.jp", "sannet.ne.jp",
    }
)  # fmt: skip
# Shared mailboxes: an address like info@ belongs to a team, not to a person.
ROLE_MAILBOXES = frozenset(
    {
        "info", "information", "sales", "support", "contact", "contactus", "inquiry",
        "inquiries", "enquiry", "toiawase", "otoiawase", "eigyo", "eigyou", "eigyobu",
        "soumu", "somu", "jinji", "keiri", "saiyo", "saiyou", "recruit", "recruiting",
        "jobs", "hr", "admin", "administrator", "office", "mail", "webmaster", "postmaster",
        "hostmaster", "noreply", "no-reply", "donotreply", "help", "helpdesk", "service",
        "customer", "cs", "marketing", "pr", "press", "media", "koho", "kouhou", "team",
        "hello", "general", "reception", "uketsuke", "daihyo", "daihyou", "honbu", "web",
        "shop", "store", "order", "billing", "accounting", "finance", "legal", "privacy",
        "security", "abuse", "it", "system", "staff", "all", "group", "biz", "business",
        "partner", "partners", "kikaku", "kanri", "jimukyoku", "center", "desk",
    }
)  # fmt: skip


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """The domain an organisation registers (tokyo.example.co.jp → example.co.jp)."""
    global _tld_extract
    host = nfkc(host).strip().lower().strip(".")
    if not host:
        return ""
    if _tld_extract is None:
        _tld_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    return _tld_extract(host).top_domain_under_public_suffix or host


def clean_email(value: str) -> str:
    """An address as typed in a card or form, ready to compare: NFKC, lower-case, no mailto:."""
    text = nfkc(value).strip().lower()
    text = text.removeprefix("mailto:").strip("<> \t")
    return text if text.count("@") == 1 and not text.startswith("@") else ""


def email_parts(value: str) -> tuple[str, str]:
    """(local part, registrable domain) of an address, or ("", "") when it is not one."""
    address = clean_email(value)
    if not address:
        return "", ""
    local, _, host = address.partition("@")
    return local, registrable_domain(host)


def is_role_mailbox(local: str) -> bool:
    """info@, sales@, eigyo-bu@, support.jp@, info2@ … are shared mailboxes;
    sales.yamada@ is a person's."""
    local = local.split("+", 1)[0]
    if local in ROLE_MAILBOXES or local.rstrip("0123456789") in ROLE_MAILBOXES:
        return True
    head, *rest = re.split(r"[._-]", local)
    return head in ROLE_MAILBOXES and all(
        len(part) <= 3 or part.isdigit() or part in ROLE_MAILBOXES for part in rest
    )


def is_free_mail(domain: str) -> bool:
    return domain in FREE_MAIL_DOMAINS or registrable_domain(domain) in FREE_MAIL_DOMAINS


# Sites many companies share (page builders, blogs, social networks): their domain says
# nothing about which company a page belongs to.
SHARED_SITE_DOMAINS = frozenset(
    {
        "google.com", "wixsite.com", "wix.com", "jimdofree.com", "jimdo.com", "jimdosite.com",
        "fc2.com", "ameblo.jp", "amebaownd.com", "note.com", "note.jp", "facebook.com",
        "instagram.com", "twitter.com", "x.com", "linkedin.com", "youtube.com", "line.me",
        "lin.ee", "github.io", "wordpress.com", "blogspot.com", "hatenablog.com",
        "hatenablog.jp", "hatena.ne.jp", "peraichi.com", "studio.site", "thebase.in",
        "base.shop", "stores.jp", "goope.jp", "crayonsite.net", "square.site", "lit.link",
        "linktr.ee", "notion.site", "canva.site", "livedoor.jp", "seesaa.net", "exblog.jp",
    }
)  # fmt: skip


def company_domain(*, website: str = "", email: str = "") -> str:
    """The registrable domain of a company's website, else of a non-free-mail address.

    Shared sites (wixsite.com, ameblo.jp, facebook.com …) and free mail give nothing.
    """
    if website:
        host = domain_from_website(website)
        if host:
            domain = registrable_domain(host)
            if domain and not is_free_mail(domain) and domain not in SHARED_SITE_DOMAINS:
                return domain
    if email:
        _, domain = email_parts(email)
        if domain and not is_free_mail(domain):
            return domain
    return ""


_SWITCHBOARD_MARK = re.compile(r"\(代\)|\(代表\)|代表|\bmain\b|switchboard", re.IGNORECASE)
_PHONE_LABEL = re.compile(r"(tel|phone|fax|直通|携帯|mobile|電話)\s*[:.]?", re.IGNORECASE)
_EXTENSION = re.compile(r"(内線|ext\.?|x)\s*(\d+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PhoneInfo:
    """A parsed phone number: E.164, extension, and what kind of line it is."""

    e164: str
    extension: str
    mobile: bool
    switchboard: bool  # marked 代表 by whoever typed it


@lru_cache(maxsize=262144)  # an import of 100,000 rows compares each row's number
def parse_phone(value: str, region: str = "JP") -> PhoneInfo | None:
    """Parse a number as written on a card or form, or None when it is not a valid number."""
    text = nfkc(value).strip()
    if not text:
        return None
    switchboard = bool(_SWITCHBOARD_MARK.search(text))
    text = _SWITCHBOARD_MARK.sub(" ", text)
    text = _PHONE_LABEL.sub(" ", text)
    extension = ""
    match = _EXTENSION.search(text)
    if match:
        extension, text = match.group(2), text[: match.start()]
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    kind = phonenumbers.number_type(parsed)
    mobile = kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
    )
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return PhoneInfo(e164, extension or (parsed.extension or ""), mobile, switchboard)


def account_match_key(name: str) -> str:
    """The indexed key an account is found by: its name without 法人格 or branch."""
    return parse_company_name(name).key


def account_domain_key(website: str, domain: str = "") -> str:
    """The indexed registrable domain of an account's website (free mail excluded)."""
    found = company_domain(website=website)
    if not found and domain:
        found = registrable_domain(domain)
        found = "" if is_free_mail(found) or found in SHARED_SITE_DOMAINS else found
    return found


def corporate_number_key(value: str) -> str:
    """A 法人番号 for matching: 13 digits, or "" when it is not one.

    Accepts hyphens, spaces, full-width digits and the 適格請求書 registration form
    (T + 法人番号, e.g. T1180301018771).
    """
    text = re.sub(r"[\s\-‐－]", "", nfkc(value)).upper().removeprefix("T")
    return text if len(text) == 13 and text.isdigit() else ""


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\s]{2,}")


def search_bigrams(text: str) -> str:
    """Every two-character piece of the Japanese runs in a search text, space-separated.

    Japanese surnames are mostly two characters (高橋, 佐藤), too short for a trigram
    index; SQLite indexes these pieces as words so such a search is a lookup, not a scan.
    """
    grams: dict[str, None] = {}
    for run in _NON_ASCII_RUN.findall(text):
        for i in range(len(run) - 1):
            grams[run[i : i + 2]] = None
    return " ".join(grams)
