"""Evaluation metrics written from scratch with NumPy.

Book: Chapter 10 "Evaluating multimodal models" (classification metrics, ROC/AUC, retrieval
metrics); Chapter 1 and Chapter 7 use ``accuracy``, ``recall_at_k`` and ``mean_rank``.

Every function here agrees with scikit-learn where scikit-learn has the same metric
(``accuracy_score``, ``precision_recall_fscore_support(zero_division=0)``, ``confusion_matrix``,
``roc_curve(drop_intermediate=False)``, ``roc_auc_score``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "accuracy",
    "precision_recall_f1",
    "confusion_matrix",
    "roc_curve",
    "roc_auc",
    "recall_at_k",
    "mean_rank",
]

_AVERAGES = ("macro", "micro", "weighted", None)


# ------------------------------------------------------------------------------------ input checks
def _as_labels(name: str, values: ArrayLike) -> np.ndarray:
    """Return ``values`` as a non-empty 1-D int64 array of class labels."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array of class labels, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name}: expected at least one label, got an empty array")
    if arr.dtype.kind not in "biu":
        raise TypeError(
            f"{name}: expected integer class labels, got dtype {arr.dtype} "
            "(convert with .astype(int), or take argmax of scores first)"
        )
    return arr.astype(np.int64)


def _as_scores(name: str, values: ArrayLike, ndim: int) -> np.ndarray:
    """Return ``values`` as a non-empty, finite float64 array with ``ndim`` dimensions."""
    arr = np.asarray(values)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected real numbers, got dtype {arr.dtype}")
    if arr.ndim != ndim:
        what = "1-D array of scores" if ndim == 1 else "2-D array [n_queries, n_gallery]"
        raise ValueError(f"{name}: expected a {what}, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name}: expected at least one value, got shape {arr.shape}")
    arr = arr.astype(np.float64)
    n_bad = int(np.count_nonzero(~np.isfinite(arr)))
    if n_bad:
        raise ValueError(f"{name}: expected finite numbers, got {n_bad} NaN or infinite value(s)")
    return arr


