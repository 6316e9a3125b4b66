"""URLs of the marketing app: public tracking (/t/) and forms (/f/), and the builder
(/marketing/)."""

from __future__ import annotations

from django.urls import path

from renkei.marketing.views import (
    builder,
    campaigns,
    content,
    forms,
    personas,
    segments,
    tracking,
)

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
    path("marketing/personas/", personas.persona_list, name="personas"),
    path("marketing/personas/new/", personas.persona_new, name="persona_new"),
    path("marketing/personas/rematch/", personas.persona_rematch, name="persona_rematch"),
    path("marketing/personas/<int:pk>/", personas.persona_detail, name="persona_detail"),
    path("marketing/personas/<int:pk>/edit/", personas.persona_edit, name="persona_edit"),
    path("marketing/personas/<int:pk>/delete/", personas.persona_delete, name="persona_delete"),
    path("marketing/contacts/<int:pk>/persona/", personas.contact_persona, name="contact_persona"),
    path("marketing/campaigns/", campaigns.campaign_list, name="campaigns"),
    path("marketing/campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("marketing/campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("marketing/campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("marketing/campaigns/<int:pk>/delete/", campaigns.campaign_delete, name="campaign_delete"),
    path(
        "marketing/campaigns/<int:pk>/members/",
        campaigns.campaign_members_add,
        name="campaign_members_add",
    ),
    path(
        "marketing/campaigns/<int:pk>/members/<int:member_id>/status/",
        campaigns.campaign_member_status,
        name="campaign_member_status",
    ),
    path(
        "marketing/campaigns/<int:pk>/members/<int:member_id>/remove/",
        campaigns.campaign_member_remove,
        name="campaign_member_remove",
    ),
    path("marketing/utm/", campaigns.utm_builder, name="utm_builder"),
    path("marketing/content/", content.content_list, name="content"),
    path("marketing/content/map/", content.content_map, name="content_map"),
    path("marketing/content/new/", content.content_new, name="content_new"),
    path("marketing/content/<int:pk>/", content.content_detail, name="content_detail"),
    path("marketing/content/<int:pk>/edit/", content.content_edit, name="content_edit"),
    path("marketing/content/<int:pk>/delete/", content.content_delete, name="content_delete"),
    path("marketing/segments/", segments.segment_list, name="segments"),
    path("marketing/segments/new/", segments.segment_new, name="segment_new"),
    path("marketing/segments/count/", segments.segment_count, name="segment_count"),
    path("marketing/segments/<int:pk>/", segments.segment_detail, name="segment_detail"),
    path("marketing/segments/<int:pk>/edit/", segments.segment_edit, name="segment_edit"),
    path("marketing/segments/<int:pk>/export/", segments.segment_export, name="segment_export"),
    path("marketing/segments/<int:pk>/delete/", segments.segment_delete, name="segment_delete"),
]
