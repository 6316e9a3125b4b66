"""Callbacks run after touches are recorded, for apps above marketing (scoring rescores
the contact) without marketing importing them.

    from renkei.marketing.hooks import on_touch_recorded
    on_touch_recorded(lambda contact_ids: ...)

Marketing's touch-recording services (renkei.marketing.tracking: record_batch,
record_touch, identify_visitor) call `touches_recorded(contact_ids)`; the callbacks run
once the transaction commits, with the ids of the contacts that have new touches. A
callback should be quick (enqueue a task); an exception in one is logged, not raised, so a
scoring problem never loses a touch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)

TouchCallback = Callable[[list[int]], None]
_CALLBACKS: list[TouchCallback] = []


def on_touch_recorded(callback: TouchCallback) -> TouchCallback:
    """Register `callback(contact_ids)`; usable as a decorator. Registering twice is a no-op."""
    if callback not in _CALLBACKS:
        _CALLBACKS.append(callback)
    return callback


def touches_recorded(contact_ids: Iterable[int | None]) -> None:
    """Tell the registered callbacks, after commit, that these contacts have new touches."""
    ids = sorted({pk for pk in contact_ids if pk is not None})
    if not ids or not _CALLBACKS:
        return

    def run() -> None:
        for callback in list(_CALLBACKS):
            try:
                callback(ids)
            except Exception:
                logger.exception("touch callback %r failed", callback)

    transaction.on_commit(run)
