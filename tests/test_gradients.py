"""Tests of course_lib.gradients: central differences and the gradient check."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_lib.gradients import gradient_check, numerical_gradient


def test_numerical_gradient_of_a_polynomial_is_exact_to_rounding():
    # f(t) = sum t^3 has gradient 3 t^2; central differences of a cubic are off by exactly eps^2
    theta = np.array([-1.5, 0.0, 2.0])
    got = numerical_gradient(lambda t: np.sum(t**3), theta, eps=1e-5)
    np.testing.assert_allclose(got, 3 * theta**2, rtol=0, atol=1e-8)


@pytest.mark.parametrize("shape", [(), (4,), (2, 3), (2, 2, 3)])
def test_numerical_gradient_keeps_any_shape_and_matches_torch(shape):
    rng = np.random.default_rng(len(shape))
    theta = rng.normal(size=shape)
    A = rng.normal(size=theta.size)

    def f(t):
        return float(np.log1p(np.exp(A @ np.ravel(t))) + np.sum(np.sin(t)))

    t = torch.tensor(theta, requires_grad=True)
    value = torch.log1p(torch.exp(torch.from_numpy(A) @ t.reshape(-1))) + torch.sin(t).sum()
    value.backward()
    got = numerical_gradient(f, theta)
    assert got.shape == shape and got.dtype == np.float64
    np.testing.assert_allclose(got, t.grad.numpy(), rtol=1e-7, atol=1e-9)


def test_numerical_gradient_leaves_theta_unchanged_and_accepts_integers():
    theta = np.array([1, 2, 3])
    got = numerical_gradient(lambda t: float(t @ t), theta)
    np.testing.assert_allclose(got, [2.0, 4.0, 6.0], rtol=1e-9)
    np.testing.assert_array_equal(theta, [1, 2, 3])


def test_gradient_check_small_for_a_right_and_large_for_a_wrong_gradient():
    rng = np.random.default_rng(0)
    theta = rng.normal(size=(3, 2))

    def f(t):
        return float(np.sum(np.exp(t)))

    assert gradient_check(f, np.exp, theta) < 1e-8
    assert gradient_check(f, lambda t: -np.exp(t), theta) == pytest.approx(2.0)  # sign error
    assert gradient_check(f, lambda t: np.exp(t) / 2, theta) == pytest.approx(0.5, rel=1e-6)
    assert gradient_check(f, lambda t: np.where(t > 0, np.exp(t), 0.0), theta) > 0.1


def test_gradient_check_is_zero_when_both_gradients_are_zero():
    assert gradient_check(lambda t: 1.0, np.zeros_like, np.ones(3)) == 0.0


def test_gradient_check_is_relative_not_absolute():
    theta = np.array([0.3, -0.7])
    for scale in (1e-6, 1.0, 1e6):
        error = gradient_check(lambda t, s=scale: s * float(t @ t), lambda t, s=scale: s * t, theta)
        assert error == pytest.approx(0.5, rel=1e-5)  # the gradient is 2 s t, not s t


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((None, np.zeros(2)), TypeError, "f: expected a function theta -> number, got NoneType"),
        ((np.sum, np.array(["a"])), TypeError, "theta: expected an array of real numbers"),
        ((np.sum, np.zeros(0)), ValueError, r"theta: expected at least one value, got shape \(0,"),
        ((lambda t: t, np.zeros(2)), TypeError, r"f: expected a function returning one number"),
        ((np.sum, np.zeros(2), 0.0), ValueError, "eps: expected a small positive number"),
        ((np.sum, np.zeros(2), "1e-6"), ValueError, "eps: expected a small positive number"),
    ],
)
def test_numerical_gradient_rejects_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        numerical_gradient(*args)


def test_gradient_check_rejects_bad_gradient_functions():
    with pytest.raises(TypeError, match="grad: expected a function theta -> gradient, got int"):
        gradient_check(np.sum, 3, np.zeros(2))
    with pytest.raises(ValueError, match=r"grad: expected .* shape of theta \(2,\), got .*\(3,\)"):
        gradient_check(np.sum, lambda t: np.zeros(3), np.zeros(2))
