"""Shared set-up of the privacy tests: a person known through a form, the web and an
import, and someone else beside them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers

from renkei.contacts.models import Contact
from renkei.imports.services import import_file
from renkei.marketing import services as marketing
from renkei.marketing.tracking import identify_visitor, record_touch
from renkei.privacy import services as privacy
from renkei.privacy.choices import IdentityStatus, RequestKind
from tests.imports.helpers import EXHIBITION_HEADER, write_csv
from tests.marketing.conftest import make_form

TANAKA_EMAIL = "ichiro.tanaka@sample.co.jp"
TANAKA_PHONE = "+81312345678"
SUZUKI_EMAIL = "hanako.suzuki@other.co.jp"
VISITOR = "v" * 22


def submit_form(form: Any, *, email: str, family: str, given: str, phone: str = "") -> Any:
    return marketing.receive_submission(
        form,
        values={"company": "株式会社サンプル商事", "family_name": family, "given_name": given,
                "email": email, "phone": phone, "interest": f"{family}の関心"},
        hidden={"rk_vid": VISITOR if family == "田中" else "", "rk_page": "https://www.example.co.jp/dl/?utm_source=mail"},
        consent_given=True,
        ip="192.0.2.10" if family == "田中" else "192.0.2.20",
        user_agent="pytest",
        language="ja",
    )  # fmt: skip


def import_people(tmp_path: Path, name: str = "expo.csv", *, tanaka_email: str = TANAKA_EMAIL):
    rows = [
        ["V001", "株式会社サンプル商事", "営業部", "部長", "田中 一郎", "タナカ イチロウ",
         tanaka_email, "03-1234-5678", "A"],
        ["V002", "株式会社アザー", "総務部", "", "鈴木 花子", "スズキ ハナコ", SUZUKI_EMAIL,
         "06-1111-2222", "B"],
    ]  # fmt: skip
    return import_file(write_csv(tmp_path / name, EXHIBITION_HEADER, rows))


def known_person(tmp_path: Path) -> tuple[Contact, Contact]:
    """Tanaka (form, web visits, import) and Suzuki (form, import)."""
    form = make_form()
    record_touch(
        type="page_view",
        contact=None,
        visitor_uid=VISITOR,
        url="https://www.example.co.jp/price?ref=ad",
    )
    submit_form(form, email=TANAKA_EMAIL, family="田中", given="一郎", phone="03-1234-5678")
    submit_form(form, email=SUZUKI_EMAIL, family="鈴木", given="花子")
    import_people(tmp_path)
    tanaka = Contact.objects.get(email=TANAKA_EMAIL)
    suzuki = Contact.objects.get(email=SUZUKI_EMAIL)
    identify_visitor(VISITOR, tanaka)
    return tanaka, suzuki  # fmt: skip


def erasure_request(admin: Any, contact: Contact, **values: Any) -> Any:
    values.setdefault("kind", RequestKind.ERASURE)
    values.setdefault("identity_status", IdentityStatus.VERIFIED)
    values.setdefault("requester_name", "田中 一郎")
    values.setdefault("requester_email", TANAKA_EMAIL)
    request = privacy.create_request(actor=admin, **values)
    privacy.link_contacts(request, [contact], actor=admin)
    return request


def database_text(exclude_apps: tuple[str, ...] = ("privacy",)) -> str:
    """Every row of every table (but `exclude_apps`), as JSON text: to look for values."""
    parts = []
    for model in apps.get_models():
        if model._meta.app_label in exclude_apps or model._meta.proxy:
            continue
        parts.append(serializers.serialize("json", model.objects.all()))
    return "\n".join(parts)
