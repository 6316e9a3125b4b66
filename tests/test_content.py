"""Content assets: touches linked by URL (page views, downloads, gated forms; when recorded
and afterwards), the content map with its missing cells, and the content that moves people
forward."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from renkei.contacts.choices import LifecycleStage
from renkei.funnel import services as funnel
from renkei.funnel.models import StageChange
from renkei.marketing import content, personas, tracking
from renkei.marketing.choices import BuyerStage, ContentKind, TouchType
from renkei.marketing.models import ContentAsset, Touch, url_key
from tests.factories import make_contact

pytestmark = pytest.mark.django_db

WP = "https://www.example.co.jp/wp/dx-guide.pdf"


@pytest.fixture(autouse=True)
def english(settings) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def it_persona(marketer):
    return personas.create_persona(actor=marketer, name="情シス部長", title_keywords="部長")


@pytest.fixture
def guide(marketer, it_persona) -> ContentAsset:
    return content.create_content(
        actor=marketer,
        title="DX推進ガイド",
        kind=ContentKind.WHITE_PAPER,
        url=WP,
        buyer_stage=BuyerStage.INTEREST,
        personas=[it_persona],
    )


def send(*events: dict, visitor: str = "v" * 20) -> None:
    tracking.record_batch(tracking.BatchIn(visitor=visitor, events=list(events)))


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (
            "https://www.Example.co.jp/wp/dx-guide.pdf?utm_source=x#p2",
            "example.co.jp/wp/dx-guide.pdf",
        ),
        ("http://example.co.jp/case/", "example.co.jp/case"),
        ("https://example.co.jp/%E4%BA%8B%E4%BE%8B", "example.co.jp/事例"),
        ("https://example.co.jp:8443/a", "example.co.jp:8443/a"),
        ("not a url", ""),
    ],
)
def test_urls_are_compared_without_scheme_www_query_or_trailing_slash(url, key):
    assert url_key(url) == key


def test_a_page_view_and_a_download_of_the_asset_become_its_touches(guide):
    send(
        {"type": "page_view", "url": "https://example.co.jp/wp/dx-guide.pdf?utm_medium=email"},
        {"type": "download", "url": WP, "title": "ガイドをダウンロード"},
        {"type": "page_view", "url": "https://www.example.co.jp/other"},
        {"type": "custom", "name": "scroll", "url": WP},
    )
    linked = Touch.objects.filter(content=guide).order_by("at")
    assert [t.type for t in linked] == [TouchType.PAGE_VIEW, TouchType.DOWNLOAD]


def test_a_form_on_the_assets_page_is_a_touch_of_it(guide):
    touch = tracking.record_touch(type=TouchType.FORM_SUBMIT, contact=make_contact(), url=WP)
    assert touch.content == guide


def test_touches_recorded_before_the_asset_are_linked_by_the_worker(
    marketer, django_capture_on_commit_callbacks
):
    send({"type": "page_view", "url": "https://www.example.co.jp/case/acme/"})
    with django_capture_on_commit_callbacks(execute=True):
        case = content.create_content(
            actor=marketer,
            title="導入事例",
            kind="case_study",
            url="https://example.co.jp/case/acme",
            buyer_stage="consideration",
        )
    assert Touch.objects.get().content == case
    with django_capture_on_commit_callbacks(execute=True):
        content.update_content(case, actor=marketer, url="https://example.co.jp/case/beta")
    assert Touch.objects.get().content is None


def test_two_assets_cannot_share_an_address(marketer, guide):
    with pytest.raises(ValidationError) as err:
        content.create_content(
            actor=marketer, title="x", kind="other", url=WP + "?v=2", buyer_stage="awareness"
        )
    assert "url" in err.value.message_dict


def test_the_content_map_counts_assets_and_touches_and_flags_missing_cells(
    marketer, it_persona, guide
):
    executives = personas.create_persona(actor=marketer, name="経営層", title_keywords="社長")
    content.create_content(
        actor=marketer, title="料金", kind="price_page", url="https://example.co.jp/price",
        buyer_stage="decision",
    )  # fmt: skip
    send({"type": "page_view", "url": WP}, {"type": "download", "url": WP})
    grid = content.content_map()
    cells = {(c.stage, c.persona_id): c for _s, _l, row in grid.rows for c in row}
    assert (
        cells[("interest", it_persona.pk)].assets,
        cells[("interest", it_persona.pk)].touches,
    ) == (1, 2)
    assert cells[("decision", None)].assets == 1
    assert cells[("interest", executives.pk)].missing
    assert grid.missing == 2 * 4 - 1  # every persona × stage but the guide's


def test_content_moves_people_forward_when_they_advance_after_reading(marketer, guide):
    now = timezone.now()
    reader, idle, late = (make_contact(stage=LifecycleStage.LEAD) for _ in range(3))
    for contact, at in ((reader, now - dt.timedelta(days=10)), (idle, now), (late, now)):
        tracking.record_touch(type=TouchType.PAGE_VIEW, contact=contact, url=WP, at=at)
    funnel.change_stage(reader, to_stage=LifecycleStage.MQL, actor=marketer)
    funnel.change_stage(late, to_stage=LifecycleStage.MQL, actor=marketer)
    # late's move is backdated to before their first read: it does not count
    StageChange.objects.filter(contact=late, to_stage="mql").update(at=now - dt.timedelta(days=1))
    effect = content.content_effects()[guide.pk]
    assert (effect.contacts, effect.moved_forward, effect.share) == (3, 1, 33.3)


# --- pages ----------------------------------------------------------------------------
def test_marketing_adds_content_through_the_page(client_for, marketer, it_persona):
    response = client_for(marketer).post(
        reverse("marketing:content_new"),
        {
            "title": "製造業のDX事例",
            "kind": "case_study",
            "url": "https://www.example.co.jp/case/maker/",
            "buyer_stage": "consideration",
            "personas": [it_persona.pk],
            "description": "",
        },
    )
    asset = ContentAsset.objects.get()
    assert response.status_code == 302
    assert asset.url_key == "example.co.jp/case/maker"
    html = client_for(marketer).get(response["Location"]).content.decode()
    assert "製造業のDX事例" in html and "情シス部長" in html


def test_the_content_form_explains_bad_input(client_for, marketer, guide):
    response = client_for(marketer).post(
        reverse("marketing:content_new"),
        {"title": "", "kind": "poster", "url": WP, "buyer_stage": ""},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Another content asset has this address" in html
    assert "This field is required." in html


def test_the_content_list_shows_views_downloads_and_the_forward_share(client_for, marketer, guide):
    send({"type": "page_view", "url": WP}, {"type": "download", "url": WP})
    response = client_for(marketer).get(reverse("marketing:content"), {"stage": "interest"})
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row["stats"] == {"views": 1, "downloads": 1, "forms": 0}


def test_the_content_map_page_highlights_missing_content_and_explains_itself(
    client_for, marketer, it_persona, guide
):
    html = client_for(marketer).get(reverse("marketing:content_map")).content.decode()
    assert "Missing content" in html and "bg-red-lt" in html
    assert "within 90 days after their first touch" in html
    assert f"?buyer_stage=awareness&amp;persona={it_persona.pk}" in html


def test_the_asset_page_lists_its_touches(client_for, marketer, guide):
    contact = make_contact()
    tracking.record_touch(type=TouchType.DOWNLOAD, contact=contact, url=WP)
    html = client_for(marketer).get(reverse("marketing:content_detail", args=[guide.pk]))
    assert contact.full_name in html.content.decode()
    timeline = client_for(marketer).get(reverse("web:contact_detail", args=[contact.pk]))
    assert "Downloaded DX推進ガイド" in timeline.content.decode()


def test_deleting_content_keeps_its_touches(client_for, marketer, guide):
    send({"type": "page_view", "url": WP})
    client_for(marketer).post(reverse("marketing:content_delete", args=[guide.pk]))
    assert not ContentAsset.objects.exists() and Touch.objects.get().content is None


def test_content_pages_are_for_marketing(client_for, inside_rep, guide):
    client = client_for(inside_rep)
    for name in ("marketing:content", "marketing:content_map", "marketing:content_new"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("marketing:content_detail", args=[guide.pk])).status_code == 403


def test_the_admin_lists_content(client_for, admin_user, guide):
    assert client_for(admin_user).get("/admin/marketing/contentasset/").status_code == 200
