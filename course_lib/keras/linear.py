"""The linear model Yhat = X W^T + b trained by gradient descent with tf.GradientTape.

Same problem, same initial weights and same update theta <- theta - lr * grad L as
``course_lib.linear.gradient_descent``, but TensorFlow records the forward pass on a tape and
``tape.gradient`` returns the gradient (the step runs as one ``tf.function`` graph). The losses
are Keras's own (MeanSquaredError and SparseCategoricalCrossentropy(from_logits=True));
everything runs in float64, so the loss curve agrees with the NumPy one to about 1e-12.

Book: Chapter 3, section 3.1 "The same model with automatic differentiation".
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
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
    """Full-batch gradient descent on the linear model with tf.GradientTape: (W, b, losses).

    X [N, D]; targets: Y [N, K] for loss="mse" (keras.losses.MeanSquaredError, the mean over
    all N K entries) or integer labels [N] for loss="cross_entropy"
    (keras.losses.SparseCategoricalCrossentropy(from_logits=True) of the logits X W^T + b);
    W0 [K, D] and b0 [K] are the initial weights (not modified). losses[t] is the loss after
    t steps, t = 0..n_steps. W and b are returned as float64 NumPy arrays.

    Book: Chapter 3, section 3.1.
    """
    X, targets, W0, b0 = check_linear_problem(X, targets, W0, b0, loss)
    lr, n_steps = check_step_settings(lr, n_steps)
    x = tf.constant(X)
    target = tf.constant(targets)
    W = tf.Variable(W0, dtype=tf.float64)
    b = tf.Variable(b0, dtype=tf.float64)
    if loss == "mse":
        loss_fn = keras.losses.MeanSquaredError(dtype="float64")
    else:
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")

    def logits() -> tf.Tensor:
        return tf.matmul(x, W, transpose_b=True) + b

    @tf.function(autograph=False)  # one graph per call: same numbers, less Python overhead
    def step() -> tf.Tensor:
        with tf.GradientTape() as tape:
            value = loss_fn(target, logits())
        grad_W, grad_b = tape.gradient(value, [W, b])
        W.assign_sub(lr * grad_W)  # theta <- theta - lr * grad L
        b.assign_sub(lr * grad_b)
        return value

    losses = [float(step()) for _ in range(n_steps)]
    losses.append(float(loss_fn(target, logits())))
    return W.numpy(), b.numpy(), losses
