"""What happens to marketing rows when two duplicate contacts are merged
(renkei.contacts.dedup): registered as a merge preparer, run before the rows move.

- Both in one campaign: one membership is kept, with the status that changed last, the
  earlier "added" time and both status histories.
- Personas: a persona chosen by hand wins (the survivor's if both were); otherwise the
  survivor's match is kept and the periodic matching re-checks the merged contact.
"""

from __future__ import annotations

from django.db import models

from renkei.contacts.dedup.services import register_merge_preparer
from renkei.contacts.models import Contact
from renkei.marketing.models import CampaignMember, CampaignMemberChange, PersonaMatch


@register_merge_preparer
def prepare_contact_merge(survivor: models.Model, duplicate: models.Model) -> None:
    if not isinstance(survivor, Contact) or not isinstance(duplicate, Contact):
        return
    mine = {m.campaign_id: m for m in CampaignMember.objects.filter(contact=survivor)}
    for theirs in CampaignMember.objects.filter(contact=duplicate, campaign_id__in=list(mine)):
        keep = mine[theirs.campaign_id]
        CampaignMemberChange.objects.filter(member=theirs).update(member=keep)
        if theirs.updated_at > keep.updated_at:
            keep.status, keep.updated_at = theirs.status, theirs.updated_at
        keep.created_at = min(keep.created_at, theirs.created_at)
        keep.save(update_fields=["status", "updated_at", "created_at"])
        theirs.delete()

    survivor_match = PersonaMatch.objects.filter(contact=survivor).first()
    duplicate_match = PersonaMatch.objects.filter(contact=duplicate).first()
    if survivor_match is None or duplicate_match is None:
        return  # the merge moves the only one there is
    if duplicate_match.manual and not survivor_match.manual:
        survivor_match.delete()  # the duplicate's hand-picked persona moves over
    else:
        duplicate_match.delete()
