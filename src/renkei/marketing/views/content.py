"""Content pages for marketing: the asset list with views, downloads and the share of
readers who moved forward; create, edit, delete; an asset's page; and the content map."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from renkei.core.choices import Role
from renkei.core.permissions import role_required
from renkei.marketing import content as services
from renkei.marketing.choices import BuyerStage, ContentKind
from renkei.marketing.forms import ContentForm
from renkei.marketing.models import ContentAsset, Persona

MARKETING = (Role.MARKETING,)
FORWARD_DAYS = services.FORWARD_WINDOW.days


@role_required(*MARKETING)
@require_GET
def content_list(request: HttpRequest) -> HttpResponse:
    assets = ContentAsset.objects.select_related("campaign").prefetch_related("personas")
    stage, kind, persona = (request.GET.get(k, "") for k in ("stage", "kind", "persona"))
    if stage in BuyerStage.values:
        assets = assets.filter(buyer_stage=stage)
    if kind in ContentKind.values:
        assets = assets.filter(kind=kind)
    if persona == "none":
        assets = assets.filter(personas__isnull=True)
    elif persona.isdigit():
        assets = assets.filter(personas=persona)
    q = request.GET.get("q", "").strip()
    if q:
        assets = assets.filter(Q(title__icontains=q) | Q(url__icontains=q))
    page = Paginator(assets.order_by("title", "id"), settings.CONTACTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    ids = [a.pk for a in page.object_list]
    stats = services.content_stats(ids)
    effects = services.content_effects(ids)
    rows = [
        {"asset": a, "stats": stats.get(a.pk), "effect": effects.get(a.pk)}
        for a in page.object_list
    ]
    return render(
        request,
        "marketing/content_list.html",
        {
            "page": page,
            "rows": rows,
            "stages": BuyerStage.choices,
            "kinds": ContentKind.choices,
            "personas": Persona.objects.order_by("name").only("id", "name"),
            "filters": {"stage": stage, "kind": kind, "persona": persona, "q": q},
            "forward_days": FORWARD_DAYS,
        },
    )


def _edit(request: HttpRequest, asset: ContentAsset | None) -> HttpResponse:
    if request.method == "POST":
        form = ContentForm(request.POST, instance=asset)
        if form.is_valid():
            values = form.service_values()
            try:
                if asset is None:
                    asset = services.create_content(actor=request.user, **values)  # type: ignore[arg-type]
                else:
                    asset = services.update_content(asset, actor=request.user, **values)  # type: ignore[arg-type]
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The content was saved."))
                return redirect("marketing:content_detail", pk=asset.pk)
    else:
        initial = {k: request.GET[k] for k in ("buyer_stage",) if request.GET.get(k)}
        if request.GET.get("persona", "").isdigit():
            initial["personas"] = [request.GET["persona"]]
        form = ContentForm(instance=asset, initial=initial)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request, "marketing/content_edit.html", {"asset": asset, "form": form}, status=status
    )


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def content_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def content_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(ContentAsset, pk=pk))


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def content_delete(request: HttpRequest, pk: int) -> HttpResponse:
    asset = get_object_or_404(ContentAsset, pk=pk)
    if request.method == "POST":
        services.delete_content(asset, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The content %(title)s was deleted.") % {"title": asset.title})
        return redirect("marketing:content")
    return render(request, "marketing/content_delete.html", {"asset": asset})


@role_required(*MARKETING)
@require_GET
def content_detail(request: HttpRequest, pk: int) -> HttpResponse:
    asset = get_object_or_404(ContentAsset.objects.select_related("campaign"), pk=pk)
    touches = asset.touches.select_related("contact").order_by("-at", "-id")
    page = Paginator(touches, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "marketing/content_detail.html",
        {
            "asset": asset,
            "page": page,
            "stats": services.content_stats([asset.pk]).get(asset.pk),
            "effect": services.content_effects([asset.pk]).get(asset.pk),
            "forward_days": FORWARD_DAYS,
        },
    )


@role_required(*MARKETING)
@require_GET
def content_map(request: HttpRequest) -> HttpResponse:
    grid = services.content_map()
    effects = services.content_effects()
    movers = sorted(
        ((asset, effects[asset.pk]) for asset in ContentAsset.objects.filter(pk__in=list(effects))),
        key=lambda pair: (-(pair[1].share or 0), -pair[1].contacts, pair[0].title),
    )[:15]
    return render(
        request,
        "marketing/content_map.html",
        {"grid": grid, "movers": movers, "forward_days": FORWARD_DAYS},
    )
