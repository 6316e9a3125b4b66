from __future__ import annotations

import pytest
from django.urls import reverse

from renkei.contacts.choices import LeadStatus, LifecycleStage, SourceChannel
from renkei.core.choices import Role
from renkei.funnel import services as funnel
from tests.factories import make_account, make_contact, make_team, make_user
from tests.web.conftest import HTMX

pytestmark = pytest.mark.django_db
URL = reverse("web:contacts")


def names(response) -> list[str]:
    return [c.full_name for c in response.context["page"].object_list]


def test_the_list_shows_each_contacts_name_kana_company_stage_owner_and_source(
    client_for, marketer
):
    account = make_account(name="株式会社サンプル商事")
    make_contact(
        family_name="鈴木",
        given_name="一郎",
        family_name_kana="スズキ",
        given_name_kana="イチロウ",
        account=account,
        owner=marketer,
        source_channel=SourceChannel.EXHIBITION,
        stage=LifecycleStage.MQL,
    )
    html = client_for(marketer).get(URL).content.decode()
    for text in ("鈴木 一郎", "スズキ イチロウ", "株式会社サンプル商事", "MQL", "New"):
        assert text in html
    assert marketer.display_name in html
    assert "Exhibition" in html


def test_searching_finds_contacts_by_kana_email_and_company(client_for, marketer):
    account = make_account(name="株式会社ミドリ電機")
    make_contact(family_name="高橋", family_name_kana="タカハシ", email="t@midori.co.jp")
    make_contact(family_name="伊藤", family_name_kana="イトウ", account=account)
    make_contact(family_name="渡辺", family_name_kana="ワタナベ", email="w@example.co.jp")
    client = client_for(marketer)
    assert [n[:2] for n in names(client.get(URL, {"q": "たかはし"}))] == ["高橋"]
    assert [n[:2] for n in names(client.get(URL, {"q": "w@example"}))] == ["渡辺"]
    assert [n[:2] for n in names(client.get(URL, {"q": "ミドリ電機"}))] == ["伊藤"]


def test_filters_narrow_the_list_by_stage_status_owner_source_and_team(
    client_for, marketer, inside_rep
):
    team = make_team("IS東日本")
    teammate = make_user(Role.INSIDE_SALES, team=team)
    mql = make_contact(family_name="MQL", stage=LifecycleStage.MQL, owner=teammate)
    lead = make_contact(family_name="LEAD", owner=inside_rep)
    webinar = make_contact(family_name="WEB", source_channel=SourceChannel.WEBINAR)
    funnel.change_status(lead, to_status=LeadStatus.WORKING, actor=inside_rep)
    client = client_for(marketer)

    def only(**params) -> list[str]:
        return [n.split()[0] for n in names(client.get(URL, params))]

    assert only(stage="mql") == [mql.family_name]
    assert only(status="working") == [lead.family_name]
    assert only(owner=str(inside_rep.pk)) == [lead.family_name]
    assert only(owner="none") == [webinar.family_name]
    assert only(source="webinar") == [webinar.family_name]
    assert only(team=str(team.pk)) == [mql.family_name]
    assert only(stage="lead", owner=str(inside_rep.pk)) == [lead.family_name]


def test_my_contacts_shows_the_contacts_the_user_owns(client_for, inside_rep):
    make_contact(family_name="MINE", owner=inside_rep)
    make_contact(family_name="OTHER")
    response = client_for(inside_rep).get(URL, {"owner": "me"})
    assert [n.split()[0] for n in names(response)] == ["MINE"]


def test_an_invalid_filter_value_is_ignored(client_for, marketer):
    make_contact()
    response = client_for(marketer).get(URL, {"stage": "nonsense", "team": "abc"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1


def test_the_list_sorts_by_kana_stage_created_and_updated(client_for, marketer, inside_rep):
    a = make_contact(family_name="阿部", family_name_kana="アベ")
    make_contact(family_name="千葉", family_name_kana="チバ", stage=LifecycleStage.MQL)
    make_contact(family_name="馬場", family_name_kana="イトウ")
    funnel.change_stage(a, to_stage=LifecycleStage.SAL, actor=inside_rep)
    client = client_for(marketer)

    def order(sort: str) -> list[str]:
        return [n.split()[0] for n in names(client.get(URL, {"sort": sort}))]

    assert order("kana") == ["阿部", "馬場", "千葉"]
    assert order("stage") == ["阿部", "千葉", "馬場"]
    assert order("created") == ["馬場", "千葉", "阿部"]
    assert order("updated")[0] == "阿部"


def test_the_list_pages_by_fifty(client_for, marketer):
    for n in range(53):
        make_contact(family_name=f"F{n:02d}", family_name_kana=f"ア{n:02d}")
    client = client_for(marketer)
    first = client.get(URL, {"sort": "kana"})
    assert len(first.context["page"].object_list) == 50
    assert "1–50 of 53" in first.content.decode()
    second = client.get(URL, {"sort": "kana", "page": 2})
    assert [n.split()[0] for n in names(second)] == ["F50", "F51", "F52"]
    assert client.get(URL, {"page": 99}).context["page"].number == 2


def test_an_htmx_request_gets_only_the_results_table(client_for, marketer):
    make_contact(family_name="部分")
    client = client_for(marketer)
    partial = client.get(URL, {"q": "部分"}, headers=HTMX)
    html = partial.content.decode()
    assert partial.status_code == 200
    assert html.lstrip().startswith('<div id="contact-results"')
    assert "<html" not in html
    assert "部分" in html
    assert "HX-Request" in partial["Vary"]
    full = client.get(URL, {"q": "部分"})
    full_html = full.content.decode()
    assert "<html" in full_html
    assert '<div id="contact-results"' in full_html


def test_a_history_restore_gets_the_full_page(client_for, marketer):
    response = client_for(marketer).get(URL, headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_the_search_form_works_as_a_plain_get_form(client_for, marketer):
    html = client_for(marketer).get(URL).content.decode()
    assert f'<form method="get" action="{URL}"' in html
    assert 'hx-push-url="true"' in html
    for name in ("q", "stage", "status", "owner", "source", "team", "sort"):
        assert f'name="{name}"' in html


def test_the_list_makes_a_fixed_number_of_queries(
    client_for, marketer, django_assert_max_num_queries
):
    team = make_team()
    owners = [make_user(Role.INSIDE_SALES, team=team) for _ in range(3)]
    accounts = [make_account() for _ in range(4)]
    for n in range(60):
        make_contact(owner=owners[n % 3], account=accounts[n % 4])
    client = client_for(marketer)
    with django_assert_max_num_queries(7):
        response = client.get(URL, {"team": str(team.pk), "sort": "stage"})
    assert len(response.context["page"].object_list) == 50


def test_names_are_escaped(client_for, marketer):
    make_contact(family_name="<script>alert(1)</script>")
    html = client_for(marketer).get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
