"""Demo people and how they first reached the company: names with readings, work emails,
phones, departments and titles, and the campaign, channel and moment of their first touch."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from faker import Faker

from renkei.contacts.choices import ConsentStatus, EmployeeBand, LifecycleStage, SourceChannel
from renkei.demo import data
from renkei.demo.clock import BusinessClock
from renkei.demo.companies import AccountSpec, landline, mobile
from renkei.demo.data import Word
from renkei.demo.journeys import Staff, Who, system
from renkei.demo.weighted import Weighted

S = LifecycleStage

CHANNEL_SHARES = Weighted(
    [
        (SourceChannel.WEBSITE, 12),
        (SourceChannel.CONTENT_DOWNLOAD, 20),
        (SourceChannel.WEBINAR, 15),
        (SourceChannel.EXHIBITION, 26),
        (SourceChannel.BUSINESS_CARD, 8),
        (SourceChannel.REFERRAL, 4),
        (SourceChannel.ADVERTISING, 9),
        (SourceChannel.OUTBOUND, 6),
    ]
)
_EXTRA_SURNAMES = Weighted(data.EXTRA_SURNAMES)
_FREE_MAIL = Weighted(data.FREE_MAIL_DOMAINS)
_DEPARTMENTS = Weighted(data.DEPARTMENTS)
_SMALL_DEPARTMENTS = Weighted(data.SMALL_COMPANY_DEPARTMENTS)
_TITLES = Weighted(data.TITLES)
_SMALL_TITLES = Weighted(data.SMALL_COMPANY_TITLES)
_CONTENT = Weighted(data.CONTENT_OFFERS)
_WEBSITE_FORMS = Weighted((form[:2], form[2]) for form in data.WEBSITE_FORMS)
_ADS = Weighted((ad[:2], ad[2]) for ad in data.AD_CAMPAIGNS)
_REFERRALS = Weighted(data.REFERRAL_CAMPAIGNS)
_BUSINESS_CARDS = Weighted(data.BUSINESS_CARD_CAMPAIGNS)
# Web forms arrive at any hour, mostly in the working day.
_FORM_HOURS = Weighted(
    (hour, weight)
    for hour, weight in enumerate(
        [1, 1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 9, 11, 12, 12, 11, 10, 8, 6, 5, 4, 3, 2]
    )
)
_EMAIL_FORMATS = Weighted(
    [
        ("{g}.{f}", 25),
        ("{i}.{f}", 15),
        ("{f}.{g}", 15),
        ("{f}-{i}", 10),
        ("{i}{f}", 10),
        ("{f}_{i}", 5),
        ("{f}", 5),
    ]
)


@dataclass(slots=True)
class Person:
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    family_romaji: str
    given_romaji: str


@dataclass(slots=True)
class FirstTouch:
    """How and when a contact entered: what `Journey.enter` and the Contact row need."""

    channel: str
    campaign: str
    url: str
    first_touch_at: int
    created_at: int
    engaged_at: int
    entry_stage: str
    entry_who: Who
    consent: str


@dataclass(frozen=True, slots=True)
class Event:
    """A dated campaign: an exhibition, a webinar, a monthly outbound list."""

    name: str
    at: int  # the show's first day / the webinar / the list's start, epoch seconds
    weight: float


class PersonFactory:
    """Japanese names with readings and romaji: Faker's ja_JP pairs plus extra variety."""

    def __init__(self, rng: random.Random, fake: Faker) -> None:
        self.rng = rng
        self.fake = fake

    def make(self) -> Person:
        rng = self.rng
        if rng.random() < 0.75:
            family = Word(*self.fake.last_name_pair())
        else:
            family = _EXTRA_SURNAMES.pick(rng)
        if rng.random() < 0.6:
            given = Word(*self.fake.first_name_pair())
        else:
            given = rng.choice(data.EXTRA_GIVEN_NAMES)
        return Person(
            family.text,
            given.text,
            family.kana,
            given.kana,
            _romaji(family.romaji),
            _romaji(given.romaji),
        )


def _romaji(value: str) -> str:
    return "".join(ch for ch in value.lower() if "a" <= ch <= "z")


