"""The message catalogs: Japanese is complete, compiled and consistent with the source
strings, and pages render in the signed-in user's language.

When a test here fails after a code or template change, refresh the catalogs:
    ./renkei makemessages -l ja -l en --ignore=.venv --ignore=node_modules --ignore=data \
        --ignore=benchmarks --ignore=tests --no-obsolete
then translate the new entries in src/renkei/locale/ja/LC_MESSAGES/django.po and run
    ./renkei compilemessages --ignore=.venv --ignore=node_modules
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

import renkei
from renkei.contacts.choices import LeadStatus, LifecycleStage
from renkei.core.choices import Role
from tests.factories import make_account, make_contact, make_user

PACKAGE = Path(renkei.__file__).resolve().parent
LOCALE = PACKAGE / "locale"
JA_PO = LOCALE / "ja" / "LC_MESSAGES" / "django.po"
JA_MO = LOCALE / "ja" / "LC_MESSAGES" / "django.mo"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
EN_MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"


# --- a small .po reader (the standard library has none) ----------------------------------
@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text[1:-1])


def read_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header (as a dict) and the entries of a .po file, obsolete ones left out."""
    entries: list[Entry] = []
    for start, block in _blocks(path.read_text(encoding="utf-8")):
        entry, current = Entry(msgid="", line=start), ""
        fields: dict[str, str] = {}
        for line in block:
            if line.startswith("#~"):
                break
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(","))
                continue
            if line.startswith("#"):
                continue
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
            if match:
                current = match.group(1)
                fields[current] = _unquote(match.group(2))
            else:
                fields[current] += _unquote(line)
        if "msgid" not in fields:
            continue
        entry.msgid = fields["msgid"]
        entry.msgid_plural = fields.get("msgid_plural")
        entry.msgctxt = fields.get("msgctxt")
        if entry.msgid_plural is None:
            entry.msgstr = [fields.get("msgstr", "")]
        else:
            entry.msgstr = [fields[k] for k in sorted(k for k in fields if k.startswith("msgstr["))]
        entries.append(entry)
    header_entry = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    entries.remove(header_entry)
    header = dict(
        line.split(": ", 1) for line in header_entry.msgstr[0].splitlines() if ": " in line
    )
    header["_flags"] = ",".join(sorted(header_entry.flags))
    return header, entries


def _blocks(text: str):
    block: list[str] = []
    start = 1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


@pytest.fixture(scope="module")
def ja() -> tuple[dict[str, str], list[Entry]]:
    return read_po(JA_PO)


@pytest.fixture(scope="module")
def ja_entries(ja) -> list[Entry]:
    return ja[1]


def where(entry: Entry) -> str:
    return f"{JA_PO.name}:{entry.line} {entry.msgid!r}"


# --- (a) complete, reviewed, compiled ---------------------------------------------------
def test_the_japanese_header_is_set(ja):
    header, _entries = ja
    assert header["Language"] == "ja"
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert "fuzzy" not in header["_flags"]


def test_the_english_header_has_english_plural_rules():
    header, _entries = read_po(EN_PO)
    assert header["Language"] == "en"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "fuzzy" not in header["_flags"]


def test_the_japanese_catalog_is_not_empty(ja_entries):
    assert len(ja_entries) > 400


def test_every_japanese_message_is_translated(ja_entries):
    untranslated = [where(e) for e in ja_entries if not all(s.strip() for s in e.msgstr)]
    assert not untranslated, "untranslated: " + "\n".join(untranslated)


def test_no_japanese_message_is_fuzzy(ja_entries):
    fuzzy = [where(e) for e in ja_entries if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy (review, then remove the flag): " + "\n".join(fuzzy)


def test_japanese_plurals_have_exactly_one_form(ja_entries):
    plurals = [e for e in ja_entries if e.msgid_plural is not None]
    assert plurals
    assert [where(e) for e in plurals if len(e.msgstr) != 1] == []


def test_the_compiled_japanese_catalog_matches_the_po_file(ja_entries):
    with JA_MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    catalog = compiled._catalog  # msgid -> msgstr; (msgid, n) -> msgstr for plurals
    keys = {k if isinstance(k, str) else k[0] for k in catalog if k != ""}
    assert keys == {e.key for e in ja_entries}, "run ./renkei compilemessages"
    for entry in ja_entries:
        if entry.msgid_plural is None:
            assert catalog[entry.key] == entry.msgstr[0], where(entry)
        else:
            assert catalog[(entry.key, 0)] == entry.msgstr[0], where(entry)
    assert compiled.plural(1) == compiled.plural(5) == 0


def test_the_english_catalog_is_compiled():
    with EN_MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    assert compiled.plural(1) == 0 and compiled.plural(2) == 1


# --- (b) placeholders and markup survive translation -------------------------------------
_PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[A-Za-z_][A-Za-z0-9_]*\}"
)
_MARKUP = re.compile(r"</?[A-Za-z][^>]*>|&[A-Za-z]+;|&#\d+;")


def placeholders(text: str) -> Counter[str]:
    return Counter(_PLACEHOLDER.findall(text))


def markup(text: str) -> Counter[str]:
    return Counter(_MARKUP.findall(text))


def test_placeholders_in_each_translation_match_the_source(ja_entries):
    wrong = []
    for entry in ja_entries:
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        # Japanese has one plural form: it must carry the plural source's placeholders.
        expected = placeholders(sources[-1]) | placeholders(sources[0])
        for text in entry.msgstr:
            if placeholders(text) != expected:
                wrong.append(f"{where(entry)}: {dict(placeholders(text))} != {dict(expected)}")
    assert not wrong, "\n".join(wrong)


