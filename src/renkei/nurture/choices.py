"""Choices of the nurture app: send and message states, skip and suppression reasons,
lawful exceptions to opt-in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SendStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", pgettext_lazy("email send", "Sending")
    DONE = "done", pgettext_lazy("email send", "Finished")
    CANCELLED = "cancelled", pgettext_lazy("email send", "Cancelled")


class MessageStatus(models.TextChoices):
    """One recipient's message. `sending` is claimed by a worker; a message left there by a
    crash becomes `unknown` and is never sent again (at most once)."""

    QUEUED = "queued", pgettext_lazy("email message", "Queued")
    SENDING = "sending", pgettext_lazy("email message", "Sending")
    SENT = "sent", pgettext_lazy("email message", "Sent")
    FAILED = "failed", pgettext_lazy("email message", "Failed")
    SKIPPED = "skipped", pgettext_lazy("email message", "Skipped")
    UNKNOWN = "unknown", pgettext_lazy("email message", "Unknown (worker stopped)")


class SkipReason(models.TextChoices):
    NO_EMAIL = "no_email", _("No email address")
    SUPPRESSED = "suppressed", _("On the suppression list")
    OPTED_OUT = "opted_out", _("Opted out")
    NO_CONSENT = "no_consent", _("No recorded opt-in or lawful exception")
    DUPLICATE = "duplicate", _("Same address as another recipient")
    CANCELLED = "cancelled", pgettext_lazy("email message", "Send cancelled")


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Bounced")
    COMPLAINED = "complained", _("Complained (marked as spam)")
    MANUAL = "manual", _("Added by hand")


class LawfulBasis(models.TextChoices):
    """Why a contact may receive marketing email (特定電子メール法 §3(1))."""

    OPT_IN = "opt_in", _("Recorded opt-in")
    BUSINESS_CARD = "business_card", _("Gave their address in writing (business card)")
    BUSINESS_RELATIONSHIP = "business_relationship", _("Business relationship")
    PUBLISHED_ADDRESS = "published_address", _("Address published for business use")


EXCEPTION_BASES = [
    (LawfulBasis.BUSINESS_CARD.value, LawfulBasis.BUSINESS_CARD.label),
    (LawfulBasis.BUSINESS_RELATIONSHIP.value, LawfulBasis.BUSINESS_RELATIONSHIP.label),
    (LawfulBasis.PUBLISHED_ADDRESS.value, LawfulBasis.PUBLISHED_ADDRESS.label),
]


class StepKind(models.TextChoices):
    SEND = "send", _("Send an email")
    WAIT = "wait", _("Wait business days")
    BRANCH = "branch", _("Continue only if")
    NOTIFY = "notify", _("Notify a colleague")


class BranchCondition(models.TextChoices):
    OPENED = "opened", _("opened an email of this sequence")
    CLICKED = "clicked", _("clicked a link in an email of this sequence")
    STAGE = "stage", _("reached the stage")


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("enrollment", "Active")
    COMPLETED = "completed", pgettext_lazy("enrollment", "Completed")
    EXITED = "exited", pgettext_lazy("enrollment", "Exited")


class ExitReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed, suppressed or opted out")
    STAGE_REACHED = "stage_reached", _("Reached the exit stage")
    CONDITION = "condition", _("Did not meet a condition")
    STOPPED = "stopped", _("Sequence stopped")
