from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renkei.core.permissions import ALL_ROLES, role_required


@role_required(*ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@role_required(*ALL_ROLES)
def contact_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@role_required(*ALL_ROLES)
def account_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")
