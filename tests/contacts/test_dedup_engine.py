"""The matching engine on tricky Japanese pairs (beyond ../shared/datasets/ja-dedup)."""

from __future__ import annotations

import pytest

from renkei.contacts.dedup.engine import (
    Decision,
    Reason,
    Record,
    compare,
    compare_companies,
    compare_people,
    parse_kind,
)

M, R, S = Decision.MERGE, Decision.REVIEW, Decision.SEPARATE

COMPANY_CASES = [
    # (id, a, b, expected)
    (
        "en-ja-same-number",
        {"company": "Sony Group Corporation", "corporate_number": "5010401067252"},
        {"company": "ソニーグループ株式会社", "corporate_number": "5010401067252"},
        M,
    ),
    (
        "en-ja-no-number",
        {"company": "Toyota Motor Corporation"},
        {"company": "トヨタ自動車株式会社"},
        S,
    ),
    (
        "holdings-vs-operating",
        {"company": "株式会社山田ホールディングス"},
        {"company": "株式会社山田"},
        S,
    ),
    (
        "holdings-same-domain",
        {"company": "山田ホールディングス株式会社", "website": "https://www.yamada.co.jp"},
        {"company": "株式会社山田", "website": "yamada.co.jp"},
        R,
    ),
    (
        "branch-shiten-space",
        {"company": "株式会社山田商事 名古屋支店"},
        {"company": "株式会社山田商事"},
        M,
    ),
    (
        "branch-eigyosho",
        {"company": "山田商事(株)福岡営業所"},
        {"company": "山田商事株式会社"},
        M,
    ),
    (
        "branch-honsha",
        {"company": "ABC株式会社 東京本社"},
        {"company": "ＡＢＣ株式会社 大阪支社"},
        M,
    ),
    (
        "bank-suffix",
        {"company": "ﾔﾏﾀﾞｼｮｳｼﾞ(ｶ"},
        {"company": "山田商事株式会社", "kana": "ヤマダショウジ"},
        M,
    ),
    (
        "bank-prefix-vs-after",
        {"company": "ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ"},
        {"company": "山田商事株式会社", "kana": "やまだしょうじ"},
        R,
    ),
    (
        "bank-yugen-vs-kabushiki",
        {"company": "ﾕ)ﾔﾏﾀﾞｼｮｳｼﾞ"},
        {"company": "有限会社山田商事", "kana": "ヤマダショウジ"},
        M,
    ),
    ("bank-no-reading", {"company": "ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ"}, {"company": "株式会社山田商事"}, S),
    (
        "same-name-different-domain",
        {"company": "株式会社ミライ", "website": "https://mirai.co.jp"},
        {"company": "株式会社ミライ", "website": "https://mirai-tech.jp"},
        R,
    ),
    (
        "same-name-same-domain-subdomain",
        {"company": "株式会社ミライ", "website": "https://www.mirai.co.jp/about"},
        {"company": "(株)ミライ", "website": "http://shop.mirai.co.jp"},
        M,
    ),
    (
        "before-after-same-domain",
        {"company": "株式会社ミライ", "email": "taro@mirai.co.jp"},
        {"company": "ミライ株式会社", "website": "mirai.co.jp"},
        M,
    ),
    ("different-form-godo", {"company": "合同会社ミライ"}, {"company": "株式会社ミライ"}, R),
    (
        "tokurei-yugen-is-yugen",
        {"company": "特例有限会社山田工務店"},
        {"company": "(有)山田工務店"},
        M,
    ),
    ("kabu-sign", {"company": "山田商事㍿"}, {"company": "山田商事株式会社"}, M),
    ("full-width-brackets", {"company": "（株）山田商事"}, {"company": "㈱山田商事"}, M),
    ("variant-kanji-taka", {"company": "髙島屋株式会社"}, {"company": "高島屋株式会社"}, M),
    (
        "variant-kanji-watanabe",
        {"company": "株式会社渡邊製作所"},
        {"company": "株式会社渡辺製作所"},
        M,
    ),
    ("variant-kanji-sawa", {"company": "株式会社澤田工業"}, {"company": "株式会社沢田工業"}, M),
    (
        "long-vowel-dash",
        {"company": "株式会社サーバ－ワークス"},
        {"company": "株式会社サーバーワークス"},
        M,
    ),
    (
        "halfwidth-long-vowel",
        {"company": "ｻｰﾊﾞｰﾜｰｸｽ株式会社"},
        {"company": "サーバーワークス株式会社"},
        M,
    ),
    (
        "detached-handakuten",
        {"company": "株式会社ヘ゜ンギン"},
        {"company": "株式会社ペンギン"},
        M,
    ),
    (
        "ke-small-and-large",
        {"company": "株式会社霞ヶ関商事"},
        {"company": "株式会社霞ケ関商事"},
        M,
    ),
    ("english-kk", {"company": "Sakura Systems K.K."}, {"company": "SAKURA SYSTEMS Co.,Ltd."}, M),
    ("english-inc-vs-ja", {"company": "Mirai Inc."}, {"company": "MIRAI株式会社"}, M),
    ("abc-vs-abcd", {"company": "ABC Corporation"}, {"company": "ABCD Corporation"}, S),
    ("shoji-vs-shokai", {"company": "山田商事株式会社"}, {"company": "山田商会株式会社"}, S),
    (
        "same-number-differently-written",
        {"company": "株式会社ABC", "corporate_number": "1180-3010-18771"},
        {"company": "ABC", "corporate_number": "１１８０３０１０１８７７１"},
        M,
    ),
    (
        "different-numbers-win-over-name",
        {"company": "株式会社ABC", "corporate_number": "1180301018771"},
        {"company": "株式会社ABC", "corporate_number": "5010401067252"},
        S,
    ),
    (
        "only-one-number",
        {"company": "株式会社ABC", "corporate_number": "1180301018771"},
        {"company": "ABC株式会社"},
        R,
    ),
    (
        "free-mail-is-no-domain",
        {"company": "株式会社ミライ", "email": "a@gmail.com"},
        {"company": "株式会社ミライ", "email": "b@yahoo.co.jp"},
        M,
    ),
    (
        "same-domain-different-names",
        {"company": "株式会社ミライ", "website": "mirai.co.jp"},
        {"company": "未来テクノロジー株式会社", "website": "https://mirai.co.jp"},
        R,
    ),
    (
        "katakana-vs-hiragana-long",
        {"company": "株式会社ひまわり"},
        {"company": "株式会社ヒマワリ"},
        R,
    ),
    (
        "same-reading-different-kanji",
        {"company": "株式会社山田商事", "kana": "ヤマダショウジ"},
        {"company": "株式会社山田商持", "kana": "やまだしょうじ"},
        R,
    ),
    (
        "ippan-shadan-variants",
        {"company": "一般社団法人日本DX協会"},
        {"company": "(一社) 日本ＤＸ協会"},
        M,
    ),
    ("npo-vs-tokuhi", {"company": "(特非)こども未来"}, {"company": "NPO法人 こども未来"}, M),
    (
        "shadan-vs-zaidan",
        {"company": "一般社団法人日本DX協会"},
        {"company": "一般財団法人日本DX協会"},
        R,
    ),
    ("form-missing-one-side", {"company": "山田商事"}, {"company": "株式会社山田商事"}, R),
    (
        "form-missing-same-domain",
        {"company": "山田商事", "email": "taro@yamada-shoji.co.jp"},
        {"company": "株式会社山田商事", "website": "https://yamada-shoji.co.jp"},
        M,
    ),
    ("no-form-on-either-side", {"company": "山田商事"}, {"company": "山田商事 "}, M),
    ("both-empty", {}, {}, S),
    (
        "same-switchboard-only",
        {"company": "株式会社A", "phone": "03-1234-5678"},
        {"company": "株式会社B", "phone": "03(1234)5678"},
        R,
    ),
    (
        "middle-dot-and-ampersand",
        {"company": "株式会社A&Bコンサルティング"},
        {"company": "株式会社A・Bコンサルティング"},
        M,
    ),
]