def test_markup_in_each_translation_matches_the_source(ja_entries):
    wrong = [
        where(e)
        for e in ja_entries
        for text in e.msgstr
        if markup(text) != markup(e.msgid_plural or e.msgid)
    ]
    assert not wrong, "\n".join(wrong)


def test_placeholders_are_python_format_entries_only(ja_entries):
    """A `%(x)s` in a message not flagged python-format would not be interpolated."""
    unflagged = [
        where(e)
        for e in ja_entries
        if re.search(r"%\(\w+\)[sd]", e.msgid) and "python-format" not in e.flags
    ]
    assert not unflagged


# --- glossary choices (DESIGN.md) --------------------------------------------------------
GLOSSARY = {
    LifecycleStage.SUBSCRIBER: "購読者",
    LifecycleStage.LEAD: "リード",
    LifecycleStage.MQL: "MQL",
    LifecycleStage.SAL: "SAL",
    LifecycleStage.SQL: "SQL",
    LifecycleStage.OPPORTUNITY: "商談",
    LifecycleStage.CUSTOMER: "顧客",
    LeadStatus.NEW: "未対応",
    LeadStatus.WORKING: "対応中",
    LeadStatus.NURTURE: "ナーチャリング戻し",
    LeadStatus.DISQUALIFIED: "対象外",
}


@pytest.mark.parametrize("choice,label", GLOSSARY.items(), ids=lambda v: str(v))
def test_stage_and_status_labels_follow_the_glossary(choice, label):
    with translation.override("ja"):
        assert str(choice.label) == label
    with translation.override("en"):
        assert str(choice.label) != label or label in {"MQL", "SAL", "SQL"}


def test_key_terms_are_consistent():
    with translation.override("ja"):
        assert translation.gettext("Contacts") == "コンタクト"
        assert translation.gettext("Accounts") == "会社"
        assert translation.gettext("Owner") == "担当者"
        assert translation.gettext("Source") == "リードソース"
        assert translation.gettext("Tokyo") == "東京都"
        assert translation.gettext("Monday") == "月曜日"
        text = translation.ngettext("%(total)s contact", "%(total)s contacts", 5)
        assert text % {"total": 5} == "5件のコンタクト"


# --- (c) real pages in the user's language ------------------------------------------------
@pytest.mark.django_db
def test_the_contacts_page_is_in_japanese_for_a_japanese_user(client):
    user = make_user(Role.MARKETING, username="ja_user", language="ja")
    make_contact(family_name="鈴木", account=make_account(name="株式会社サンプル"))
    client.force_login(user)
    page = client.get(reverse("web:contacts"))
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Language"] == "ja"
    assert '<h1 class="page-title">コンタクト</h1>' in html
    assert "リード" in html  # the contact's stage badge
    assert "未対応" in html  # its lead status
    assert "新規コンタクト" in html
    assert "担当者" in html
    assert ">Contacts<" not in html and "New contact" not in html


@pytest.mark.django_db
def test_the_contacts_page_is_in_english_for_an_english_user(client):
    user = make_user(Role.MARKETING, username="en_user", language="en")
    make_contact(family_name="鈴木")
    client.force_login(user)
    page = client.get(reverse("web:contacts"))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<h1 class="page-title">Contacts</h1>' in html
    assert "Lead" in html and "New contact" in html
    assert "コンタクト" not in html


@pytest.mark.django_db
def test_the_home_page_in_japanese_uses_japanese_stage_names(client):
    user = make_user(Role.INSIDE_SALES, username="ja_is", language="ja")
    make_contact()
    client.force_login(user)
    html = client.get(reverse("web:home")).content.decode()
    for label in ("購読者", "リード", "MQL", "商談", "顧客", "ライフサイクルステージ別"):
        assert label in html


@pytest.mark.django_db
def test_the_login_page_follows_the_browser_language(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "Renkeiにログイン" in html
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in to Renkei" in html


# --- (d) the catalog is up to date with the templates -----------------------------------
def test_strings_used_in_templates_and_code_are_in_the_catalog(ja_entries):
    msgids = {e.msgid for e in ja_entries}
    for msgid in (
        "Change stage",
        "Change status",
        "Contacts by lifecycle stage",
        "Corporate number (法人番号)",
        "Recent stage changes",
        "Sign in to Renkei",
        "Organisation settings",
        "%(total)s contact",
        "Back to %(stage)s",
        "A contact cannot move from %(source)s to %(target)s.",
    ):
        assert msgid in msgids, msgid


_SIMPLE_TRANSLATE = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(["'])(.+?)\1"""
    r"""(?:\s+context\s+(["'])(.+?)\3)?(?:\s+as\s+\w+)?\s*%\}"""
)


def test_every_simple_template_string_is_in_the_catalog(ja_entries):
    """Every `{% translate "literal" [context "..."] %}` in the package's templates has an
    entry."""
    msgids = {(e.msgctxt, e.msgid) for e in ja_entries}
    missing = []
    for template in sorted(PACKAGE.rglob("templates/**/*.html")) + sorted(
        PACKAGE.rglob("templates/**/*.txt")
    ):
        for match in _SIMPLE_TRANSLATE.finditer(template.read_text(encoding="utf-8")):
            if (match.group(4), match.group(2)) not in msgids:
                missing.append(f"{template.relative_to(PACKAGE)}: {match.group(2)!r}")
    assert not missing, "not in the catalog (run makemessages):\n" + "\n".join(missing)
