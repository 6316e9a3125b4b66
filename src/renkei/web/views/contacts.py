"""The contacts list, a contact's page with its funnel moves, and the contact forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renkei.contacts import services as contact_services
from renkei.contacts.choices import LifecycleStage
from renkei.contacts.forms import (
    ContactFilterForm,
    ContactForm,
    NewContactForm,
    account_options,
    add_service_errors,
)
from renkei.contacts.models import Account, Contact
from renkei.contacts.panels import panels_for
from renkei.core.permissions import ALL_ROLES, SALES_AND_MARKETING, role_required
from renkei.funnel import services as funnel
from renkei.funnel.forms import StageChangeForm, StatusChangeForm
from renkei.funnel.timeline import TimelineEntry, timeline_for
from renkei.web.htmx import render_page, wants_fragment

CONTACT_EDITORS = ALL_ROLES


@role_required(*ALL_ROLES)
def contact_list(request: HttpRequest) -> HttpResponse:
    form = ContactFilterForm(request.GET or None, user=request.user)  # type: ignore[arg-type]
    # The rule score in one join (a reverse one-to-one; contacts without one show "—").
    contacts = form.apply(Contact.objects.all()).with_related().select_related("score")
    page = Paginator(contacts, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render_page(
        request,
        "web/contacts/list.html",
        {"form": form, "page": page},
        partial="results",
    )


def _contact(pk: int) -> Contact:
    return get_object_or_404(Contact.objects.with_related(), pk=pk)


def _detail_context(
    request: HttpRequest,
    contact: Contact,
    *,
    stage_form: StageChangeForm | None = None,
    status_form: StatusChangeForm | None = None,
    stage_error: str = "",
    status_error: str = "",
) -> dict[str, Any]:
    user = request.user
    return {
        "contact": contact,
        "stage_form": stage_form or StageChangeForm(contact=contact, user=user),
        "status_form": status_form or StatusChangeForm(contact=contact, user=user),
        "stage_error": stage_error,
        "status_error": status_error,
        "timeline": group_timeline(timeline_for(contact)),
        "stage_path": _stage_path(contact),
        "panels": panels_for(request, contact),
    }


@dataclass
class TimelineItem:
    """A timeline entry and the entries made by the same move (a stage change sets the
    lead status at the same instant), shown together."""

    entry: TimelineEntry
    related: list[TimelineEntry] = field(default_factory=list)


def group_timeline(entries: list[TimelineEntry]) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for entry in entries:
        last = items[-1] if items else None
        if (
            last is not None
            and entry.kind == "status"
            and last.entry.kind == "stage"
            and entry.at == last.entry.at
            and entry.actor == last.entry.actor
        ):
            last.related.append(entry)
        else:
            items.append(TimelineItem(entry))
    return items


def _stage_path(contact: Contact) -> list[dict[str, Any]]:
    """The funnel's stages with the date this contact reached each one. Subscriber is an
    optional first step: shown only for contacts that were subscribers."""
    current = LifecycleStage.rank(contact.lifecycle_stage)
    return [
        {
            "stage": stage,
            "label": label,
            "at": contact.became_at(stage),
            "current": stage == contact.lifecycle_stage,
            "passed": LifecycleStage.rank(stage) < current,
        }
        for stage, label in LifecycleStage.choices
        if stage != LifecycleStage.SUBSCRIBER
        or contact.became_subscriber_at
        or contact.lifecycle_stage == LifecycleStage.SUBSCRIBER
    ]


@role_required(*ALL_ROLES)
@require_GET
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(pk)
    return render(request, "web/contacts/detail.html", _detail_context(request, contact))


def _funnel_response(
    request: HttpRequest, contact: Contact, context: dict[str, Any], *, ok: bool
) -> HttpResponse:
    """After a stage or status form: for htmx the funnel panel (and, out of band, the
    timeline, header badges and messages); otherwise a redirect or the whole page."""
    if wants_fragment(request):
        context["oob"] = True
        return render(
            request,
            "web/contacts/detail.html#funnel_update",
            context,
            status=200 if ok else 400,
        )
    if ok:
        return redirect("web:contact_detail", pk=contact.pk)
    return render(request, "web/contacts/detail.html", context, status=422)


def _funnel_form_view(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[StageChangeForm] | type[StatusChangeForm],
    name: str,
    apply: Callable[[Contact, dict[str, Any]], object],
    success: Callable[[Contact], str],
) -> HttpResponse:
    """Validate a stage or status form, call the funnel service, and answer for htmx or a
    plain POST. `name` is "stage" or "status": the form and error keys of the page."""
    contact = _contact(pk)
    user = request.user
    form = form_class(request.POST, contact=contact, user=user)  # type: ignore[arg-type]
    if not form.is_valid():
        context = _detail_context(request, contact, **{f"{name}_form": form})
        return _funnel_response(request, contact, context, ok=False)
    try:
        apply(contact, form.cleaned_data)
    except funnel.FunnelError as err:
        contact = _contact(pk)
        fresh = form_class(
            contact=contact,
            user=user,  # type: ignore[arg-type]
            initial={"reason": form.cleaned_data["reason"]},
        )
        context = _detail_context(
            request, contact, **{f"{name}_form": fresh, f"{name}_error": err.message}
        )
        return _funnel_response(request, contact, context, ok=False)
    contact = _contact(pk)
    messages.success(request, success(contact))
    return _funnel_response(request, contact, _detail_context(request, contact), ok=True)


@role_required(*SALES_AND_MARKETING)
@require_POST
def contact_change_stage(request: HttpRequest, pk: int) -> HttpResponse:
    return _funnel_form_view(
        request,
        pk,
        form_class=StageChangeForm,
        name="stage",
        apply=lambda contact, data: funnel.change_stage(
            contact,
            to_stage=data["to_stage"],
            actor=request.user,  # type: ignore[arg-type]
            reason=data["reason"],
            expected_stage=data["expected_stage"],
        ),
        success=lambda contact: (
            _("%(name)s moved to %(stage)s.")
            % {"name": contact.full_name, "stage": contact.get_lifecycle_stage_display()}
        ),
    )


@role_required(*SALES_AND_MARKETING)
@require_POST
def contact_change_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _funnel_form_view(
        request,
        pk,
        form_class=StatusChangeForm,
        name="status",
        apply=lambda contact, data: funnel.change_status(
            contact,
            to_status=data["to_status"],
            actor=request.user,  # type: ignore[arg-type]
            reason=data["reason"],
        ),
        success=lambda contact: (
            _("%(name)s is now “%(status)s”.")
            % {"name": contact.full_name, "status": contact.get_lead_status_display()}
        ),
    )


def _account_query(request: HttpRequest) -> str:
    source = request.POST if request.method == "POST" else request.GET
    return source.get("account_q", "").strip()[:200]


@role_required(*CONTACT_EDITORS)
def contact_new(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    if (account_id := request.GET.get("account", "")).isdigit():
        initial["account"] = Account.objects.filter(pk=int(account_id)).first()
    account_query = _account_query(request)
    if request.method == "POST" and "search_accounts" not in request.POST:
        form = NewContactForm(request.POST, account_query=account_query)
        if form.is_valid():
            try:
                contact = funnel.add_contact(
                    actor=request.user,  # type: ignore[arg-type]
                    stage=form.cleaned_data["stage"],
                    **form.service_values(),
                )
            except ValidationError as err:
                add_service_errors(form, err)
            except funnel.FunnelError as err:
                form.add_error(None, err.message)
            else:
                messages.success(request, _("Contact %(name)s added.") % {"name": contact})
                return redirect("web:contact_detail", pk=contact.pk)
        status = 422 if form.errors else 200
    elif request.method == "POST":
        # "Search" in the account chooser without JavaScript: show the form again with
        # the matching accounts, keeping what was typed.
        form = NewContactForm(initial=request.POST.dict(), account_query=account_query)
        status = 200
    else:
        form = NewContactForm(initial=initial, account_query=account_query)
        status = 200
    return render(request, "web/contacts/form.html", {"form": form}, status=status)


@role_required(*CONTACT_EDITORS)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(pk)
    account_query = _account_query(request)
    if request.method == "POST" and "search_accounts" not in request.POST:
        form = ContactForm(request.POST, account_query=account_query)
        if form.is_valid():
            try:
                contact_services.update_contact(
                    contact,
                    actor=request.user,  # type: ignore[arg-type]
                    **form.service_values(),
                )
            except ValidationError as err:
                add_service_errors(form, err)
            else:
                messages.success(request, _("Changes to %(name)s saved.") % {"name": contact})
                return redirect("web:contact_detail", pk=contact.pk)
        status = 422 if form.errors else 200
    elif request.method == "POST":
        form = ContactForm(initial=request.POST.dict(), account_query=account_query)
        status = 200
    else:
        form = ContactForm(initial=ContactForm.initial_for(contact), account_query=account_query)
        status = 200
    return render(
        request, "web/contacts/form.html", {"form": form, "contact": contact}, status=status
    )


@role_required(*CONTACT_EDITORS)
@require_GET
def account_choices(request: HttpRequest) -> HttpResponse:
    """The <option>s of the account chooser for a search (htmx swaps them in)."""
    selected_id = request.GET.get("account", "")
    selected = (
        Account.objects.filter(pk=int(selected_id)).first() if selected_id.isdigit() else None
    )
    options = account_options(_account_query(request), selected)
    # Typing a search picks its best match; no match keeps the current choice.
    matches = [value for value, _label in options[1:] if not selected or value != str(selected.pk)]
    chosen = matches[0] if matches else (str(selected.pk) if selected else "")
    return render(
        request,
        "web/contacts/account_options.html",
        {"options": options, "chosen": chosen},
    )
