"""Vocabulary for the demo data: names, company-name parts, departments, campaigns, reasons.

Readings are katakana, romaji is Hepburn without macrons (as in Japanese email addresses).
Weights are rough shares, not statistics.
"""

from __future__ import annotations

from typing import NamedTuple

from renkei.contacts.choices import EmployeeBand, Industry, Prefecture
from renkei.core.choices import Role


class Word(NamedTuple):
    text: str
    kana: str
    romaji: str


ORGANISATION_NAME = "連携テクノロジー株式会社"
ORGANISATION_DOMAIN = "renkei-tech.co.jp"
ORGANISATION_SITE = f"https://www.{ORGANISATION_DOMAIN}"


class DemoUser(NamedTuple):
    username: str
    role: str
    team: str | None
    last_name: str
    first_name: str


TEAM_MARKETING = "マーケティング部"
TEAM_INSIDE_SALES = "インサイドセールス"
TEAM_FIELD_EAST = "フィールドセールス東日本"
TEAM_FIELD_WEST = "フィールドセールス西日本"
TEAMS = {
    TEAM_MARKETING: "marketing",
    TEAM_INSIDE_SALES: "inside_sales",
    TEAM_FIELD_EAST: "field_sales",
    TEAM_FIELD_WEST: "field_sales",
}

DEMO_USERS = [
    DemoUser("admin", Role.ADMIN, None, "伊藤", "誠"),
    DemoUser("manager", Role.MANAGER, None, "山本", "健一"),
    DemoUser("mk_sato", Role.MARKETING, TEAM_MARKETING, "佐藤", "美咲"),
    DemoUser("mk_kobayashi", Role.MARKETING, TEAM_MARKETING, "小林", "陽子"),
    DemoUser("mk_mori", Role.MARKETING, TEAM_MARKETING, "森", "大輝"),
    DemoUser("is_tanaka", Role.INSIDE_SALES, TEAM_INSIDE_SALES, "田中", "翔太"),
    DemoUser("is_watanabe", Role.INSIDE_SALES, TEAM_INSIDE_SALES, "渡辺", "結衣"),
    DemoUser("is_nakamura", Role.INSIDE_SALES, TEAM_INSIDE_SALES, "中村", "大輔"),
    DemoUser("is_kato", Role.INSIDE_SALES, TEAM_INSIDE_SALES, "加藤", "さくら"),
    DemoUser("fs_suzuki", Role.FIELD_SALES, TEAM_FIELD_EAST, "鈴木", "一郎"),
    DemoUser("fs_takahashi", Role.FIELD_SALES, TEAM_FIELD_EAST, "高橋", "直樹"),
    DemoUser("fs_yoshida", Role.FIELD_SALES, TEAM_FIELD_EAST, "吉田", "真理子"),
    DemoUser("fs_matsumoto", Role.FIELD_SALES, TEAM_FIELD_WEST, "松本", "拓也"),
    DemoUser("fs_inoue", Role.FIELD_SALES, TEAM_FIELD_WEST, "井上", "恵"),
    DemoUser("fs_kimura", Role.FIELD_SALES, TEAM_FIELD_WEST, "木村", "亮"),
]

