"""Softmax and cross-entropy losses from scratch in NumPy, numerically stable.

For logits s (one score per class) the log-softmax is computed with the max shift
m = max_k s_k:

    log softmax(s)_c = s_c - m - log sum_k exp(s_k - m),

which equals s_c - log sum_k exp(s_k) exactly but never overflows: every exp(s_k - m) lies in
(0, 1] and the largest is 1, so the sum lies in [1, C]. Float32 logits are computed in float32,
float64 in float64 (integers become float64). ``course_lib.torch.losses`` and
``course_lib.keras.losses`` hold the same sequence loss in the two frameworks.

Book: Chapter 3, "Learning from one modality" (cross-entropy and the sequence loss).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from course_lib._training_common import check_labels, check_sequence_loss_shapes

__all__ = [
    "cross_entropy",
    "log_softmax",
    "perplexity",
    "sequence_cross_entropy",
    "soft_cross_entropy",
    "softmax",
]


def _logits(logits: ArrayLike, name: str = "logits") -> np.ndarray:
    array = np.asarray(logits)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name}: expected a real-valued array, got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{name}: expected a real-valued array, got dtype {array.dtype}")
    if not np.issubdtype(array.dtype, np.floating) or array.dtype == np.float16:
        array = array.astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: expected finite values, got nan or inf")
    return array


def _classes(array: np.ndarray, ndim: int, layout: str) -> None:
    if array.ndim != ndim or array.shape[-1] == 0 or array.shape[0] == 0:
        raise ValueError(
            f"logits: expected an array {layout} with at least one row and one class, "
            f"got shape {array.shape}"
        )


def log_softmax(logits: ArrayLike, axis: int = -1) -> np.ndarray:
    """Stable log-softmax along ``axis``: s_c - m - log sum_k exp(s_k - m), m = max_k s_k.

    Same shape and float dtype as ``logits``; equals ``torch.nn.functional.log_softmax``.

    Book: Chapter 3, "Learning from one modality".
    """
    array = _logits(logits)
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise TypeError(f"axis: expected an int, got {type(axis).__name__} ({axis!r})")
    if not -array.ndim <= axis < array.ndim:
        raise ValueError(
            f"axis: expected an int in [{-array.ndim}, {array.ndim}) for logits of shape "
            f"{array.shape}, got {axis}"
        )
    if array.shape[axis] == 0:
        raise ValueError(f"logits: expected at least one class along axis {axis}, got 0")
    shifted = array - array.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(logits: ArrayLike, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis``: yhat_c = exp(s_c - m) / sum_k exp(s_k - m) = exp(log_softmax).

    Book: Chapter 3, "Learning from one modality".
    """
    return np.exp(log_softmax(logits, axis=axis))


def cross_entropy(logits: ArrayLike, labels: ArrayLike) -> float:
    """Mean cross-entropy of class labels: L = -(1/N) sum_i log softmax(s_i)_{y_i}.

    logits [N, C], labels int [N] in [0, C). This is L = -(1/N) sum_i sum_c y_ic log yhat_ic
    with one-hot y_ic = [c = y_i]; equals ``torch.nn.functional.cross_entropy`` and
    ``keras.losses.SparseCategoricalCrossentropy(from_logits=True)``.

    Book: Chapter 3, "Learning from one modality".
    """
    array = _logits(logits)
    _classes(array, 2, "[N, C]")
    labels = check_labels(labels, array.shape[0], array.shape[1], "labels")
    log_probs = log_softmax(array, axis=1)
    return float(-np.mean(log_probs[np.arange(array.shape[0]), labels]))


