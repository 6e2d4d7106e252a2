"""The linear model Yhat = X W^T + b trained by gradient descent with PyTorch autograd.

Same problem, same initial weights and same update theta <- theta - lr * grad L as
``course_lib.linear.gradient_descent``, but the gradient comes from ``loss.backward()``
instead of a formula derived by hand. Everything runs in float64, so the loss curve agrees
with the NumPy one to about 1e-12.

Book: Chapter 3, section 3.1 "The same model with automatic differentiation".
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import ArrayLike

from course_lib.linear import check_linear_problem, check_step_settings

__all__ = ["train_linear"]


def train_linear(
    X: ArrayLike,
    targets: ArrayLike,
    W0: ArrayLike,
    b0: ArrayLike,
    lr: float,
    n_steps: int,
    loss: str = "mse",
) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Full-batch gradient descent on the linear model with torch autograd: (W, b, losses).

    X [N, D]; targets: Y [N, K] for loss="mse" (torch.nn.functional.mse_loss, the mean over
    all N K entries) or integer labels [N] for loss="cross_entropy"
    (torch.nn.functional.cross_entropy of the logits X W^T + b, mean over samples);
    W0 [K, D] and b0 [K] are the initial weights (not modified). losses[t] is the loss after
    t steps, t = 0..n_steps. W and b are returned as float64 NumPy arrays.

    Book: Chapter 3, section 3.1.
    """
    X, targets, W0, b0 = check_linear_problem(X, targets, W0, b0, loss)
    lr, n_steps = check_step_settings(lr, n_steps)
    x = torch.from_numpy(X)
    target = torch.from_numpy(targets)
    W = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
    loss_fn = F.mse_loss if loss == "mse" else F.cross_entropy
    losses: list[float] = []
    for step in range(n_steps + 1):
        value = loss_fn(x @ W.T + b, target)
        losses.append(value.item())
        if step == n_steps:
            break
        W.grad = b.grad = None
        value.backward()
        with torch.no_grad():  # theta <- theta - lr * grad L, outside the autograd graph
            W -= lr * W.grad
            b -= lr * b.grad
    return W.detach().numpy().copy(), b.detach().numpy().copy(), losses