# --- people ---------------------------------------------------------------------------
# Faker's ja_JP provider has the 50 most common surnames; these add variety, including
# 異体字 spellings (髙橋, 山﨑, 渡邊, 齋藤) that duplicate detection must cope with.
EXTRA_SURNAMES: list[tuple[Word, int]] = [
    (Word("髙橋", "タカハシ", "takahashi"), 6),
    (Word("山﨑", "ヤマザキ", "yamazaki"), 4),
    (Word("渡邊", "ワタナベ", "watanabe"), 4),
    (Word("齋藤", "サイトウ", "saito"), 4),
    (Word("今井", "イマイ", "imai"), 10),
    (Word("上田", "ウエダ", "ueda"), 10),
    (Word("内田", "ウチダ", "uchida"), 9),
    (Word("大野", "オオノ", "ono"), 9),
    (Word("小野", "オノ", "ono"), 10),
    (Word("金子", "カネコ", "kaneko"), 10),
    (Word("菊地", "キクチ", "kikuchi"), 8),
    (Word("工藤", "クドウ", "kudo"), 8),
    (Word("小山", "コヤマ", "koyama"), 8),
    (Word("酒井", "サカイ", "sakai"), 9),
    (Word("桜井", "サクライ", "sakurai"), 7),
    (Word("柴田", "シバタ", "shibata"), 9),
    (Word("杉山", "スギヤマ", "sugiyama"), 8),
    (Word("高木", "タカギ", "takagi"), 8),
    (Word("竹内", "タケウチ", "takeuchi"), 9),
    (Word("武田", "タケダ", "takeda"), 8),
    (Word("千葉", "チバ", "chiba"), 6),
    (Word("中野", "ナカノ", "nakano"), 9),
    (Word("中山", "ナカヤマ", "nakayama"), 9),
    (Word("野口", "ノグチ", "noguchi"), 8),
    (Word("野村", "ノムラ", "nomura"), 8),
    (Word("原田", "ハラダ", "harada"), 9),
    (Word("平野", "ヒラノ", "hirano"), 8),
    (Word("福島", "フクシマ", "fukushima"), 7),
    (Word("藤本", "フジモト", "fujimoto"), 8),
    (Word("松尾", "マツオ", "matsuo"), 7),
    (Word("丸山", "マルヤマ", "maruyama"), 8),
    (Word("宮崎", "ミヤザキ", "miyazaki"), 8),
    (Word("宮本", "ミヤモト", "miyamoto"), 8),
    (Word("村田", "ムラタ", "murata"), 8),
    (Word("森田", "モリタ", "morita"), 8),
    (Word("安田", "ヤスダ", "yasuda"), 7),
    (Word("横山", "ヨコヤマ", "yokoyama"), 8),
    (Word("和田", "ワダ", "wada"), 8),
    (Word("大塚", "オオツカ", "otsuka"), 7),
    (Word("河野", "コウノ", "kono"), 7),
    (Word("東", "ヒガシ", "higashi"), 4),
    (Word("長尾", "ナガオ", "nagao"), 4),
    (Word("佐野", "サノ", "sano"), 7),
    (Word("新井", "アライ", "arai"), 7),
    (Word("関", "セキ", "seki"), 5),
    (Word("荒木", "アラキ", "araki"), 6),
    (Word("久保", "クボ", "kubo"), 6),
    (Word("服部", "ハットリ", "hattori"), 6),
    (Word("西田", "ニシダ", "nishida"), 6),
    (Word("吉川", "ヨシカワ", "yoshikawa"), 6),
]

EXTRA_GIVEN_NAMES: list[Word] = [
    Word("大輔", "ダイスケ", "daisuke"),
    Word("健太", "ケンタ", "kenta"),
    Word("誠", "マコト", "makoto"),
    Word("隆", "タカシ", "takashi"),
    Word("哲也", "テツヤ", "tetsuya"),
    Word("剛", "ツヨシ", "tsuyoshi"),
    Word("拓也", "タクヤ", "takuya"),
    Word("大樹", "ダイキ", "daiki"),
    Word("雄一", "ユウイチ", "yuichi"),
    Word("達也", "タツヤ", "tatsuya"),
    Word("和彦", "カズヒコ", "kazuhiko"),
    Word("正人", "マサト", "masato"),
    Word("悠斗", "ユウト", "yuto"),
    Word("蓮", "レン", "ren"),
    Word("颯太", "ソウタ", "sota"),
    Word("一郎", "イチロウ", "ichiro"),
    Word("恵", "メグミ", "megumi"),
    Word("美咲", "ミサキ", "misaki"),
    Word("由美", "ユミ", "yumi"),
    Word("智子", "トモコ", "tomoko"),
    Word("恵子", "ケイコ", "keiko"),
    Word("真由美", "マユミ", "mayumi"),
    Word("麻衣", "マイ", "mai"),
    Word("彩", "アヤ", "aya"),
    Word("愛", "アイ", "ai"),
    Word("沙織", "サオリ", "saori"),
    Word("優子", "ユウコ", "yuko"),
    Word("千尋", "チヒロ", "chihiro"),
    Word("茜", "アカネ", "akane"),
    Word("理恵", "リエ", "rie"),
    Word("奈々", "ナナ", "nana"),
    Word("さくら", "サクラ", "sakura"),
]

