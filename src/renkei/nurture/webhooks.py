"""Bounces and complaints from the email provider, through django-anymail's webhooks.

Every provider's tracking webhook of anymail answers at /e/hooks/<provider>/ (e.g.
/e/hooks/postmark/, /e/hooks/amazon_ses/). Anymail checks the shared secret
(ANYMAIL_WEBHOOK_SECRET, HTTP basic auth) and normalizes the events; the receiver below
turns bounces, complaints and provider unsubscribes into suppressions and touches. A body
that cannot be read is answered 400 and kept as a WebhookFailure, so nothing is lost; a
database error answers 500, which providers retry.
"""

from __future__ import annotations

import logging
from typing import Any

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.signals import AnymailTrackingEvent, tracking
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from renkei.marketing.http import json_error
from renkei.marketing.ratelimit import client_ip, hit
from renkei.nurture import services
from renkei.nurture.models import WebhookFailure

logger = logging.getLogger(__name__)

WEBHOOK_LIMIT_PER_MINUTE = 1200

TRACKING_VIEWS: dict[str, Any] = {
    pattern.name.removesuffix("_tracking_webhook"): pattern.callback
    for pattern in anymail_urls.urlpatterns
    if pattern.name and pattern.name.endswith("_tracking_webhook")
}
MALFORMED = (ValueError, KeyError, TypeError, AttributeError, IndexError, LookupError)


@receiver(tracking, dispatch_uid="renkei.nurture.tracking")
def _on_tracking_event(
    sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any
) -> None:
    services.record_provider_event(
        event_type=event.event_type or "",
        recipient=event.recipient or "",
        provider_id=event.message_id or "",
        description=str(event.description or event.mta_response or event.reject_reason or ""),
        provider=esp_name,
        at=event.timestamp or timezone.now(),
    )


@login_not_required
@csrf_exempt
def receive(request: HttpRequest, provider: str) -> HttpResponse:
    view = TRACKING_VIEWS.get(provider)
    if view is None:
        return json_error(404, "not_found", _("Unknown email provider."))
    if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return json_error(403, "not_configured", _("Email provider webhooks are not configured."))
    if not hit("email-webhook", client_ip(request), limit=WEBHOOK_LIMIT_PER_MINUTE, window=60):
        return json_error(429, "rate_limited", _("Too many requests."))
    body = request.body
    try:
        return view(request)
    except AnymailWebhookValidationFailure:
        return json_error(400, "unauthorized", _("The webhook could not be verified."))
    except MALFORMED as exc:
        WebhookFailure.objects.create(
            provider=provider[:50],
            body=body.decode("utf-8", errors="replace")[:1_000_000],
            error=f"{exc.__class__.__name__}: {exc}"[:2000],
            at=timezone.now(),
        )
        logger.warning("unreadable %s webhook kept (%s)", provider, exc.__class__.__name__)
        return json_error(400, "malformed", _("The webhook body could not be read."))
