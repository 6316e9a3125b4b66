from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LifecycleStage(models.TextChoices):
    """The shared funnel, in order. Only renkei.funnel moves a contact between stages."""

    SUBSCRIBER = "subscriber", _("Subscriber")
    LEAD = "lead", _("Lead")
    MQL = "mql", _("MQL")
    SAL = "sal", _("SAL")
    SQL = "sql", _("SQL")
    OPPORTUNITY = "opportunity", _("Opportunity")
    CUSTOMER = "customer", _("Customer")

    @classmethod
    def rank(cls, stage: str) -> int:
        return list(cls.values).index(stage)


class LeadStatus(models.TextChoices):
    """Where a contact stands inside its stage (a side state, not a stage)."""

    NEW = "new", _("New")
    WORKING = "working", _("Working")
    NURTURE = "nurture", _("Back to nurture")
    DISQUALIFIED = "disqualified", _("Disqualified")


class SourceChannel(models.TextChoices):
    """How a contact first reached us (リードソース / 獲得経路)."""

    WEBSITE = "website", _("Website inquiry")
    CONTENT_DOWNLOAD = "content_download", _("Content download")
    WEBINAR = "webinar", _("Seminar / webinar")
    EXHIBITION = "exhibition", _("Exhibition")
    BUSINESS_CARD = "business_card", _("Business card exchange")
    REFERRAL = "referral", _("Referral")
    ADVERTISING = "advertising", _("Advertising")
    OUTBOUND = "outbound", _("Outbound")
    IMPORT = "import", _("Import")
    OTHER = "other", _("Other")


class ConsentStatus(models.TextChoices):
    """Whether we may send marketing email (特定電子メール法: opt-in)."""

    UNKNOWN = "unknown", pgettext_lazy("email consent", "Unknown")
    OPTED_IN = "opted_in", _("Opted in")
    OPTED_OUT = "opted_out", _("Opted out")


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Manufacturing")
    IT = "it", _("IT and software")
    FINANCE = "finance", _("Finance and insurance")
    RETAIL = "retail", _("Retail and wholesale")
    CONSTRUCTION = "construction", _("Construction and real estate")
    LOGISTICS = "logistics", _("Transport and logistics")
    HEALTHCARE = "healthcare", _("Healthcare")
    SERVICES = "services", _("Professional services")
    PUBLIC = "public", _("Public sector and education")
    OTHER = "other", _("Other")


class EmployeeBand(models.TextChoices):
    B1_49 = "1-49", _("1–49")
    B50_299 = "50-299", _("50–299")
    B300_999 = "300-999", _("300–999")
    B1000_4999 = "1000-4999", _("1,000–4,999")
    B5000 = "5000+", _("5,000 or more")


class Region(models.TextChoices):
    HOKKAIDO = "hokkaido", _("Hokkaido")
    TOHOKU = "tohoku", _("Tohoku")
    KANTO = "kanto", _("Kanto")
    CHUBU = "chubu", _("Chubu")
    KINKI = "kinki", _("Kinki")
    CHUGOKU = "chugoku", _("Chugoku")
    SHIKOKU = "shikoku", _("Shikoku")
    KYUSHU = "kyushu", _("Kyushu and Okinawa")


class Prefecture(models.TextChoices):
    """The 47 prefectures by JIS X 0401 code."""

    HOKKAIDO = "01", _("Hokkaido")
    AOMORI = "02", _("Aomori")
    IWATE = "03", _("Iwate")
    MIYAGI = "04", _("Miyagi")
    AKITA = "05", _("Akita")
    YAMAGATA = "06", _("Yamagata")
    FUKUSHIMA = "07", _("Fukushima")
    IBARAKI = "08", _("Ibaraki")
    TOCHIGI = "09", _("Tochigi")
    GUNMA = "10", _("Gunma")
    SAITAMA = "11", _("Saitama")
    CHIBA = "12", _("Chiba")
    TOKYO = "13", _("Tokyo")
    KANAGAWA = "14", _("Kanagawa")
    NIIGATA = "15", _("Niigata")
    TOYAMA = "16", _("Toyama")
    ISHIKAWA = "17", _("Ishikawa")
    FUKUI = "18", _("Fukui")
    YAMANASHI = "19", _("Yamanashi")
    NAGANO = "20", _("Nagano")
    GIFU = "21", _("Gifu")
    SHIZUOKA = "22", _("Shizuoka")
    AICHI = "23", _("Aichi")
    MIE = "24", _("Mie")
    SHIGA = "25", _("Shiga")
    KYOTO = "26", _("Kyoto")
    OSAKA = "27", _("Osaka")
    HYOGO = "28", _("Hyogo")
    NARA = "29", _("Nara")
    WAKAYAMA = "30", _("Wakayama")
    TOTTORI = "31", _("Tottori")
    SHIMANE = "32", _("Shimane")
    OKAYAMA = "33", _("Okayama")
    HIROSHIMA = "34", _("Hiroshima")
    YAMAGUCHI = "35", _("Yamaguchi")
    TOKUSHIMA = "36", _("Tokushima")
    KAGAWA = "37", _("Kagawa")
    EHIME = "38", _("Ehime")
    KOCHI = "39", _("Kochi")
    FUKUOKA = "40", _("Fukuoka")
    SAGA = "41", _("Saga")
    NAGASAKI = "42", _("Nagasaki")
    KUMAMOTO = "43", _("Kumamoto")
    OITA = "44", _("Oita")
    MIYAZAKI = "45", _("Miyazaki")
    KAGOSHIMA = "46", _("Kagoshima")
    OKINAWA = "47", _("Okinawa")


def region_of(prefecture_code: str) -> str:
    """The region (地方) a prefecture code belongs to, or "" for an empty code."""
    if not prefecture_code:
        return ""
    code = int(prefecture_code)
    bounds = [
        (1, Region.HOKKAIDO),
        (7, Region.TOHOKU),
        (14, Region.KANTO),
        (23, Region.CHUBU),
        (30, Region.KINKI),
        (35, Region.CHUGOKU),
        (39, Region.SHIKOKU),
        (47, Region.KYUSHU),
    ]
    for last, region in bounds:
        if code <= last:
            return region
    raise ValueError(prefecture_code)
