"""Django admin for the funnel's event history: read-only, because every metric is
computed from these events and they never change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from renkei.funnel.models import StageChange, StatusChange


class EventAdmin(admin.ModelAdmin):
    list_select_related = ("contact", "actor")
    search_fields = ("contact__family_name", "contact__email", "actor_label", "reason")
    raw_id_fields = ("contact", "actor")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StageChange)
class StageChangeAdmin(EventAdmin):
    list_display = ("at", "contact", "from_stage", "to_stage", "kind", "actor_label")
    list_filter = ("to_stage", "kind", "actor_kind")


@admin.register(StatusChange)
class StatusChangeAdmin(EventAdmin):
    list_display = ("at", "contact", "from_status", "to_status", "actor_label")
    list_filter = ("to_status", "actor_kind")
