from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from renkei.marketing import services
from renkei.marketing.models import Form
from tests.factories import make_user

SITE = "https://www.example.co.jp"

STANDARD_FIELDS: list[dict[str, Any]] = [
    {"key": "company", "mapping": "company", "label_ja": "会社名", "label_en": "Company",
     "required": True},
    {"key": "family_name", "mapping": "family_name", "label_ja": "姓", "label_en": "Family name",
     "required": True},
    {"key": "given_name", "mapping": "given_name", "label_ja": "名", "label_en": "Given name"},
    {"key": "email", "mapping": "email", "label_ja": "メールアドレス", "label_en": "Email",
     "required": True},
    {"key": "phone", "mapping": "phone", "label_ja": "電話番号", "label_en": "Phone"},
    {"key": "interest", "label_ja": "ご関心のある製品", "label_en": "Interest",
     "type": "textarea"},
]  # fmt: skip


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


def make_form(**values: Any) -> Form:
    actor = values.pop("actor", None) or make_user("marketing")
    values.setdefault("name", "資料請求フォーム")
    values.setdefault("slug", "shiryo")
    values.setdefault("campaign", "spring-expo-2026")
    values.setdefault("allowed_origins", SITE)
    values.setdefault("thank_you_ja", "資料請求ありがとうございました。")
    values.setdefault("thank_you_en", "Thank you for your request.")
    fields = values.pop("fields", STANDARD_FIELDS)
    consent_ja = values.pop("consent_ja", "メールマガジン・製品情報の配信を希望します。")
    consent_en = values.pop("consent_en", "Send me newsletters and product news.")
    return services.save_form(
        None, actor=actor, fields=fields, consent_ja=consent_ja, consent_en=consent_en, **values
    )


@pytest.fixture
def lead_form(db) -> Form:
    return make_form()
