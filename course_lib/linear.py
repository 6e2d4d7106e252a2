"""The linear model, its two losses with hand-derived gradients, and plain gradient descent.

The model maps each sample x_i (D features) to K outputs, y_ik = sum_j w_kj x_ij + b_k, or for
all N samples at once Yhat = X W^T + b with X [N, D], W [K, D], b [K] and Yhat [N, K].

- mean squared error: L = 1/(N K) sum_ik (yhat_ik - y_ik)^2 (the mean over all entries, as in
  torch.nn.functional.mse_loss and keras.losses.MeanSquaredError);
- softmax cross-entropy: L = -(1/N) sum_i log softmax(yhat_i)[label_i];
- gradient descent: theta <- theta - alpha grad L(theta), on the whole training set each step.

``course_lib.torch.linear`` and ``course_lib.keras.linear`` train the same model with
automatic differentiation; from the same initial weights all three give the same loss curve.

Book: Chapter 3, section 3.1 "The linear model and gradient descent".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from numbers import Real

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "LOSSES",
    "check_linear_problem",
    "check_step_settings",
    "gradient_descent",
    "linear_model",
    "mse_loss_and_grad",
    "softmax_cross_entropy_loss_and_grad",
]

LOSSES = ("mse", "cross_entropy")


# ------------------------------------------------------------------------------------ input checks
def _as_float_array(name: str, values: ArrayLike, ndim: int, what: str) -> np.ndarray:
    """``values`` as a finite float64 array with ``ndim`` dimensions, else a clear error."""
    arr = np.asarray(values)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected real numbers, got dtype {arr.dtype}")
    if arr.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D array {what}, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name}: expected at least one value, got shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: expected finite numbers, got NaN or infinite values")
    return arr


def _check_weights(X: ArrayLike, W: ArrayLike, b: ArrayLike) -> tuple[np.ndarray, ...]:
    X = _as_float_array("X", X, 2, "[N samples, D features]")
    W = _as_float_array("W", W, 2, "[K outputs, D features]")
    b = _as_float_array("b", b, 1, "[K outputs]")
    if W.shape[1] != X.shape[1]:
        raise ValueError(
            f"W: expected {X.shape[1]} columns (one per feature of X), got shape {W.shape}"
        )
    if b.shape[0] != W.shape[0]:
        raise ValueError(f"b: expected length {W.shape[0]} (one per row of W), got shape {b.shape}")
    return X, W, b


def _check_targets(Y: ArrayLike, n_samples: int, n_outputs: int) -> np.ndarray:
    Y = _as_float_array("Y", Y, 2, "[N samples, K outputs] (use y.reshape(-1, 1) for K = 1)")
    if Y.shape != (n_samples, n_outputs):
        raise ValueError(
            f"Y: expected shape ({n_samples}, {n_outputs}) (one row per sample of X, one "
            f"column per output), got shape {Y.shape}"
        )
    return Y


def _check_labels(labels: ArrayLike, n_samples: int, n_classes: int) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels: expected integer class labels, got dtype {labels.dtype}")
    if labels.shape != (n_samples,):
        raise ValueError(
            f"labels: expected a 1-D array of length {n_samples} (one per sample of X), "
            f"got shape {labels.shape}"
        )
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(
            f"labels: expected classes 0..{n_classes - 1} (one per row of W), got values "
            f"from {labels.min()} to {labels.max()}"
        )
    return labels.astype(np.int64)


def check_linear_problem(
    X: ArrayLike, targets: ArrayLike, W: ArrayLike, b: ArrayLike, loss: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validate a linear-model problem and return (X, targets, W, b) as float64 / int64 arrays.

    loss="mse": targets Y [N, K] (float64); loss="cross_entropy": integer labels [N] in
    0..K-1 (int64). Shared by the NumPy, PyTorch and Keras versions so that all three reject
    the same bad input with the same message.

    Book: Chapter 3, section 3.1.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss: expected 'mse' or 'cross_entropy', got {loss!r}")
    X, W, b = _check_weights(X, W, b)
    if loss == "mse":
        return X, _check_targets(targets, X.shape[0], W.shape[0]), W, b
    return X, _check_labels(targets, X.shape[0], W.shape[0]), W, b


def check_step_settings(lr: object, n_steps: object) -> tuple[float, int]:
    """Validate a learning rate (a positive finite number) and a number of steps (int >= 0).

    Book: Chapter 3, section 3.1.
    """
    if isinstance(lr, bool) or not isinstance(lr, Real):
        raise TypeError(f"lr: expected a positive number, got {type(lr).__name__} ({lr!r})")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr: expected a positive finite number, got {lr!r}")
    if isinstance(n_steps, bool) or not isinstance(n_steps, int | np.integer):
        raise TypeError(f"n_steps: expected an int, got {type(n_steps).__name__} ({n_steps!r})")
    if n_steps < 0:
        raise ValueError(f"n_steps: expected an int >= 0, got {n_steps}")
    return float(lr), int(n_steps)


# --------------------------------------------------------------------------------- model and losses
def linear_model(X: ArrayLike, W: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Yhat = X W^T + b: row i holds y_ik = sum_j w_kj x_ij + b_k for every output k.

    X [N, D], W [K, D], b [K] -> Yhat [N, K] (float64).

    Book: Chapter 3, section 3.1, equation (ch03-eq-linear-model).
    """
    X, W, b = _check_weights(X, W, b)
    return X @ W.T + b


