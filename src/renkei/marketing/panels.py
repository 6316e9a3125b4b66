"""The persona and campaign panels on a contact's page (registered with
renkei.contacts.panels)."""

from __future__ import annotations

from django.http import HttpRequest

from renkei.contacts.models import Contact
from renkei.contacts.panels import ContactPanel, register_panel
from renkei.core.choices import Role
from renkei.marketing.models import CampaignMember, Persona, PersonaMatch
from renkei.marketing.personas import explain


@register_panel
def persona_panel(request: HttpRequest, contact: Contact) -> ContactPanel:
    match = PersonaMatch.objects.select_related("persona", "actor").filter(contact=contact).first()
    can_choose = request.user.has_role(Role.MARKETING)  # type: ignore[union-attr]
    return ContactPanel(
        template="marketing/partials/contact_persona.html",
        context={
            "contact": contact,
            "match": match,
            "checks": explain(match.persona, contact) if match else [],
            "can_choose": can_choose,
            "personas": list(Persona.objects.only("id", "name")) if can_choose else [],
        },
        order=10,
    )


@register_panel
def campaigns_panel(request: HttpRequest, contact: Contact) -> ContactPanel | None:
    memberships = list(
        CampaignMember.objects.filter(contact=contact)
        .select_related("campaign")
        .order_by("-created_at", "-id")[:20]
    )
    if not memberships:
        return None
    return ContactPanel(
        template="marketing/partials/contact_campaigns.html",
        context={
            "memberships": memberships,
            "can_open": request.user.has_role(Role.MARKETING),  # type: ignore[union-attr]
        },
        order=20,
    )
