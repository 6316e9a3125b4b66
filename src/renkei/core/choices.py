from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    """What a user does; decides which pages and actions they may use."""

    MARKETING = "marketing", _("Marketing")
    INSIDE_SALES = "inside_sales", _("Inside sales")
    FIELD_SALES = "field_sales", _("Field sales")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Admin")


class TeamFunction(models.TextChoices):
    MARKETING = "marketing", _("Marketing")
    INSIDE_SALES = "inside_sales", _("Inside sales")
    FIELD_SALES = "field_sales", _("Field sales")
    MANAGEMENT = "management", _("Management")


class AuditAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("audit action", "Created")
    UPDATE = "update", pgettext_lazy("audit action", "Updated")
    DELETE = "delete", pgettext_lazy("audit action", "Deleted")
    MERGE = "merge", pgettext_lazy("audit action", "Merged")
    EXPORT = "export", pgettext_lazy("audit action", "Exported")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
