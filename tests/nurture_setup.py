"""Helpers of the email tests: a complete sender identity, opted-in contacts made through
a real form submission, templates and sends made through the services."""

from __future__ import annotations

from typing import Any

from renkei.contacts.models import Contact
from renkei.core.models import User
from renkei.marketing import services as marketing_services
from renkei.marketing.models import Form
from renkei.nurture import services
from renkei.nurture.audience import ContactFilterAudience
from renkei.nurture.models import EmailSend, EmailTemplate
from tests.factories import make_user

FIELDS: list[dict[str, Any]] = [
    {"key": "company", "mapping": "company", "label_ja": "会社名", "label_en": "Company"},
    {"key": "family_name", "mapping": "family_name", "label_ja": "姓", "label_en": "Family name",
     "required": True},
    {"key": "given_name", "mapping": "given_name", "label_ja": "名", "label_en": "Given name"},
    {"key": "email", "mapping": "email", "label_ja": "メール", "label_en": "Email",
     "required": True},
]  # fmt: skip


def configure_sender(actor: User | None = None) -> None:
    services.save_sender_identity(
        actor=actor or make_user("admin"),
        sender_name="株式会社連携テック",
        sender_name_en="Renkei Tech Inc.",
        from_email="news@renkei-tech.example.jp",
        postal_address="〒100-0005 東京都千代田区丸の内1-1-1",
        contact_point="03-1234-5678",
    )


def _form() -> Form:
    form = Form.objects.filter(slug="newsletter").first()
    if form is None:
        form = marketing_services.save_form(
            None,
            actor=make_user("marketing"),
            fields=FIELDS,
            consent_ja="製品情報のメール配信を希望します。",
            name="ニュースレター",
            slug="newsletter",
        )
    return form


def opted_in(
    email: str, family_name: str = "田中", *, given_name: str = "一郎", company: str = "",
    language: str = "ja", consent: bool = True,
) -> Contact:  # fmt: skip
    """A contact who subscribed through a form, ticking (or not) the consent box."""
    submission = marketing_services.receive_submission(
        _form(),
        values={
            "family_name": family_name,
            "given_name": given_name,
            "email": email,
            **({"company": company} if company else {}),
        },
        hidden={},
        consent_given=consent,
        ip="192.0.2.1",
        user_agent="Mozilla/5.0",
        language=language,
    )
    assert submission.contact is not None
    return submission.contact


def make_template(actor: User, **values: Any) -> EmailTemplate:
    values.setdefault("name", "春のセミナー案内")
    values.setdefault("subject_ja", "{{ family_name | ご担当者 }}様、春のセミナーのご案内")
    values.setdefault(
        "html_ja",
        "<p>{{ company | 貴社 }} {{ family_name | ご担当者 }}様</p>"
        '<p>詳しくは<a href="https://www.example.co.jp/seminar?utm_source=mail">こちら</a>。</p>',
    )
    return services.save_template(None, actor=actor, **values)


def start_send(actor: User, template: EmailTemplate, params: dict[str, str] | None = None,
               **kwargs: Any) -> EmailSend:  # fmt: skip
    return services.create_send(
        actor=actor, name="春のセミナー", template=template,
        audience=ContactFilterAudience(params or {}, actor), **kwargs,
    )  # fmt: skip
