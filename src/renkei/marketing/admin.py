from __future__ import annotations

from django.contrib import admin

from renkei.marketing.models import Touch, TrackingSettings, Visitor


@admin.register(TrackingSettings)
class TrackingSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "consent_required", "honour_do_not_track"]


@admin.register(Visitor)
class VisitorAdmin(admin.ModelAdmin):
    list_display = ["uid", "contact", "first_seen", "last_seen"]
    search_fields = ["uid"]
    raw_id_fields = ["contact"]


@admin.register(Touch)
class TouchAdmin(admin.ModelAdmin):
    list_display = ["at", "type", "name", "contact", "visitor_uid", "url", "utm_campaign"]
    list_filter = ["type"]
    search_fields = ["visitor_uid", "url", "utm_campaign"]
    raw_id_fields = ["contact"]
    date_hierarchy = "at"