def mse_loss_and_grad(
    X: ArrayLike, Y: ArrayLike, W: ArrayLike, b: ArrayLike
) -> tuple[float, tuple[np.ndarray, np.ndarray]]:
    """Mean squared error of the linear model and its gradient: (L, (dL/dW, dL/db)).

    With E = Yhat - Y = X W^T + b - Y [N, K]:
    L = 1/(N K) sum_ik e_ik^2, dL/dW = 2/(N K) E^T X [K, D], dL/db = 2/(N K) sum_i e_i [K].

    Book: Chapter 3, section 3.1 (gradient of the MSE).
    """
    X, Y, W, b = check_linear_problem(X, Y, W, b, "mse")
    error = X @ W.T + b - Y
    scale = 2.0 / error.size
    return float(np.mean(error**2)), (scale * error.T @ X, scale * error.sum(axis=0))


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    """log softmax(z)_c = z_c - m - log sum_c' exp(z_c' - m) with m = max_c z_c (row by row)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_cross_entropy_loss_and_grad(
    X: ArrayLike, labels: ArrayLike, W: ArrayLike, b: ArrayLike
) -> tuple[float, tuple[np.ndarray, np.ndarray]]:
    """Softmax cross-entropy of the linear model and its gradient: (L, (dL/dW, dL/db)).

    With logits Z = X W^T + b, P = softmax(Z) row by row and Y the one-hot labels [N, K]:
    L = -(1/N) sum_i log p_{i, label_i}, dL/dW = (P - Y)^T X / N, dL/db = (1/N) sum_i (p_i - y_i).
    The log-softmax subtracts each row's maximum first (log-sum-exp), so large logits are safe.

    Book: Chapter 3, section 3.1 (gradient of the softmax cross-entropy).
    """
    X, labels, W, b = check_linear_problem(X, labels, W, b, "cross_entropy")
    n = X.shape[0]
    log_p = _log_softmax(X @ W.T + b)
    loss = -float(np.mean(log_p[np.arange(n), labels]))
    delta = np.exp(log_p)
    delta[np.arange(n), labels] -= 1.0
    delta /= n
    return loss, (delta.T @ X, delta.sum(axis=0))


# -------------------------------------------------------------------------------- gradient descent
def _as_param_list(params: np.ndarray | Sequence[ArrayLike]) -> list[np.ndarray]:
    items = [params] if isinstance(params, np.ndarray) else params
    if not isinstance(items, list | tuple) or not items:
        raise TypeError(
            "params: expected an array or a non-empty list of arrays (e.g. [W, b]), "
            f"got {type(params).__name__}"
        )
    return [_as_float_array(f"params[{i}]", p, np.ndim(p), "") for i, p in enumerate(items)]


def _check_gradients(grads: object, params: list[np.ndarray], single: bool) -> list[np.ndarray]:
    items = [grads] if single else grads
    if not isinstance(items, list | tuple) or len(items) != len(params):
        raise ValueError(
            f"loss_and_grad: expected gradients for {len(params)} parameter array(s) (same "
            f"structure as params), got {type(grads).__name__}"
        )
    out = []
    for i, (g, p) in enumerate(zip(items, params, strict=True)):
        g = np.asarray(g, dtype=np.float64)
        if g.shape != p.shape:
            raise ValueError(
                f"loss_and_grad: expected the gradient of params[{i}] with shape {p.shape}, "
                f"got shape {g.shape}"
            )
        out.append(g)
    return out


def gradient_descent(
    loss_and_grad: Callable,
    params: np.ndarray | Sequence[ArrayLike],
    lr: float,
    n_steps: int,
) -> tuple[np.ndarray | list[np.ndarray], list[float]]:
    """Full-batch gradient descent theta <- theta - lr * grad L(theta), repeated n_steps times.

    params: one array, or a list of arrays such as [W, b]; loss_and_grad(params) returns
    (L, grads) with grads of the same structure (e.g. ``lambda p: mse_loss_and_grad(X, Y, *p)``).
    Returns (new params: an array for an array, else a list of float64 arrays; history) where
    history[t] is the loss after t steps, t = 0..n_steps (n_steps + 1 values). The input arrays
    are not modified.

    Book: Chapter 3, section 3.1, equation (ch03-eq-gradient-descent).
    """
    if not callable(loss_and_grad):
        raise TypeError(
            f"loss_and_grad: expected a function params -> (loss, grads), "
            f"got {type(loss_and_grad).__name__}"
        )
    lr, n_steps = check_step_settings(lr, n_steps)
    single = isinstance(params, np.ndarray)
    theta = _as_param_list(params)
    history: list[float] = []
    for step in range(n_steps + 1):
        loss, grads = loss_and_grad(theta[0] if single else theta)
        history.append(float(loss))
        if step == n_steps:
            break
        grads = _check_gradients(grads, theta, single)
        theta = [p - lr * g for p, g in zip(theta, grads, strict=True)]
    return (theta[0] if single else theta), history
