"""Demo companies: names in every 法人格 notation, readings, 法人番号, domains, phones."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import phonenumbers
from stdnum.jp import cn as corporate_number_std

from renkei.contacts.choices import EmployeeBand, Industry, Prefecture
from renkei.contacts.normalize import normalize_company_name
from renkei.demo import data
from renkei.demo.data import Word
from renkei.demo.weighted import Weighted

_FORMS = Weighted(data.FORM_WEIGHTS)
_PREFECTURES = Weighted(
    (code, data.PREFECTURE_WEIGHTS.get(code, data.OTHER_PREFECTURE_WEIGHT))
    for code in Prefecture.values
)
_BANDS = {key: Weighted(pairs) for key, pairs in data.EMPLOYEE_BAND_WEIGHTS.items()}
_SURNAME_STEMS = [w for w, _weight in data.EXTRA_SURNAMES if w.text not in {"髙橋", "山﨑"}] + [
    Word("鈴木", "スズキ", "suzuki"),
    Word("山田", "ヤマダ", "yamada"),
    Word("田中", "タナカ", "tanaka"),
    Word("松井", "マツイ", "matsui"),
    Word("岩崎", "イワサキ", "iwasaki"),
    Word("小松", "コマツ", "komatsu"),
    Word("高島", "タカシマ", "takashima"),
    Word("西村", "ニシムラ", "nishimura"),
]
_ENGLISH_FORMS = Weighted(
    [("Co., Ltd.", 50), ("Inc.", 20), ("Corporation", 15), ("K.K.", 10), ("Corp.", 5)]
)
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(slots=True)
class AccountSpec:
    """An account to create, with what the contact generator needs to know about it."""

    name: str
    name_kana: str
    corporate_number: str
    website: str
    domain: str
    industry: str
    employee_band: str
    prefecture: str
    owner_id: int | None
    contact_weight: float

    @property
    def west(self) -> bool:
        return self.prefecture in data.WEST_PREFECTURES


def valid_phone(national: str) -> bool:
    """Whether a Japanese national number (without the leading 0) is a valid number."""
    number = phonenumbers.PhoneNumber(country_code=81, national_number=int(national))
    return phonenumbers.is_valid_number(number)


def landline(rng: random.Random, prefecture: str) -> str:
    """A valid landline number in the prefecture's main area code, in E.164."""
    area = data.AREA_CODES.get(prefecture, "3")
    length = 9 - len(area)
    for _attempt in range(50):
        rest = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))
        if valid_phone(area + rest):
            return f"+81{area}{rest}"
    # Every area code above has valid numbers; this only guards against a changed table.
    return mobile(rng)


def mobile(rng: random.Random) -> str:
    """A valid mobile number (090/080/070) in E.164."""
    while True:
        national = rng.choice(data.MOBILE_PREFIXES) + str(rng.randint(10_000_000, 99_999_999))
        if valid_phone(national):
            return f"+81{national}"


def corporate_number(rng: random.Random, kind: str, prefecture: str) -> str:
    """A 法人番号 with a valid check digit (the first of its 13 digits)."""
    office = int(prefecture or "13") * 100 + rng.randint(0, 30)
    base = f"{office:04d}{kind}{rng.randint(0, 999_999):06d}"
    return corporate_number_std.calc_check_digit(base) + base


def _ascii(romaji: str) -> str:
    return _NOT_ASCII_WORD.sub("-", romaji.lower()).strip("-")


