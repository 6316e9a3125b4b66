"""Content assets: writes (audited), the link between touches and content, and the content
map (stage × persona) with the content that moves people forward.

Which touches belong to an asset (also in docs/guide/marketing.md): a page view, a download
or a form submission whose URL, compared by `url_key` (host without "www.", path without
trailing slash; scheme, query and fragment ignored), is the asset's URL. Page views and form
submissions carry the page's address; a download carries the downloaded file's address
(renkei.js sends one when a visitor clicks a link to a PDF, Office file, ZIP or video, or
calls `renkei.download(url)`). Touches are linked when recorded and, for touches recorded
before the asset existed or when its URL changes, by the worker (link_touches).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.core.models import User
from renkei.funnel.choices import MoveKind
from renkei.funnel.models import StageChange
from renkei.marketing.choices import BuyerStage, TouchType
from renkei.marketing.models import ContentAsset, Persona, Touch, url_key

logger = logging.getLogger(__name__)

CONTENT_FIELDS = {"title", "kind", "url", "buyer_stage", "campaign", "description"}
CONTENT_TOUCH_TYPES = (TouchType.PAGE_VIEW, TouchType.DOWNLOAD, TouchType.FORM_SUBMIT)
# "Moves people forward": a forward stage move within this long after the first touch.
FORWARD_WINDOW = dt.timedelta(days=90)


def content_ids_for(urls: Iterable[str]) -> dict[str, int]:
    """The content id of each URL key that names an asset (one query)."""
    keys = {k for k in (url_key(u) for u in urls if u) if k}
    if not keys:
        return {}
    return dict(ContentAsset.objects.filter(url_key__in=keys).values_list("url_key", "pk"))


def _snapshot(asset: ContentAsset) -> dict[str, Any]:
    values = audit.snapshot(asset)
    values["personas"] = sorted(asset.personas.values_list("pk", flat=True))
    return values


def _apply(asset: ContentAsset, values: dict[str, Any]) -> None:
    unknown = set(values) - CONTENT_FIELDS
    if unknown:
        raise ValueError(f"not writable here: {sorted(unknown)}")
    for key, value in values.items():
        setattr(asset, key, value.strip() if isinstance(value, str) else value)
    asset.full_clean(exclude=["created_at"])


def _enqueue_link(asset_id: int) -> None:
    from renkei.marketing.tasks import link_content_touches

    transaction.on_commit(lambda: link_content_touches.enqueue(asset_id))


@transaction.atomic
def create_content(
    *, actor: User | None, personas: Iterable[Persona] = (), link: bool = True, **values: Any
) -> ContentAsset:
    """Create an asset; earlier touches of its URL are linked by the worker (bulk loaders
    that link themselves pass `link=False`)."""
    asset = ContentAsset(created_at=timezone.now())
    _apply(asset, values)
    asset.save()
    asset.personas.set(list(personas))
    audit.record(
        asset, action=AuditAction.CREATE, actor=actor, changes=audit.diff({}, _snapshot(asset))
    )
    if link:
        _enqueue_link(asset.pk)
    return asset


@transaction.atomic
def update_content(
    asset: ContentAsset,
    *,
    actor: User | None,
    personas: Iterable[Persona] | None = None,
    **values: Any,
) -> ContentAsset:
    asset = ContentAsset.objects.select_for_update().get(pk=asset.pk)
    before = _snapshot(asset)
    _apply(asset, values)
    asset.save()
    if personas is not None:
        asset.personas.set(list(personas))
    changes = audit.diff(before, _snapshot(asset))
    audit.record(asset, action=AuditAction.UPDATE, actor=actor, changes=changes)
    if "url_key" in changes:
        _enqueue_link(asset.pk)
    return asset


@transaction.atomic
def delete_content(asset: ContentAsset, *, actor: User | None) -> None:
    """Delete an asset; its touches stay, unlinked."""
    audit.record(
        asset, action=AuditAction.DELETE, actor=actor, changes=audit.diff(_snapshot(asset), {})
    )
    asset.delete()


def link_touches(asset_id: int) -> int:
    """Link the touches of the asset's URL recorded without it, unlink those no longer of
    its URL; returns how many were linked. Scans touches whose URL contains the asset's
    path, so it runs in the worker."""
    asset = ContentAsset.objects.filter(pk=asset_id).first()
    if asset is None:
        return 0
    linked = list(Touch.objects.filter(content=asset).values_list("pk", "url"))
    stale = [pk for pk, url in linked if url_key(url) != asset.url_key]
    Touch.objects.filter(pk__in=stale).update(content=None)
    host = asset.url_key.split("/", 1)[0].split(":", 1)[0]
    candidates = Touch.objects.filter(
        type__in=CONTENT_TOUCH_TYPES, content__isnull=True, url__icontains=host
    ).values_list("pk", "url")
    matching = [
        pk for pk, url in candidates.iterator(chunk_size=5000) if url_key(url) == asset.url_key
    ]
    Touch.objects.filter(pk__in=matching).update(content=asset)
    return len(matching)


# --- the content map ------------------------------------------------------------------
@dataclass
class Cell:
    stage: str
    persona_id: int | None
    assets: int = 0
    touches: int = 0

    @property
    def missing(self) -> bool:
        return self.assets == 0


@dataclass
class ContentMap:
    personas: list[Persona]
    rows: list[tuple[str, str, list[Cell]]]  # (stage, label, cells: one per persona, then "any")
    missing: int


def content_map() -> ContentMap:
    """Assets and their touches by buyer stage × persona. An asset for several personas
    counts in each of their columns; an asset for no persona in the "any persona" column."""
    personas = list(Persona.objects.order_by("name", "id"))
    assets = dict(ContentAsset.objects.values_list("pk", "buyer_stage"))
    touch_counts = dict(
        Touch.objects.filter(content__isnull=False)
        .values("content")
        .annotate(n=Count("id"))
        .values_list("content", "n")
    )
    links = defaultdict(list)
    for asset_id, persona_id in ContentAsset.personas.through.objects.values_list(
        "contentasset_id", "persona_id"
    ):
        links[asset_id].append(persona_id)
    cells = {
        (s, p): Cell(s, p) for s in BuyerStage.values for p in [*(x.pk for x in personas), None]
    }
    for asset_id, stage in assets.items():
        for persona_id in links.get(asset_id) or [None]:
            cell = cells[(stage, persona_id)]
            cell.assets += 1
            cell.touches += touch_counts.get(asset_id, 0)
    rows = [
        (s, label, [cells[(s, p.pk)] for p in personas] + [cells[(s, None)]])
        for s, label in BuyerStage.choices
    ]
    missing = sum(1 for (s, p), c in cells.items() if p is not None and c.missing)
    return ContentMap(personas=personas, rows=rows, missing=missing)


@dataclass
class ContentEffect:
    """Of the contacts who viewed, downloaded or submitted a form on the asset, how many
    made a forward stage move within FORWARD_WINDOW after their first touch with it."""

    contacts: int = 0
    moved_forward: int = 0

    @property
    def share(self) -> float | None:
        return round(100 * self.moved_forward / self.contacts, 1) if self.contacts else None


def content_effects(asset_ids: Iterable[int] | None = None) -> dict[int, ContentEffect]:
    """ContentEffect per asset, computed from touches and StageChange events."""
    firsts = Touch.objects.filter(content__isnull=False, contact__isnull=False)
    if asset_ids is not None:
        firsts = firsts.filter(content_id__in=list(asset_ids))
    firsts = firsts.values("content_id", "contact_id").annotate(first=Min("at"))
    rows = firsts.values_list("content_id", "contact_id", "first")
    effects: dict[int, ContentEffect] = defaultdict(ContentEffect)
    pairs = list(rows)
    if not pairs:
        return {}
    contact_ids = {contact for _asset, contact, _first in pairs}
    moves = defaultdict(list)
    for contact_id, at in StageChange.objects.filter(
        contact_id__in=contact_ids, kind=MoveKind.FORWARD
    ).values_list("contact_id", "at"):
        moves[contact_id].append(at)
    for asset_id, contact_id, first in pairs:
        effect = effects[asset_id]
        effect.contacts += 1
        if any(first < at <= first + FORWARD_WINDOW for at in moves.get(contact_id, ())):
            effect.moved_forward += 1
    return dict(effects)


def content_stats(asset_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Views, downloads and form submissions per asset (one query)."""
    stats: dict[int, dict[str, int]] = defaultdict(lambda: {"views": 0, "downloads": 0, "forms": 0})
    names = {
        TouchType.PAGE_VIEW: "views",
        TouchType.DOWNLOAD: "downloads",
        TouchType.FORM_SUBMIT: "forms",
    }
    for content_id, type_, n in (
        Touch.objects.filter(content_id__in=list(asset_ids))
        .values("content_id", "type")
        .annotate(n=Count("id"))
        .values_list("content_id", "type", "n")
    ):
        if type_ in names:
            stats[content_id][names[type_]] = n
    return stats