FREE_MAIL_DOMAINS: list[tuple[str, int]] = [
    ("gmail.com", 40),
    ("yahoo.co.jp", 25),
    ("outlook.jp", 8),
    ("icloud.com", 8),
    ("hotmail.co.jp", 4),
    ("docomo.ne.jp", 5),
    ("ezweb.ne.jp", 3),
    ("softbank.ne.jp", 3),
    ("nifty.com", 2),
    ("biglobe.ne.jp", 2),
]

DEPARTMENTS: list[tuple[str, int]] = [
    ("営業部", 22),
    ("営業企画部", 9),
    ("第一営業部", 4),
    ("法人営業部", 5),
    ("マーケティング部", 14),
    ("デジタルマーケティング課", 5),
    ("情報システム部", 10),
    ("経営企画部", 7),
    ("DX推進室", 6),
    ("事業開発部", 5),
    ("カスタマーサクセス部", 4),
    ("販売促進部", 3),
    ("総務部", 4),
    ("管理本部", 2),
]
# Small companies: people often carry no department, and the president answers.
SMALL_COMPANY_DEPARTMENTS: list[tuple[str, int]] = [
    ("", 30),
    ("営業部", 25),
    ("総務部", 10),
    ("管理部", 8),
    ("業務部", 8),
]
TITLES: list[tuple[str, int]] = [
    ("", 22),
    ("担当", 8),
    ("主任", 12),
    ("係長", 9),
    ("課長", 17),
    ("課長代理", 5),
    ("マネージャー", 8),
    ("部長", 11),
    ("次長", 3),
    ("室長", 2),
    ("執行役員", 2),
    ("取締役", 1),
]
SMALL_COMPANY_TITLES: list[tuple[str, int]] = [
    ("", 25),
    ("代表取締役", 15),
    ("代表取締役社長", 6),
    ("取締役", 10),
    ("部長", 12),
    ("課長", 10),
    ("主任", 10),
]

