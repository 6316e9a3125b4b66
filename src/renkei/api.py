"""The REST API under /api/v1/: token authentication, JSON errors, each app's routes.

API modules are the top layer (DESIGN.md: "… ← analytics ← web pages and API"), so an
app's api.py may call the services of the apps above it, as the contacts routes call the
funnel to create a contact. Every error has the shape `{"error": {"code", "message"}}`
(plus `fields` for validation errors), with messages in the request's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger, renderers
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation
from ninja.security import HttpBearer

from renkei.contacts.api import accounts_router, contacts_router
from renkei.core.api import router as core_router
from renkei.core.tokens import authenticate_token
from renkei.funnel.api import router as funnel_router
from renkei.funnel.services import FunnelError
from renkei.marketing.api import router as marketing_router
from renkei.marketing.campaigns import CampaignError
from renkei.nurture.api import router as nurture_router
from renkei.privacy.api import router as privacy_router
from renkei.privacy.services import PrivacyError
from renkei.scoring.api import router as scoring_router
from renkei.scoring.services import ScoringError


class TokenAuth(HttpBearer):
    """`Authorization: Bearer rk_…` with a personal API token.

    Messages follow the request's Accept-Language; without that header, the language
    the user saved in their profile.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token)
        if user is None:
            return None
        request.user = user
        if user.language and "HTTP_ACCEPT_LANGUAGE" not in request.META:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return user


class JSONRenderer(renderers.JSONRenderer):
    """UTF-8 JSON: Japanese names stay readable (`"田中"`, not `"\\u7530\\u4e2d"`)."""

    json_dumps_params = {"ensure_ascii": False}


class RenkeiAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """`list_contacts` rather than `renkei_contacts_api_list_contacts`: the names
        that generated clients show. They are unique across the API."""
        return operation.view_func.__name__


api = RenkeiAPI(
    title="Renkei API",
    version="1",
    description=(
        "The shared funnel of marketing, inside sales and field sales. Authenticate with "
        '`Authorization: Bearer <token>`. Errors are `{"error": {"code", "message"}}` '
        "(validation errors add `fields`); lists are paginated with `limit` and `offset`. "
        "See docs/api.md in the repository."
    ),
    auth=TokenAuth(),
    renderer=JSONRenderer(),
    urls_namespace="api",
    # Swagger UI from django-ninja's own static files (no CDN). A token pasted into
    # "Authorize" is kept only for the page's lifetime, never in the browser's storage.
    docs=Swagger(),
)

api.add_router("/", core_router)
api.add_router("/", contacts_router)
api.add_router("/", accounts_router)
api.add_router("/", funnel_router)
api.add_router("/", marketing_router)
api.add_router("/", nurture_router)
api.add_router("/", privacy_router)
api.add_router("/", scoring_router)


def _error(
    request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, **extra}}, status=status
    )


@api.exception_handler(ValidationError)
def _django_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, "invalid", _("The data is not valid."), fields=fields)


# Messages for pydantic's error types, reusing Django's wording (and so its translations).
_SCHEMA_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda e: _("This field is required."),
    "extra_forbidden": lambda e: _("This field cannot be set here."),
    "enum": lambda e: _("Select a valid choice. That choice is not one of the available choices."),
    "literal_error": lambda e: _(
        "Select a valid choice. That choice is not one of the available choices."
    ),
    "int_parsing": lambda e: _("Enter a whole number."),
    "int_type": lambda e: _("Enter a whole number."),
    "int_from_float": lambda e: _("Enter a whole number."),
    "string_type": lambda e: _("Enter a valid value."),
    "datetime_parsing": lambda e: _("Enter a valid date/time."),
    "datetime_from_date_parsing": lambda e: _("Enter a valid date/time."),
    "datetime_type": lambda e: _("Enter a valid date/time."),
    "timezone_aware": lambda e: _("Include a time zone offset, such as +09:00 or Z."),
    "less_than_equal": lambda e: (
        _("Ensure this value is less than or equal to %(limit_value)s.")
        % {"limit_value": e.get("ctx", {}).get("le")}
    ),
    "greater_than_equal": lambda e: (
        _("Ensure this value is greater than or equal to %(limit_value)s.")
        % {"limit_value": e.get("ctx", {}).get("ge")}
    ),
    "model_attributes_type": lambda e: _("Send a JSON object."),
    "dict_type": lambda e: _("Send a JSON object."),
}


