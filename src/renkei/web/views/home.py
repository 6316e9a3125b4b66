from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renkei.core.permissions import ALL_ROLES, role_required
from renkei.web.dashboard import build_dashboard


@role_required(*ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    dashboard = build_dashboard(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "web/home.html",
        {"dashboard": dashboard, "chart_data": dashboard.chart_data()},
    )
