"""URLs of the marketing app: public tracking (/t/) and forms (/f/), and the builder
(/marketing/)."""

from __future__ import annotations

from django.urls import path

from renkei.marketing.views import tracking

app_name = "marketing"

urlpatterns = [
    path("t/renkei.js", tracking.script, name="tracking_script"),
    path("t/collect", tracking.collect, name="collect"),
]
