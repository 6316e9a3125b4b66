"""A small fixed-window rate limiter on Django's cache, keyed by client IP.

django-ratelimit would do, but public endpoints here need only "n requests per window per
key", and this keeps the behaviour (and its tests) in one screen of code.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client address as the web server saw it (a reverse proxy must set REMOTE_ADDR,
    e.g. gunicorn's --forwarded-allow-ips with a proxy that overwrites X-Forwarded-For)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one request for `key` in `scope`; False once more than `limit` arrived in the
    current `window` seconds."""
    bucket = int(time.time()) // window
    cache_key = f"rl:{scope}:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 1)
        return True
    return count <= limit