class ContactDetails:
    """Work email, phone, department and title for a person at a company."""

    def __init__(self, rng: random.Random, taken_emails: set[str]) -> None:
        self.rng = rng
        self.taken_emails = taken_emails

    def email(self, person: Person, account: AccountSpec | None, free_mail: bool) -> str:
        rng = self.rng
        g, f = person.given_romaji or "info", person.family_romaji or "contact"
        if free_mail or account is None or not account.domain:
            domain = _FREE_MAIL.pick(rng)
            local = rng.choice((f"{f}{g[0]}", f"{g}.{f}", f"{g}{f[0]}", f"{f}.{g}"))
            local += str(rng.randint(1, 999))
        else:
            domain = account.domain
            local = _EMAIL_FORMATS.pick(rng).format(g=g, f=f, i=g[0])
        address = f"{local}@{domain}"
        n = 2
        while address in self.taken_emails:
            address = f"{local}{n}@{domain}"
            n += 1
        self.taken_emails.add(address)
        return address

    def phone(self, account: AccountSpec) -> str:
        roll = self.rng.random()
        if roll < 0.45:
            return landline(self.rng, account.prefecture)
        if roll < 0.8:
            return mobile(self.rng)
        return ""

    def position(self, account: AccountSpec) -> tuple[str, str]:
        if account.employee_band == EmployeeBand.B1_49:
            return _SMALL_DEPARTMENTS.pick(self.rng), _SMALL_TITLES.pick(self.rng)
        return _DEPARTMENTS.pick(self.rng), _TITLES.pick(self.rng)


