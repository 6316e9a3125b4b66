"""The score panel on a contact's page (registered with renkei.contacts.panels)."""

from __future__ import annotations

from django.http import HttpRequest

from renkei.contacts.models import Contact
from renkei.contacts.panels import ContactPanel, register_panel
from renkei.scoring.compute import active_rule_set
from renkei.scoring.explain import explain


@register_panel
def score_panel(request: HttpRequest, contact: Contact) -> ContactPanel:
    return ContactPanel(
        template="scoring/partials/contact_score.html",
        context={"explanation": explain(contact), "active": active_rule_set()},
        order=5,
    )
