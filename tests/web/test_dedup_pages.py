from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from renkei.contacts.dedup.choices import DuplicateStatus
from renkei.contacts.dedup.services import flag_duplicate
from renkei.contacts.models import Account, Contact, DuplicateCandidate
from renkei.funnel import services as funnel
from renkei.funnel.models import StageChange
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db
QUEUE = reverse("web:duplicates")
TESTER = reverse("web:duplicate_test")


def _contact_pair() -> tuple[Contact, Contact, DuplicateCandidate]:
    account = make_account(name="株式会社山田商事", corporate_number="")
    older = make_contact(
        family_name="斎藤", given_name="一郎",
        family_name_kana="サイトウ", given_name_kana="イチロウ",
        email="ichiro@yamada-shoji.co.jp", phone="090-1234-5678", account=account,
    )  # fmt: skip
    newer = make_contact(
        family_name="斉藤", given_name="一郎",
        family_name_kana="サイトウ", given_name_kana="イチロウ",
        email="saito@yamada-shoji.co.jp", department="営業部", account=account, stage="mql",
    )  # fmt: skip
    candidate = flag_duplicate(older, newer, reasons=["same reading, different kanji"])
    return older, newer, candidate


def _tester_form(kind: str, a: dict[str, str], b: dict[str, str]) -> dict[str, str]:
    data = {"kind": kind}
    data.update({f"a_{k}": v for k, v in a.items()})
    data.update({f"b_{k}": v for k, v in b.items()})
    return data


def _row_count() -> int:
    return sum(model._base_manager.count() for model in apps.get_models())


@pytest.mark.parametrize("name", ["duplicates", "duplicate_test", "duplicate_detail"])
def test_field_sales_may_not_use_the_duplicate_pages(client_for, field_rep, name):
    _, _, candidate = _contact_pair()
    args = [candidate.pk] if name == "duplicate_detail" else []
    client = client_for(field_rep)
    assert client.get(reverse(f"web:{name}", args=args)).status_code == 403
    assert client.post(reverse(f"web:{name}", args=args), {"action": "dismiss"}).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


@pytest.mark.parametrize("who", ["marketer", "admin_user", "manager"])
@pytest.mark.parametrize("name", ["duplicates", "duplicate_test", "duplicate_detail"])
def test_marketing_managers_and_admins_use_the_duplicate_pages(client_for, request, who, name):
    _, _, candidate = _contact_pair()
    args = [candidate.pk] if name == "duplicate_detail" else []
    user = request.getfixturevalue(who)
    response = client_for(user).get(reverse(f"web:{name}", args=args))
    assert response.status_code == 200


def test_the_menu_shows_duplicates_to_stewards_only(client_for, marketer, inside_rep):
    assert f'href="{QUEUE}"' in client_for(marketer).get(reverse("web:home")).content.decode()
    assert f'href="{QUEUE}"' not in client_for(inside_rep).get(reverse("web:home")).content.decode()


def test_the_queue_shows_an_open_pair_side_by_side_with_its_reasons(client_for, marketer):
    _, _, candidate = _contact_pair()
    response = client_for(marketer).get(QUEUE)
    html = response.content.decode()
    assert [row["candidate"] for row in response.context["rows"]] == [candidate]
    assert "斎藤 一郎" in html and "斉藤 一郎" in html
    assert "サイトウ イチロウ" in html
    assert "ichiro@yamada-shoji.co.jp" in html and "saito@yamada-shoji.co.jp" in html
    assert "株式会社山田商事" in html
    assert "same reading, different kanji" in html
    assert reverse("web:duplicate_detail", args=[candidate.pk]) in html


def test_the_queue_filters_by_kind_and_status(client_for, marketer):
    _, _, contact_pair = _contact_pair()
    account_pair = flag_duplicate(
        make_account(name="株式会社青葉"), make_account(name="青葉株式会社"), reasons=["same name"]
    )
    dismissed = flag_duplicate(make_contact(), make_contact(), reasons=["same name"])
    dismissed.status = DuplicateStatus.DISMISSED
    dismissed.save()
    client = client_for(marketer)

    def listed(**params) -> list[DuplicateCandidate]:
        return [row["candidate"] for row in client.get(QUEUE, params).context["rows"]]

    assert set(listed()) == {contact_pair, account_pair}
    assert listed(kind="account") == [account_pair]
    assert listed(kind="contact") == [contact_pair]
    assert listed(status="dismissed") == [dismissed]


