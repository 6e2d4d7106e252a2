"""Tests of the Chapter 3 checker of the linear model's gradients (check_linear_gradient).

The right answers pass; the usual mistakes (a missing 1/N, a transposed or sign-flipped
gradient, a forgotten bias gradient) fail with feedback that names the problem.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import linear
from course_lib.exercises import ch03


# --------------------------------------------------------------------------- right answers (MSE)
def mse_gradient(X, Y, W, b):
    error = X @ W.T + b - Y
    return 2 * error.T @ X / error.size, 2 * error.sum(axis=0) / error.size


def softmax(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy_gradient(X, labels, W, b):
    delta = softmax(X @ W.T + b)
    delta[np.arange(len(labels)), labels] -= 1
    return delta.T @ X / len(X), delta.mean(axis=0)


def test_right_answers_pass(capsys):
    assert ch03.check_linear_gradient(mse_gradient)
    assert ch03.check_linear_gradient(cross_entropy_gradient, loss="cross_entropy")
    assert ch03.check_linear_gradient(lambda *a: linear.mse_loss_and_grad(*a)[1], loss="mse")
    out = capsys.readouterr().out
    assert "✅ linear_gradient (mse): all 5 checks passed." in out
    assert "✅ linear_gradient (cross_entropy): all 5 checks passed." in out


def test_cases_cover_the_documented_situations():
    cases = ch03._linear_cases("mse")
    shapes = [(c.args[0].shape, c.args[2].shape) for c in cases]
    assert ((1, 4), (3, 4)) in shapes  # N = 1
    assert any(w[0] == w[1] for _, w in shapes)  # K = D, where a transposed dW has the right shape
    assert any(x[0] >= 50 for x, _ in shapes)  # the mean over many samples
    labels = ch03._linear_cases("cross_entropy")[0].args[1]
    assert labels.dtype.kind == "i"


# --------------------------------------------------------------------------------- wrong answers
def sum_not_mean(X, Y, W, b):
    error = X @ W.T + b - Y
    return 2 * error.T @ X, 2 * error.sum(axis=0)


def mean_over_samples_only(X, Y, W, b):  # 1/N instead of 1/(N K): right only when K = 1
    error = X @ W.T + b - Y
    return 2 * error.T @ X / len(X), 2 * error.sum(axis=0) / len(X)


def transposed(X, Y, W, b):
    grad_W, grad_b = mse_gradient(X, Y, W, b)
    return grad_W.T, grad_b


def transposed_only_when_it_fits(X, Y, W, b):
    grad_W, grad_b = mse_gradient(X, Y, W, b)
    return (grad_W.T if grad_W.shape[0] == grad_W.shape[1] else grad_W), grad_b


def sign_error(X, Y, W, b):
    grad_W, grad_b = mse_gradient(X, Y, W, b)
    return -grad_W, -grad_b


def no_bias_gradient(X, Y, W, b):
    return mse_gradient(X, Y, W, b)[0], np.zeros_like(b)


def only_weight_gradient(X, Y, W, b):
    return mse_gradient(X, Y, W, b)[0]


def stub(X, Y, W, b):
    raise NotImplementedError


@pytest.mark.parametrize(
    ("learner", "message"),
    [
        (sum_not_mean, "values differ"),
        (mean_over_samples_only, "values differ"),
        (transposed, "wrong shape"),
        (transposed_only_when_it_fits, "K = D"),
        (sign_error, "values differ"),
        (no_bias_gradient, "item 1: "),
        (only_weight_gradient, "expected a tuple of 2 items"),
        (stub, "not implemented yet"),
    ],
)
def test_typical_mse_mistakes_fail_helpfully(learner, message, capsys):
    result = ch03.check_linear_gradient(learner)
    out = capsys.readouterr().out
    assert not result
    assert message in out
    assert "hint:" in out and "E.T @ X" in out


def cross_entropy_without_one_hot(X, labels, W, b):  # forgets the "- y" of (P - Y)
    P = softmax(X @ W.T + b)
    return P.T @ X / len(X), P.mean(axis=0)


def cross_entropy_sum(X, labels, W, b):
    grad_W, grad_b = cross_entropy_gradient(X, labels, W, b)
    return grad_W * len(X), grad_b * len(X)


def cross_entropy_no_bias(X, labels, W, b):
    return cross_entropy_gradient(X, labels, W, b)[0], np.zeros(W.shape[0])


@pytest.mark.parametrize(
    "learner", [cross_entropy_without_one_hot, cross_entropy_sum, cross_entropy_no_bias]
)
def test_typical_cross_entropy_mistakes_fail(learner, capsys):
    result = ch03.check_linear_gradient(learner, loss="cross_entropy")
    out = capsys.readouterr().out
    assert not result
    assert "❌ linear_gradient (cross_entropy)" in out and "(P - Y).T @ X" in out


def test_checker_rejects_unknown_loss_and_non_callables():
    with pytest.raises(ValueError, match="loss: expected 'mse' or 'cross_entropy', got 'l2'"):
        ch03.check_linear_gradient(mse_gradient, loss="l2")
    with pytest.raises(TypeError, match="learner_fn: expected a function"):
        ch03.check_linear_gradient(mse_gradient(np.zeros((1, 1)), *[np.zeros((1, 1))] * 2, [0.0]))
