"""Tests of course_lib.linear and of its PyTorch and Keras twins (course_lib.{torch,keras}.linear).

The hand-derived gradients must equal numerical and autograd gradients, the losses must equal
the libraries' losses, and NumPy, PyTorch and Keras must give the same loss curve from the same
initial weights.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.linear_model import LinearRegression
from sklearn.metrics import log_loss, mean_squared_error

from course_lib import linear
from course_lib.gradients import gradient_check
from course_lib.keras.linear import train_linear as keras_train_linear
from course_lib.torch.linear import train_linear as torch_train_linear

TRAINERS = {"torch": torch_train_linear, "keras": keras_train_linear}
LOSS_FNS = {
    "mse": linear.mse_loss_and_grad,
    "cross_entropy": linear.softmax_cross_entropy_loss_and_grad,
}


def problem(loss: str, seed: int = 0, n: int = 30, d: int = 4, k: int = 3) -> tuple:
    """A random linear problem (X, targets, W, b) for ``loss``."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    W = rng.normal(size=(k, d))
    b = rng.normal(size=k)
    targets = rng.normal(size=(n, k)) if loss == "mse" else rng.integers(0, k, size=n)
    return X, targets, W, b


def flat_check(loss: str, X, targets, W, b) -> float:
    """gradient_check of ``loss`` with theta = [W.ravel(), b]."""
    fn = LOSS_FNS[loss]
    k, d = W.shape

    def unpack(theta):
        return theta[: k * d].reshape(k, d), theta[k * d :]

    def f(theta):
        return fn(X, targets, *unpack(theta))[0]

    def grad(theta):
        grad_W, grad_b = fn(X, targets, *unpack(theta))[1]
        return np.concatenate([grad_W.ravel(), grad_b])

    return gradient_check(f, grad, np.concatenate([W.ravel(), b]))


# ------------------------------------------------------------------------------------ linear_model
def test_linear_model_is_the_sum_formula():
    X, _, W, b = problem("mse", n=5, d=3, k=2)
    expected = np.array(
        [[sum(W[k, j] * X[i, j] for j in range(3)) + b[k] for k in range(2)] for i in range(5)]
    )
    got = linear.linear_model(X, W, b)
    assert got.dtype == np.float64 and got.shape == (5, 2)
    np.testing.assert_allclose(got, expected, rtol=1e-13)


def test_linear_model_accepts_lists_and_integers():
    np.testing.assert_array_equal(linear.linear_model([[1, 2]], [[3, 4]], [5]), [[16.0]])