# --- companies ------------------------------------------------------------------------
JP_STEMS: list[Word] = [
    Word("東洋", "トウヨウ", "toyo"),
    Word("日本", "ニホン", "nihon"),
    Word("大和", "ヤマト", "yamato"),
    Word("富士", "フジ", "fuji"),
    Word("三協", "サンキョウ", "sankyo"),
    Word("中央", "チュウオウ", "chuo"),
    Word("北斗", "ホクト", "hokuto"),
    Word("青葉", "アオバ", "aoba"),
    Word("桜", "サクラ", "sakura"),
    Word("光", "ヒカリ", "hikari"),
    Word("昭和", "ショウワ", "showa"),
    Word("平和", "ヘイワ", "heiwa"),
    Word("太陽", "タイヨウ", "taiyo"),
    Word("明治", "メイジ", "meiji"),
    Word("朝日", "アサヒ", "asahi"),
    Word("共栄", "キョウエイ", "kyoei"),
    Word("協和", "キョウワ", "kyowa"),
    Word("菱和", "リョウワ", "ryowa"),
    Word("東邦", "トウホウ", "toho"),
    Word("北陸", "ホクリク", "hokuriku"),
    Word("瀬戸内", "セトウチ", "setouchi"),
    Word("湘南", "ショウナン", "shonan"),
    Word("武蔵野", "ムサシノ", "musashino"),
    Word("浪速", "ナニワ", "naniwa"),
    Word("博多", "ハカタ", "hakata"),
    Word("千代田", "チヨダ", "chiyoda"),
    Word("新星", "シンセイ", "shinsei"),
    Word("信和", "シンワ", "shinwa"),
    Word("大成", "タイセイ", "taisei"),
    Word("東和", "トウワ", "towa"),
    Word("日進", "ニッシン", "nisshin"),
    Word("三和", "サンワ", "sanwa"),
    Word("白鷺", "シラサギ", "shirasagi"),
    Word("若葉", "ワカバ", "wakaba"),
    Word("飛鳥", "アスカ", "asuka"),
    Word("葵", "アオイ", "aoi"),
    Word("雅", "ミヤビ", "miyabi"),
    Word("旭", "アサヒ", "asahi"),
    Word("丸紅", "マルベニ", "marubeni"),
    Word("山陽", "サンヨウ", "sanyo"),
    Word("常磐", "トキワ", "tokiwa"),
    Word("扶桑", "フソウ", "fuso"),
    Word("栄光", "エイコウ", "eiko"),
    Word("新日本", "シンニホン", "shinnihon"),
    Word("第一", "ダイイチ", "daiichi"),
    Word("高砂", "タカサゴ", "takasago"),
    Word("みらい", "ミライ", "mirai"),
    Word("つばさ", "ツバサ", "tsubasa"),
    Word("ひまわり", "ヒマワリ", "himawari"),
]
KATAKANA_STEMS: list[Word] = [
    Word("サクラ", "サクラ", "sakura"),
    Word("ミライ", "ミライ", "mirai"),
    Word("アクシス", "アクシス", "axis"),
    Word("ネクスト", "ネクスト", "next"),
    Word("ブライト", "ブライト", "bright"),
    Word("ユニオン", "ユニオン", "union"),
    Word("グローバル", "グローバル", "global"),
    Word("テクノ", "テクノ", "techno"),
    Word("シナジー", "シナジー", "synergy"),
    Word("リンク", "リンク", "link"),
    Word("クレスト", "クレスト", "crest"),
    Word("フォーサイト", "フォーサイト", "foresight"),
    Word("アルファ", "アルファ", "alpha"),
    Word("スカイ", "スカイ", "sky"),
    Word("ブルー", "ブルー", "blue"),
    Word("グリーン", "グリーン", "green"),
    Word("ハーモニー", "ハーモニー", "harmony"),
    Word("プライム", "プライム", "prime"),
    Word("エール", "エール", "yell"),
    Word("ソレイユ", "ソレイユ", "soleil"),
    Word("ノヴァ", "ノヴァ", "nova"),
    Word("ベイサイド", "ベイサイド", "bayside"),
    Word("オーシャン", "オーシャン", "ocean"),
    Word("ステラ", "ステラ", "stella"),
    Word("ライズ", "ライズ", "rise"),
    Word("コスモ", "コスモ", "cosmo"),
    Word("ルミナ", "ルミナ", "lumina"),
    Word("アーク", "アーク", "arc"),
    Word("ゼニス", "ゼニス", "zenith"),
    Word("フロンティア", "フロンティア", "frontier"),
    Word("エヌ・ティー・エス", "エヌティーエス", "nts"),
    Word("ケイ・エム・ディ", "ケイエムディ", "kmd"),
]
REGION_PREFIXES: list[tuple[Word, str]] = [
    (Word("東京", "トウキョウ", "tokyo"), Prefecture.TOKYO),
    (Word("大阪", "オオサカ", "osaka"), Prefecture.OSAKA),
    (Word("名古屋", "ナゴヤ", "nagoya"), Prefecture.AICHI),
    (Word("九州", "キュウシュウ", "kyushu"), Prefecture.FUKUOKA),
    (Word("福岡", "フクオカ", "fukuoka"), Prefecture.FUKUOKA),
    (Word("北海道", "ホッカイドウ", "hokkaido"), Prefecture.HOKKAIDO),
    (Word("札幌", "サッポロ", "sapporo"), Prefecture.HOKKAIDO),
    (Word("関西", "カンサイ", "kansai"), Prefecture.OSAKA),
    (Word("中部", "チュウブ", "chubu"), Prefecture.AICHI),
    (Word("東北", "トウホク", "tohoku"), Prefecture.MIYAGI),
    (Word("仙台", "センダイ", "sendai"), Prefecture.MIYAGI),
    (Word("横浜", "ヨコハマ", "yokohama"), Prefecture.KANAGAWA),
    (Word("京都", "キョウト", "kyoto"), Prefecture.KYOTO),
    (Word("神戸", "コウベ", "kobe"), Prefecture.HYOGO),
    (Word("広島", "ヒロシマ", "hiroshima"), Prefecture.HIROSHIMA),
    (Word("静岡", "シズオカ", "shizuoka"), Prefecture.SHIZUOKA),
]