def soft_cross_entropy(logits: ArrayLike, targets: ArrayLike) -> float:
    """Cross-entropy of target distributions: L = -(1/N) sum_i sum_c y_ic log softmax(s_i)_c.

    logits [N, C]; targets [N, C] with y_ic >= 0 and sum_c y_ic = 1 (one-hot rows give
    :func:`cross_entropy`; soft rows, e.g. label smoothing, are allowed). Equals
    ``torch.nn.functional.cross_entropy`` with probability targets and
    ``keras.losses.CategoricalCrossentropy(from_logits=True)``.

    Book: Chapter 3, "Learning from one modality".
    """
    array = _logits(logits)
    _classes(array, 2, "[N, C]")
    y = _logits(targets, "targets")
    if y.shape != array.shape:
        raise ValueError(
            f"targets: expected an array [N, C] = {array.shape} (one distribution per row of "
            f"the logits), got shape {y.shape}"
        )
    sums = y.sum(axis=1)
    if np.any(y < 0) or not np.allclose(sums, 1.0, rtol=0.0, atol=1e-5):
        raise ValueError(
            "targets: expected rows of non-negative probabilities that sum to 1, got values "
            f"from {y.min()} to {y.max()} and row sums from {sums.min()} to {sums.max()}"
        )
    return float(-np.mean(np.sum(y * log_softmax(array, axis=1), axis=1)))


def sequence_cross_entropy(
    logits: ArrayLike, targets: ArrayLike, mask: ArrayLike | None = None
) -> float:
    """Masked per-step cross-entropy, averaged over the valid steps (tokens).

    logits [N, T, C], targets int [N, T], mask [N, T] (bool or 0/1; None means every step
    counts). With the token loss l_it = -log softmax(s_it)_{y_it},

        L = sum_{i,t} m_it l_it / sum_{i,t} m_it.

    The normalisation is per valid token over the whole batch, as
    ``torch.nn.functional.cross_entropy(..., ignore_index=pad)`` and Keras'
    ``SparseCategoricalCrossentropy(from_logits=True, ignore_class=pad)`` do with
    m_it = [y_it != pad]; for one sequence it is the course formula L = -(1/T) sum_t log
    yhat_{t, y_t}. Targets under m_it = 0 are never read (any integer, e.g. the pad id).

    Book: Chapter 3, "Learning from one modality".
    """
    array = _logits(logits)
    y = np.asarray(targets)
    m = np.ones(y.shape, dtype=bool) if mask is None else np.asarray(mask)
    check_sequence_loss_shapes(array.shape, y.shape, None if mask is None else m.shape)
    if y.dtype == bool or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"targets: expected integer class indices, got dtype {y.dtype}")
    if m.dtype != bool:
        if not np.issubdtype(m.dtype, np.number):
            raise TypeError(f"mask: expected booleans or 0/1 values, got dtype {m.dtype}")
        if not np.all((m == 0) | (m == 1)):
            raise ValueError(
                f"mask: expected booleans or 0/1 values, got values from {m.min()} to {m.max()}"
            )
        m = m.astype(bool)
    if not m.any():
        raise ValueError("mask: expected at least one valid step, got none")
    n_classes = array.shape[2]
    valid = y[m]
    if valid.min() < 0 or valid.max() >= n_classes:
        raise ValueError(
            f"targets: expected class indices in [0, {n_classes}) where mask is true, got "
            f"values from {valid.min()} to {valid.max()}"
        )
    log_probs = log_softmax(array[m], axis=1)
    return float(-np.mean(log_probs[np.arange(valid.size), valid]))


def perplexity(loss: float | ArrayLike) -> float | np.ndarray:
    """Perplexity of a mean cross-entropy (in nats): PPL = exp(L).

    The effective number of equally likely choices per token: a uniform guess over V words has
    L = log V and PPL = V. Accepts one loss (returns a float) or an array of losses (e.g. a
    history's per-epoch ``val_loss``).

    Book: Chapter 3, "Learning from one modality" (next-word prediction).
    """
    array = _logits(loss, "loss")
    if np.any(array < 0):
        raise ValueError(f"loss: expected a cross-entropy >= 0, got minimum {array.min()}")
    if array.ndim == 0:
        return math.exp(float(array))
    return np.exp(array)