# -------------------------------------------------------------------------------------------- MSE
@pytest.mark.parametrize("seed", range(5))
def test_mse_loss_matches_sklearn_and_torch(seed):
    X, Y, W, b = problem("mse", seed)
    loss, _ = linear.mse_loss_and_grad(X, Y, W, b)
    Yhat = X @ W.T + b
    assert isinstance(loss, float)
    assert loss == pytest.approx(mean_squared_error(Y, Yhat), rel=1e-13)
    assert loss == pytest.approx(F.mse_loss(torch.from_numpy(Yhat), torch.from_numpy(Y)).item())


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("seed", range(5))
def test_gradients_match_numerical_gradients(loss, seed):
    assert flat_check(loss, *problem(loss, seed)) < 1e-6


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_gradients_match_torch_autograd(loss):
    X, targets, W, b = problem(loss, seed=7)
    W_t = torch.tensor(W, requires_grad=True)
    b_t = torch.tensor(b, requires_grad=True)
    loss_fn = F.mse_loss if loss == "mse" else F.cross_entropy
    value = loss_fn(torch.from_numpy(X) @ W_t.T + b_t, torch.from_numpy(targets))
    value.backward()
    got_loss, (grad_W, grad_b) = LOSS_FNS[loss](X, targets, W, b)
    assert got_loss == pytest.approx(value.item(), rel=1e-13)
    assert grad_W.shape == W.shape and grad_b.shape == b.shape
    np.testing.assert_allclose(grad_W, W_t.grad.numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grad_b, b_t.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_mse_gradient_hand_case():
    # one sample, one output: L = (w x + b - y)^2 = (2*3 + 1 - 4)^2 = 9, dL/dw = 2*3*3, dL/db = 2*3
    loss, (grad_W, grad_b) = linear.mse_loss_and_grad([[3.0]], [[4.0]], [[2.0]], [1.0])
    assert loss == 9.0
    np.testing.assert_array_equal(grad_W, [[18.0]])
    np.testing.assert_array_equal(grad_b, [6.0])


def test_wrong_gradients_are_caught_by_the_check():
    X, Y, W, b = problem("mse", seed=3)
    k, d = W.shape

    def f(theta):
        return linear.mse_loss_and_grad(X, Y, theta[: k * d].reshape(k, d), theta[k * d :])[0]

    def sum_not_mean(theta):  # the missing 1/(N K)
        grad_W, grad_b = linear.mse_loss_and_grad(
            X, Y, theta[: k * d].reshape(k, d), theta[k * d :]
        )[1]
        return np.concatenate([grad_W.ravel(), grad_b]) * Y.size

    assert gradient_check(f, sum_not_mean, np.concatenate([W.ravel(), b])) > 0.5


# -------------------------------------------------------------------------------- cross-entropy
@pytest.mark.parametrize("seed", range(5))
def test_cross_entropy_matches_sklearn_log_loss(seed):
    X, labels, W, b = problem("cross_entropy", seed, k=4)
    loss, _ = linear.softmax_cross_entropy_loss_and_grad(X, labels, W, b)
    logits = X @ W.T + b
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(log_loss(labels, probs, labels=range(4)), rel=1e-12)


def test_cross_entropy_is_stable_for_huge_logits():
    X, labels, W, b = problem("cross_entropy", seed=1)
    small = linear.softmax_cross_entropy_loss_and_grad(X, labels, W, b)
    # adding 1e4 to every logit of a sample leaves softmax unchanged (exp would overflow)
    huge = linear.softmax_cross_entropy_loss_and_grad(X, labels, W, b + 1e4)
    assert np.isfinite(huge[0])
    assert huge[0] == pytest.approx(small[0], rel=1e-9)
    np.testing.assert_allclose(huge[1][0], small[1][0], rtol=1e-7, atol=1e-12)


def test_cross_entropy_hand_case():
    # logits [0, 0]: p = [1/2, 1/2], L = log 2; dL/dz = p - y = [-1/2, 1/2]; dW = dz^T x
    loss, (grad_W, grad_b) = linear.softmax_cross_entropy_loss_and_grad(
        [[2.0]], [0], [[0.0], [0.0]], [0.0, 0.0]
    )
    assert loss == pytest.approx(np.log(2))
    np.testing.assert_allclose(grad_W, [[-1.0], [1.0]])
    np.testing.assert_allclose(grad_b, [-0.5, 0.5])


# ------------------------------------------------------------------------------- gradient descent
def test_gradient_descent_on_a_quadratic_single_array():
    target = np.array([1.0, -2.0, 3.0])
    theta0 = np.zeros(3)

    def loss_and_grad(theta):
        return float(np.sum((theta - target) ** 2)), 2 * (theta - target)

    theta, history = linear.gradient_descent(loss_and_grad, theta0, lr=0.25, n_steps=3)
    # each step halves theta - target: theta_t = target (1 - 2^-t), loss_t = 14 * 4^-t
    np.testing.assert_allclose(theta, target * (1 - 0.5**3))
    np.testing.assert_allclose(history, [14 * 0.25**t for t in range(4)])
    assert isinstance(theta, np.ndarray)
    np.testing.assert_array_equal(theta0, 0.0)  # the input is not modified


def test_gradient_descent_reaches_least_squares_solution():
    X, Y, W0, b0 = problem("mse", seed=4, n=60)
    params, history = linear.gradient_descent(
        lambda p: linear.mse_loss_and_grad(X, Y, *p), [W0, b0], lr=0.2, n_steps=400
    )
    assert isinstance(params, list) and len(history) == 401
    assert all(b <= a + 1e-15 for a, b in zip(history, history[1:], strict=False))
    reference = LinearRegression().fit(X, Y)
    np.testing.assert_allclose(params[0], reference.coef_, atol=1e-8)
    np.testing.assert_allclose(params[1], reference.intercept_, atol=1e-8)


def test_gradient_descent_with_zero_steps_returns_the_start_and_one_loss():
    X, Y, W0, b0 = problem("mse")
    params, history = linear.gradient_descent(
        lambda p: linear.mse_loss_and_grad(X, Y, *p), (W0, b0), lr=0.1, n_steps=0
    )
    np.testing.assert_array_equal(params[0], W0)
    assert history == [linear.mse_loss_and_grad(X, Y, W0, b0)[0]]


def test_gradient_descent_diverges_with_a_too_large_learning_rate():
    X, Y, W0, b0 = problem("mse", seed=5)
    _, history = linear.gradient_descent(
        lambda p: linear.mse_loss_and_grad(X, Y, *p), [W0, b0], lr=3.0, n_steps=20
    )
    assert history[-1] > 1e6 * history[0]


# ----------------------------------------------------------------------- NumPy, PyTorch and Keras
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_numpy_torch_and_keras_give_the_same_loss_curve(loss):
    X, targets, W0, b0 = problem(loss, seed=11, n=50, d=6, k=4)
    (W, b), history = linear.gradient_descent(
        lambda p: LOSS_FNS[loss](X, targets, *p), [W0, b0], lr=0.3, n_steps=40
    )
    assert history[-1] < 0.9 * history[0]
    for name, train in TRAINERS.items():
        W_f, b_f, losses = train(X, targets, W0, b0, lr=0.3, n_steps=40, loss=loss)
        assert len(losses) == 41 and all(isinstance(v, float) for v in losses), name
        assert W_f.dtype == np.float64 and b_f.dtype == np.float64, name
        np.testing.assert_allclose(losses, history, rtol=0, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(W_f, W, rtol=0, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(b_f, b, rtol=0, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_framework_training_is_repeatable_and_leaves_the_start_unchanged(framework):
    X, labels, W0, b0 = problem("cross_entropy", seed=2)
    W0_copy = W0.copy()
    first = TRAINERS[framework](X, labels, W0, b0, 0.5, 5, loss="cross_entropy")
    second = TRAINERS[framework](X, labels, W0, b0, 0.5, 5, loss="cross_entropy")
    np.testing.assert_array_equal(first[0], second[0])
    assert first[2] == second[2]
    np.testing.assert_array_equal(W0, W0_copy)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_framework_training_rejects_bad_input_like_numpy(framework):
    X, labels, W0, b0 = problem("cross_entropy")
    train = TRAINERS[framework]
    with pytest.raises(ValueError, match="labels: expected a 1-D array of length 30"):
        train(X, labels[:-1], W0, b0, 0.1, 3, loss="cross_entropy")
    with pytest.raises(ValueError, match="loss: expected 'mse' or 'cross_entropy', got 'hinge'"):
        train(X, labels, W0, b0, 0.1, 3, loss="hinge")
    with pytest.raises(ValueError, match="lr: expected a positive finite number, got -0.1"):
        train(X, labels, W0, b0, -0.1, 3, loss="cross_entropy")


# ------------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"X": np.zeros(5)}, ValueError, r"X: expected a 2-D array \[N samples, D features\]"),
        ({"X": np.array([["a"]])}, TypeError, "X: expected real numbers, got dtype <U1"),
        ({"X": np.zeros((0, 3))}, ValueError, "X: expected at least one value"),
        ({"X": np.full((4, 3), np.nan)}, ValueError, "X: expected finite numbers"),
        ({"W": np.zeros((2, 5))}, ValueError, r"W: expected 3 columns .* got shape \(2, 5\)"),
        ({"b": np.zeros(3)}, ValueError, r"b: expected length 2 .* got shape \(3,\)"),
        ({"Y": np.zeros(4)}, ValueError, r"Y: expected a 2-D array .*reshape\(-1, 1\)"),
        ({"Y": np.zeros((4, 3))}, ValueError, r"Y: expected shape \(4, 2\) .* got shape \(4, 3\)"),
    ],
)
def test_mse_rejects_bad_input(kwargs, error, message):
    args = {"X": np.zeros((4, 3)), "Y": np.zeros((4, 2)), "W": np.zeros((2, 3)), "b": np.zeros(2)}
    with pytest.raises(error, match=message):
        linear.mse_loss_and_grad(**(args | kwargs))


@pytest.mark.parametrize(
    ("labels", "error", "message"),
    [
        (np.array([0.0, 1.0, 1.0, 0.0]), TypeError, "labels: expected integer class labels"),
        (np.array([0, 1, 1]), ValueError, "labels: expected a 1-D array of length 4"),
        (np.array([0, 1, 2, 0]), ValueError, "labels: expected classes 0..1 .* from 0 to 2"),
        (np.array([0, -1, 1, 0]), ValueError, "labels: expected classes 0..1"),
    ],
)
def test_cross_entropy_rejects_bad_labels(labels, error, message):
    with pytest.raises(error, match=message):
        linear.softmax_cross_entropy_loss_and_grad(
            np.zeros((4, 3)), labels, np.zeros((2, 3)), np.zeros(2)
        )


def test_linear_model_and_check_linear_problem_reject_bad_input():
    with pytest.raises(ValueError, match="b: expected a 1-D array"):
        linear.linear_model(np.zeros((2, 3)), np.zeros((1, 3)), np.zeros((1, 1)))
    with pytest.raises(ValueError, match="loss: expected 'mse' or 'cross_entropy', got 'l1'"):
        linear.check_linear_problem(np.zeros((2, 3)), np.zeros((2, 1)), np.zeros((1, 3)), [0], "l1")


@pytest.mark.parametrize(
    ("lr", "n_steps", "error", "message"),
    [
        (0.0, 5, ValueError, "lr: expected a positive finite number, got 0.0"),
        (np.inf, 5, ValueError, "lr: expected a positive finite number, got inf"),
        ("0.1", 5, TypeError, "lr: expected a positive number, got str"),
        (True, 5, TypeError, "lr: expected a positive number, got bool"),
        (0.1, 5.0, TypeError, r"n_steps: expected an int, got float \(5.0\)"),
        (0.1, -1, ValueError, "n_steps: expected an int >= 0, got -1"),
    ],
)
def test_step_settings_are_validated(lr, n_steps, error, message):
    with pytest.raises(error, match=message):
        linear.check_step_settings(lr, n_steps)
    with pytest.raises(error, match=message):
        linear.gradient_descent(lambda p: (0.0, p), np.zeros(2), lr, n_steps)


def test_gradient_descent_rejects_bad_functions_params_and_gradients():
    with pytest.raises(TypeError, match="loss_and_grad: expected a function"):
        linear.gradient_descent(0.5, np.zeros(2), 0.1, 3)
    with pytest.raises(TypeError, match="params: expected an array or a non-empty list"):
        linear.gradient_descent(lambda p: (0.0, p), [], 0.1, 3)
    with pytest.raises(TypeError, match="params: expected an array or a non-empty list"):
        linear.gradient_descent(lambda p: (0.0, p), 3.0, 0.1, 3)
    with pytest.raises(TypeError, match=r"params\[1\]: expected real numbers"):
        linear.gradient_descent(lambda p: (0.0, p), [np.zeros(2), "b"], 0.1, 3)
    with pytest.raises(ValueError, match=r"expected the gradient of params\[0\] with shape \(2,\)"):
        linear.gradient_descent(lambda p: (0.0, np.zeros(3)), np.zeros(2), 0.1, 3)
    with pytest.raises(ValueError, match=r"expected gradients for 2 parameter array\(s\)"):
        linear.gradient_descent(lambda p: (0.0, [p[0]]), [np.zeros(2), np.zeros(1)], 0.1, 3)


def test_numpy_modules_import_no_deep_learning_framework():
    code = (
        "import sys, course_lib.linear, course_lib.gradients, course_lib.exercises.ch03; "
        "print([m for m in ('torch', 'tensorflow', 'keras') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