PERSON_CASES = [
    (
        "fullwidth-email",
        {"name": "山田 太郎", "email": "ｔａｒｏ＠ａｂｃ．ｃｏ．ｊｐ"},
        {"name": "山田太郎", "email": "taro@abc.co.jp"},
        M,
    ),
    (
        "mailto-email",
        {"name": "山田 太郎", "email": "mailto:<Taro@ABC.co.jp>"},
        {"name": "", "email": "taro@abc.co.jp"},
        M,
    ),
    (
        "email-decides-over-name",
        {"name": "佐藤 花子", "email": "h.sato@abc.co.jp"},
        {"name": "山田 花子", "email": "h.sato@abc.co.jp"},
        M,
    ),
    (
        "role-mailbox-same-name",
        {"name": "山田 太郎", "email": "sales@abc.co.jp"},
        {"name": "山田 太郎", "email": "SALES@abc.co.jp"},
        M,
    ),
    (
        "role-mailbox-eigyo",
        {"name": "山田 太郎", "email": "eigyo@abc.co.jp"},
        {"name": "鈴木 次郎", "email": "eigyo@abc.co.jp"},
        S,
    ),
    (
        "role-mailbox-support-no-names",
        {"email": "support@abc.co.jp"},
        {"email": "support@abc.co.jp"},
        S,
    ),
    (
        "free-mail-different-names",
        {"name": "山田 太郎", "email": "yamada.family@gmail.com"},
        {"name": "山田 花子", "email": "yamada.family@gmail.com"},
        S,
    ),
    (
        "free-mail-same-name",
        {"name": "山田 太郎", "email": "taro1975@gmail.com"},
        {"name": "山田太郎", "email": "Taro1975@Gmail.com"},
        M,
    ),
    (
        "free-mail-no-name",
        {"email": "taro1975@docomo.ne.jp"},
        {"name": "山田 太郎", "email": "taro1975@docomo.ne.jp"},
        R,
    ),
    (
        "same-mobile-different-name",
        {"name": "鈴木 一郎", "phone": "090-1111-2222"},
        {"name": "田中 次郎", "phone": "09011112222"},
        R,
    ),
    (
        "same-mobile-fullwidth",
        {"name": "鈴木 一郎", "phone": "０８０（１１１１）２２２２"},
        {"name": "鈴木一郎", "phone": "+81-80-1111-2222"},
        M,
    ),
    (
        "daihyo-shared-different-names",
        {"name": "山田 太郎", "phone": "03-1234-5678(代表)"},
        {"name": "佐藤 花子", "phone": "03-1234-5678"},
        S,
    ),
    (
        "daihyo-shared-same-name",
        {"name": "山田 太郎", "phone": "03-1234-5678（代表）"},
        {"name": "山田 太郎", "phone": "0312345678"},
        R,
    ),
    (
        "landline-shared-same-name",
        {"name": "山田 太郎", "phone": "06-6123-4567"},
        {"name": "山田 太郎", "phone": "06(6123)4567"},
        R,
    ),
    (
        "saito-variants",
        {"company": "ABC株式会社", "name": "斉藤 美咲", "kana": "サイトウ ミサキ"},
        {"company": "ABC株式会社", "name": "齊藤 美咲", "kana": "さいとう みさき"},
        M,
    ),
    (
        "saito-without-readings",
        {"company": "ABC株式会社", "name": "斉藤 美咲"},
        {"company": "ABC株式会社", "name": "斎藤 美咲", "kana": "サイトウミサキ"},
        R,
    ),
    (
        "tomita-variant",
        {"company": "ABC株式会社", "name": "冨田 健"},
        {"company": "ABC株式会社", "name": "富田 健"},
        R,
    ),
    (
        "taro-typo",
        {"company": "ABC株式会社", "name": "山田 太朗"},
        {"company": "ABC株式会社", "name": "山田 太郎"},
        R,
    ),
    (
        "confusable-but-other-company",
        {"company": "ABC株式会社", "name": "斉藤 美咲", "corporate_number": "1180301018771"},
        {"company": "XYZ株式会社", "name": "斎藤 美咲", "corporate_number": "5010401067252"},
        S,
    ),
    (
        "saito-readings-both",
        {"company": "ABC株式会社", "name": "斉藤 美咲", "kana": "サイトウ ミサキ"},
        {"company": "ABC株式会社", "name": "齋藤 美咲", "kana": "サイトウ ミサキ"},
        R,
    ),
    (
        "takahashi-variant",
        {"company": "ABC株式会社", "name": "髙橋 一郎"},
        {"company": "ABC(株)", "name": "高橋一郎"},
        M,
    ),
    (
        "watanabe-variant",
        {"company": "ABC株式会社", "name": "渡邉 健"},
        {"company": "ＡＢＣ株式会社", "name": "渡辺 健"},
        M,
    ),
    ("same-name-no-company", {"name": "山田 太郎"}, {"name": "山田 太郎"}, R),
    (
        "same-name-different-company",
        {"company": "ABC株式会社", "name": "山田 太郎", "email": "yamada@abc.co.jp"},
        {"company": "XYZ株式会社", "name": "山田 太郎", "email": "yamada@xyz.co.jp"},
        R,
    ),
    (
        "same-name-same-email-domain",
        {"name": "山田 太郎", "email": "t-yamada@abc.co.jp"},
        {"name": "山田 太郎", "email": "yamada@abc.co.jp"},
        M,
    ),
    (
        "same-name-company-before-after",
        {"company": "株式会社ミライ", "name": "山田 太郎"},
        {"company": "ミライ株式会社", "name": "山田 太郎"},
        R,
    ),
    (
        "romaji-card",
        {"name": "Misaki Saito", "company": "ABC株式会社"},
        {"name": "斉藤 美咲", "kana": "サイトウ ミサキ", "company": "ABC株式会社"},
        R,
    ),
    (
        "romaji-family-first",
        {"name": "SAITOH Misaki"},
        {"name": "斎藤 美咲", "kana": "さいとう みさき"},
        R,
    ),
    (
        "romaji-same-words",
        {"name": "Taro Yamada", "company": "ABC株式会社"},
        {"name": "YAMADA TARO", "company": "ABC Co., Ltd."},
        M,
    ),
    (
        "hiragana-vs-katakana-name",
        {"name": "やまだ はなこ", "company": "ABC株式会社"},
        {"name": "ヤマダ ハナコ", "company": "ABC株式会社"},
        R,
    ),
    (
        "different-family-same-given",
        {"company": "ABC株式会社", "name": "山田 花子"},
        {"company": "ABC株式会社", "name": "佐藤 花子"},
        S,
    ),
    (
        "nothing-shared",
        {"name": "山田 太郎", "email": "taro@abc.co.jp"},
        {"name": "鈴木 花子", "email": "hanako@xyz.co.jp"},
        S,
    ),
    (
        "family-name-only",
        {"company": "ABC株式会社", "name": "山田"},
        {"company": "ABC株式会社", "name": "山田 太郎"},
        R,
    ),
    (
        "same-name-different-corporate-numbers",
        {"company": "ABC株式会社", "corporate_number": "1180301018771", "name": "山田 太郎"},
        {"company": "ABC株式会社", "corporate_number": "5010401067252", "name": "山田 太郎"},
        R,
    ),
    (
        "same-mobile-unknown-name",
        {"phone": "070-1234-5678"},
        {"name": "山田 太郎", "phone": "07012345678"},
        M,
    ),
    (
        "email-in-different-case-and-spaces",
        {"name": "山田太郎", "email": "  Taro.Yamada@ABC.CO.JP "},
        {"name": "山田 太郎", "email": "taro.yamada@abc.co.jp"},
        M,
    ),
]


