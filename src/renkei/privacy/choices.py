from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestKind(models.TextChoices):
    """What the person asks for (APPI Art. 33–35; GDPR Art. 15–21)."""

    DISCLOSURE = "disclosure", _("Disclosure")
    CORRECTION = "correction", _("Correction")
    ERASURE = "erasure", _("Erasure")
    STOP_USE = "stop_use", _("Stop of use")


class Regime(models.TextChoices):
    """Which law's deadline applies: APPI "without delay" (a target in days) or GDPR's
    one month."""

    APPI = "appi", _("APPI (Japan)")
    GDPR = "gdpr", _("GDPR (EU/EEA)")


class IdentityStatus(models.TextChoices):
    """Whether the requester was confirmed to be the person (or their agent)."""

    PENDING = "pending", _("Not yet verified")
    VERIFIED = "verified", _("Verified")
    FAILED = "failed", _("Could not be verified")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("privacy request", "Received")
    IN_PROGRESS = "in_progress", pgettext_lazy("privacy request", "In progress")
    COMPLETED = "completed", pgettext_lazy("privacy request", "Completed")
    REFUSED = "refused", pgettext_lazy("privacy request", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("privacy request", "Withdrawn")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class EventKind(models.TextChoices):
    """One step in a request's history."""

    RECEIVED = "received", pgettext_lazy("privacy event", "Received")
    UPDATED = "updated", pgettext_lazy("privacy event", "Updated")
    CONTACTS_LINKED = "contacts", pgettext_lazy("privacy event", "Contacts linked")
    EXPORTED = "exported", pgettext_lazy("privacy event", "Disclosure exported")
    STOPPED_USE = "stopped_use", pgettext_lazy("privacy event", "Use stopped")
    ERASED = "erased", pgettext_lazy("privacy event", "Erased")
    OVERDUE = "overdue", pgettext_lazy("privacy event", "Overdue")
    SEEN_AGAIN = "seen_again", pgettext_lazy("privacy event", "Seen again and reviewed")


class HitSource(models.TextChoices):
    """Where an erased person's email or phone came back."""

    IMPORT = "import", pgettext_lazy("tombstone hit", "Import")
    FORM = "form", pgettext_lazy("tombstone hit", "Form")
