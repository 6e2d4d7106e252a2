"""Numerical gradients by central differences, to check gradients derived by hand.

For a scalar function f of an array theta (any shape) and each entry theta_j:
    df/dtheta_j ~ (f(theta + eps e_j) - f(theta - eps e_j)) / (2 eps),
whose error shrinks like eps^2 (truncation) plus about 1e-16 |f| / eps (rounding), so
eps = 1e-6 gives roughly 10 correct digits in float64.

Book: Chapter 3, section 3.1 "Checking a gradient by finite differences".
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Real

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["gradient_check", "numerical_gradient"]


def _as_theta(theta: ArrayLike) -> np.ndarray:
    arr = np.asarray(theta)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"theta: expected an array of real numbers, got dtype {arr.dtype}")
    if arr.size == 0:
        raise ValueError(f"theta: expected at least one value, got shape {arr.shape}")
    return arr.astype(np.float64)


def _scalar(value: object) -> float:
    arr = np.asarray(value)
    if arr.size != 1 or arr.dtype.kind not in "biuf":
        raise TypeError(
            f"f: expected a function returning one number, got {type(value).__name__} "
            f"with shape {arr.shape}"
        )
    return float(arr.reshape(()))


def numerical_gradient(
    f: Callable[[np.ndarray], float], theta: ArrayLike, eps: float = 1e-6
) -> np.ndarray:
    """Central-difference gradient of a scalar f: g_j = (f(t + eps e_j) - f(t - eps e_j)) / 2eps.

    theta may have any shape; the result is a float64 array of the same shape. f receives a
    perturbed float64 copy of theta (2 calls per entry), never theta itself.

    Book: Chapter 3, section 3.1, equation (ch03-eq-central-difference).
    """
    if not callable(f):
        raise TypeError(f"f: expected a function theta -> number, got {type(f).__name__}")
    if isinstance(eps, bool) or not isinstance(eps, Real) or not (np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps: expected a small positive number such as 1e-6, got {eps!r}")
    theta = _as_theta(theta)
    grad = np.empty_like(theta)
    point = theta.copy()
    for j in np.ndindex(theta.shape):
        point[j] = theta[j] + eps
        f_plus = _scalar(f(point))
        point[j] = theta[j] - eps
        f_minus = _scalar(f(point))
        point[j] = theta[j]
        grad[j] = (f_plus - f_minus) / (2 * eps)
    return grad


def gradient_check(
    f: Callable[[np.ndarray], float],
    grad: Callable[[np.ndarray], ArrayLike],
    theta: ArrayLike,
    eps: float = 1e-6,
) -> float:
    """Largest error of grad(theta) against the numerical gradient, relative to their size.

    error = max_j |a_j - n_j| / max(max_j |a_j|, max_j |n_j|), with a = grad(theta) (the
    analytic gradient) and n = numerical_gradient(f, theta, eps); 0.0 when both are zero.
    Dividing by the largest entry, not entry by entry, keeps entries that are zero up to
    rounding from dominating. In float64, a correct gradient gives about 1e-8 or less; a
    wrong one (missing factor, sign, transposition) gives 1e-2 or more.

    Book: Chapter 3, section 3.1 (gradient checking).
    """
    if not callable(grad):
        raise TypeError(f"grad: expected a function theta -> gradient, got {type(grad).__name__}")
    numeric = numerical_gradient(f, theta, eps)
    analytic = np.asarray(grad(_as_theta(theta)))
    if analytic.dtype.kind not in "biuf" or analytic.shape != numeric.shape:
        raise ValueError(
            f"grad: expected an array of numbers with the shape of theta {numeric.shape}, "
            f"got {analytic.dtype} array of shape {analytic.shape}"
        )
    scale = max(np.abs(analytic).max(), np.abs(numeric).max())
    if scale == 0:
        return 0.0
    return float(np.abs(analytic - numeric).max() / scale)
