"""URLs of the marketing app: public tracking (/t/) and forms (/f/), and the builder
(/marketing/)."""

from __future__ import annotations

from django.urls import path

from renkei.marketing.views import forms, tracking

app_name = "marketing"

urlpatterns = [
    path("t/renkei.js", tracking.script, name="tracking_script"),
    path("t/collect", tracking.collect, name="collect"),
    path("f/<slug:slug>/", forms.form_page, name="form_page"),
    path("f/<slug:slug>/submit", forms.form_submit, name="form_submit"),
    path("f/<slug:slug>/embed.js", forms.embed_script, name="form_embed"),
]