def test_the_queue_makes_a_fixed_number_of_queries(
    client_for, marketer, django_assert_max_num_queries
):
    for n in range(30):
        account = make_account(corporate_number="")
        a = make_contact(account=account, email=f"a{n}@example.co.jp")
        b = make_contact(account=account, email=f"b{n}@example.co.jp")
        flag_duplicate(a, b, reasons=["same name"])
        flag_duplicate(make_account(), make_account(), reasons=["similar names"])
    client = client_for(marketer)
    with django_assert_max_num_queries(5):
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == 50


def test_the_pair_page_compares_field_by_field(client_for, marketer):
    _, _, candidate = _contact_pair()
    response = client_for(marketer).get(reverse("web:duplicate_detail", args=[candidate.pk]))
    rows = {row["name"]: row for row in response.context["rows"]}
    assert rows["family_name"]["choose"] and rows["email"]["choose"]
    assert not rows["given_name"]["differs"]
    # A blank is filled from the other record, so there is nothing to choose.
    assert not rows["department"]["choose"] and rows["department"]["filled_from"] == "b"
    html = response.content.decode()
    assert 'name="keep_family_name"' in html and 'name="keep_department"' not in html
    assert 'name="survivor"' in html


def test_merging_keeps_both_stage_histories_and_the_chosen_values(client_for, marketer, manager):
    older, newer, candidate = _contact_pair()
    funnel.change_stage(newer, to_stage="sal", actor=manager)
    history = set(
        StageChange.objects.filter(contact__in=[older, newer]).values_list("pk", flat=True)
    )
    assert StageChange.objects.filter(contact=older).exists()
    assert StageChange.objects.filter(contact=newer).count() >= 2
    response = client_for(marketer).post(
        reverse("web:duplicate_detail", args=[candidate.pk]),
        {
            "action": "merge",
            "survivor": "a",
            "keep_family_name": "a",
            "keep_email": "b",
            "keep_phone": "a",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:contact_detail", args=[older.pk])
    assert not Contact.objects.filter(pk=newer.pk).exists()
    survivor = Contact.objects.get(pk=older.pk)
    assert survivor.family_name == "斎藤"
    assert survivor.email == "saito@yamada-shoji.co.jp"
    assert survivor.department == "営業部"
    assert survivor.lifecycle_stage == "sal"
    assert set(StageChange.objects.filter(contact=survivor).values_list("pk", flat=True)) == history
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.MERGED
    assert candidate.decided_by == marketer


def test_merging_into_the_newer_record_redirects_to_it(client_for, admin_user):
    older, newer, candidate = _contact_pair()
    response = client_for(admin_user).post(
        reverse("web:duplicate_detail", args=[candidate.pk]),
        {"action": "merge", "survivor": "b", "keep_family_name": "b", "keep_email": "b"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("web:contact_detail", args=[newer.pk])
    assert not Contact.objects.filter(pk=older.pk).exists()
    assert Contact.objects.get(pk=newer.pk).phone  # the blank was filled from the older one
    assert "merged" in response.content.decode().lower()


def test_merging_accounts_redirects_to_the_surviving_account(client_for, marketer):
    a = make_account(name="株式会社青葉", website="https://aoba.example.jp")
    b = make_account(name="青葉株式会社", prefecture="13")
    make_contact(account=b, family_name="移動")
    candidate = flag_duplicate(a, b, reasons=["same name", "前株 vs 後株"])
    response = client_for(marketer).post(
        reverse("web:duplicate_detail", args=[candidate.pk]),
        {"action": "merge", "survivor": "a", "keep_name": "a"},
    )
    assert response["Location"] == reverse("web:account_detail", args=[a.pk])
    assert not Account.objects.filter(pk=b.pk).exists()
    assert Account.objects.get(pk=a.pk).prefecture == "13"
    assert Contact.objects.get(family_name="移動").account_id == a.pk


def test_a_merge_the_service_refuses_shows_the_error_and_changes_nothing(client_for, marketer):
    older, newer, candidate = _contact_pair()
    DuplicateCandidate.objects.filter(pk=candidate.pk).update(status=DuplicateStatus.DISMISSED)
    response = client_for(marketer).post(
        reverse("web:duplicate_detail", args=[candidate.pk]),
        {"action": "merge", "survivor": "a", "keep_family_name": "a", "keep_email": "a",
         "keep_phone": "a"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "This pair has already been decided." in response.content.decode()
    assert Contact.objects.filter(pk__in=[older.pk, newer.pk]).count() == 2


def test_an_invalid_choice_is_refused_on_the_page(client_for, marketer):
    older, newer, candidate = _contact_pair()
    response = client_for(marketer).post(
        reverse("web:duplicate_detail", args=[candidate.pk]),
        {"action": "merge", "survivor": "c"},
    )
    assert response.status_code == 422
    assert Contact.objects.filter(pk__in=[older.pk, newer.pk]).count() == 2
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


def test_not_duplicates_dismisses_the_pair(client_for, marketer):
    older, newer, candidate = _contact_pair()
    response = client_for(marketer).post(
        reverse("web:duplicate_detail", args=[candidate.pk]), {"action": "dismiss"}
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DISMISSED
    assert candidate.decided_by == marketer
    assert Contact.objects.filter(pk__in=[older.pk, newer.pk]).count() == 2
    assert client_for(marketer).get(QUEUE).context["rows"] == []
    page = client_for(marketer).get(reverse("web:duplicate_detail", args=[candidate.pk]))
    assert page.status_code == 200
    assert 'value="merge"' not in page.content.decode()


def test_a_pair_whose_record_was_deleted_says_so(client_for, marketer):
    a, b = make_account(), make_account()
    candidate = flag_duplicate(a, b, reasons=["same name"])
    b.delete()
    response = client_for(marketer).get(reverse("web:duplicate_detail", args=[candidate.pk]))
    assert response.status_code == 200
    assert "One of these records no longer exists" in response.content.decode()


def test_the_tester_says_review_for_a_name_with_the_legal_form_on_either_side(client_for, marketer):
    client = client_for(marketer)
    before = _row_count()
    response = client.post(
        TESTER,
        _tester_form("company", {"company": "株式会社山田商事"}, {"company": "山田商事株式会社"}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["verdict"].decision == "review"
    assert 'data-decision="review"' in html and "bg-yellow" in html
    assert "前株 vs 後株" in html
    assert _row_count() == before


def test_the_tester_says_merge_for_two_notations_of_one_name(client_for, marketer):
    client = client_for(marketer)
    before = _row_count()
    response = client.post(
        TESTER, _tester_form("company", {"company": "㈱山田商事"}, {"company": "株式会社山田商事"})
    )
    html = response.content.decode()
    assert response.context["verdict"].decision == "merge"
    assert 'data-decision="merge"' in html and "bg-green" in html
    assert "same name" in html
    assert _row_count() == before


def test_the_tester_compares_people(client_for, admin_user):
    response = client_for(admin_user).post(
        TESTER,
        _tester_form(
            "person",
            {"name": "斉藤 一郎", "kana": "サイトウ イチロウ"},
            {"name": "斎藤 一郎", "kana": "サイトウ イチロウ"},
        ),
    )
    assert response.context["verdict"].decision == "review"
    assert "same reading, different kanji" in response.content.decode()


def test_the_tester_needs_something_on_both_sides(client_for, marketer):
    response = client_for(marketer).post(
        TESTER, _tester_form("company", {"company": "株式会社山田商事"}, {})
    )
    assert response.status_code == 422
    assert response.context["verdict"] is None
    assert "Fill in at least one field of each record." in response.content.decode()
