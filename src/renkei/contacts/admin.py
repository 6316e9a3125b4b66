"""Django admin for accounts and contacts. Saves go through renkei.contacts.services, so
they are validated and audited like any other edit; stages and statuses are read-only
here (only the funnel moves them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from renkei.contacts import services
from renkei.contacts.models import Account, Contact


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("name", "corporate_number", "industry", "prefecture", "owner", "updated_at")
    list_filter = ("industry", "prefecture", "employee_band")
    search_fields = ("name", "name_kana", "corporate_number", "domain")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    show_full_result_count = False
    fields = (
        "name", "name_kana", "corporate_number", "website", "domain", "industry",
        "employee_band", "prefecture", "owner",
    )  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Account, form: Any, change: bool) -> None:
        values = {
            name: form.cleaned_data[name] for name in self.fields if name in form.cleaned_data
        }
        if change:
            services.update_account(obj, actor=request.user, **values)  # type: ignore[arg-type]
        else:
            created = services.create_account(actor=request.user, **values)  # type: ignore[arg-type]
            obj.pk = created.pk


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = (
        "full_name", "account", "lifecycle_stage", "lead_status", "owner", "source_channel",
        "updated_at",
    )  # fmt: skip
    list_filter = ("lifecycle_stage", "lead_status", "source_channel", "consent_status")
    search_fields = ("family_name", "given_name", "family_name_kana", "given_name_kana", "email")
    list_select_related = ("account", "owner")
    autocomplete_fields = ("account", "owner")
    show_full_result_count = False
    editable_fields = (
        "family_name", "given_name", "family_name_kana", "given_name_kana", "email", "phone",
        "department", "title", "account", "owner", "source_channel", "source_campaign",
        "consent_status",
    )  # fmt: skip
    readonly_fields = (
        "lifecycle_stage", "lead_status", "became_lead_at", "became_mql_at", "became_sal_at",
        "became_sql_at", "became_opportunity_at", "became_customer_at", "created_at",
        "updated_at",
    )  # fmt: skip
    fields = editable_fields + readonly_fields

    @admin.display(description=_("name"), ordering="family_name_kana")
    def full_name(self, obj: Contact) -> str:
        return obj.full_name

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # new contacts enter the funnel on the contacts page or by import

    def save_model(self, request: HttpRequest, obj: Contact, form: Any, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        services.update_contact(obj, actor=request.user, **values)  # type: ignore[arg-type]
