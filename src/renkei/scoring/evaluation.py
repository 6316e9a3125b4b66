"""Evaluating the predictive score on a lead list with known outcomes.

Two validations, both honest about time:
- stratified k-fold cross-validation (every lead is scored by a model that never saw it);
- time-ordered validation when the mapping names an order column: rows sorted by it, each
  fold scored by a model trained only on the rows before it (train on the past, test on the
  later period), as the score will be used.

Metrics: ROC AUC, PR AUC, lift in the top decile (conversion among the 10 % highest scores ÷
overall conversion), expected calibration error (10 equal-width probability bins: the
size-weighted gap between mean predicted probability and observed conversion) and the Brier
score.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, TimeSeriesSplit

from renkei.scoring import model as scoring_model
from renkei.scoring.datasets import Dataset

FOLDS = 5


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    index = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        members = index == b
        if members.any():
            total += abs(p[members].mean() - y[members].mean()) * members.mean()
    return float(total)


def lift_top_decile(y: np.ndarray, p: np.ndarray) -> float:
    top = np.argsort(-p, kind="stable")[: max(1, len(p) // 10)]
    return float(y[top].mean() / y.mean())


def metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    return {
        "roc_auc": round(float(roc_auc_score(y, p)), 4),
        "pr_auc": round(float(average_precision_score(y, p)), 4),
        "lift_top_decile": round(lift_top_decile(y, p), 3),
        "ece": round(expected_calibration_error(y, p), 4),
        "brier": round(float(brier_score_loss(y, p)), 4),
    }


def _stratified(dataset: Dataset) -> np.ndarray:
    p = np.zeros(dataset.rows)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    for train, test in folds.split(dataset.X, dataset.y):
        fitted = scoring_model.build(dataset).fit(dataset.X[train], dataset.y[train])
        p[test] = fitted.predict_proba(dataset.X[test])[:, 1]
    return p


def _time_ordered(dataset: Dataset) -> dict[str, Any]:
    assert dataset.order is not None
    order = np.argsort(np.nan_to_num(dataset.order, nan=np.inf), kind="stable")
    X, y = dataset.X[order], dataset.y[order]
    scores, truth = [], []
    for train, test in TimeSeriesSplit(FOLDS).split(X):
        fitted = scoring_model.build(dataset).fit(X[train], y[train])
        scores.append(fitted.predict_proba(X[test])[:, 1])
        truth.append(y[test])
    p, t = np.concatenate(scores), np.concatenate(truth)
    return {"rows_scored": len(p), **metrics(t, p)}


def evaluate(dataset: Dataset, *, explain: int = 3) -> dict[str, Any]:
    """Cross-validated metrics of the predictive score on `dataset`, the features it used
    and the explanations of a few leads (highest, middle and lowest score)."""
    with scoring_model.threads():
        return _evaluate(dataset, explain=explain)


def _evaluate(dataset: Dataset, *, explain: int) -> dict[str, Any]:
    started = time.perf_counter()
    p = _stratified(dataset)
    result: dict[str, Any] = {
        "rows": dataset.rows,
        "skipped_rows": dataset.skipped,
        "positives": int(dataset.y.sum()),
        "validation": f"stratified {FOLDS}-fold cross-validation",
        **metrics(dataset.y, p),
        "features": [f.name for f in dataset.features],
        "feature_types": {f.name: f.type for f in dataset.features},
        "model": {"kind": "HistGradientBoostingClassifier", **scoring_model.PARAMS},
    }
    if dataset.order is not None:
        result["time_ordered"] = _time_ordered(dataset)
    if explain:
        fitted = scoring_model.build(dataset).fit(dataset.X, dataset.y)
        ranked = np.argsort(-p, kind="stable")
        picks = [ranked[0], ranked[len(ranked) // 2], ranked[-1]][:explain]
        result["examples"] = [
            {
                "row": int(i) + 1,
                "probability": round(float(p[i]), 3),
                "converted": bool(dataset.y[i]),
                "factors": [
                    {"feature": f.feature, "value": f.value, "effect": round(f.effect, 3)}
                    for f in scoring_model.explain(fitted, dataset.features, dataset.X[i])
                ],
            }
            for i in picks
        ]
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result