class Suffix(NamedTuple):
    word: Word
    english: str
    industry: str
    # The reading of the English form when it differs from the Japanese one.
    english_kana: str = ""


SUFFIXES: list[Suffix] = [
    Suffix(Word("工業", "コウギョウ", "kogyo"), "Kogyo", Industry.MANUFACTURING),
    Suffix(
        Word("製作所", "セイサクショ", "seisakusho"),
        "Manufacturing",
        Industry.MANUFACTURING,
        "マニュファクチャリング",
    ),
    Suffix(Word("精機", "セイキ", "seiki"), "Precision", Industry.MANUFACTURING, "プレシジョン"),
    Suffix(Word("電機", "デンキ", "denki"), "Electric", Industry.MANUFACTURING, "エレクトリック"),
    Suffix(Word("化学", "カガク", "kagaku"), "Chemical", Industry.MANUFACTURING, "ケミカル"),
    Suffix(Word("金属", "キンゾク", "kinzoku"), "Metal", Industry.MANUFACTURING, "メタル"),
    Suffix(
        Word("産業", "サンギョウ", "sangyo"),
        "Industries",
        Industry.MANUFACTURING,
        "インダストリーズ",
    ),
    Suffix(Word("食品", "ショクヒン", "shokuhin"), "Foods", Industry.MANUFACTURING, "フーズ"),
    Suffix(
        Word("エンジニアリング", "エンジニアリング", "eng"), "Engineering", Industry.MANUFACTURING
    ),
    Suffix(Word("システムズ", "システムズ", "systems"), "Systems", Industry.IT),
    Suffix(Word("ソフト", "ソフト", "soft"), "Software", Industry.IT, "ソフトウェア"),
    Suffix(
        Word("テクノロジー", "テクノロジー", "tech"), "Technologies", Industry.IT, "テクノロジーズ"
    ),
    Suffix(Word("ソリューションズ", "ソリューションズ", "solutions"), "Solutions", Industry.IT),
    Suffix(Word("ネットワークス", "ネットワークス", "networks"), "Networks", Industry.IT),
    Suffix(Word("データ", "データ", "data"), "Data", Industry.IT),
    Suffix(
        Word("情報システム", "ジョウホウシステム", "joho"),
        "Information Systems",
        Industry.IT,
        "インフォメーションシステムズ",
    ),
    Suffix(Word("デジタル", "デジタル", "digital"), "Digital", Industry.IT),
    Suffix(
        Word("証券", "ショウケン", "securities"), "Securities", Industry.FINANCE, "セキュリティーズ"
    ),
    Suffix(
        Word("保険サービス", "ホケンサービス", "hoken"),
        "Insurance Services",
        Industry.FINANCE,
        "インシュアランスサービシズ",
    ),
    Suffix(Word("ファイナンス", "ファイナンス", "finance"), "Finance", Industry.FINANCE),
    Suffix(Word("キャピタル", "キャピタル", "capital"), "Capital", Industry.FINANCE),
    Suffix(Word("商事", "ショウジ", "shoji"), "Shoji", Industry.RETAIL),
    Suffix(Word("物産", "ブッサン", "bussan"), "Bussan", Industry.RETAIL),
    Suffix(Word("商会", "ショウカイ", "shokai"), "Shokai", Industry.RETAIL),
    Suffix(Word("販売", "ハンバイ", "hanbai"), "Sales", Industry.RETAIL, "セールス"),
    Suffix(Word("トレーディング", "トレーディング", "trading"), "Trading", Industry.RETAIL),
    Suffix(Word("リテール", "リテール", "retail"), "Retail", Industry.RETAIL),
    Suffix(
        Word("建設", "ケンセツ", "kensetsu"),
        "Construction",
        Industry.CONSTRUCTION,
        "コンストラクション",
    ),
    Suffix(
        Word("工務店", "コウムテン", "komuten"), "Builders", Industry.CONSTRUCTION, "ビルダーズ"
    ),
    Suffix(
        Word("不動産", "フドウサン", "fudosan"),
        "Real Estate",
        Industry.CONSTRUCTION,
        "リアルエステート",
    ),
    Suffix(Word("ハウジング", "ハウジング", "housing"), "Housing", Industry.CONSTRUCTION),
    Suffix(Word("地所", "ジショ", "jisho"), "Estate", Industry.CONSTRUCTION, "エステート"),
    Suffix(Word("運輸", "ウンユ", "unyu"), "Transport", Industry.LOGISTICS, "トランスポート"),
    Suffix(Word("物流", "ブツリュウ", "butsuryu"), "Logistics", Industry.LOGISTICS),
    Suffix(Word("ロジスティクス", "ロジスティクス", "logi"), "Logistics", Industry.LOGISTICS),
    Suffix(Word("倉庫", "ソウコ", "soko"), "Warehouse", Industry.LOGISTICS, "ウェアハウス"),
    Suffix(Word("エクスプレス", "エクスプレス", "express"), "Express", Industry.LOGISTICS),
    Suffix(Word("メディカル", "メディカル", "medical"), "Medical", Industry.HEALTHCARE),
    Suffix(
        Word("製薬", "セイヤク", "seiyaku"),
        "Pharmaceutical",
        Industry.HEALTHCARE,
        "ファーマシューティカル",
    ),
    Suffix(Word("ヘルスケア", "ヘルスケア", "healthcare"), "Healthcare", Industry.HEALTHCARE),
    Suffix(
        Word("コンサルティング", "コンサルティング", "consulting"), "Consulting", Industry.SERVICES
    ),
    Suffix(Word("企画", "キカク", "kikaku"), "Planning", Industry.SERVICES, "プランニング"),
    Suffix(Word("広告", "コウコク", "ad"), "Advertising", Industry.SERVICES, "アドバタイジング"),
    Suffix(Word("パートナーズ", "パートナーズ", "partners"), "Partners", Industry.SERVICES),
    Suffix(
        Word("総研", "ソウケン", "soken"),
        "Research Institute",
        Industry.SERVICES,
        "リサーチインスティテュート",
    ),
    Suffix(
        Word("人材サービス", "ジンザイサービス", "jinzai"),
        "Staffing",
        Industry.SERVICES,
        "スタッフィング",
    ),
    Suffix(Word("ホールディングス", "ホールディングス", "hd"), "Holdings", Industry.OTHER),
    Suffix(Word("興産", "コウサン", "kosan"), "Kosan", Industry.OTHER),
]

