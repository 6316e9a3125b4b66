"""Helpers of the public endpoints: JSON errors, origins and CORS headers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse


def json_error(status: int, code: str, message: str, **extra: object) -> JsonResponse:
    return JsonResponse({"ok": False, "error": code, "message": message, **extra}, status=status)


def own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def request_origin(request: HttpRequest) -> str:
    """The Origin header, or the origin of the Referer when a browser omitted Origin."""
    origin = request.headers.get("Origin", "")
    if origin:
        return origin.rstrip("/")
    referer = request.headers.get("Referer", "")
    if referer.startswith(("http://", "https://")):
        scheme, _sep, rest = referer.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"
    return ""


def origin_allowed(request: HttpRequest, allowed: list[str]) -> bool:
    origin = request_origin(request)
    return bool(origin) and (origin == own_origin(request) or origin in allowed)


def add_cors(response: HttpResponse, request: HttpRequest, allowed: list[str]) -> HttpResponse:
    """Let an allowed origin read the response (no credentials are ever shared)."""
    origin = request.headers.get("Origin", "").rstrip("/")
    if origin and (origin in allowed or origin == own_origin(request)):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        response["Access-Control-Max-Age"] = "86400"
        response["Vary"] = "Origin"
    return response
