"""Personalization tokens, HTML sanitizing, the plain-text part and the legal footer.

Token syntax (documented in docs/guide/marketing.md)::

    {{ family_name }}             the contact's family name, or nothing
    {{ family_name | ご担当者 }}   … or the fallback after `|` when the contact has none

Names are the keys of TOKENS. An unknown name, an empty `{{ }}` or a `{{` without its
`}}` is a validation error with its line number; rendering never raises for a template
that validated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser
from typing import Any

import nh3
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.contacts.models import Contact

TOKENS: dict[str, tuple[Any, Callable[[Contact | None], str]]] = {
    "family_name": (gettext_lazy("Family name"), lambda c: c.family_name if c else ""),
    "given_name": (gettext_lazy("Given name"), lambda c: c.given_name if c else ""),
    "full_name": (
        gettext_lazy("Full name"),
        lambda c: f"{c.family_name} {c.given_name}".strip() if c else "",
    ),
    "company": (
        gettext_lazy("Company name"),
        lambda c: c.account.name if c and c.account_id and c.account else "",
    ),
    "department": (gettext_lazy("Department"), lambda c: c.department if c else ""),
    "title": (gettext_lazy("Title"), lambda c: c.title if c else ""),
    "email": (gettext_lazy("Email"), lambda c: c.email if c else ""),
}

OPEN, CLOSE = "{{", "}}"
NAME = re.compile(r"^[a-z_]+$")


class TemplateError(ValueError):
    """A template that cannot be rendered; `errors` are translated messages."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Token:
    name: str
    fallback: str


Segment = str | Token


def parse(text: str) -> list[Segment]:
    """Split `text` into literal strings and tokens; raises TemplateError listing every
    problem."""
    segments: list[Segment] = []
    errors: list[str] = []
    pos = 0
    while True:
        start = text.find(OPEN, pos)
        if start < 0:
            segments.append(text[pos:])
            break
        segments.append(text[pos:start])
        line = text.count("\n", 0, start) + 1
        end = text.find(CLOSE, start + 2)
        nested = text.find(OPEN, start + 2)
        if end < 0 or (0 <= nested < end):
            errors.append(_("Line %(line)d: “{{” is not closed with “}}”.") % {"line": line})
            pos = start + 2
            continue
        inner = unescape(text[start + 2 : end])
        name, bar, fallback = inner.partition("|")
        name = name.strip()
        if not name:
            errors.append(
                _("Line %(line)d: a token needs a name, e.g. {{ family_name }}.") % {"line": line}
            )
        elif not NAME.match(name) or name not in TOKENS:
            errors.append(
                _("Line %(line)d: unknown token “%(name)s”. Known tokens: %(known)s.")
                % {"line": line, "name": name, "known": ", ".join(TOKENS)}
            )
        else:
            segments.append(Token(name, fallback.strip() if bar else ""))
        pos = end + 2
    if errors:
        raise TemplateError(errors)
    return segments


def validate(text: str) -> list[str]:
    try:
        parse(text)
    except TemplateError as exc:
        return exc.errors
    return []


def render(text: str, contact: Contact | None, *, html: bool) -> str:
    """`text` with its tokens replaced by the contact's values (escaped in HTML)."""
    out = []
    for segment in parse(text):
        if isinstance(segment, Token):
            value = TOKENS[segment.name][1](contact).strip()
            if value:
                out.append(escape(value) if html else value)
            else:
                out.append(escape(segment.fallback) if html else segment.fallback)
        else:
            out.append(segment)
    return "".join(out)


# --- HTML --------------------------------------------------------------------------------
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "center", "code", "div", "em", "font",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"style", "align", "class", "dir", "lang", "title"},
    "a": {"href", "target"},
    "img": {"src", "alt", "width", "height"},
    "table": {"width", "cellpadding", "cellspacing", "border", "bgcolor", "role"},
    "td": {"width", "colspan", "rowspan", "valign", "bgcolor"},
    "th": {"width", "colspan", "rowspan", "valign", "bgcolor", "scope"},
    "font": {"color", "size", "face"},
}
STYLE_PROPERTIES = {
    "background", "background-color", "border", "border-collapse", "border-radius", "color",
    "display", "font", "font-family", "font-size", "font-style", "font-weight", "height",
    "line-height", "margin", "margin-bottom", "margin-left", "margin-right", "margin-top",
    "max-width", "padding", "padding-bottom", "padding-left", "padding-right", "padding-top",
    "text-align", "text-decoration", "vertical-align", "width",
}  # fmt: skip


def sanitize_html(html: str) -> str:
    """Only formatting survives: no scripts, forms, event handlers or javascript: URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties=STYLE_PROPERTIES,
        link_rel="noopener noreferrer",
    )


BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "blockquote",
    "ul",
    "ol",
    "pre",
    "center",
}


class _TextMaker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.href: list[str] = []
        self.link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in BLOCKS:
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "hr":
            self.parts.append("\n\n----------\n\n")
        elif tag == "a":
            self.href.append(dict(attrs).get("href") or "")
            self.link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.href:
            href = self.href.pop()
            shown = "".join(self.link_text).strip()
            if href and href != shown and not href.startswith("mailto:"):
                self.parts.append(f" ( {href} )")

    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data)
        self.parts.append(text)
        if self.href:
            self.link_text.append(text)


def html_to_text(html: str) -> str:
    """A readable plain-text version of an HTML body: paragraphs, list items, links as
    “text ( URL )”."""
    maker = _TextMaker()
    maker.feed(html)
    maker.close()
    text = "".join(maker.parts)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


HREF = re.compile(r'(<a\b[^>]*?\bhref=")(https?://[^"]+)(")', re.IGNORECASE)


def rewrite_links(html: str, tracked_url: Callable[[str], str]) -> str:
    """Every http(s) link goes through `tracked_url(original)` (click tracking)."""
    return HREF.sub(
        lambda m: m.group(1) + escape(tracked_url(unescape(m.group(2)))) + m.group(3), html
    )