class Campaigns:
    """The year's campaigns and when each kind of contact arrives."""

    def __init__(
        self, rng: random.Random, clock: BusinessClock, staff: Staff, start: int, now: int
    ) -> None:
        self.rng = rng
        self.clock = clock
        self.staff = staff
        self.start = start
        self.now = now
        tz = clock.tz
        first_day = dt.datetime.fromtimestamp(start, tz).date()
        last_day = dt.datetime.fromtimestamp(now, tz).date()
        self.days: list[dt.date] = [
            first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)
        ]
        self.web_days = Weighted(
            (
                day,
                data.MONTH_SEASONALITY[day.month]
                * (1.0 if clock.calendar.is_business_day(day) else 0.3),
            )
            for day in self.days
        )
        self.business_days = Weighted(
            (day, data.MONTH_SEASONALITY[day.month])
            for day in self.days
            if clock.calendar.is_business_day(day)
        )
        self.exhibitions = self._exhibitions(first_day, last_day)
        self.webinars = self._webinars(first_day, last_day)
        self.outbound_lists = self._outbound_lists(first_day, last_day)

    # --- the calendar of events -------------------------------------------------------
    def _exhibitions(self, first: dt.date, last: dt.date) -> Weighted[Event] | None:
        events = []
        for year in range(first.year, last.year + 1):
            for month, season, show, size in data.EXHIBITIONS:
                day = _nth_weekday(year, month, weekday=2, n=2)  # the second Wednesday
                opens = self.clock.at_local(day, 10 * 3600)
                # The lists are imported a few business days after the three-day show.
                if opens < self.start or self.clock.later(self.rng, opens, 6) > self.now:
                    continue
                events.append((Event(f"{year} {season} 展示会 {show}", opens, size), size))
        return Weighted(events) if events else None

    def _webinars(self, first: dt.date, last: dt.date) -> Weighted[Event] | None:
        events = []
        month = dt.date(first.year, first.month, 1)
        index = 0
        while month <= last:
            weekday = 1 if index % 2 == 0 else 3  # Tuesday or Thursday
            day = _nth_weekday(month.year, month.month, weekday=weekday, n=3)
            while not self.clock.calendar.is_business_day(day):
                day += dt.timedelta(days=1)
            at = self.clock.at_local(day, 14 * 3600)
            title = data.WEBINAR_TITLES[(month.year * 12 + month.month) % len(data.WEBINAR_TITLES)]
            if self.start + 14 * 86400 < at < self.now:
                name = f"ウェビナー: {title}（{day.month}/{day.day}）"
                events.append((Event(name, at, 1.0), 1.0))
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
            index += 1
        return Weighted(events) if events else None

    def _outbound_lists(self, first: dt.date, last: dt.date) -> Weighted[Event]:
        events = []
        month = dt.date(first.year, first.month, 1)
        while month <= last:
            target = data.OUTBOUND_TARGETS[month.month % len(data.OUTBOUND_TARGETS)]
            # The list is worked from the first business day of the month.
            at = self.clock.later(self.rng, max(self.clock.at_local(month, 0), self.start), 0)
            if at < self.now:
                name = f"アウトバウンド: {target} {month.year}年{month.month}月"
                events.append((Event(name, at, 1.0), 1.0))
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return Weighted(events)

    # --- moments ----------------------------------------------------------------------
    def _web_moment(self) -> int:
        day = self.web_days.pick(self.rng)
        hour = _FORM_HOURS.pick(self.rng)
        at = self.clock.at_local(day, hour * 3600 + self.rng.randint(0, 3599))
        return min(max(at, self.start), self.now - 60)

    def _office_moment(self) -> int:
        day = self.business_days.pick(self.rng)
        at = self.clock.later(self.rng, self.clock.at_local(day, 0), 0)
        return min(max(at, self.start), self.now - 60)

    # --- first touches ----------------------------------------------------------------
    def first_touch(self, channel: str, west: bool) -> FirstTouch:
        rng = self.rng
        method = getattr(self, f"_{channel}")
        touch: FirstTouch = method(west)
        if touch.consent == "":
            touch.consent = ConsentStatus.OPTED_IN if rng.random() < 0.7 else ConsentStatus.UNKNOWN
        if rng.random() < 0.03:
            touch.consent = ConsentStatus.OPTED_OUT
        return touch

    def _web(self, channel: str, campaign: str, path: str, stage: str, label: str) -> FirstTouch:
        at = self._web_moment()
        url = f"{data.ORGANISATION_SITE}{path}" if path else ""
        return FirstTouch(channel, campaign, url, at, at, at, stage, system(label), "")

    def _website(self, west: bool) -> FirstTouch:
        campaign, path = _WEBSITE_FORMS.pick(self.rng)
        if campaign == "メルマガ登録":
            touch = self._web(SourceChannel.WEBSITE, campaign, path, S.SUBSCRIBER, "Webフォーム")
            touch.consent = ConsentStatus.OPTED_IN
            return touch
        return self._web(SourceChannel.WEBSITE, campaign, path, S.MQL, "Webフォーム")

    def _content_download(self, west: bool) -> FirstTouch:
        campaign = _CONTENT.pick(self.rng)
        return self._web(
            SourceChannel.CONTENT_DOWNLOAD,
            campaign,
            "/resources/",
            S.LEAD,
            "資料ダウンロードフォーム",
        )

    def _advertising(self, west: bool) -> FirstTouch:
        campaign, path = _ADS.pick(self.rng)
        return self._web(SourceChannel.ADVERTISING, campaign, path, S.LEAD, "広告LPフォーム")

    def _webinar(self, west: bool) -> FirstTouch:
        if self.webinars is None:
            return self._content_download(west)
        event = self.webinars.pick(self.rng)
        registered = event.at - self.rng.randint(3600, 14 * 86400)
        url = f"{data.ORGANISATION_SITE}/webinars/"
        return FirstTouch(
            SourceChannel.WEBINAR,
            event.name,
            url,
            registered,
            registered,
            event.at,
            S.LEAD,
            system("ウェビナー申込フォーム"),
            "",
        )

    def _exhibition(self, west: bool) -> FirstTouch:
        if self.exhibitions is None:
            return self._business_card(west)
        rng = self.rng
        event = self.exhibitions.pick(rng)
        met = event.at + rng.randint(0, 2) * 86400 + rng.randint(0, 7 * 3600)
        imported = self.clock.later(rng, event.at + 2 * 86400 + 8 * 3600, rng.randint(1, 3))
        importer = rng.choice(self.staff.marketing)
        # Cards carry no email opt-in; marketing may send only what the law allows.
        consent = ConsentStatus.UNKNOWN if rng.random() < 0.8 else ConsentStatus.OPTED_IN
        return FirstTouch(
            SourceChannel.EXHIBITION, event.name, "", met, imported, met, S.LEAD, importer, consent
        )

    def _business_card(self, west: bool) -> FirstTouch:
        rng = self.rng
        campaign = _BUSINESS_CARDS.pick(rng)
        at = self._office_moment()
        who = (
            system("名刺管理連携")
            if campaign == "名刺管理アプリ取込"
            else rng.choice(self.staff.field_west if west else self.staff.field_east)
        )
        return FirstTouch(
            SourceChannel.BUSINESS_CARD,
            campaign,
            "",
            at,
            at,
            at,
            S.LEAD,
            who,
            ConsentStatus.UNKNOWN,
        )

    def _referral(self, west: bool) -> FirstTouch:
        rng = self.rng
        at = self._office_moment()
        who = rng.choice(self.staff.field_west if west else self.staff.field_east)
        stage = S.MQL if rng.random() < 0.7 else S.LEAD
        return FirstTouch(
            SourceChannel.REFERRAL, _REFERRALS.pick(rng), "", at, at, at, stage, who, ""
        )

    def _outbound(self, west: bool) -> FirstTouch:
        rng = self.rng
        event = self.outbound_lists.pick(rng)
        at = self.clock.later(rng, event.at, rng.randint(0, 15))
        if at > self.now:
            at = self.clock.later(rng, event.at, 0)
        at = min(at, self.now - 60)
        who = rng.choice(self.staff.inside_sales)
        return FirstTouch(
            SourceChannel.OUTBOUND, event.name, "", at, at, at, S.LEAD, who, ConsentStatus.UNKNOWN
        )


def _nth_weekday(year: int, month: int, *, weekday: int, n: int) -> dt.date:
    """The n-th given weekday (Monday = 0) of a month."""
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (n - 1))
