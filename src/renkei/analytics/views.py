"""Analytics pages: the backtest of a lead agreement."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from renkei.analytics.backtest import backtest
from renkei.core.permissions import ALL_ROLES, role_required
from renkei.funnel.agreement import active_agreement
from renkei.funnel.models import LeadAgreement


@role_required(*ALL_ROLES)
@require_GET
def agreement_backtest(request: HttpRequest, version: int) -> HttpResponse:
    """The agreement's MQL definition applied to the last twelve months, beside the
    definition in force."""
    agreement = get_object_or_404(LeadAgreement, version=version)
    active = active_agreement()
    definitions = [agreement] + ([active] if active and active.pk != agreement.pk else [])
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    result = backtest(definitions, start=start, end=today)
    months = [
        {"month": row["month"], "cells": [d["months"][i] for d in result["definitions"]]}
        for i, row in enumerate(result["definitions"][0]["months"])
    ]
    return render(
        request,
        "analytics/backtest.html",
        {"agreement": agreement, "result": result, "months": months},
    )
