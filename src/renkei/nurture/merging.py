"""Email records when two contacts are merged (renkei.contacts.dedup): registered as a merge
preparer, run before the rows move, so the move breaks no unique constraint.

- A send both contacts are recipients of keeps the survivor's message; the duplicate's is
  kept as a record of that address (contact emptied, as when a contact is deleted).
- A sequence both are enrolled in keeps the survivor's enrollment; the duplicate's history
  moves onto it and its enrollment is removed.
Lawful exceptions and every other row simply move to the survivor.
"""

from __future__ import annotations

from django.db import models

from renkei.contacts.dedup.services import register_merge_preparer
from renkei.nurture.models import Enrollment, EnrollmentEvent, Message


def prepare_email_merge(survivor: models.Model, duplicate: models.Model) -> None:
    if survivor._meta.model_name != "contact":
        return
    shared_sends = Message.objects.filter(contact=survivor).values("send_id")
    Message.objects.filter(contact=duplicate, send_id__in=shared_sends).update(contact=None)
    mine = dict(Enrollment.objects.filter(contact=survivor).values_list("sequence_id", "pk"))
    for theirs in Enrollment.objects.filter(contact=duplicate, sequence_id__in=list(mine)):
        EnrollmentEvent.objects.filter(enrollment=theirs).update(
            enrollment_id=mine[theirs.sequence_id]
        )
        theirs.delete()


register_merge_preparer(prepare_email_merge)
