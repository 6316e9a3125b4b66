"""Weighted random choice with the cumulative weights computed once."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable


class Weighted[T]:
    """Items with relative weights; `pick` draws one with a given `random.Random`."""

    __slots__ = ("cum", "items")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items: list[T] = []
        weights: list[float] = []
        for item, weight in pairs:
            items.append(item)
            weights.append(weight)
        if not items:
            raise ValueError("nothing to choose from")
        self.items = items
        self.cum = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cum)[0]