# Associations (一般社団法人 …協会), medical corporations, schools, tax accountants.
ASSOCIATION_TOPICS: list[Word] = [
    Word("営業DX推進", "エイギョウディーエックススイシン", "sales-dx"),
    Word("情報サービス", "ジョウホウサービス", "joho-service"),
    Word("物流改善", "ブツリュウカイゼン", "logistics-kaizen"),
    Word("ものづくり支援", "モノヅクリシエン", "monodukuri"),
    Word("中小企業デジタル化", "チュウショウキギョウデジタルカ", "sme-digital"),
    Word("カスタマーサクセス", "カスタマーサクセス", "customer-success"),
    Word("BtoBマーケティング", "ビートゥービーマーケティング", "b2b-marketing"),
]

# Share of legal-form notations among generated companies.
FORM_WEIGHTS: list[tuple[str, int]] = [
    ("kabu_front", 42),  # 株式会社サクラ商事
    ("kabu_back", 22),  # サクラ商事株式会社
    ("kabu_abbrev", 5),  # (株)サクラ商事 / サクラ商事（株）
    ("kabu_symbol", 3),  # ㈱サクラ商事
    ("yugen", 7),  # 有限会社 / …有限会社
    ("godo", 6),  # 合同会社
    ("shadan", 3),  # 一般社団法人 …協会
    ("english", 7),  # Sakura Systems Co., Ltd.
    ("iryo", 2),  # 医療法人社団 …会
    ("gakko", 1),  # 学校法人 …学園
    ("zeirishi", 2),  # 税理士法人 …会計
]
# 会社法人等番号 kind digits (the 5th–6th digits of a 法人番号's base number).
FORM_REGISTRY_KIND = {
    "kabu_front": "01",
    "kabu_back": "01",
    "kabu_abbrev": "01",
    "kabu_symbol": "01",
    "english": "01",
    "yugen": "02",
    "godo": "03",
    "shadan": "05",
    "iryo": "05",
    "gakko": "05",
    "zeirishi": "05",
}