def _field_name(loc: tuple[Any, ...]) -> str:
    """The field an error is about, as the client named it.

    Ninja's locations start with the source; body locations then name the view
    parameter: `("body", "payload", "email")` → `email`, and `("body", "payload")` (the
    body as a whole) → `__all__`. Query and path parameters are flat, so the last name
    is the field: `("query", "query", "stage", 0)` → `stage`.
    """
    source, *parts = loc or ("",)
    names = [str(p) for p in parts if not isinstance(p, int)]
    if source == "body":
        return ".".join(names[1:]) or "__all__"
    return names[-1] if names else "__all__"


@api.exception_handler(NinjaValidationError)
def _schema_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        message_for = _SCHEMA_MESSAGES.get(error.get("type", ""))
        message = message_for(error) if message_for else str(error.get("msg", ""))
        fields.setdefault(_field_name(tuple(error.get("loc", ()))), []).append(message)
    return _error(request, 422, "invalid", _("The request is not valid."), fields=fields)


@api.exception_handler(FunnelError)
def _funnel_error(request: HttpRequest, exc: FunnelError) -> HttpResponse:
    status = {"stale": 409, "forbidden": 403}.get(exc.code, 422)
    return _error(request, status, exc.code, exc.message)


@api.exception_handler(CampaignError)
def _campaign_error(request: HttpRequest, exc: CampaignError) -> HttpResponse:
    return _error(request, 422, exc.code, exc.message)


@api.exception_handler(PrivacyError)
def _privacy_error(request: HttpRequest, exc: PrivacyError) -> HttpResponse:
    return _error(request, 422, exc.code, exc.message)


@api.exception_handler(ScoringError)
def _scoring_error(request: HttpRequest, exc: ScoringError) -> HttpResponse:
    return _error(request, 409 if exc.code == "not_draft" else 422, exc.code, exc.message)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", _("Your role may not do this."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(ObjectDoesNotExist)
def _object_not_found(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(IntegrityError)
def _conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Validation catches duplicates first; this is two writers racing for the same value.
    return _error(request, 409, "conflict", _("This conflicts with a change saved meanwhile."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, "unauthenticated", _("A valid API token is required."))
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # Ninja raises this when the body is not JSON.
        return _error(request, 400, "malformed", _("The request body is not valid JSON."))
    return _error(request, exc.status_code, "error", str(exc))


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": message}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt
def _unknown_endpoint(request: HttpRequest, path: str = "") -> HttpResponse:
    return _json_error(404, "not_found", _("Not found."))


def _json_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja answers a wrong method with a plain-text 405; answer in JSON like the rest."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            allow = response.get("Allow", "")
            response = _json_error(405, "method_not_allowed", _("This method is not allowed."))
            response["Allow"] = allow
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


def _openapi_json_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI document is for signed-in users (session) and token holders."""
    token_auth = TokenAuth()

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and not token_auth(request):
            response = _json_error(401, "unauthenticated", _("A valid API token is required."))
            response["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
        return view(request, *args, **kwargs)

    return wrapped


def _prepare(patterns: list[Any]) -> list[Any]:
    """Ninja's URL patterns, made ready for this site.

    The API authenticates by token, so Django's login redirect must not apply; the docs
    page needs a signed-in user instead, and openapi.json a session or a token.
    """
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            callback = pattern.callback
            if pattern.name == "api-root":
                callback = _unknown_endpoint  # ninja's root only names the prefix
            elif pattern.name == "openapi-view":
                callback = login_required(callback)
            elif pattern.name == "openapi-json":
                callback = _openapi_json_access(callback)
            else:
                callback = _json_method_not_allowed(callback)
            pattern.callback = login_not_required(callback)
        elif isinstance(pattern, URLResolver):
            _prepare(pattern.url_patterns)
    return patterns


def api_urls() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    catch_all = re_path(r"^(?P<path>.*)$", _unknown_endpoint, name="unknown")
    return _prepare([*patterns, catch_all]), app_name, namespace
