"""Pages of the lead agreement: the active terms for everyone, drafts and approvals for
leaders, every earlier version readable."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.contacts.choices import SourceChannel
from renkei.core.choices import Role
from renkei.core.permissions import ALL_ROLES, role_required
from renkei.funnel import agreement as agreements
from renkei.funnel.choices import AgreementSide, AgreementStatus, Exclusion, RequiredField
from renkei.funnel.forms import AgreementForm, ApprovalForm
from renkei.funnel.models import LeadAgreement

LEADERS = (Role.MANAGER,)


@role_required(*ALL_ROLES)
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    versions = LeadAgreement.objects.prefetch_related("approvals__approver").order_by("-version")
    return render(
        request,
        "funnel/agreement_list.html",
        {"active": agreements.active_agreement(), "versions": versions},
    )


@role_required(*ALL_ROLES)
@require_GET
def agreement_detail(request: HttpRequest, version: int) -> HttpResponse:
    agreement = get_object_or_404(
        LeadAgreement.objects.prefetch_related("approvals__approver"), version=version
    )
    approved = {a.side: a for a in agreement.approvals.all()}
    sides = [
        {
            "side": side,
            "label": label,
            "approval": approved.get(side),
            "may_approve": agreement.status == AgreementStatus.DRAFT
            and side not in approved
            and agreements.may_approve(request.user, side)
            and all(a.approver_id != request.user.pk for a in approved.values()),
        }
        for side, label in AgreementSide.choices
    ]
    return render(
        request,
        "funnel/agreement_detail.html",
        {"agreement": agreement, "sides": sides, "terms": _terms(agreement)},
    )


def _terms(agreement: LeadAgreement) -> dict[str, list[str]]:
    """The agreement's chosen values as the labels people read."""
    return {
        "required": [str(RequiredField(v).label) for v in agreement.mql_required],
        "exclusions": [str(Exclusion(v).label) for v in agreement.mql_exclusions],
        "sources": [str(SourceChannel(v).label) for v in agreement.mql_sources],
    }


def _edit(request: HttpRequest, agreement: LeadAgreement | None) -> HttpResponse:
    if request.method == "POST":
        form = AgreementForm(request.POST)
        if form.is_valid():
            try:
                if agreement is None:
                    agreement = agreements.draft_agreement(actor=request.user, **form.values())
                else:
                    agreements.update_draft(agreement, actor=request.user, **form.values())
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            except agreements.AgreementError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("funnel:agreement_detail", version=agreement.version)
    else:
        base = agreement or agreements.active_agreement()
        form = AgreementForm(initial=AgreementForm.initial_from(base) if base else None)
    return render(request, "funnel/agreement_edit.html", {"form": form, "agreement": agreement})


@role_required(*LEADERS)
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@role_required(*LEADERS)
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, version: int) -> HttpResponse:
    agreement = get_object_or_404(LeadAgreement, version=version)
    if agreement.status != AgreementStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed; draft a new version instead."))
        return redirect("funnel:agreement_detail", version=version)
    return _edit(request, agreement)


@role_required(*LEADERS)
@require_POST
def agreement_approve(request: HttpRequest, version: int) -> HttpResponse:
    agreement = get_object_or_404(LeadAgreement, version=version)
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the side you approve for."))
    else:
        try:
            agreements.approve(
                agreement,
                actor=request.user,
                side=form.cleaned_data["side"],
                comment=form.cleaned_data["comment"],
            )
        except agreements.AgreementError as exc:
            messages.error(request, exc.message)
        else:
            agreement.refresh_from_db()
            if agreement.status == AgreementStatus.ACTIVE:
                messages.success(
                    request, _("Both sides approved: version %(v)d is now active.") % {"v": version}
                )
            else:
                messages.success(request, _("Your approval was recorded."))
    return redirect("funnel:agreement_detail", version=version)