EMPLOYEE_BAND_WEIGHTS: dict[str, list[tuple[str, int]]] = {
    "default": [
        (EmployeeBand.B1_49, 22),
        (EmployeeBand.B50_299, 36),
        (EmployeeBand.B300_999, 22),
        (EmployeeBand.B1000_4999, 14),
        (EmployeeBand.B5000, 6),
    ],
    "small": [(EmployeeBand.B1_49, 80), (EmployeeBand.B50_299, 20)],
    "holdings": [(EmployeeBand.B1000_4999, 60), (EmployeeBand.B5000, 40)],
}
# How many more contacts a bigger company brings (weight per account).
CONTACTS_PER_BAND = {
    EmployeeBand.B1_49: 1.0,
    EmployeeBand.B50_299: 2.0,
    EmployeeBand.B300_999: 3.5,
    EmployeeBand.B1000_4999: 6.0,
    EmployeeBand.B5000: 9.0,
}

# Accounts lean on the big business areas.
PREFECTURE_WEIGHTS: dict[str, float] = {
    Prefecture.TOKYO: 38,
    Prefecture.OSAKA: 12,
    Prefecture.AICHI: 8,
    Prefecture.FUKUOKA: 5,
    Prefecture.KANAGAWA: 6,
    Prefecture.SAITAMA: 2.5,
    Prefecture.CHIBA: 2,
    Prefecture.HYOGO: 3,
    Prefecture.KYOTO: 2,
    Prefecture.HOKKAIDO: 2.5,
    Prefecture.MIYAGI: 2,
    Prefecture.HIROSHIMA: 2,
    Prefecture.SHIZUOKA: 1.5,
}
OTHER_PREFECTURE_WEIGHT = 0.4

# Area code of each prefecture's main city (national format without the leading 0).
AREA_CODES: dict[str, str] = {
    "01": "11", "02": "17", "03": "19", "04": "22", "05": "18", "06": "23", "07": "24",
    "08": "29", "09": "28", "10": "27", "11": "48", "12": "43", "13": "3", "14": "45",
    "15": "25", "16": "76", "17": "76", "18": "776", "19": "55", "20": "26", "21": "58",
    "22": "54", "23": "52", "24": "59", "25": "77", "26": "75", "27": "6", "28": "78",
    "29": "742", "30": "73", "31": "857", "32": "852", "33": "86", "34": "82", "35": "83",
    "36": "88", "37": "87", "38": "89", "39": "88", "40": "92", "41": "952", "42": "95",
    "43": "96", "44": "97", "45": "985", "46": "99", "47": "98",
}  # fmt: skip
MOBILE_PREFIXES = ["90", "80", "70"]

# Prefectures the west field-sales team covers (東海 and everything west of it).
WEST_PREFECTURES = frozenset({"21", "23", "24"} | {f"{n:02d}" for n in range(25, 48)})

