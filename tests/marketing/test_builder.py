"""The form builder pages for marketing."""

from __future__ import annotations

import pytest

from renkei.marketing.choices import SubmissionStatus
from renkei.marketing.models import ConsentText, Form, FormSubmission, TrackingSettings
from tests.marketing.conftest import SITE, make_form


def field_rows(rows: list[dict[str, object]]) -> dict[str, object]:
    data: dict[str, object] = {
        "fields-TOTAL_FORMS": str(len(rows)),
        "fields-INITIAL_FORMS": "0",
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "40",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key == "required":
                if value:
                    data[f"fields-{i}-required"] = "on"
            else:
                data[f"fields-{i}-{key}"] = value
    return data


ROWS = [
    {"key": "family_name", "mapping": "family_name", "label_ja": "姓", "label_en": "Family name",
     "type": "text", "required": True},
    {"key": "email", "mapping": "email", "label_ja": "メール", "label_en": "Email",
     "type": "email", "required": True},
    {"key": "budget", "mapping": "custom", "label_ja": "ご予算", "label_en": "", "type": "text",
     "required": False},
    {"key": "", "mapping": "custom", "label_ja": "", "label_en": "", "type": "text",
     "required": False},
]  # fmt: skip


def settings_data(**extra: object) -> dict[str, object]:
    return {
        "name": "セミナー申込",
        "slug": "seminar",
        "campaign": "webinar-2026-06",
        "allowed_origins": f"{SITE}\nhttps://lp.example.com/",
        "thank_you_ja": "お申し込みありがとうございます。",
        "thank_you_en": "",
        "redirect_url": "",
        "is_active": "on",
        "consent_ja": "案内メールの配信に同意します。",
        "consent_en": "I agree to receive emails.",
        **extra,
    }


@pytest.mark.parametrize("who", ["marketer", "manager", "admin_user"])
def test_marketing_managers_and_admins_see_the_forms(client, request, who):
    client.force_login(request.getfixturevalue(who))
    make_form()
    page = client.get("/marketing/forms/")
    assert page.status_code == 200
    assert "資料請求フォーム" in page.content.decode()


@pytest.mark.parametrize("who", ["inside_rep", "field_rep"])
def test_sales_may_not_use_the_builder(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/marketing/forms/").status_code == 403
    assert client.get("/marketing/forms/new/").status_code == 403


def test_the_menu_shows_forms_to_marketing_only(client, marketer, inside_rep):
    client.force_login(marketer)
    assert 'href="/marketing/forms/"' in client.get("/").content.decode()
    client.force_login(inside_rep)
    assert 'href="/marketing/forms/"' not in client.get("/").content.decode()


def test_a_new_form_starts_with_the_usual_fields(client, marketer):
    client.force_login(marketer)
    page = client.get("/marketing/forms/new/").content.decode()
    assert 'value="会社名"' in page
    assert 'value="メールアドレス"' in page


def test_creating_a_form_saves_fields_consent_and_settings(client, marketer):
    client.force_login(marketer)
    response = client.post("/marketing/forms/new/", {**settings_data(), **field_rows(ROWS)})
    form = Form.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/marketing/forms/{form.pk}/"
    assert [f["key"] for f in form.fields] == ["family_name", "email", "budget"]
    assert form.origins == [SITE, "https://lp.example.com"]
    assert form.consent_text.text_ja == "案内メールの配信に同意します。"
    assert client.get("/f/seminar/").status_code == 200


def test_a_form_without_an_email_field_is_refused(client, marketer):
    client.force_login(marketer)
    rows = [r for r in ROWS if r["key"] != "email"]
    response = client.post("/marketing/forms/new/", {**settings_data(), **field_rows(rows)})
    assert response.status_code == 200
    assert "email" in response.content.decode()
    assert not Form.objects.exists()


def test_an_origin_with_a_path_is_refused(client, marketer):
    client.force_login(marketer)
    data = {
        **settings_data(allowed_origins="https://www.example.co.jp/contact/"),
        **field_rows(ROWS),
    }
    response = client.post("/marketing/forms/new/", data)
    assert response.status_code == 200
    assert not Form.objects.exists()


def test_editing_the_consent_wording_makes_a_new_version(client, marketer):
    form = make_form()
    client.force_login(marketer)
    edit = client.get(f"/marketing/forms/{form.pk}/edit/").content.decode()
    assert "メールマガジン" in edit
    data = {**settings_data(slug="shiryo", consent_ja="新しい文言"), **field_rows(ROWS)}
    client.post(f"/marketing/forms/{form.pk}/edit/", data)
    form.refresh_from_db()
    assert form.consent_text.version == 2
    assert ConsentText.objects.count() == 2


def test_the_form_page_shows_snippets_preview_and_submissions(client, marketer):
    form = make_form()
    FormSubmission.objects.create(
        form=form, data={}, meta={}, status=SubmissionStatus.FAILED, error="boom",
        created_at=form.created_at,
    )  # fmt: skip
    client.force_login(marketer)
    page = client.get(f"/marketing/forms/{form.pk}/").content.decode()
    assert "http://testserver/f/shiryo/embed.js" in page
    assert "/f/shiryo/?embed=1" in page
    assert "&lt;iframe" in page
    assert "Failed" in page or "失敗" in page


def test_the_tracking_settings_page_saves_and_shows_the_snippet(client, marketer):
    client.force_login(marketer)
    page = client.get("/marketing/tracking/").content.decode()
    assert "http://testserver/t/renkei.js" in page
    client.post(
        "/marketing/tracking/",
        {"consent_required": "on", "allowed_origins": SITE},
    )
    config = TrackingSettings.load()
    assert config.consent_required is True
    assert config.honour_do_not_track is False
    assert config.origins == [SITE]


def test_the_form_list_and_form_page_take_a_fixed_number_of_queries(
    client, marketer, django_assert_max_num_queries
):
    from tests.factories import make_contact

    form = make_form()
    for n in range(3):
        make_form(name=f"フォーム{n}", slug=f"form-{n}", actor=marketer)
    for n in range(30):
        FormSubmission.objects.create(
            form=form, data={}, meta={}, status=SubmissionStatus.PROCESSED,
            contact=make_contact(email=f"p{n}@example.co.jp"), created_at=form.created_at,
        )  # fmt: skip
    client.force_login(marketer)
    with django_assert_max_num_queries(12):
        assert client.get("/marketing/forms/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/marketing/forms/{form.pk}/").status_code == 200