def _check_same_length(y_true: np.ndarray, other: np.ndarray, other_name: str) -> None:
    if other.shape[0] != y_true.shape[0]:
        raise ValueError(
            f"{other_name}: expected length {y_true.shape[0]} (one per y_true entry), "
            f"got length {other.shape[0]}"
        )


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, with 0 where the denominator is 0 (sklearn's zero_division=0)."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    out = np.zeros(np.broadcast(numerator, denominator).shape)
    return np.divide(numerator, denominator, out=out, where=denominator != 0)


# ---------------------------------------------------------------------------------- classification
def accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Fraction of correct predictions.

    acc = (1/N) * sum_i 1[y_pred_i == y_true_i]

    Book: Chapter 10, classification metrics (used from Chapter 1 on).
    """
    y_true = _as_labels("y_true", y_true)
    y_pred = _as_labels("y_pred", y_pred)
    _check_same_length(y_true, y_pred, "y_pred")
    return float(np.mean(y_true == y_pred))


def _per_class_counts(
    y_true: np.ndarray, y_pred: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True positives, predicted counts and true counts per label of union(y_true, y_pred)."""
    labels = np.union1d(y_true, y_pred)
    true_idx = np.searchsorted(labels, y_true)
    pred_idx = np.searchsorted(labels, y_pred)
    n = labels.size
    tp = np.bincount(true_idx[true_idx == pred_idx], minlength=n)
    return tp, np.bincount(pred_idx, minlength=n), np.bincount(true_idx, minlength=n)


def precision_recall_f1(
    y_true: ArrayLike, y_pred: ArrayLike, average: str | None = "macro"
) -> tuple[float, float, float] | tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and F1 score.

    Per class c (one-vs-rest): P_c = TP_c / (TP_c + FP_c), R_c = TP_c / (TP_c + FN_c),
    F1_c = 2 P_c R_c / (P_c + R_c) = 2 TP_c / (2 TP_c + FP_c + FN_c); a 0/0 gives 0.
    The classes are the sorted union of the labels in ``y_true`` and ``y_pred``.

    average: None -> the per-class arrays; "macro" -> plain mean over classes;
    "weighted" -> mean weighted by the support (number of true samples) of each class;
    "micro" -> the formulas above on TP, FP, FN summed over classes.

    Book: Chapter 10, classification metrics.
    """
    if average not in _AVERAGES:
        raise ValueError(
            f"average: expected one of 'macro', 'micro', 'weighted' or None, got {average!r}"
        )
    y_true = _as_labels("y_true", y_true)
    y_pred = _as_labels("y_pred", y_pred)
    _check_same_length(y_true, y_pred, "y_pred")
    tp, n_pred, n_true = _per_class_counts(y_true, y_pred)
    if average == "micro":
        tp, n_pred, n_true = tp.sum(), n_pred.sum(), n_true.sum()
    precision = _safe_divide(tp, n_pred)
    recall = _safe_divide(tp, n_true)
    f1 = _safe_divide(2 * tp, n_true + n_pred)
    if average is None:
        return precision, recall, f1
    weights = n_true if average == "weighted" else None
    return tuple(float(np.average(v, weights=weights)) for v in (precision, recall, f1))


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, n_classes: int | None = None
) -> np.ndarray:
    """Counts C[i, j] = number of samples with true class i predicted as class j.

    Labels must be integers 0..n_classes-1; by default n_classes = max label + 1.
    Rows are true classes, columns predicted classes (as in scikit-learn).

    Book: Chapter 10, confusion matrix.
    """
    y_true = _as_labels("y_true", y_true)
    y_pred = _as_labels("y_pred", y_pred)
    _check_same_length(y_true, y_pred, "y_pred")
    observed = int(max(y_true.max(), y_pred.max())) + 1
    if n_classes is None:
        n_classes = observed
    elif not isinstance(n_classes, int | np.integer) or isinstance(n_classes, bool):
        raise TypeError(f"n_classes: expected an int or None, got {type(n_classes).__name__}")
    elif n_classes < observed:
        raise ValueError(
            f"n_classes: expected at least {observed} (largest label + 1), got {n_classes}"
        )
    for name, arr in (("y_true", y_true), ("y_pred", y_pred)):
        if arr.min() < 0:
            raise ValueError(f"{name}: expected labels in 0..n_classes-1, got {arr.min()}")
    counts = np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes).astype(np.int64)


# ------------------------------------------------------------------------------------- ROC and AUC
def _binary_inputs(y_true: ArrayLike, y_score: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y_true = _as_labels("y_true", y_true)
    y_score = _as_scores("y_score", y_score, ndim=1)
    _check_same_length(y_true, y_score, "y_score")
    values = np.unique(y_true)
    if not np.isin(values, (0, 1)).all():
        raise ValueError(f"y_true: expected binary labels 0/1, got values {values.tolist()}")
    if values.size < 2:
        raise ValueError(
            "y_true: ROC curve and AUC are undefined when only one class is present; "
            f"expected both 0 and 1, got only {int(values[0])}"
        )
    return y_true, y_score


def roc_curve(y_true: ArrayLike, y_score: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ROC curve of a binary scorer (label 1 is the positive class).

    For each distinct score t (from high to low), predict positive when score >= t:
    TPR(t) = TP(t) / P and FPR(t) = FP(t) / N. The curve starts at (0, 0) with threshold +inf.
    Every distinct threshold is kept (scikit-learn's ``drop_intermediate=False``).

    Returns (fpr, tpr, thresholds), each of length (number of distinct scores + 1).

    Book: Chapter 10, ROC curve and AUC.
    """
    y_true, y_score = _binary_inputs(y_true, y_score)
    order = np.argsort(-y_score, kind="stable")
    scores = y_score[order]
    last_of_each_threshold = np.r_[np.flatnonzero(np.diff(scores)), scores.size - 1]
    tps = np.cumsum(y_true[order])[last_of_each_threshold]
    fps = last_of_each_threshold + 1 - tps
    tpr = np.r_[0, tps] / tps[-1]
    fpr = np.r_[0, fps] / fps[-1]
    thresholds = np.r_[np.inf, scores[last_of_each_threshold]]
    return fpr, tpr, thresholds


def roc_auc(y_true: ArrayLike, y_score: ArrayLike) -> float:
    """Area under the ROC curve (trapezoid rule over all distinct thresholds).

    This equals the Mann-Whitney statistic: with positives i and negatives j,
    AUC = (1 / (P N)) * sum_i sum_j ( 1[s_i > s_j] + 1/2 * 1[s_i == s_j] ),
    the probability that a random positive scores above a random negative (ties count 1/2).

    Book: Chapter 10, ROC curve and AUC.
    """
    fpr, tpr, _ = roc_curve(y_true, y_score)
    return float(np.trapezoid(tpr, fpr))


# --------------------------------------------------------------------------------------- retrieval
def _best_relevant_rank(similarity: ArrayLike, relevant: ArrayLike | None) -> np.ndarray:
    """0-based rank of the best-ranked relevant gallery item of every query.

    Gallery items are sorted by decreasing similarity; equal similarities keep their column
    order (lower gallery index ranks first).
    """
    sim = _as_scores("similarity", similarity, ndim=2)
    n_queries, n_gallery = sim.shape
    if relevant is None:
        if n_queries > n_gallery:
            raise ValueError(
                "similarity: with relevant=None the match of row i is column i, so it needs "
                f"n_queries <= n_gallery; got shape {sim.shape} (pass `relevant` instead)"
            )
        rel = np.eye(n_queries, n_gallery, dtype=bool)
    else:
        rel = np.asarray(relevant)
        if rel.dtype != np.bool_:
            raise TypeError(
                f"relevant: expected a boolean array, got dtype {rel.dtype} "
                "(for example labels_q[:, None] == labels_g[None, :])"
            )
        if rel.shape != sim.shape:
            raise ValueError(
                f"relevant: expected shape {sim.shape} (same as similarity), got {rel.shape}"
            )
        empty = np.flatnonzero(~rel.any(axis=1))
        if empty.size:
            raise ValueError(
                f"relevant: every query needs at least one relevant gallery item; rows "
                f"{empty[:10].tolist()}{' ...' if empty.size > 10 else ''} have none"
            )
    order = np.argsort(-sim, axis=1, kind="stable")
    relevant_in_rank_order = np.take_along_axis(rel, order, axis=1)
    return relevant_in_rank_order.argmax(axis=1)


def recall_at_k(similarity: ArrayLike, k: int, relevant: ArrayLike | None = None) -> float:
    """Recall@K of a retrieval: the fraction of queries with a relevant item in their top k.

    R@K = (1/Q) * sum_q 1[ rank_q <= K ], where rank_q is the 1-based rank of the best-ranked
    relevant gallery item of query q when the gallery is sorted by decreasing similarity.

    similarity: [Q, G] scores (row = query, column = gallery item).
    relevant: optional bool [Q, G]; by default the match of row i is column i (needs Q <= G).
    Ties: equal similarities are ranked by gallery index, lower index first.

    Book: Chapter 7 and Chapter 10, retrieval metrics (first used in Chapter 1).
    """
    if not isinstance(k, int | np.integer) or isinstance(k, bool):
        raise TypeError(f"k: expected an int, got {type(k).__name__}")
    best = _best_relevant_rank(similarity, relevant)
    n_gallery = np.shape(similarity)[1]
    if not 1 <= k <= n_gallery:
        raise ValueError(f"k: expected 1 <= k <= {n_gallery} (gallery size), got {k}")
    return float(np.mean(best < k))


def mean_rank(similarity: ArrayLike, relevant: ArrayLike | None = None) -> float:
    """Mean over queries of the 1-based rank of the best-ranked relevant gallery item.

    MeanR = (1/Q) * sum_q rank_q  (1 is perfect; a random ranking gives about (G + 1) / 2
    with one relevant item). Same arguments and tie rule as ``recall_at_k``.

    Book: Chapter 7 and Chapter 10, retrieval metrics.
    """
    return float(np.mean(_best_relevant_rank(similarity, relevant) + 1))