# --- campaigns ------------------------------------------------------------------------
# Exhibitions by month: (month, season label, show name, relative size).
EXHIBITIONS: list[tuple[int, str, str, int]] = [
    (1, "冬", "関西 DX EXPO（インテックス大阪）", 3),
    (4, "春", "DX EXPO（東京ビッグサイト）", 6),
    (7, "夏", "営業・マーケティング DX EXPO", 4),
    (10, "秋", "Japan IT Week 秋（幕張メッセ）", 6),
]
WEBINAR_TITLES = [
    "営業DX入門",
    "MQL設計と商談化率の上げ方",
    "インサイドセールス立ち上げ実践",
    "展示会リードを商談につなげるナーチャリング",
    "THE MODEL型組織の作り方",
    "マーケと営業の溝をなくすリード定義",
    "SLAで変わるトスアップの質",
    "失注分析から始める営業改善",
]
CONTENT_OFFERS: list[tuple[str, int]] = [
    ("ホワイトペーパー: 商談化率を高めるリード管理の教科書", 24),
    ("資料DL: 製品紹介資料", 30),
    ("資料DL: 料金表", 14),
    ("eBook: インサイドセールス KPI 設計ガイド", 12),
    ("調査レポート: B2B 営業実態調査", 10),
    ("チェックリスト: 展示会フォロー 10 の手順", 10),
]
WEBSITE_FORMS: list[tuple[str, str, int]] = [
    # (campaign, page path, weight); newsletter sign-ups enter as subscribers.
    ("Webサイト: お問い合わせ", "/contact/", 30),
    ("Webサイト: デモ依頼", "/demo/", 22),
    ("Webサイト: 無料トライアル申込", "/trial/", 18),
    ("メルマガ登録", "/newsletter/", 30),
]
AD_CAMPAIGNS: list[tuple[str, str, int]] = [
    ("リスティング広告: 営業支援ツール", "/lp/sales-dx/?utm_source=google&utm_medium=cpc", 40),
    ("SNS広告: ホワイトペーパー訴求", "/lp/whitepaper/?utm_source=facebook&utm_medium=paid", 25),
    ("比較サイト掲載", "/lp/compare/?utm_source=review&utm_medium=referral", 20),
    ("ディスプレイ広告: リターゲティング", "/lp/retarget/?utm_source=display&utm_medium=cpm", 15),
]
REFERRAL_CAMPAIGNS: list[tuple[str, int]] = [
    ("既存顧客からの紹介", 50),
    ("パートナー紹介: SIer", 30),
    ("パートナー紹介: 会計事務所", 20),
]
BUSINESS_CARD_CAMPAIGNS: list[tuple[str, int]] = [
    ("名刺交換: 訪問先", 45),
    ("名刺交換: 勉強会・交流会", 35),
    ("名刺管理アプリ取込", 20),
]
OUTBOUND_TARGETS = ["製造業リスト", "IT企業リスト", "ターゲットアカウント（ABM）", "物流業リスト"]

# Relative inbound volume by month (fiscal-year end busy, お盆 and 年末年始 quiet).
MONTH_SEASONALITY = {
    1: 0.9, 2: 1.1, 3: 1.05, 4: 1.0, 5: 0.85, 6: 1.05,
    7: 1.0, 8: 0.7, 9: 1.05, 10: 1.15, 11: 1.1, 12: 0.8,
}  # fmt: skip

# --- reasons --------------------------------------------------------------------------
SCORE_RULE = "スコア閾値到達"
MQL_MANUAL_REASONS = [
    "ウェビナーアンケート: 導入検討中",
    "料金ページを繰り返し閲覧",
    "展示会ブースで具体的な相談あり",
    "",
]
MQL_RECYCLE_REASONS = [
    "連絡がつかない（架電6回・不通）",
    "情報収集段階で具体的な検討なし",
    "ニーズ未確認のためナーチャリングへ",
]
SAL_RECYCLE_REASONS = ["予算確保が来期", "導入時期未定", "担当者異動", "社内検討が止まった"]
SQL_RECYCLE_REASONS = [
    "予算確保が来期",
    "担当者異動",
    "決裁者の同意が得られず",
    "差し戻し: 課題が不明確",
    "差し戻し: 決裁者が不在のアポ",
]
LOST_REASONS = [
    "失注: 価格",
    "失注: 競合製品に決定",
    "失注: 導入時期の延期",
    "失注: 社内稟議が通らず",
    "失注: 機能要件を満たさない",
]
DISQUALIFY_REASONS: list[tuple[str, int]] = [
    ("競合製品を導入済み", 35),
    ("同業他社からの情報収集", 15),
    ("学生・個人の資料請求", 15),
    ("重複登録", 10),
    ("対象外の業種・規模", 25),
]
OUTBOUND_NURTURE_REASONS = ["現時点でニーズなし", "他社ツールと契約期間中"]
