from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    """Who made a change: a person, the system (imports, integrations) or a rule."""

    USER = "user", _("User")
    SYSTEM = "system", _("System")
    RULE = "rule", _("Rule")


class MoveKind(models.TextChoices):
    ENTER = "enter", _("Entered the funnel")
    FORWARD = "forward", _("Moved forward")
    RECYCLE = "recycle", _("Recycled")
