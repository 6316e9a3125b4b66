"""`{% privacy_notice_link %}`: the link to the current privacy notice (purpose of use,
APPI Art. 21), for public forms."""

from __future__ import annotations

from typing import Any

from django import template

from renkei.privacy.services import current_notice

register = template.Library()


@register.inclusion_tag("privacy/public/_notice_link.html", takes_context=True)
def privacy_notice_link(context: template.Context) -> dict[str, Any]:
    notice = current_notice()
    language = context.get("language") or "ja"
    return {
        "notice": notice,
        "title": notice.title_for(language) if notice else "",
        "language": language,
    }
