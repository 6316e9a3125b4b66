"""URLs of the marketing app: public tracking (/t/) and forms (/f/), and the builder
(/marketing/)."""

from __future__ import annotations

from django.urls import path

from renkei.marketing.views import builder, forms, tracking

app_name = "marketing"

urlpatterns = [
    path("t/renkei.js", tracking.script, name="tracking_script"),
    path("t/collect", tracking.collect, name="collect"),
    path("f/<slug:slug>/", forms.form_page, name="form_page"),
    path("f/<slug:slug>/submit", forms.form_submit, name="form_submit"),
    path("f/<slug:slug>/embed.js", forms.embed_script, name="form_embed"),
]

urlpatterns += [
    path("marketing/forms/", builder.form_list, name="forms"),
    path("marketing/forms/new/", builder.form_new, name="form_new"),
    path("marketing/forms/<int:pk>/", builder.form_detail, name="form_detail"),
    path("marketing/forms/<int:pk>/edit/", builder.form_edit, name="form_edit"),
    path("marketing/submissions/<int:pk>/", builder.submission_detail, name="submission_detail"),
    path("marketing/tracking/", builder.tracking_settings, name="tracking_settings"),
]