def _ids(cases):
    return [case[0] for case in cases]


@pytest.mark.parametrize(("case_id", "a", "b", "expected"), COMPANY_CASES, ids=_ids(COMPANY_CASES))
def test_company_pairs(case_id, a, b, expected):
    verdict = compare_companies(Record(**a), Record(**b))
    assert verdict.decision == expected, verdict.reasons
    assert compare_companies(Record(**b), Record(**a)).decision == expected, "not symmetric"


@pytest.mark.parametrize(("case_id", "a", "b", "expected"), PERSON_CASES, ids=_ids(PERSON_CASES))
def test_person_pairs(case_id, a, b, expected):
    verdict = compare_people(Record(**a), Record(**b))
    assert verdict.decision == expected, verdict.reasons
    assert compare_people(Record(**b), Record(**a)).decision == expected, "not symmetric"


def test_every_reason_given_is_a_documented_reason():
    documented = set(Reason.all())
    for _, a, b, _ in COMPANY_CASES:
        assert set(compare_companies(Record(**a), Record(**b)).reasons) <= documented
    for _, a, b, _ in PERSON_CASES:
        assert set(compare_people(Record(**a), Record(**b)).reasons) <= documented


def test_the_same_corporate_number_is_the_reason_given():
    verdict = compare(
        "company",
        Record(company="トヨタ自動車株式会社", corporate_number="1180301018771"),
        Record(company="Toyota Motor Corporation", corporate_number="1180301018771"),
    )
    assert verdict.decision == Decision.MERGE
    assert verdict.reasons == [Reason.SAME_CORPORATE_NUMBER]


