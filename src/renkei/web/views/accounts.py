"""The accounts list, an account's page with its contacts, and the account form."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from renkei.contacts import services as contact_services
from renkei.contacts.choices import LifecycleStage
from renkei.contacts.forms import AccountFilterForm, AccountForm, add_service_errors
from renkei.contacts.models import Account
from renkei.core.permissions import ALL_ROLES, role_required
from renkei.web.htmx import render_page

ACCOUNT_EDITORS = ALL_ROLES


@role_required(*ALL_ROLES)
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET or None)
    accounts = form.apply(Account.objects.all()).with_contact_count().select_related("owner")
    page = Paginator(accounts, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render_page(
        request, "web/accounts/list.html", {"form": form, "page": page}, partial="results"
    )


@role_required(*ALL_ROLES)
@require_GET
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(Account.objects.select_related("owner"), pk=pk)
    contacts = account.contacts.select_related("owner").order_by(
        "family_name_kana", "given_name_kana", "id"
    )
    page = Paginator(contacts, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    counts = {
        row["lifecycle_stage"]: row["n"]
        for row in account.contacts.order_by().values("lifecycle_stage").annotate(n=Count("id"))
    }
    stage_counts = [
        {"stage": stage, "label": label, "count": counts.get(stage, 0)}
        for stage, label in LifecycleStage.choices
        if counts.get(stage)
    ]
    return render_page(
        request,
        "web/accounts/detail.html",
        {"account": account, "page": page, "stage_counts": stage_counts},
        partial="contacts",
    )


@role_required(*ACCOUNT_EDITORS)
def account_new(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = contact_services.create_account(
                actor=request.user,  # type: ignore[arg-type]
                **form.service_values(),
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, _("Account %(name)s added.") % {"name": account})
            return redirect("web:account_detail", pk=account.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "web/accounts/form.html", {"form": form}, status=status)


@role_required(*ACCOUNT_EDITORS)
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(Account, pk=pk)
    form = AccountForm(request.POST or None, initial=AccountForm.initial_for(account))
    if request.method == "POST" and form.is_valid():
        try:
            contact_services.update_account(
                account,
                actor=request.user,  # type: ignore[arg-type]
                **form.service_values(),
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": account.name})
            return redirect("web:account_detail", pk=account.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request, "web/accounts/form.html", {"form": form, "account": account}, status=status
    )
