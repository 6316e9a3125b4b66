"""Django admin for administrators (role admin): users and roles, teams, the organisation
and its calendar, and a read-only audit log. Writes that have a service go through it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from renkei.core import services
from renkei.core.choices import Role
from renkei.core.models import ApiToken, AuditLog, ClosedDay, Organisation, Team, User
from renkei.core.tokens import revoke_api_token


def _admin_site_permission(request: HttpRequest) -> bool:
    """Only administrators (role admin, staff) use the admin site."""
    user = request.user
    return bool(
        user.is_active
        and user.is_staff
        and (user.is_superuser or getattr(user, "role", "") == Role.ADMIN)
    )


admin.site.has_permission = _admin_site_permission  # type: ignore[method-assign]
admin.site.site_header = _("Renkei administration")
admin.site.site_title = _("Renkei administration")
admin.site.index_title = _("Settings and data")
admin.site.site_url = "/"


@admin.register(User)
class RenkeiUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "email", "role", "team", "is_active", "last_login")
    list_filter = ("role", "team", "is_active")
    list_select_related = ("team",)
    search_fields = ("username", "last_name", "first_name", "email")
    ordering = ("last_name", "first_name", "username")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("last_name", "first_name", "email", "language")}),
        (_("Role and team"), {"fields": ("role", "team", "is_active")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fields = (
        "username", "last_name", "first_name", "email", "role", "team", "password1", "password2",
    )  # fmt: skip
    add_fieldsets = ((None, {"classes": ("wide",), "fields": add_fields}),)
    readonly_fields = ("last_login", "date_joined")

    @admin.display(description=_("name"))
    def display_name(self, obj: User) -> str:
        return obj.display_name

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # Administration is the admin role's: staff status follows the role.
        obj.is_staff = obj.role == Role.ADMIN or obj.is_superuser
        super().save_model(request, obj, form, change)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "function", "member_count")
    list_filter = ("function",)
    search_fields = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj: Team) -> int:
        return obj.member_count  # type: ignore[attr-defined]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "time_zone", "default_language", "fiscal_year_start_month")
    fields = (
        "name", "default_language", "time_zone", "fiscal_year_start_month",
        "business_day_start", "business_day_end", "workdays", "observe_public_holidays",
        "close_year_end",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one row, created by Organisation.current()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        Organisation.current()
        return super().get_queryset(request)

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        services.update_organisation(
            actor=request.user,  # type: ignore[arg-type]
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    search_fields = ("name",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # remove and add again; each is audited

    def save_model(self, request: HttpRequest, obj: ClosedDay, form: Any, change: bool) -> None:
        day = services.add_closed_day(
            actor=request.user,  # type: ignore[arg-type]
            date=form.cleaned_data["date"],
            name=form.cleaned_data["name"],
        )
        obj.pk = day.pk

    def delete_model(self, request: HttpRequest, obj: ClosedDay) -> None:
        services.remove_closed_day(obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ClosedDay]) -> None:
        for day in queryset:
            services.remove_closed_day(day, actor=request.user)  # type: ignore[arg-type]


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is written by the application only; administrators may read it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_label", "object_id")
    list_select_related = ("content_type",)
    show_full_result_count = False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            revoke_api_token(token=token)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens))
            % {"count": len(tokens)},
            messages.SUCCESS,
        )