def test_before_and_after_kabu_names_the_reason():
    verdict = compare("company", Record(company="株式会社山田"), Record(company="山田株式会社"))
    assert verdict.reasons == [Reason.SAME_NAME, Reason.BEFORE_VS_AFTER]


def test_a_shared_role_mailbox_is_named_as_no_evidence():
    verdict = compare(
        "person",
        Record(name="山田 太郎", email="info@abc.co.jp"),
        Record(name="佐藤 花子", email="INFO@abc.co.jp"),
    )
    assert verdict.decision == Decision.SEPARATE
    assert Reason.ROLE_MAILBOX in verdict.reasons


@pytest.mark.parametrize("kind", ["company", "account", "person", "contact", " Person "])
def test_kind_aliases_are_accepted(kind):
    parse_kind(kind)


def test_an_unknown_kind_is_rejected():
    with pytest.raises(ValueError):
        compare("animal", Record(), Record())


def test_decision_labels_are_translated():
    from django.utils import translation

    with translation.override("ja"):
        labels = {str(label) for label in Decision.labels}
    assert labels


MORE_PERSON_CASES = [
    (
        "honorific-suffix",
        {"company": "ABC株式会社", "name": "山田 太郎 様"},
        {"company": "ABC株式会社", "name": "山田太郎"},
        M,
    ),
    (
        "romaji-vs-kanji-without-reading",
        {"company": "ABC株式会社", "name": "Taro Yamada"},
        {"company": "ABC株式会社", "name": "山田 太郎"},
        S,
    ),
    (
        "romaji-matches-the-other-email",
        {"company": "ABC株式会社", "name": "Taro Yamada", "email": "t.yamada@gmail.com"},
        {"company": "ABC株式会社", "name": "山田 太郎", "email": "taro.yamada@abc.co.jp"},
        R,
    ),
    (
        "name-vs-domain-is-no-comparison",
        {"company": "ABC株式会社", "name": "斉藤 美咲", "kana": "サイトウ ミサキ"},
        {"email": "misaki@abc.co.jp", "name": "斎藤 美咲", "kana": "サイトウ ミサキ"},
        R,
    ),
    (
        "readings-only",
        {"kana": "ヤマダ タロウ", "company": "ABC株式会社"},
        {"kana": "やまだ たろう", "company": "ABC株式会社"},
        R,
    ),
    (
        "role-prefix-with-a-personal-part-is-personal",
        {"name": "山田 太郎", "email": "sales.yamada@abc.co.jp"},
        {"name": "Taro Yamada", "email": "Sales.Yamada@abc.co.jp"},
        M,
    ),
    (
        "numbered-role-mailbox",
        {"name": "山田 太郎", "email": "info2@abc.co.jp"},
        {"name": "佐藤 花子", "email": "info2@abc.co.jp"},
        S,
    ),
    (
        "role-mailbox-with-department-suffix",
        {"name": "山田 太郎", "email": "eigyo-bu@abc.co.jp"},
        {"name": "佐藤 花子", "email": "eigyo-bu@abc.co.jp"},
        S,
    ),
    (
        "kanji-name-in-western-order",
        {"company": "ABC株式会社", "name": "太郎 山田"},
        {"company": "ABC株式会社", "name": "山田 太郎"},
        R,
    ),
    (
        "romaji-vs-kanji-same-mobile",
        {"name": "Taro Yamada", "phone": "090-3333-4444"},
        {"name": "山田 太郎", "phone": "09033334444"},
        M,
    ),
]
MORE_COMPANY_CASES = [
    (
        "invoice-registration-number",
        {"company": "株式会社ABC", "corporate_number": "T1180301018771"},
        {"company": "ABC Inc.", "corporate_number": "1180301018771"},
        M,
    ),
    (
        "shared-site-builder-is-no-domain",
        {"company": "株式会社ミライ", "website": "https://mirai.wixsite.com/home"},
        {"company": "株式会社ミライ", "website": "https://mirai-tech.jp"},
        M,
    ),
    (
        "shared-blog-host-says-nothing",
        {"company": "株式会社ミライ", "website": "https://ameblo.jp/mirai"},
        {"company": "未来商事株式会社", "website": "https://ameblo.jp/mirai-shoji"},
        S,
    ),
    (
        "bank-style-with-branch",
        {"company": "ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ ｵｵｻｶｼﾃﾝ"},
        {"company": "株式会社山田商事", "kana": "カブシキガイシャヤマダショウジ"},
        M,
    ),
    ("old-form-kaisha", {"company": "株式會社山田商事"}, {"company": "株式会社山田商事"}, M),
    ("yugen-circled", {"company": "㈲山田工務店"}, {"company": "有限会社山田工務店"}, M),
    (
        "group-is-another-company",
        {"company": "ソフトバンク株式会社"},
        {"company": "ソフトバンクグループ株式会社"},
        S,
    ),
    ("canon-small-ya", {"company": "キャノン株式会社"}, {"company": "キヤノン株式会社"}, R),
    (
        "long-vowel-omitted",
        {"company": "株式会社日本コンピューターシステムズ"},
        {"company": "株式会社日本コンピュータシステムズ"},
        R,
    ),
]


@pytest.mark.parametrize(
    ("case_id", "a", "b", "expected"), MORE_PERSON_CASES, ids=_ids(MORE_PERSON_CASES)
)
def test_more_person_pairs(case_id, a, b, expected):
    test_person_pairs(case_id, a, b, expected)


@pytest.mark.parametrize(
    ("case_id", "a", "b", "expected"), MORE_COMPANY_CASES, ids=_ids(MORE_COMPANY_CASES)
)
def test_more_company_pairs(case_id, a, b, expected):
    test_company_pairs(case_id, a, b, expected)
