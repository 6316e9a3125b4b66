"""Public form endpoints: the hosted page (/f/<slug>/, also framed with ?embed=1), the
submit endpoint (/f/<slug>/submit) and the embed script (/f/<slug>/embed.js).

Embedded forms post from other websites, which cannot carry Django's CSRF token, so the
submit endpoint is CSRF-exempt and protected instead by: an Origin (or Referer) that must be
Renkei itself or one of the form's allowed origins, a honeypot field, and a per-IP rate
limit. A submission is answered the same way whether or not the person already exists, and
whether or not its processing succeeded (failures are kept and retried).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from renkei.marketing import services
from renkei.marketing.http import add_cors, json_error, origin_allowed, own_origin
from renkei.marketing.models import Form
from renkei.marketing.ratelimit import client_ip, hit
from renkei.marketing.schemas import (
    CONSENT,
    HIDDEN_FIELDS,
    HONEYPOT,
    FormField,
    clean_values,
    parse_fields,
)
from renkei.marketing.tracking import VISITOR_ID

logger = logging.getLogger(__name__)

SUBMIT_LIMIT = 10  # submissions per IP and form
SUBMIT_WINDOW = 600  # seconds
TRUTHY = {"1", "on", "true", "yes"}


def _active_form(slug: str) -> Form:
    return get_object_or_404(Form.objects.select_related("consent_text"), slug=slug, is_active=True)


def _language(request: HttpRequest) -> str:
    requested = request.GET.get("lang", "")
    if requested in ("ja", "en"):
        return requested
    return translation.get_language() or "ja"


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _frame_ancestors(form: Form) -> str:
    return " ".join(["'self'", *form.origins])


def _hidden_from_request(request: HttpRequest) -> dict[str, str]:
    """Hidden values for the hosted page: the UTM parameters and visitor id in its URL,
    and the page that linked to it."""
    hidden = {f"rk_{k}": request.GET.get(k, "")[:200] for k in (
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
    )}  # fmt: skip
    vid = request.GET.get("vid", "")
    hidden["rk_vid"] = vid if re.match(VISITOR_ID, vid) else ""
    hidden["rk_referrer"] = request.headers.get("Referer", "")[:2000]
    hidden["rk_page"] = request.GET.get("page", "")[:2000] or request.build_absolute_uri()[:2000]
    return hidden


def _page_context(
    request: HttpRequest,
    form: Form,
    fields: list[FormField],
    language: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    hidden: dict[str, str] | None = None,
    consent: bool = False,
) -> dict[str, Any]:
    values = values or {}
    errors = errors or {}
    return {
        "form": form,
        "language": language,
        "embed": request.GET.get("embed") == "1",
        "rows": [
            {
                "field": f,
                "label": f.label(language),
                "value": values.get(f.key, ""),
                "errors": errors.get(f.key, []),
            }
            for f in fields
        ],
        "consent_text": form.consent_text.text_for(language) if form.consent_text else "",
        "consent_checked": consent,
        "hidden": hidden if hidden is not None else _hidden_from_request(request),
        "honeypot": HONEYPOT,
        "consent_name": CONSENT,
        "has_errors": bool(errors),
        "action": reverse("marketing:form_submit", args=[form.slug])
        + (f"?embed=1&lang={language}" if request.GET.get("embed") == "1" else f"?lang={language}"),
    }


@login_not_required
@require_GET
@xframe_options_exempt
def form_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The hosted form page; with ?embed=1 a bare version that the allowed origins may
    frame (everyone else is refused by the Content-Security-Policy frame-ancestors)."""
    form = _active_form(slug)
    language = _language(request)
    with translation.override(language):
        context = _page_context(request, form, parse_fields(form.fields), language)
        response = render(request, "marketing/public/form_page.html", context)
    return _with_frame_policy(response, form, request)


def _with_frame_policy(response: HttpResponse, form: Form, request: HttpRequest) -> HttpResponse:
    if request.GET.get("embed") == "1":
        response["Content-Security-Policy"] = f"frame-ancestors {_frame_ancestors(form)}"
    else:
        response["X-Frame-Options"] = "DENY"
    return response


