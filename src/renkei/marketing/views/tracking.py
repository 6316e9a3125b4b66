"""Public tracking endpoints: the script (/t/renkei.js) and the batch collector (/t/collect).

Both are anonymous; the collector is CSRF-exempt because browsers post to it from other
sites with sendBeacon, so it accepts only allowed origins, limits each IP and each payload,
and drops robots. It answers the same way whoever the visitor is.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from pydantic import ValidationError

from renkei.marketing import tracking
from renkei.marketing.http import add_cors, json_error, origin_allowed, own_origin
from renkei.marketing.models import TrackingSettings
from renkei.marketing.ratelimit import client_ip, hit

logger = logging.getLogger(__name__)

COLLECT_LIMIT_PER_MINUTE = 600  # requests per IP; a busy office behind one NAT stays far below


def _script_source() -> str:
    path = finders.find("marketing/renkei.js")
    with open(path, encoding="utf-8") as fh:  # type: ignore[arg-type]
        return fh.read()


@login_not_required
@require_GET
@cache_control(public=True, max_age=300)
def script(request: HttpRequest) -> HttpResponse:
    """The tracking script with the organisation's settings in front of it."""
    config = TrackingSettings.load()
    server = {
        "base": own_origin(request),
        "consentRequired": config.consent_required,
        "honourDoNotTrack": config.honour_do_not_track,
    }
    body = f"window.__renkeiServerConfig = {json.dumps(server)};\n{_script_source()}"
    return HttpResponse(body, content_type="text/javascript; charset=utf-8")


@login_not_required
@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def collect(request: HttpRequest) -> HttpResponse:
    config = TrackingSettings.load()
    allowed = config.origins
    if request.method == "OPTIONS":
        return add_cors(HttpResponse(status=204), request, allowed)
    if not origin_allowed(request, allowed):
        return json_error(403, "origin", _("This website may not send tracking events."))
    if not hit("collect", client_ip(request), limit=COLLECT_LIMIT_PER_MINUTE, window=60):
        return add_cors(json_error(429, "rate_limited", _("Too many requests.")), request, allowed)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > tracking.MAX_PAYLOAD_BYTES:
        return add_cors(
            json_error(413, "too_large", _("The payload is too large.")), request, allowed
        )
    body = request.read(tracking.MAX_PAYLOAD_BYTES + 1)
    if len(body) > tracking.MAX_PAYLOAD_BYTES:
        return add_cors(
            json_error(413, "too_large", _("The payload is too large.")), request, allowed
        )
    user_agent = request.headers.get("User-Agent", "")
    if tracking.is_bot(user_agent) or (
        config.honour_do_not_track
        and (request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1")
    ):
        return add_cors(JsonResponse({"ok": True, "accepted": 0}, status=202), request, allowed)
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return add_cors(
            json_error(400, "malformed", _("The payload is not JSON.")), request, allowed
        )
    if isinstance(data, dict) and len(data.get("events") or []) > tracking.MAX_EVENTS:
        return add_cors(
            json_error(
                413,
                "too_many_events",
                _("At most %(n)d events a batch.") % {"n": tracking.MAX_EVENTS},
            ),
            request,
            allowed,
        )
    try:
        batch = tracking.BatchIn.model_validate(data)
    except ValidationError as exc:
        errors = [
            {"loc": ".".join(str(p) for p in e["loc"]), "type": e["type"]}
            for e in exc.errors(include_url=False, include_input=False)[:10]
        ]
        return add_cors(
            json_error(400, "invalid", _("The events are not valid."), errors=errors),
            request,
            allowed,
        )
    accepted = tracking.record_batch(batch, user_agent=user_agent)
    if settings.DEBUG:
        logger.debug("collected %d events", accepted)
    return add_cors(JsonResponse({"ok": True, "accepted": accepted}, status=202), request, allowed)
