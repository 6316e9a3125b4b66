"""Email templates: token syntax and its errors, sanitized HTML, the plain-text part,
preview with a real contact and the test send."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from renkei.nurture import rendering, services
from renkei.nurture.compose import render_for
from renkei.nurture.models import SenderIdentity
from tests.factories import make_account, make_contact
from tests.nurture_setup import configure_sender, make_template

pytestmark = pytest.mark.usefixtures("english")


def test_tokens_take_the_contacts_values_or_the_fallback(db):
    contact = make_contact(
        family_name="田中", given_name="", account=make_account(name="株式会社A")
    )
    text = "{{ company }} {{ family_name | ご担当者 }}様 {{ given_name | (名なし) }}"
    assert rendering.render(text, contact, html=False) == "株式会社A 田中様 (名なし)"
    assert rendering.render(text, None, html=False) == " ご担当者様 (名なし)"


def test_values_are_escaped_in_html(db):
    contact = make_contact(family_name="<b>田中</b>")
    assert rendering.render("{{ family_name }}", contact, html=True) == "&lt;b&gt;田中&lt;/b&gt;"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ familyname }}", "unknown token “familyname”"),
        ("こんにちは\n{{ family_name", "Line 2: “{{” is not closed"),
        ("{{ | fallback }}", "a token needs a name"),
        ("{{ family_name {{ given_name }}", "is not closed"),
    ],
)
def test_template_errors_are_clear_validation_errors(marketer, text, message):
    with pytest.raises(ValidationError) as caught:
        services.save_template(None, actor=marketer, name="x", subject_ja="件名", html_ja=text)
    assert message in " ".join(caught.value.message_dict["html_ja"])


def test_a_template_needs_a_subject_for_a_body_and_at_least_one_version(marketer):
    with pytest.raises(ValidationError) as caught:
        services.save_template(None, actor=marketer, name="x", html_en="<p>Hello</p>")
    assert "subject_en" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.save_template(None, actor=marketer, name="x")
    assert "subject_ja" in caught.value.message_dict


def test_html_is_sanitized_when_saved(marketer):
    template = services.save_template(
        None,
        actor=marketer,
        name="x",
        subject_ja="件名",
        html_ja='<p onclick="steal()">本文<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">x</a><form><input></form>',
    )
    assert "script" not in template.html_ja
    assert "onclick" not in template.html_ja
    assert "javascript:" not in template.html_ja
    assert "<form" not in template.html_ja
    assert "本文" in template.html_ja


def test_the_plain_text_part_is_made_from_the_html_unless_written(marketer):
    configure_sender()
    sender = SenderIdentity.load()
    template = make_template(
        marketer, html_ja="<h1>ご案内</h1><p>詳細は<a href='https://example.jp/a'>こちら</a></p>"
        "<ul><li>一</li><li>二</li></ul>",
    )  # fmt: skip
    rendered = render_for(template, None, language="ja", sender=sender, track=False)
    assert "ご案内\n\n詳細はこちら ( https://example.jp/a )" in rendered.text
    assert "- 一\n- 二" in rendered.text
    services.save_template(
        template, actor=marketer, name=template.name, subject_ja=template.subject_ja,
        html_ja=template.html_ja, text_ja="手書きの本文 {{ family_name | ご担当者 }}様",
    )  # fmt: skip
    template.refresh_from_db()
    rendered = render_for(template, None, language="ja", sender=sender, track=False)
    assert rendered.text.startswith("手書きの本文 ご担当者様")


def test_the_preview_shows_the_message_as_a_chosen_contact_gets_it(client, marketer):
    configure_sender()
    template = make_template(marketer)
    make_contact(family_name="高橋", email="takahashi@sample.example.jp")
    client.force_login(marketer)
    response = client.get(
        f"/email/templates/{template.pk}/",
        {"contact": "takahashi@sample.example.jp", "language": "ja"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "高橋様、春のセミナーのご案内" in body
    assert "東京都千代田区丸の内1-1-1" in body  # the footer is part of the preview


def test_the_test_send_goes_to_the_current_users_address(client, smtp_server, marketer):
    configure_sender()
    template = make_template(marketer)
    contact = make_contact(family_name="高橋")
    client.force_login(marketer)
    response = client.post(
        f"/email/templates/{template.pk}/test/", {"contact": str(contact.pk), "language": "ja"}
    )
    assert response.status_code == 302
    [mail] = smtp_server.messages
    assert mail["X-Envelope-To"] == marketer.email
    assert mail["Subject"] == "[TEST] 高橋様、春のセミナーのご案内"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_test_send_refuses_without_a_sender_identity(client, smtp_server, marketer):
    template = make_template(marketer)
    client.force_login(marketer)
    response = client.post(f"/email/templates/{template.pk}/test/", {"language": "ja"}, follow=True)
    assert smtp_server.messages == []
    assert "sender identity" in response.content.decode()


def test_template_pages_are_for_marketing_only(client, marketer, inside_rep):
    client.force_login(inside_rep)
    assert client.get("/email/templates/").status_code == 403
    assert client.post("/email/templates/new/", {"name": "x"}).status_code == 403
    client.force_login(marketer)
    response = client.post(
        "/email/templates/new/",
        {"name": "ご案内", "subject_ja": "{{ family_name }}様", "html_ja": "<p>{{ nope }}</p>"},
    )
    assert response.status_code == 200
    assert "unknown token “nope”" in response.content.decode()
    response = client.post(
        "/email/templates/new/",
        {"name": "ご案内", "subject_ja": "{{ family_name }}様", "html_ja": "<p>本文</p>"},
    )
    assert response.status_code == 302
