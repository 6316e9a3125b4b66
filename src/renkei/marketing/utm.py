"""UTM links: a landing page with utm_ parameters, keeping its own query and fragment."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")


def build_utm_url(base_url: str, params: dict[str, str]) -> str:
    """`base_url` with the given utm_ parameters (empty ones left out); utm_ parameters
    already in the URL are replaced, others kept in order."""
    parts = urlsplit(base_url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in UTM_KEYS]
    query += [(k, params[k].strip()) for k in UTM_KEYS if params.get(k, "").strip()]
    return urlunsplit(parts._replace(query=urlencode(query)))
