"""Public endpoints under /e/: the open pixel, click redirects and unsubscribe.

They are anonymous, rate limited per IP, and answer the same whether or not the message
or its contact still exists. Tokens are signed (renkei.nurture.links): the click endpoint
redirects only to a URL that was in the message.
"""

from __future__ import annotations

import base64
import re
import secrets

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from renkei.marketing import tracking
from renkei.marketing.http import json_error
from renkei.marketing.models import TrackingSettings
from renkei.marketing.ratelimit import client_ip, hit
from renkei.nurture import links, services
from renkei.nurture.models import Message

LIMIT_PER_MINUTE = 300
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
VISITOR_COOKIE = "rk_vid"
VISITOR_ID = re.compile(tracking.VISITOR_ID)


def _limited(request: HttpRequest, scope: str) -> bool:
    return not hit(f"email-{scope}", client_ip(request), limit=LIMIT_PER_MINUTE, window=60)


@login_not_required
@require_GET
@never_cache
def open_pixel(request: HttpRequest, token: str) -> HttpResponse:
    if not _limited(request, "open"):
        message_id = links.read(token, links.OPEN_SALT)
        if message_id is not None:
            services.record_open(message_id, user_agent=request.headers.get("User-Agent", ""))
    return HttpResponse(PIXEL, content_type="image/gif")


def _visitor(request: HttpRequest) -> tuple[str, bool]:
    """The browser's visitor id (new if none), and whether the cookie must be set; none at
    all when the organisation tracks only with consent or the browser asks not to be tracked."""
    config = TrackingSettings.load()
    if config.consent_required and request.COOKIES.get("rk_consent") != "1":
        return "", False
    if config.honour_do_not_track and (
        request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1"
    ):
        return "", False
    uid = request.COOKIES.get(VISITOR_COOKIE, "")
    if VISITOR_ID.match(uid):
        return uid, True
    return secrets.token_hex(16), True


@login_not_required
@require_GET
@never_cache
def click(request: HttpRequest, token: str) -> HttpResponse:
    data = links.read(token, links.CLICK_SALT)
    url = data.get("u") if isinstance(data, dict) else None
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        return render(request, "nurture/public/link_invalid.html", status=404)
    response = HttpResponseRedirect(url)
    if _limited(request, "click") or tracking.is_bot(request.headers.get("User-Agent", "")):
        return response
    uid, set_cookie = _visitor(request)
    if services.record_click(data.get("m"), url, visitor_uid=uid) and set_cookie:
        response.set_cookie(
            VISITOR_COOKIE, uid, max_age=395 * 86400, samesite="Lax", secure=request.is_secure()
        )
    return response


@login_not_required
@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a form
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link scanners must not unsubscribe anyone); POST, from the
    confirm button or a mail client's one-click request, takes effect at once."""
    message_id = links.read(token, links.UNSUBSCRIBE_SALT)
    language = (
        Message.objects.filter(pk=message_id).values_list("language", flat=True).first()
        if isinstance(message_id, int)
        else None
    ) or translation.get_language()
    with translation.override(language):
        if message_id is None:
            return render(
                request, "nurture/public/link_invalid.html", {"language": language}, status=404
            )
        if _limited(request, "unsubscribe"):
            return json_error(429, "rate_limited", _("Too many requests."))
        if request.method == "POST":
            services.unsubscribe(message_id, ip=client_ip(request))
            return render(request, "nurture/public/unsubscribed.html", {"language": language})
        return render(
            request, "nurture/public/unsubscribe.html", {"language": language, "token": token}
        )
