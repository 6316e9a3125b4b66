from __future__ import annotations

import pytest

from renkei.contacts.choices import Region, region_of
from renkei.contacts.normalize import (
    InvalidPhoneNumber,
    domain_from_website,
    format_phone,
    is_valid_corporate_number,
    normalize_company_name,
    normalize_kana,
    normalize_phone,
    search_key,
    strip_corporate_form,
)


@pytest.mark.parametrize(
    "variant",
    [
        "株式会社サンプル商事",
        "サンプル商事株式会社",
        "(株)サンプル商事",
        "（株）サンプル商事",
        "㈱サンプル商事",
        "サンプル商事㈱",
        "株式会社　サンプル商事",
        "ｻﾝﾌﾟﾙ商事株式会社",
    ],
)
def test_corporate_form_and_width_variants_share_one_key(variant):
    assert normalize_company_name(variant) == normalize_company_name("サンプル商事")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("有限会社 山田工務店", "山田工務店"),
        ("合同会社ミライ", "ミライ"),
        ("一般社団法人 日本DX協会", "日本DX協会"),
        ("特定非営利活動法人こども未来", "こども未来"),
        ("Sakura Systems Co., Ltd.", "Sakura Systems"),
        ("ACME Corporation", "ACME"),
    ],
)
def test_corporate_forms_are_removed_in_any_notation(name, expected):
    assert strip_corporate_form(name) == expected


def test_a_name_that_is_only_a_corporate_form_keeps_a_key():
    assert normalize_company_name("株式会社") != ""


def test_kana_readings_compare_across_hiragana_and_half_width():
    assert normalize_kana("やまだ") == normalize_kana("ﾔﾏﾀﾞ") == "ヤマダ"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("03-1234-5678", "+81312345678"),
        ("０３（１２３４）５６７８", "+81312345678"),
        ("+81 90 1234 5678", "+819012345678"),
        ("090-1234-5678", "+819012345678"),
        ("06-6123-4567", "+81661234567"),
    ],
)
def test_japanese_phone_numbers_are_stored_in_e164(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12-34", "03-1234", "not a phone", "0120-12"])
def test_invalid_phone_numbers_are_refused(raw):
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone(raw)


def test_japanese_numbers_display_in_national_format():
    assert format_phone("+81312345678") == "03-1234-5678"
    assert format_phone("+14155552671").startswith("+1 ")


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("7010001008844", True),
        ("７０１０００１００８８４４", True),
        ("7010001008845", False),
        ("1234567890123", False),
        ("701000100884", False),
    ],
)
def test_corporate_numbers_need_13_digits_and_a_valid_check_digit(value, valid):
    assert is_valid_corporate_number(value) is valid


@pytest.mark.parametrize(
    ("website", "domain"),
    [
        ("https://www.example.co.jp/about", "example.co.jp"),
        ("example.co.jp", "example.co.jp"),
        ("HTTP://WWW.EXAMPLE.COM:8080/?q=1", "example.com"),
        ("", ""),
    ],
)
def test_the_domain_is_taken_from_the_website(website, domain):
    assert domain_from_website(website) == domain


def test_search_keys_fold_width_case_and_kana():
    assert search_key("ＹＡＭＡＤＡ", "やまだ") == "yamada ヤマダ"


def test_prefectures_belong_to_their_regions():
    assert region_of("13") == Region.KANTO
    assert region_of("27") == Region.KINKI
    assert region_of("47") == Region.KYUSHU
    assert region_of("") == ""
