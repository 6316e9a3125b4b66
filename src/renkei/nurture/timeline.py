"""Email on the contact timeline: messages sent to them and what their sequences did
(opens, clicks, unsubscribes, bounces are touches, shown by the marketing source)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from renkei.contacts.models import Contact
from renkei.funnel.timeline import TimelineEntry, register_source
from renkei.nurture.choices import MessageStatus
from renkei.nurture.models import EnrollmentEvent, Message


@register_source
def email_entries(contact: Contact, limit: int) -> Iterable[TimelineEntry]:
    messages = (
        Message.objects.filter(contact=contact, status=MessageStatus.SENT)
        .select_related("send__template")
        .order_by("-sent_at", "-id")[:limit]
    )
    for message in messages:
        yield TimelineEntry(
            at=message.sent_at,  # type: ignore[arg-type]
            kind="email",
            title=_("Sent the email %(name)s") % {"name": message.send.template.name},
            detail=message.send.name,
        )
    events = (
        EnrollmentEvent.objects.filter(enrollment__contact=contact)
        .select_related("enrollment__sequence")
        .order_by("-at", "-id")[:limit]
    )
    for event in events:
        yield TimelineEntry(
            at=event.at,
            kind="email",
            title=_("Sequence %(name)s: %(detail)s")
            % {"name": event.enrollment.sequence.name, "detail": event.detail},
        )
