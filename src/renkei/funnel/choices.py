from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActorKind(models.TextChoices):
    """Who made a change: a person, the system (imports, integrations) or a rule."""

    USER = "user", _("User")
    SYSTEM = "system", _("System")
    RULE = "rule", _("Rule")


class MoveKind(models.TextChoices):
    ENTER = "enter", _("Entered the funnel")
    FORWARD = "forward", _("Moved forward")
    RECYCLE = "recycle", _("Recycled")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement", "Draft")
    ACTIVE = "active", pgettext_lazy("agreement", "Active")
    SUPERSEDED = "superseded", pgettext_lazy("agreement", "Superseded")


class AgreementSide(models.TextChoices):
    MARKETING = "marketing", pgettext_lazy("agreement side", "Marketing")
    SALES = "sales", pgettext_lazy("agreement side", "Sales")


class RequiredField(models.TextChoices):
    """What a lead must have to count as an MQL."""

    EMAIL = "email", _("An email address")
    PHONE = "phone", _("A phone number")
    COMPANY = "company", _("A company")
    TITLE = "title", _("A title")
    OPTED_IN = "opted_in", _("Consent to marketing email")


class Exclusion(models.TextChoices):
    """Leads that never count as MQLs under an agreement."""

    FREE_MAIL = "free_mail", _("Free-mail address only (no company domain)")
    COMPETITOR = "competitor", _("Competitor email domains")
    OPTED_OUT = "opted_out", _("Opted out of marketing")
