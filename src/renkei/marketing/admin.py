from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from renkei.marketing import campaigns, content, personas, segments, services
from renkei.marketing.choices import SubmissionStatus
from renkei.marketing.models import (
    Campaign,
    CampaignMember,
    ConsentRecord,
    ConsentText,
    ContentAsset,
    Form,
    FormSubmission,
    Persona,
    PersonaMatch,
    Segment,
    Touch,
    TrackingSettings,
    Visitor,
)


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
    list_select_related = ["contact"]
    list_filter = ["type"]
    search_fields = ["visitor_uid", "url", "utm_campaign"]
    raw_id_fields = ["contact"]
    date_hierarchy = "at"


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["version", "text_ja", "created_at"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # versions are immutable; a new wording is a new version


@admin.register(Form)
class FormAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "campaign", "is_active", "updated_at"]
    search_fields = ["name", "slug", "campaign"]


@admin.register(FormSubmission)
class FormSubmissionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "form", "status", "attempts", "contact", "short_error"]
    list_select_related = ["form", "contact"]
    list_filter = ["status", "form"]
    raw_id_fields = ["contact"]
    readonly_fields = [
        "form", "data", "meta", "status", "error", "attempts", "contact", "created_at",
        "processed_at",
    ]  # fmt: skip
    actions = ["retry"]

    @admin.display(description=_("error"))
    def short_error(self, obj: FormSubmission) -> str:
        return obj.error[:80]

    @admin.action(description=_("Process the selected submissions again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[FormSubmission]) -> None:
        done = 0
        for pk in queryset.exclude(status=SubmissionStatus.PROCESSED).values_list("pk", flat=True):
            result = services.process_submission(pk)
            done += result is not None and result.status == SubmissionStatus.PROCESSED
        self.message_user(
            request, _("%(n)d submissions processed.") % {"n": done}, level=messages.INFO
        )


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ["at", "contact", "form", "consent_text", "given", "ip"]
    list_select_related = ["contact", "form", "consent_text"]
    list_filter = ["given"]
    raw_id_fields = ["contact", "submission"]


@admin.register(Persona)
class PersonaAdmin(admin.ModelAdmin):
    """Saved through the persona services, so changes are audited and contacts re-matched."""

    list_display = ["name", "is_active", "updated_at"]
    search_fields = ["name"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Persona, form: Any, change: bool) -> None:
        values = {f: getattr(obj, f) for f in personas.PERSONA_FIELDS}
        if change:
            saved = personas.update_persona(obj, actor=request.user, **values)  # type: ignore[arg-type]
        else:
            saved = personas.create_persona(actor=request.user, **values)  # type: ignore[arg-type]
        obj.pk, obj.created_at = saved.pk, saved.created_at

    def delete_model(self, request: HttpRequest, obj: Persona) -> None:
        personas.delete_persona(obj, actor=request.user)  # type: ignore[arg-type]


@admin.register(PersonaMatch)
class PersonaMatchAdmin(admin.ModelAdmin):
    """Read-only: matches are made by the matching or chosen on the contact's page."""

    list_display = ["contact", "persona", "manual", "matched_at", "actor"]
    list_select_related = ["contact", "persona", "actor"]
    list_filter = ["manual", "persona"]
    raw_id_fields = ["contact"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Saved through the campaign services, so changes are audited and touches linked."""

    list_display = ["name", "type", "start_date", "end_date", "budget", "actual_cost", "owner"]
    list_filter = ["type"]
    search_fields = ["name", "utm_campaign"]
    readonly_fields = ["created_at", "updated_at"]
    filter_horizontal = ["target_personas"]

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        values = {f: getattr(obj, f) for f in campaigns.CAMPAIGN_FIELDS}
        personas_ = form.cleaned_data.get("target_personas", [])
        if change:
            saved = campaigns.update_campaign(
                obj,
                actor=request.user,
                target_personas=personas_,
                **values,  # type: ignore[arg-type]
            )
        else:
            saved = campaigns.create_campaign(
                actor=request.user,
                target_personas=personas_,
                **values,  # type: ignore[arg-type]
            )
        obj.pk, obj.created_at = saved.pk, saved.created_at

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # target personas were set by the service

    def delete_model(self, request: HttpRequest, obj: Campaign) -> None:
        campaigns.delete_campaign(obj, actor=request.user)  # type: ignore[arg-type]


@admin.register(CampaignMember)
class CampaignMemberAdmin(admin.ModelAdmin):
    """Read-only: members change on the campaign's page, which records their history."""

    list_display = ["campaign", "contact", "status", "created_at", "updated_at"]
    list_select_related = ["campaign", "contact"]
    list_filter = ["status", "campaign"]
    raw_id_fields = ["contact"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ContentAsset)
class ContentAssetAdmin(admin.ModelAdmin):
    """Saved through the content services, so changes are audited and touches linked."""

    list_display = ["title", "kind", "buyer_stage", "url", "campaign"]
    list_filter = ["kind", "buyer_stage"]
    search_fields = ["title", "url"]
    readonly_fields = ["created_at", "updated_at"]
    filter_horizontal = ["personas"]

    def save_model(self, request: HttpRequest, obj: ContentAsset, form: Any, change: bool) -> None:
        values = {f: getattr(obj, f) for f in content.CONTENT_FIELDS}
        chosen = form.cleaned_data.get("personas", [])
        if change:
            saved = content.update_content(obj, actor=request.user, personas=chosen, **values)  # type: ignore[arg-type]
        else:
            saved = content.create_content(actor=request.user, personas=chosen, **values)  # type: ignore[arg-type]
        obj.pk, obj.created_at = saved.pk, saved.created_at

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # personas were set by the service

    def delete_model(self, request: HttpRequest, obj: ContentAsset) -> None:
        content.delete_content(obj, actor=request.user)  # type: ignore[arg-type]


class SegmentAdminForm(forms.ModelForm):
    class Meta:
        model = Segment
        fields = ["name", "description", "filters", "owner"]

    def clean_filters(self) -> dict[str, Any]:
        try:
            parsed = segments.parse_filters(self.cleaned_data["filters"] or {})
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        if parsed.is_empty():
            raise ValidationError(_("Choose at least one filter."))
        return parsed.model_dump(mode="json", exclude_defaults=True)


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    """Saved through the segment services, so filters are validated and changes audited."""

    form = SegmentAdminForm
    list_display = ["name", "owner", "updated_at"]
    search_fields = ["name"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Segment, form: Any, change: bool) -> None:
        values = {"name": obj.name, "description": obj.description, "owner": obj.owner}
        if change:
            saved = segments.update_segment(obj, actor=request.user, filters=obj.filters, **values)  # type: ignore[arg-type]
        else:
            saved = segments.create_segment(actor=request.user, filters=obj.filters, **values)  # type: ignore[arg-type]
        obj.pk, obj.created_at = saved.pk, saved.created_at

    def delete_model(self, request: HttpRequest, obj: Segment) -> None:
        segments.delete_segment(obj, actor=request.user)  # type: ignore[arg-type]