def _success(request: HttpRequest, form: Form, language: str) -> HttpResponse:
    message = form.thank_you_for(language) or _("Thank you. We have received your submission.")
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": message, "redirect": form.redirect_url})
    if form.redirect_url:
        return redirect(form.redirect_url)
    response = render(
        request,
        "marketing/public/thanks.html",
        {"form": form, "message": message, "embed": request.GET.get("embed") == "1",
         "language": language},
    )  # fmt: skip
    return _with_frame_policy(response, form, request)


@login_not_required
@csrf_exempt
@xframe_options_exempt
@require_http_methods(["POST", "OPTIONS"])
def form_submit(request: HttpRequest, slug: str) -> HttpResponse:
    form = _active_form(slug)
    allowed = form.origins
    if request.method == "OPTIONS":
        return add_cors(HttpResponse(status=204), request, allowed)
    language = _language(request)
    with translation.override(language):
        if not origin_allowed(request, allowed):
            return json_error(403, "origin", _("This website may not send this form."))
        if not hit(f"form:{form.pk}", client_ip(request), limit=SUBMIT_LIMIT, window=SUBMIT_WINDOW):
            response = json_error(
                429, "rate_limited", _("Too many submissions. Please try again later.")
            )
            return add_cors(response, request, allowed)
        response = _handle_submission(request, form, language)
        return add_cors(response, request, allowed)


def _handle_submission(request: HttpRequest, form: Form, language: str) -> HttpResponse:
    data = dict(request.POST.items())
    if data.get(HONEYPOT):
        logger.info("form %s: honeypot filled, submission dropped", form.pk)
        return _success(request, form, language)
    fields = parse_fields(form.fields)
    values, errors = clean_values(fields, data)
    hidden = {k: data.get(k, "")[:2000] for k in HIDDEN_FIELDS}
    consent = data.get(CONSENT, "").lower() in TRUTHY
    if errors:
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "error": "invalid", "message": _("Please correct the errors below."),
                 "errors": errors},
                status=400,
            )  # fmt: skip
        context = _page_context(
            request, form, fields, language,
            values=data, errors=errors, hidden=hidden, consent=consent,
        )  # fmt: skip
        response = render(request, "marketing/public/form_page.html", context, status=400)
        return _with_frame_policy(response, form, request)
    services.receive_submission(
        form,
        values=values,
        hidden=hidden,
        consent_given=consent,
        ip=client_ip(request) if client_ip(request) != "unknown" else None,
        user_agent=request.headers.get("User-Agent", ""),
        language=language,
    )
    return _success(request, form, language)


def _embed_config(request: HttpRequest, form: Form) -> dict[str, Any]:
    fields = parse_fields(form.fields)
    texts = {}
    for language in ("ja", "en"):
        with translation.override(language):
            texts[language] = {
                "submit": _("Submit"),
                "sending": _("Sending…"),
                "failed": _("The form could not be sent. Please try again."),
                "honeypot": _("Leave this field empty"),
                "required": _("required"),
                "thanks": form.thank_you_for(language)
                or _("Thank you. We have received your submission."),
                "consent": form.consent_text.text_for(language) if form.consent_text else "",
            }
    return {
        "action": own_origin(request) + reverse("marketing:form_submit", args=[form.slug]),
        "slug": form.slug,
        "redirect": form.redirect_url,
        "honeypot": HONEYPOT,
        "consentName": CONSENT,
        "fields": [
            {
                "key": f.key,
                "type": f.input_type,
                "required": f.required,
                "maxlength": f.max_length,
                "label": {"ja": f.label_ja, "en": f.label_en or f.label_ja},
            }
            for f in fields
        ],
        "texts": texts,
    }


@login_not_required
@require_GET
def embed_script(request: HttpRequest, slug: str) -> HttpResponse:
    """A script that renders the form into the page that includes it."""
    form = _active_form(slug)
    path = finders.find("marketing/embed.js")
    if not path:
        raise Http404
    with open(path, encoding="utf-8") as fh:  # type: ignore[arg-type]
        source = fh.read()
    config = json.dumps(_embed_config(request, form), cls=DjangoJSONEncoder)
    # json.dumps escapes nothing HTML-specific; this is served as JavaScript, not HTML.
    config = config.replace("</", "<\\/")
    body = f"(function (config) {{\n{source}\n}})({config});\n"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=60"
    return response
