"""Demo marketing data: personas matched to the seeded contacts, campaigns made from the
contacts' source campaigns (exhibitions, webinars, content offers, ads, referrals) with their
members, content assets, and the touches that tie them together.

It runs after the contacts are written, with its own random generator, so the contacts and
their funnel histories are the same with or without it. Seeding again adds members and
touches for the new contacts only; personas, campaigns and content are created once.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from renkei.contacts.choices import (
    ConsentStatus,
    EmployeeBand,
    Industry,
    LifecycleStage,
    SourceChannel,
)
from renkei.contacts.models import Contact
from renkei.core.models import User
from renkei.demo import data
from renkei.marketing import campaigns as campaign_services
from renkei.marketing import content as content_services
from renkei.marketing import personas as persona_services
from renkei.marketing import segments as segment_services
from renkei.marketing import services as marketing_services
from renkei.marketing.choices import BuyerStage, CampaignType, ContentKind, MemberStatus, TouchType
from renkei.marketing.models import (
    Campaign,
    CampaignMember,
    CampaignMemberChange,
    ConsentRecord,
    ContentAsset,
    Persona,
    Segment,
    Touch,
)

SITE = data.ORGANISATION_SITE
B = EmployeeBand

PERSONAS = [
    {
        "name": "製造業の営業管理職",
        "description": "中堅以上の製造業で営業組織を率いる課長・部長。",
        "pains": "代理店任せで案件が見えない。展示会の名刺が商談につながらない。",
        "industries": [Industry.MANUFACTURING],
        "employee_bands": [B.B300_999, B.B1000_4999, B.B5000],
        "department_keywords": "営業",
        "title_keywords": "部長\n課長\nマネージャー",
    },
    {
        "name": "営業部門の責任者",
        "description": "営業の数字と組織づくりに責任を持つ管理職。",
        "pains": "受注予測が当たらない。インサイドセールスを立ち上げたいが型がない。",
        "employee_bands": [B.B50_299, B.B300_999, B.B1000_4999, B.B5000],
        "department_keywords": "営業",
        "title_keywords": "部長\n課長\nマネージャー\n次長",
    },
    {
        "name": "マーケティング担当者",
        "description": "リード獲得とナーチャリングを担う実務担当。",
        "pains": "MQL の定義が営業と合わない。施策ごとの商談化率が分からない。",
        "department_keywords": "マーケティング\n販売促進",
    },
    {
        "name": "DX・情報システム推進者",
        "description": "全社の業務改革とツール選定を進める情報システム・DX 部門。",
        "pains": "部門ごとにツールが乱立し、顧客データがつながらない。",
        "department_keywords": "情報システム\nDX\n経営企画",
    },
    {
        "name": "中小企業の経営者",
        "description": "自ら営業も見る中小企業の代表・役員。",
        "pains": "営業が属人化していて、担当者が辞めると顧客情報が残らない。",
        "employee_bands": [B.B1_49, B.B50_299],
        "title_keywords": "代表取締役\n取締役\n社長",
    },
]

# (title, kind, path, stage, personas by name, source campaign it is offered by)
CONTENT: list[tuple[str, str, str, str, list[str], str]] = [
    ("ホワイトペーパー: 商談化率を高めるリード管理の教科書", ContentKind.WHITE_PAPER,
     "/resources/lead-management.pdf", BuyerStage.INTEREST, ["マーケティング担当者"],
     "ホワイトペーパー: 商談化率を高めるリード管理の教科書"),
    ("製品紹介資料", ContentKind.OTHER, "/resources/product.pdf", BuyerStage.CONSIDERATION,
     [], "資料DL: 製品紹介資料"),
    ("料金表", ContentKind.PRICE_PAGE, "/resources/pricing.pdf", BuyerStage.DECISION,
     [], "資料DL: 料金表"),
    ("eBook: インサイドセールス KPI 設計ガイド", ContentKind.WHITE_PAPER,
     "/resources/is-kpi.pdf", BuyerStage.INTEREST, ["営業部門の責任者"],
     "eBook: インサイドセールス KPI 設計ガイド"),
    ("調査レポート: B2B 営業実態調査", ContentKind.WHITE_PAPER, "/resources/survey.pdf",
     BuyerStage.AWARENESS, ["営業部門の責任者", "中小企業の経営者"],
     "調査レポート: B2B 営業実態調査"),
    ("チェックリスト: 展示会フォロー 10 の手順", ContentKind.OTHER,
     "/resources/expo-checklist.pdf", BuyerStage.INTEREST, ["マーケティング担当者"],
     "チェックリスト: 展示会フォロー 10 の手順"),
    ("料金ページ", ContentKind.PRICE_PAGE, "/pricing/", BuyerStage.DECISION, [], ""),
    ("導入事例: 製造業の営業 DX", ContentKind.CASE_STUDY, "/case/manufacturing/",
     BuyerStage.CONSIDERATION, ["製造業の営業管理職"], ""),
    ("ブログ: MQL の定義を営業とそろえる", ContentKind.ARTICLE, "/blog/mql-definition/",
     BuyerStage.AWARENESS, ["マーケティング担当者"], ""),
    ("ウェビナー録画: 営業DX入門", ContentKind.WEBINAR_RECORDING, "/webinars/archive/",
     BuyerStage.INTEREST, ["営業部門の責任者"], ""),
]  # fmt: skip

CAMPAIGN_CHANNELS = {
    SourceChannel.EXHIBITION: (CampaignType.EXHIBITION, BuyerStage.AWARENESS, "expo"),
    SourceChannel.WEBINAR: (CampaignType.WEBINAR, BuyerStage.INTEREST, "webinar"),
    SourceChannel.CONTENT_DOWNLOAD: (CampaignType.CONTENT, BuyerStage.INTEREST, "content"),
    SourceChannel.ADVERTISING: (CampaignType.ADS, BuyerStage.AWARENESS, "ads"),
    SourceChannel.REFERRAL: (CampaignType.REFERRAL, BuyerStage.CONSIDERATION, "referral"),
}
# Budgets in yen (low, high) by campaign type.
BUDGETS = {
    CampaignType.EXHIBITION: (3_000_000, 6_000_000),
    CampaignType.WEBINAR: (100_000, 400_000),
    CampaignType.CONTENT: (300_000, 900_000),
    CampaignType.ADS: (800_000, 2_400_000),
    CampaignType.REFERRAL: (0, 300_000),
}
STATUS_BY_TYPE = {
    CampaignType.EXHIBITION: MemberStatus.ATTENDED,
    CampaignType.CONTENT: MemberStatus.RESPONDED,
    CampaignType.ADS: MemberStatus.RESPONDED,
    CampaignType.REFERRAL: MemberStatus.RESPONDED,
}


@dataclass
class MarketingSummary:
    personas: int
    campaigns: int
    content: int
    touches: int

    def __str__(self) -> str:
        return (
            f"{self.personas} personas, {self.campaigns} campaigns, {self.content} content "
            f"assets and {self.touches:,} touches"
        )


def _ts(ts: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.UTC)


def seed_marketing(
    *,
    random_seed: int,
    now: dt.datetime,
    after_contact_id: int,
    events: dict[str, int],
    owners: list[User],
) -> MarketingSummary:
    """Personas, campaigns, content and touches for the contacts with ids above
    `after_contact_id`. `events` gives the moment of each dated campaign (webinars and
    exhibitions) by name."""
    rng = random.Random(random_seed * 7 + 1)
    with transaction.atomic():
        for values in PERSONAS:
            if not Persona.objects.filter(name=values["name"]).exists():
                persona_services.create_persona(actor=None, rematch=False, **values)
        personas = {p.name: p for p in Persona.objects.all()}
        assets = _content(personas, now)
    contacts = list(
        Contact.objects.filter(pk__gt=after_contact_id)
        .order_by("id")
        .values_list(
            "pk", "source_channel", "source_campaign", "created_at", "first_touch_url",
            "became_mql_at", "became_sql_at", "lifecycle_stage",
        )
    )  # fmt: skip
    persona_services.match_personas([c[0] for c in contacts])
    with transaction.atomic():
        campaigns = _campaigns(rng, contacts, personas, events, owners, now)
        _members(rng, contacts, campaigns, events, now)
        touches = _touches(rng, contacts, campaigns, assets, now)
        for asset in assets.values():
            content_services.link_touches(asset.pk)
        _segments(assets, owners)
        _consent_records(after_contact_id)
        _sender_identity(owners)
    return MarketingSummary(
        personas=Persona.objects.count(),
        campaigns=Campaign.objects.count(),
        content=ContentAsset.objects.count(),
        touches=touches,
    )


DEMO_CONSENT_JA = "製品・イベント情報のメール配信を希望します（いつでも配信停止できます）。"
DEMO_CONSENT_EN = "Send me product and event news by email (unsubscribe at any time)."


def _consent_records(after_contact_id: int) -> None:
    """The opt-ins behind the demo's opted-in contacts: as a form would have recorded them
    (consent text, time), so that marketing email may lawfully go to them."""
    text = marketing_services.consent_text_for(DEMO_CONSENT_JA, DEMO_CONSENT_EN)
    opted_in = Contact.objects.filter(
        pk__gt=after_contact_id, consent_status=ConsentStatus.OPTED_IN
    ).values_list("pk", "created_at")
    ConsentRecord.objects.bulk_create(
        [
            ConsentRecord(contact_id=pk, consent_text=text, given=True, at=created_at)
            for pk, created_at in opted_in
        ],
        batch_size=2000,
    )


def _sender_identity(owners: list[User]) -> None:
    """The demo company as the sender of its marketing email (特定電子メール法 §4 requires
    the name, postal address and a contact point in every message)."""
    from renkei.nurture import services as email_services
    from renkei.nurture.models import SenderIdentity

    if not SenderIdentity.load().missing or not owners:
        return
    email_services.save_sender_identity(
        actor=owners[0],
        sender_name=data.ORGANISATION_NAME,
        sender_name_en="Renkei Technology Inc.",
        from_email=f"news@{data.ORGANISATION_DOMAIN}",
        postal_address="〒100-0005 東京都千代田区丸の内1-9-1",
        postal_address_en="1-9-1 Marunouchi, Chiyoda-ku, Tokyo 100-0005, Japan",
        contact_point=f"{SITE}/contact/",
    )


def _segments(assets: dict[str, ContentAsset], owners: list[User]) -> None:
    price = assets["料金ページ"]
    wanted = [
        ("ウェビナー参加者（同意あり）", "ウェビナーに参加し、メール配信に同意している人。",
         {"member_statuses": ["attended"], "consent": ["opted_in"], "has_email": True}),
        ("料金ページを見たリード", "MQL 前に料金ページを見た、インサイドセールスに渡す候補。",
         {"stages": ["lead"], "touch_content": [price.pk]}),
        ("製造業の未対応 MQL", "",
         {"stages": ["mql"], "statuses": ["new"], "industries": ["manufacturing"]}),
    ]  # fmt: skip
    for name, description, filters in wanted:
        if not Segment.objects.filter(name=name).exists():
            segment_services.create_segment(
                actor=None,
                name=name,
                description=description,
                filters=filters,
                owner=owners[0] if owners else None,
            )


def _content(personas: dict[str, Persona], now: dt.datetime) -> dict[str, ContentAsset]:
    assets: dict[str, ContentAsset] = {}
    for title, kind, path, stage, names, offer in CONTENT:
        asset = ContentAsset.objects.filter(title=title).first()
        if asset is None:
            asset = content_services.create_content(
                actor=None,
                link=False,
                title=title,
                kind=kind,
                url=SITE + path,
                buyer_stage=stage,
                personas=[personas[n] for n in names if n in personas],
            )
        assets[offer or title] = asset
    return assets


def _campaigns(
    rng: random.Random,
    contacts: list[tuple],
    personas: dict[str, Persona],
    events: dict[str, int],
    owners: list[User],
    now: dt.datetime,
) -> dict[str, Campaign]:
    """One campaign per source campaign of the campaign channels, in order of first use."""
    first_seen: dict[str, tuple[dt.datetime, str]] = {}
    for _pk, channel, name, created, *_rest in contacts:
        if (
            channel in CAMPAIGN_CHANNELS
            and name
            and (name not in first_seen or created < first_seen[name][0])
        ):
            first_seen[name] = (created, channel)
    existing = {c.name: c for c in Campaign.objects.filter(name__in=list(first_seen))}
    counters: dict[str, int] = {}
    result = dict(existing)
    persona_list = sorted(personas.values(), key=lambda p: p.name)
    for name, (created, channel) in sorted(first_seen.items(), key=lambda item: item[1][0]):
        kind, stage, prefix = CAMPAIGN_CHANNELS[channel]
        counters[prefix] = counters.get(prefix, 0) + 1
        if name in existing:
            continue
        when = _ts(events[name]) if name in events else created
        start = when.astimezone(dt.timezone(dt.timedelta(hours=9))).date()
        end = start + dt.timedelta(days=2 if kind == CampaignType.EXHIBITION else 0)
        if kind in (CampaignType.CONTENT, CampaignType.ADS, CampaignType.REFERRAL):
            end = None
        low, high = BUDGETS[kind]
        budget = rng.randrange(low, high + 1, 10_000) if high else 0
        cost = min(budget, round(budget * rng.uniform(0.75, 1.05) / 1000) * 1000)
        code = f"{prefix}-{start:%Y%m}-{counters[prefix]:02d}"
        while Campaign.objects.filter(utm_campaign=code).exists():
            code += "x"
        result[name] = campaign_services.create_campaign(
            actor=None,
            name=name[:200],
            type=kind,
            channel=channel,
            start_date=start,
            end_date=end,
            budget=budget,
            actual_cost=cost if start <= now.date() else 0,
            buyer_stage=stage,
            owner=rng.choice(owners) if owners else None,
            utm_campaign=code,
            target_personas=rng.sample(persona_list, k=min(len(persona_list), rng.randint(1, 2))),
        )
    return result


def _members(
    rng: random.Random,
    contacts: list[tuple],
    campaigns: dict[str, Campaign],
    events: dict[str, int],
    now: dt.datetime,
) -> None:
    """Each contact is a member of its source campaign; webinar registrants attended or
    did not show up on the day."""
    taken = set(
        CampaignMember.objects.filter(contact_id__in=[c[0] for c in contacts]).values_list(
            "campaign_id", "contact_id"
        )
    )
    members: list[CampaignMember] = []
    plans: list[list[tuple[str, str, dt.datetime]]] = []
    for pk, _channel, name, created, *_rest in contacts:
        campaign = campaigns.get(name)
        if campaign is None or (campaign.pk, pk) in taken:
            continue
        if campaign.type == CampaignType.WEBINAR:
            held = _ts(events[name]) if name in events else created
            steps = [("", MemberStatus.REGISTERED, created)]
            if held < now:
                outcome = MemberStatus.ATTENDED if rng.random() < 0.65 else MemberStatus.NO_SHOW
                steps.append((MemberStatus.REGISTERED, outcome, max(held, created)))
        else:
            steps = [("", STATUS_BY_TYPE[campaign.type], created)]
        last = steps[-1]
        members.append(
            CampaignMember(
                campaign=campaign, contact_id=pk, status=last[1], created_at=created,
                updated_at=last[2],
            )
        )  # fmt: skip
        plans.append(steps)
    CampaignMember.objects.bulk_create(members, batch_size=2000)
    if members and members[0].pk is None:
        ids = dict(
            CampaignMember.objects.filter(
                contact_id__in=[m.contact_id for m in members]
            ).values_list("contact_id", "pk")
        )
        for member in members:
            member.pk = ids[member.contact_id]
    CampaignMemberChange.objects.bulk_create(
        (
            CampaignMemberChange(
                member_id=member.pk,
                from_status=old,
                to_status=new,
                at=at,
                actor_label="デモデータ",
            )
            for member, steps in zip(members, plans, strict=True)
            for old, new, at in steps
        ),
        batch_size=2000,
    )


def _touches(
    rng: random.Random,
    contacts: list[tuple],
    campaigns: dict[str, Campaign],
    assets: dict[str, ContentAsset],
    now: dt.datetime,
) -> int:
    """Form submissions of the web channels, downloads of content offers, and page views of
    the price page, case study, blog and webinar archive around the funnel's moves."""
    rows: list[Touch] = []
    price, case, blog = (
        assets["料金ページ"],
        assets["導入事例: 製造業の営業 DX"],
        assets["ブログ: MQL の定義を営業とそろえる"],
    )
    archive = assets["ウェビナー録画: 営業DX入門"]

    def add(kind: str, contact_id: int, at: dt.datetime, url: str, **extra: object) -> None:
        if at < now:
            rows.append(Touch(type=kind, contact_id=contact_id, at=at, url=url, **extra))

    for pk, channel, name, created, url, mql_at, sql_at, stage in contacts:
        campaign = campaigns.get(name)
        code = campaign.utm_campaign if campaign else ""
        if url:  # arrived through a form on the website
            add(
                TouchType.FORM_SUBMIT, pk, created, url, title=name[:500],
                utm_campaign=code, campaign=campaign, metadata={"form_name": name},
            )  # fmt: skip
        offer = assets.get(name)
        if channel == SourceChannel.CONTENT_DOWNLOAD and offer is not None:
            add(TouchType.DOWNLOAD, pk, created + dt.timedelta(seconds=5), offer.url,
                title=offer.title, content=offer)  # fmt: skip
        if rng.random() < 0.2:
            add(TouchType.PAGE_VIEW, pk, created + dt.timedelta(days=rng.randint(1, 30)),
                blog.url, title=blog.title, content=blog)  # fmt: skip
        if mql_at is not None and mql_at > created and rng.random() < 0.6:
            before = dt.timedelta(hours=rng.randint(2, 96))
            add(TouchType.PAGE_VIEW, pk, max(created, mql_at - before), price.url,
                title=price.title, content=price)  # fmt: skip
        elif stage == LifecycleStage.LEAD and rng.random() < 0.1:
            add(TouchType.PAGE_VIEW, pk, created + dt.timedelta(days=rng.randint(1, 20)),
                price.url, title=price.title, content=price)  # fmt: skip
        if sql_at is not None and sql_at > created and rng.random() < 0.5:
            before = dt.timedelta(days=rng.randint(1, 10))
            add(TouchType.PAGE_VIEW, pk, max(created, sql_at - before), case.url,
                title=case.title, content=case)  # fmt: skip
        elif sql_at is None and rng.random() < 0.08:
            add(TouchType.PAGE_VIEW, pk, created + dt.timedelta(days=rng.randint(1, 30)),
                case.url, title=case.title, content=case)  # fmt: skip
        if campaign is not None and campaign.type == CampaignType.WEBINAR and rng.random() < 0.4:
            add(TouchType.PAGE_VIEW, pk, created + dt.timedelta(days=rng.randint(2, 10)),
                archive.url, title=archive.title, content=archive)  # fmt: skip
    Touch.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
