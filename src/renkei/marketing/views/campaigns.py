"""Campaign pages for marketing: list, create, edit, delete, the campaign's roll-up and
members (add by email, change status with history, remove), and the UTM link builder."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.core.choices import Role
from renkei.core.permissions import role_required
from renkei.marketing import campaigns as services
from renkei.marketing.choices import CampaignType, MemberStatus
from renkei.marketing.forms import AddMembersForm, CampaignForm, MemberStatusForm, UtmLinkForm
from renkei.marketing.models import Campaign, CampaignMember, CampaignMemberChange, Touch

MARKETING = (Role.MARKETING,)


@role_required(*MARKETING)
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.select_related("owner").order_by(
        F("start_date").desc(nulls_last=True), "name", "id"
    )
    kind = request.GET.get("type", "")
    if kind in CampaignType.values:
        campaigns = campaigns.filter(type=kind)
    q = request.GET.get("q", "").strip()
    if q:
        campaigns = campaigns.filter(Q(name__icontains=q) | Q(utm_campaign__icontains=q))
    page = Paginator(campaigns, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    # Counted per table for the page's campaigns: joining members and touches at once
    # would multiply the rows.
    ids = [c.pk for c in page.object_list]
    members = dict(
        CampaignMember.objects.filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(n=Count("id"))
        .values_list("campaign_id", "n")
    )
    touches = dict(
        Touch.objects.filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(n=Count("id"))
        .values_list("campaign_id", "n")
    )
    for campaign in page.object_list:
        campaign.member_count = members.get(campaign.pk, 0)  # type: ignore[attr-defined]
        campaign.touch_count = touches.get(campaign.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "marketing/campaign_list.html",
        {
            "page": page,
            "types": CampaignType.choices,
            "type": kind,
            "q": q,
            "today": timezone.localdate(),
        },
    )


def _edit(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    if request.method == "POST":
        form = CampaignForm(request.POST, instance=campaign)
        if form.is_valid():
            values = form.service_values()
            try:
                if campaign is None:
                    campaign = services.create_campaign(actor=request.user, **values)  # type: ignore[arg-type]
                else:
                    campaign = services.update_campaign(campaign, actor=request.user, **values)  # type: ignore[arg-type]
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The campaign was saved."))
                return redirect("marketing:campaign_detail", pk=campaign.pk)
    else:
        form = CampaignForm(instance=campaign)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request, "marketing/campaign_edit.html", {"campaign": campaign, "form": form}, status=status
    )


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Campaign, pk=pk))


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def campaign_delete(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method == "POST":
        services.delete_campaign(campaign, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The campaign %(name)s was deleted.") % {"name": campaign.name})
        return redirect("marketing:campaigns")
    return render(
        request,
        "marketing/campaign_delete.html",
        {"campaign": campaign, "member_count": campaign.members.count()},
    )


def _detail_context(request: HttpRequest, campaign: Campaign, **extra: Any) -> dict[str, Any]:
    status = request.GET.get("status", "")
    members = campaign.members.select_related("contact__account").prefetch_related(
        Prefetch("changes", queryset=CampaignMemberChange.objects.select_related("actor"))
    )
    if status in MemberStatus.values:
        members = members.filter(status=status)
    page = Paginator(members, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    report = services.campaign_report(campaign)
    builder = (
        reverse("marketing:utm_builder") + "?" + urlencode({"utm_campaign": campaign.utm_campaign})
    )
    return {
        "campaign": campaign,
        "report": report,
        "page": page,
        "status": status,
        "statuses": MemberStatus.choices,
        "add_form": extra.pop("add_form", None) or AddMembersForm(initial={"status": "invited"}),
        "builder_url": builder,
        "personas": campaign.target_personas.all(),
        "budget_used": (
            round(100 * campaign.actual_cost / campaign.budget) if campaign.budget else None
        ),
        **extra,
    }


@role_required(*MARKETING)
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("owner"), pk=pk)
    return render(request, "marketing/campaign_detail.html", _detail_context(request, campaign))


@role_required(*MARKETING)
@require_POST
def campaign_members_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("owner"), pk=pk)
    form = AddMembersForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, campaign, add_form=form)
        return render(request, "marketing/campaign_detail.html", context, status=422)
    result = services.add_members_by_email(
        campaign,
        form.cleaned_data["emails"],
        status=form.cleaned_data["status"],
        actor=request.user,  # type: ignore[arg-type]
    )
    added = len(result.added)
    messages.success(
        request,
        ngettext("%(n)d member added.", "%(n)d members added.", added) % {"n": added}
        + (
            " " + _("%(n)d were members already.") % {"n": result.already} if result.already else ""
        ),
    )
    if result.unknown:
        messages.warning(
            request,
            _("No contact has these addresses: %(emails)s") % {"emails": ", ".join(result.unknown)},
        )
    return redirect("marketing:campaign_detail", pk=campaign.pk)


@role_required(*MARKETING)
@require_POST
def campaign_member_status(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    member = get_object_or_404(
        CampaignMember.objects.select_related("contact"), pk=member_id, campaign_id=pk
    )
    form = MemberStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
    else:
        try:
            services.change_member_status(
                member,
                form.cleaned_data["status"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except services.CampaignError as err:
            messages.warning(request, err.message)
        else:
            messages.success(
                request,
                _("%(name)s is now %(status)s.")
                % {
                    "name": member.contact.full_name,
                    "status": MemberStatus(form.cleaned_data["status"]).label,
                },
            )
    back = reverse("marketing:campaign_detail", args=[pk])
    query = request.POST.get("return_query", "")
    return redirect(f"{back}?{query}" if query and "//" not in query else back)


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def campaign_member_remove(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    member = get_object_or_404(
        CampaignMember.objects.select_related("contact", "campaign"), pk=member_id, campaign_id=pk
    )
    if request.method == "POST":
        services.remove_member(member, actor=request.user)  # type: ignore[arg-type]
        messages.success(
            request,
            _("%(name)s was taken out of the campaign.") % {"name": member.contact.full_name},
        )
        return redirect("marketing:campaign_detail", pk=pk)
    return render(request, "marketing/campaign_member_remove.html", {"member": member})


@role_required(*MARKETING)
@require_GET
def utm_builder(request: HttpRequest) -> HttpResponse:
    """Build a link: the form is sent with GET, so a built link can be bookmarked."""
    wanted = {"base_url", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"}
    submitted = "base_url" in request.GET
    if submitted:
        form = UtmLinkForm(request.GET)
    else:
        form = UtmLinkForm(initial={k: v for k, v in request.GET.items() if k in wanted})
    link = form.link() if submitted and form.is_valid() else ""
    code = request.GET.get("utm_campaign", "")
    return render(
        request,
        "marketing/utm_builder.html",
        {
            "form": form,
            "link": link,
            "campaign": Campaign.objects.filter(utm_campaign=code).first() if code else None,
            "codes": Campaign.objects.order_by("-start_date", "name").values_list(
                "utm_campaign", "name"
            )[:200],
        },
        status=422 if submitted and not link else 200,
    )
