"""Persona pages for marketing: list, create, edit, delete, the contacts matched to a
persona, re-matching on demand, and choosing a contact's persona by hand."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.contacts.choices import EmployeeBand, Industry, Prefecture, Region
from renkei.contacts.models import Contact
from renkei.core.choices import Role
from renkei.core.permissions import role_required
from renkei.marketing import personas as services
from renkei.marketing.forms import PersonaForm
from renkei.marketing.models import Persona
from renkei.marketing.tasks import match_all_personas

MARKETING = (Role.MARKETING,)


@role_required(*MARKETING)
@require_GET
def persona_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "marketing/persona_list.html",
        {"personas": services.personas_with_counts(), "unmatched": _unmatched_count()},
    )


def _unmatched_count() -> int:
    return Contact.objects.filter(persona_match__isnull=True).count()


def _edit(request: HttpRequest, persona: Persona | None) -> HttpResponse:
    form = PersonaForm.for_persona(persona, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if persona is None:
                persona = services.create_persona(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            else:
                persona = services.update_persona(persona, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("The persona was saved. Contacts are being matched again in the background."),
            )
            return redirect("marketing:persona_detail", pk=persona.pk)
    return render(
        request,
        "marketing/persona_edit.html",
        {"persona": persona, "form": form},
        status=422 if form.is_bound and form.errors else 200,
    )


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def persona_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def persona_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Persona, pk=pk))


@role_required(*MARKETING)
@require_GET
def persona_detail(request: HttpRequest, pk: int) -> HttpResponse:
    persona = get_object_or_404(Persona, pk=pk)
    matches = persona.matches.select_related("contact__account").order_by(
        "-manual", "-matched_at", "-id"
    )
    page = Paginator(matches, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    criteria = {
        "industries": [Industry(v).label for v in persona.industries],
        "employee_bands": [EmployeeBand(v).label for v in persona.employee_bands],
        "locations": [Region(v).label for v in persona.regions]
        + [Prefecture(v).label for v in persona.prefectures],
    }
    return render(
        request,
        "marketing/persona_detail.html",
        {"persona": persona, "page": page, "criteria": criteria},
    )


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def persona_delete(request: HttpRequest, pk: int) -> HttpResponse:
    persona = get_object_or_404(Persona, pk=pk)
    if request.method == "POST":
        services.delete_persona(persona, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The persona %(name)s was deleted.") % {"name": persona.name})
        return redirect("marketing:personas")
    return render(
        request,
        "marketing/persona_delete.html",
        {"persona": persona, "match_count": persona.matches.count()},
    )


@role_required(*MARKETING)
@require_POST
def persona_rematch(request: HttpRequest) -> HttpResponse:
    match_all_personas.enqueue()
    messages.success(request, _("Every contact is being matched again in the background."))
    return redirect("marketing:personas")


@role_required(*MARKETING)
@require_POST
def contact_persona(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk)
    value = request.POST.get("persona", "")
    persona = None
    if value:
        persona = Persona.objects.filter(pk=value).first() if value.isdigit() else None
        if persona is None:
            messages.error(request, _("Choose a persona from the list."))
            return redirect("web:contact_detail", pk=contact.pk)
    match = services.choose_persona(contact, persona, actor=request.user)  # type: ignore[arg-type]
    if persona is not None:
        messages.success(request, _("Persona set to %(name)s.") % {"name": persona.name})
    elif match is not None:
        messages.success(
            request, _("Persona matched automatically: %(name)s.") % {"name": match.persona.name}
        )
    else:
        messages.success(request, _("Persona matched automatically: this contact fits none."))
    return redirect("web:contact_detail", pk=contact.pk)
