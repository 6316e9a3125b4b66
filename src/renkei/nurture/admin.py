"""Admin views of email records: read-only where the pages and services own the writes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from renkei.nurture.models import (
    EmailSend,
    EmailTemplate,
    LawfulException,
    Message,
    SenderIdentity,
    Suppression,
    WebhookFailure,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SenderIdentity)
class SenderIdentityAdmin(ReadOnlyAdmin):
    list_display = ["sender_name", "from_email", "contact_point", "updated_at"]


@admin.register(EmailTemplate)
class EmailTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "subject_ja", "subject_en", "updated_at"]
    search_fields = ["name", "subject_ja", "subject_en"]


@admin.register(EmailSend)
class EmailSendAdmin(ReadOnlyAdmin):
    list_display = ["name", "template", "status", "scheduled_at", "finished_at"]
    list_filter = ["status"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "send", "email", "status", "skip_reason", "attempts", "sent_at"]
    list_filter = ["status", "skip_reason"]
    search_fields = ["email", "message_id", "provider_id"]
    raw_id_fields = ["contact", "send"]


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdmin):
    list_display = ["email", "reason", "at", "note"]
    list_filter = ["reason"]
    search_fields = ["email"]


@admin.register(LawfulException)
class LawfulExceptionAdmin(ReadOnlyAdmin):
    list_display = ["contact", "basis", "evidence", "at", "recorded_by"]
    list_filter = ["basis"]
    raw_id_fields = ["contact"]


@admin.register(WebhookFailure)
class WebhookFailureAdmin(ReadOnlyAdmin):
    list_display = ["at", "provider", "error"]
    list_filter = ["provider"]
