"""Pages of the analytics app."""

from __future__ import annotations

from django.urls import path

from renkei.analytics import views

app_name = "analytics"

urlpatterns = [
    path(
        "agreement/v<int:version>/backtest/",
        views.agreement_backtest,
        name="agreement_backtest",
    ),
]
