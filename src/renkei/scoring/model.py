"""The predictive score: gradient-boosted trees over a lead's known attributes, with
per-lead explanations.

The model is scikit-learn's HistGradientBoostingClassifier: it takes numbers, categories and
blanks as they come, and its probabilities are well calibrated without a separate step on
lead lists of this kind (the evaluation measures it: expected calibration error). A lead's
explanation lists the attributes that raise or lower its score most: for each attribute, how
much the score's log-odds change when that attribute is taken away (set to blank, which the
model knows how to score). It is exact for what the model does with that one attribute given
the others, and reads as "Lead source: Reference — raises".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from renkei.scoring.datasets import Dataset, Feature, describe

# Chosen on the X Education list by stratified cross-validation (README: default boosting
# AUC 0.900); smaller steps with more of them and a little regularisation generalise better.
PARAMS = {
    "learning_rate": 0.05,
    "max_iter": 300,
    "max_leaf_nodes": 15,
    "l2_regularization": 1.0,
    "random_state": 0,
}


def threads() -> threadpool_limits:
    """Limit the model's native threads (OpenMP) to SCORING_THREADS while fitting or
    scoring. Spinning OpenMP threads on a machine whose cores are busy with web and
    worker processes made an evaluation 25 times slower (219 s against 8.7 s) than one
    thread."""
    return threadpool_limits(limits=settings.SCORING_THREADS)


def build(dataset: Dataset) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(categorical_features=dataset.categorical_mask, **PARAMS)


@dataclass(frozen=True)
class Factor:
    feature: str
    value: str
    effect: float  # change in log-odds this attribute brings

    @property
    def direction(self) -> str:
        return "raises" if self.effect > 0 else "lowers"


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def explain(
    model: HistGradientBoostingClassifier,
    features: list[Feature],
    x: np.ndarray,
    *,
    top: int = 3,
) -> list[Factor]:
    """The attributes of one lead (row `x`) that move its score most, strongest first."""
    filled = [j for j in range(len(features)) if not math.isnan(x[j])]
    if not filled:
        return []
    variants = np.repeat(x[np.newaxis, :], len(filled) + 1, axis=0)
    for row, j in enumerate(filled, start=1):
        variants[row, j] = np.nan
    log_odds = _logit(model.predict_proba(variants)[:, 1])
    effects = log_odds[0] - log_odds[1:]
    order = np.argsort(-np.abs(effects))[:top]
    return [
        Factor(
            features[filled[k]].name, describe(features[filled[k]], x[filled[k]]), float(effects[k])
        )
        for k in order
        if abs(effects[k]) >= 0.05
    ]
