from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import make_contact

pytestmark = pytest.mark.django_db


def test_the_menu_shows_what_a_marketer_may_use(client_for, marketer):
    html = client_for(marketer).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("web:contacts")}"' in html
    assert f'href="{reverse("web:accounts")}"' in html
    assert f'href="{reverse("web:team")}"' not in html
    assert f'href="{reverse("admin:index")}"' not in html


def test_managers_see_the_team_page_and_admins_the_administration(client_for, manager, admin_user):
    manager_html = client_for(manager).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("web:team")}"' in manager_html
    assert f'href="{reverse("admin:index")}"' not in manager_html
    assert f'href="{reverse("core:settings")}"' not in manager_html
    admin_html = client_for(admin_user).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("admin:index")}"' in admin_html
    assert f'href="{reverse("core:settings")}"' in admin_html


def test_the_current_page_is_marked_in_the_menu(client_for, marketer):
    html = client_for(marketer).get(reverse("web:contacts")).content.decode()
    assert f'<a class="nav-link" href="{reverse("web:contacts")}" aria-current="page">' in html


def test_marketing_pages_sit_in_one_menu_marked_when_one_of_them_is_open(client_for, marketer):
    html = client_for(marketer).get(reverse("marketing:segments")).content.decode()
    menu = html[html.index('<details class="dropdown rk-menu rk-nav-menu"') :]
    menu = menu[: menu.index("</details>")]
    assert 'aria-current="true"' in menu  # the Marketing menu holds the open page
    for name in ("marketing:campaigns", "marketing:personas", "marketing:content"):
        assert f'href="{reverse(name)}"' in menu
    assert f'href="{reverse("marketing:segments")}" aria-current="page"' in menu


def test_sales_roles_see_no_marketing_menu(client_for, inside_rep):
    html = client_for(inside_rep).get(reverse("web:home")).content.decode()
    assert "rk-nav-menu" not in html
    assert f'href="{reverse("marketing:campaigns")}"' not in html


@pytest.mark.parametrize("fixture", ["marketer", "inside_rep", "field_rep"])
def test_the_team_page_is_forbidden_to_roles_other_than_managers(client_for, request, fixture):
    user = request.getfixturevalue(fixture)
    response = client_for(user).get(reverse("web:team"))
    assert response.status_code == 403
    assert "This page is not for your role" in response.content.decode()


def test_the_team_page_counts_each_owners_contacts_by_stage(client_for, manager, inside_rep):
    make_contact(owner=inside_rep)
    make_contact(owner=inside_rep, stage="mql")
    response = client_for(manager).get(reverse("web:team"))
    assert response.status_code == 200
    rows = {row["user"].pk: row for row in response.context["rows"]}
    assert rows[inside_rep.pk]["total"] == 2
    assert rows[inside_rep.pk]["cells"][1:3] == [1, 1]


def test_an_unknown_page_shows_the_not_found_page(client_for, marketer):
    response = client_for(marketer).get("/contacts/999999/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_the_administration_is_only_for_admins(client_for, manager, admin_user):
    assert client_for(manager).get(reverse("admin:index")).status_code == 302
    assert client_for(admin_user).get(reverse("admin:index")).status_code == 200


def test_switching_language_saves_it_for_the_signed_in_user(client_for, marketer):
    client = client_for(marketer)
    response = client.post(
        reverse("web:set_language"), {"language": "ja", "next": reverse("web:contacts")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:contacts")
    marketer.refresh_from_db()
    assert marketer.language == "ja"
    page = client.get(reverse("web:contacts"))
    assert page["Content-Language"] == "ja"
    assert '<html lang="ja">' in page.content.decode()


def test_an_anonymous_visitor_can_switch_language_on_the_login_page(client: Client):
    response = client.post(
        reverse("web:set_language"), {"language": "en", "next": reverse("login")}
    )
    assert response["Location"] == reverse("login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()


def test_switching_to_an_unknown_language_changes_nothing(client_for, marketer):
    client_for(marketer).post(reverse("web:set_language"), {"language": "xx", "next": "/"})
    marketer.refresh_from_db()
    assert marketer.language == ""


def test_the_language_switch_refuses_a_redirect_to_another_site(client_for, marketer):
    response = client_for(marketer).post(
        reverse("web:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert "evil.example" not in response.get("Location", "")


def test_pages_load_the_japanese_font_and_the_front_end_packages(client_for, marketer):
    html = client_for(marketer).get(reverse("web:home")).content.decode()
    for asset in (
        "vendor/noto-sans-jp/400.css",
        "vendor/tabler/css/tabler.min.css",
        "vendor/tabler-icons/tabler-icons.min.css",
        "vendor/htmx/htmx.min.js",
        "vendor/echarts/echarts.min.js",
        "web/css/renkei.css",
    ):
        assert f"/static/{asset}" in html


def test_messages_are_shown_after_a_redirect(client_for, marketer):
    client = client_for(marketer)
    response = client.post(
        reverse("web:profile"),
        {"last_name": "佐藤", "first_name": "一郎", "email": "a@example.co.jp", "language": ""},
        follow=True,
    )
    assert "Your profile is saved." in response.content.decode()