class CompanyFactory:
    """Makes unique companies; `taken_*` hold what already exists in the database."""

    def __init__(
        self,
        rng: random.Random,
        *,
        field_east: list[int],
        field_west: list[int],
        taken_names: set[str],
        taken_numbers: set[str],
        taken_domains: set[str],
    ) -> None:
        self.rng = rng
        self.field_east = field_east
        self.field_west = field_west
        self.taken_names = taken_names
        self.taken_numbers = taken_numbers
        self.taken_domains = taken_domains

    def make(self) -> AccountSpec:
        rng = self.rng
        for attempt in range(200):
            form = _FORMS.pick(rng)
            prefecture = _PREFECTURES.pick(rng)
            built = self._name(form, prefecture, attempt)
            name, kana, domain_stem, tld, industry, size, prefecture = built
            key = normalize_company_name(name)
            if key in self.taken_names:
                continue
            domain = self._domain(domain_stem, tld)
            if domain is None:
                continue
            self.taken_names.add(key)
            self.taken_domains.add(domain)
            return self._finish(form, name, kana, domain, industry, size, prefecture)
        raise RuntimeError("could not find an unused company name")

    def _finish(
        self,
        form: str,
        name: str,
        kana: str,
        domain: str,
        industry: str,
        size: str,
        prefecture: str,
    ) -> AccountSpec:
        rng = self.rng
        band = _BANDS[size].pick(rng)
        number = ""
        if rng.random() < 0.88:
            for _attempt in range(20):
                candidate = corporate_number(rng, data.FORM_REGISTRY_KIND[form], prefecture)
                if candidate not in self.taken_numbers:
                    self.taken_numbers.add(candidate)
                    number = candidate
                    break
        if band == EmployeeBand.B1_49 and rng.random() < 0.1:
            website = ""
        else:
            website = f"https://www.{domain}/" if rng.random() < 0.82 else f"https://{domain}/"
        owner = None
        if band in (EmployeeBand.B300_999, EmployeeBand.B1000_4999, EmployeeBand.B5000):
            owner = rng.choice(
                self.field_west if prefecture in data.WEST_PREFECTURES else self.field_east
            )
        weight = data.CONTACTS_PER_BAND[band] * rng.lognormvariate(0, 0.6)
        return AccountSpec(
            name=name,
            name_kana=kana,
            corporate_number=number,
            website=website,
            domain=domain,
            industry=industry,
            employee_band=band,
            prefecture=prefecture,
            owner_id=owner,
            contact_weight=weight,
        )

    def _domain(self, stem: str, tld: str) -> str | None:
        for candidate in (f"{stem}.{tld}", f"{stem}-jp.{tld}", f"{stem}-group.{tld}"):
            if candidate not in self.taken_domains:
                return candidate
        return None

    def _stem(self) -> Word:
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            return rng.choice(data.JP_STEMS)
        if roll < 0.75:
            return rng.choice(data.KATAKANA_STEMS)
        return rng.choice(_SURNAME_STEMS)

    def _name(
        self, form: str, prefecture: str, attempt: int
    ) -> tuple[str, str, str, str, str, str, str]:
        """(name, reading, domain stem, top-level domain, industry, size key, prefecture)."""
        rng = self.rng
        stem = self._stem()
        if form == "shadan":
            topic = rng.choice(data.ASSOCIATION_TOPICS)
            area = Word("日本", "ニホン", "japan")
            if rng.random() < 0.4:
                area, prefecture = rng.choice(data.REGION_PREFIXES)
            name = f"一般社団法人{area.text}{topic.text}協会"
            kana = f"{area.kana}{topic.kana}キョウカイ"
            return (
                name,
                kana,
                f"{_ascii(area.romaji)}-{topic.romaji}",
                "or.jp",
                Industry.SERVICES,
                "small",
                prefecture,
            )
        if form == "iryo":
            name = f"医療法人社団{stem.text}会"
            return (
                name,
                f"{stem.kana}カイ",
                f"{_ascii(stem.romaji)}-kai",
                "or.jp",
                Industry.HEALTHCARE,
                "small",
                prefecture,
            )
        if form == "gakko":
            name = f"学校法人{stem.text}学園"
            return (
                name,
                f"{stem.kana}ガクエン",
                f"{_ascii(stem.romaji)}-gakuen",
                "ac.jp",
                Industry.PUBLIC,
                "default",
                prefecture,
            )
        if form == "zeirishi":
            surname = rng.choice(_SURNAME_STEMS)
            name = f"税理士法人{surname.text}会計事務所"
            kana = f"{surname.kana}カイケイジムショ"
            return (
                name,
                kana,
                f"{_ascii(surname.romaji)}-kaikei",
                "jp",
                Industry.SERVICES,
                "small",
                prefecture,
            )

        suffix = rng.choice(data.SUFFIXES)
        parts = [stem]
        if rng.random() < 0.25 or attempt > 50:
            region, prefecture = rng.choice(data.REGION_PREFIXES)
            parts.insert(0, region)
        core = "".join(p.text for p in parts) + suffix.word.text
        kana = ("".join(p.kana for p in parts) + suffix.word.kana).replace("・", "")
        romaji = [_ascii(p.romaji) for p in parts] + [_ascii(suffix.word.romaji)]
        sep = "-" if rng.random() < 0.6 else ""
        domain_stem = sep.join(romaji)
        size = "holdings" if suffix.word.text == "ホールディングス" else "default"
        tld = "co.jp"
        if form == "english":
            english = " ".join(p.romaji.capitalize() for p in parts)
            name = f"{english} {suffix.english} {_ENGLISH_FORMS.pick(rng)}"
            english_kana = suffix.english_kana or suffix.word.kana
            kana = ("".join(p.kana for p in parts) + english_kana).replace("・", "")
            tld = "com" if rng.random() < 0.4 else "co.jp"
        elif form == "kabu_front":
            name = f"株式会社 {core}" if rng.random() < 0.08 else f"株式会社{core}"
        elif form == "kabu_back":
            name = f"{core}株式会社"
        elif form == "kabu_abbrev":
            name = rng.choice((f"(株){core}", f"{core}(株)", f"（株）{core}", f"{core}（株）"))
        elif form == "kabu_symbol":
            name = rng.choice((f"㈱{core}", f"{core}㈱"))
        elif form == "yugen":
            name = rng.choice((f"有限会社{core}", f"{core}有限会社"))
            size = "small"
        else:  # godo
            name = f"合同会社{core}" if rng.random() < 0.7 else f"{core}合同会社"
            size = "small"
            tld = "jp" if rng.random() < 0.6 else "com"
        return name, kana, domain_stem, tld, suffix.industry, size, prefecture
