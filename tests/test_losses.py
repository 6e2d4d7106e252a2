"""Tests of course_lib.losses: the NumPy softmax and cross-entropy losses.

Each function is checked against torch.nn.functional and Keras: to 1e-6 in float32 and to
1e-12 in float64.
"""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from course_lib.losses import (
    cross_entropy,
    log_softmax,
    perplexity,
    sequence_cross_entropy,
    soft_cross_entropy,
    softmax,
)

TOLERANCE = {np.float32: 1e-6, np.float64: 1e-12}


def random_logits(shape: tuple[int, ...], dtype: type, seed: int = 0) -> np.ndarray:
    return (3.0 * np.random.default_rng(seed).normal(size=shape)).astype(dtype)


def padded_targets(n: int, steps: int, n_classes: int, pad: int, seed: int = 0) -> np.ndarray:
    """Targets [n, steps] in [1, n_classes) followed by ``pad`` after a random length >= 1."""
    rng = np.random.default_rng(seed)
    targets = rng.integers(1, n_classes, size=(n, steps))
    lengths = rng.integers(1, steps + 1, size=n)
    targets[np.arange(steps)[None, :] >= lengths[:, None]] = pad
    return targets


# --------------------------------------------------------------------------- log_softmax, softmax


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_log_softmax_equals_torch(dtype: type) -> None:
    logits = random_logits((6, 4, 5), dtype)
    for axis in (-1, 0, 1):
        ours = log_softmax(logits, axis=axis)
        assert ours.dtype == dtype and ours.shape == logits.shape
        expected = F.log_softmax(torch.from_numpy(logits), dim=axis).numpy()
        np.testing.assert_allclose(ours, expected, rtol=0, atol=TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_equals_torch_and_sums_to_one(dtype: type) -> None:
    logits = random_logits((7, 9), dtype)
    probs = softmax(logits)
    np.testing.assert_allclose(
        probs, F.softmax(torch.from_numpy(logits), dim=-1).numpy(), atol=TOLERANCE[dtype]
    )
    np.testing.assert_allclose(probs.sum(axis=-1), 1.0, atol=10 * TOLERANCE[dtype])
    assert np.all(probs > 0)


def test_integer_logits_become_float64() -> None:
    assert log_softmax(np.array([[1, 2, 3]])).dtype == np.float64
    np.testing.assert_allclose(softmax([0, 0]), [0.5, 0.5])


def test_log_softmax_is_stable_for_huge_logits() -> None:
    logits = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4]], dtype=np.float32)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        naive = np.log(np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True))
    assert not np.all(np.isfinite(naive))  # the formula without the max shift breaks down
    ours = log_softmax(logits)
    np.testing.assert_allclose(ours, [[0.0, -1e4, -2e4], [-math.log(3)] * 3], rtol=1e-6)
    np.testing.assert_allclose(ours, F.log_softmax(torch.from_numpy(logits), dim=1).numpy())
    assert cross_entropy(logits, np.array([0, 2])) == pytest.approx(math.log(3) / 2, rel=1e-6)
    assert cross_entropy(logits[:1], np.array([1])) == pytest.approx(1e4)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: log_softmax(np.array(["a", "b"])), TypeError, "logits: expected a real-valued"),
        (lambda: log_softmax(np.array([True, False])), TypeError, "got dtype bool"),
        (lambda: log_softmax(np.array([1j, 2])), TypeError, "got dtype complex128"),
        (lambda: log_softmax([1.0, np.nan]), ValueError, "logits: expected finite values"),
        (lambda: log_softmax([1.0, np.inf]), ValueError, "logits: expected finite values"),
        (lambda: log_softmax(np.zeros((2, 3)), axis=2), ValueError, r"axis: expected an int in"),
        (lambda: log_softmax(np.zeros((2, 3)), axis=1.0), TypeError, "axis: expected an int"),
        (lambda: log_softmax(np.zeros((2, 0))), ValueError, "at least one class along axis -1"),
        (lambda: softmax(np.zeros(3), axis=-2), ValueError, r"axis: expected an int in \[-1, 1\)"),
    ],
)
def test_softmax_functions_reject_bad_input(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------- cross-entropy


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_equals_torch(dtype: type) -> None:
    logits = random_logits((50, 7), dtype)
    labels = np.random.default_rng(1).integers(0, 7, size=50)
    expected = F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(labels)).item()
    assert abs(cross_entropy(logits, labels) - expected) <= TOLERANCE[dtype]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_equals_keras(dtype: type) -> None:
    logits = random_logits((50, 7), dtype, seed=2)
    labels = np.random.default_rng(3).integers(0, 7, size=50)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype=dtype.__name__)
    assert abs(cross_entropy(logits, labels) - float(loss(labels, logits))) <= TOLERANCE[dtype]


def test_cross_entropy_is_the_formula_with_one_hot_targets() -> None:
    logits = random_logits((20, 4), np.float64)
    labels = np.arange(20) % 4
    one_hot = np.eye(4)[labels]
    by_formula = -np.mean(np.sum(one_hot * np.log(softmax(logits)), axis=1))
    assert cross_entropy(logits, labels) == pytest.approx(by_formula, rel=1e-12)
    assert soft_cross_entropy(logits, one_hot) == pytest.approx(by_formula, rel=1e-12)
    uniform = np.zeros((3, 5))
    assert cross_entropy(uniform, np.array([0, 1, 4])) == pytest.approx(math.log(5), rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_soft_cross_entropy_equals_torch_and_keras(dtype: type) -> None:
    logits = random_logits((30, 6), dtype, seed=4)
    targets = softmax(random_logits((30, 6), np.float64, seed=5)).astype(dtype)
    targets /= targets.sum(axis=1, keepdims=True)
    ours = soft_cross_entropy(logits, targets)
    expected = F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(targets)).item()
    assert abs(ours - expected) <= TOLERANCE[dtype]
    loss = keras.losses.CategoricalCrossentropy(from_logits=True, dtype=dtype.__name__)
    assert abs(ours - float(loss(targets, logits))) <= TOLERANCE[dtype]


def test_cross_entropy_rejects_bad_input() -> None:
    logits = np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"logits: expected an array \[N, C\] .* got shape \(3,\)"):
        cross_entropy(np.zeros(3), np.array([0]))
    with pytest.raises(ValueError, match=r"got shape \(0, 3\)"):
        cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match=r"labels: expected a 1-D array of length 4"):
        cross_entropy(logits, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"labels: expected class indices in \[0, 3\)"):
        cross_entropy(logits, np.array([0, 1, 2, 3]))
    with pytest.raises(TypeError, match="labels: expected integer class indices, got dtype float"):
        cross_entropy(logits, np.zeros(4))


def test_soft_cross_entropy_rejects_bad_targets() -> None:
    logits = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"targets: expected an array \[N, C\] = \(2, 3\)"):
        soft_cross_entropy(logits, np.eye(3))
    with pytest.raises(ValueError, match="targets: expected rows of non-negative probabilities"):
        soft_cross_entropy(logits, np.array([[0.5, 0.5, 0.5], [1.0, 0.0, 0.0]]))
    with pytest.raises(ValueError, match="values from -0.5"):
        soft_cross_entropy(logits, np.array([[1.5, -0.5, 0.0], [1.0, 0.0, 0.0]]))
    with pytest.raises(TypeError, match="targets: expected a real-valued array"):
        soft_cross_entropy(logits, [["a", "b", "c"]] * 2)


# --------------------------------------------------------------------------- sequence loss


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sequence_loss_equals_torch_ignore_index(dtype: type) -> None:
    logits = random_logits((5, 8, 11), dtype, seed=6)
    targets = padded_targets(5, 8, 11, pad=0, seed=7)
    expected = F.cross_entropy(
        torch.from_numpy(logits).flatten(0, 1), torch.from_numpy(targets).flatten(), ignore_index=0
    ).item()
    ours = sequence_cross_entropy(logits, targets, targets != 0)
    assert abs(ours - expected) <= TOLERANCE[dtype]
    # the same with a 0/1 float mask
    assert sequence_cross_entropy(logits, targets, (targets != 0).astype(dtype)) == ours


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sequence_loss_equals_keras_ignore_class(dtype: type) -> None:
    logits = random_logits((4, 9, 6), dtype, seed=8)
    targets = padded_targets(4, 9, 6, pad=0, seed=9)
    loss = keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, ignore_class=0, dtype=dtype.__name__
    )
    ours = sequence_cross_entropy(logits, targets, targets != 0)
    assert abs(ours - float(loss(targets, logits))) <= TOLERANCE[dtype]


def test_sequence_loss_is_a_mean_over_valid_tokens_not_over_sequences() -> None:
    logits = random_logits((2, 4, 3), np.float64, seed=10)
    targets = np.array([[1, 2, 0, 0], [2, 1, 1, 2]])
    mask = targets != 0
    token_loss = -np.take_along_axis(log_softmax(logits), targets[..., None], axis=-1)[..., 0]
    per_token = token_loss[mask].sum() / 6
    per_sequence = (token_loss[0, :2].mean() + token_loss[1].mean()) / 2
    assert sequence_cross_entropy(logits, targets, mask) == pytest.approx(per_token, rel=1e-12)
    assert per_token != pytest.approx(per_sequence, rel=1e-6)
    # one sequence: L = -(1/T) sum_t log yhat_{t, y_t}
    single = sequence_cross_entropy(logits[1:], targets[1:])
    assert single == pytest.approx(token_loss[1].mean(), rel=1e-12)


def test_sequence_loss_never_reads_masked_targets_and_without_mask_is_cross_entropy() -> None:
    logits = random_logits((3, 5, 4), np.float64, seed=11)
    targets = padded_targets(3, 5, 4, pad=0, seed=12)
    mask = targets != 0
    marked = np.where(mask, targets, -100)  # torch's default ignore value, not a class
    assert sequence_cross_entropy(logits, marked, mask) == sequence_cross_entropy(
        logits, targets, mask
    )
    full = sequence_cross_entropy(logits, targets)
    assert full == pytest.approx(cross_entropy(logits.reshape(15, 4), targets.ravel()), rel=1e-12)


def test_sequence_loss_rejects_bad_input() -> None:
    logits = np.zeros((2, 3, 4))
    targets = np.ones((2, 3), dtype=int)
    cases = [
        ((np.zeros((6, 4)), targets), ValueError, r"logits: expected per-step logits \[N, T, C\]"),
        ((logits, targets[:, :2]), ValueError, r"targets: expected \[N, T\] = \(2, 3\)"),
        ((logits, targets, np.ones((3, 2))), ValueError, r"mask: expected \[N, T\] = \(2, 3\)"),
        ((logits, targets.astype(float)), TypeError, "targets: expected integer class indices"),
        ((logits, targets, np.zeros((2, 3), bool)), ValueError, "mask: expected at least one"),
        ((logits, targets, np.full((2, 3), 0.5)), ValueError, "mask: expected booleans or 0/1"),
        ((logits, targets, np.full((2, 3), "x")), TypeError, "mask: expected booleans or 0/1"),
        ((logits, targets + 3), ValueError, r"targets: expected class indices in \[0, 4\)"),
    ]
    for arguments, error, match in cases:
        with pytest.raises(error, match=match):
            sequence_cross_entropy(*arguments)


# --------------------------------------------------------------------------- perplexity


def test_perplexity_is_exp_of_the_loss_and_uniform_guessing_gives_the_vocabulary_size() -> None:
    vocab = 17
    uniform_loss = sequence_cross_entropy(np.zeros((2, 3, vocab)), np.ones((2, 3), dtype=int))
    assert perplexity(uniform_loss) == pytest.approx(vocab, rel=1e-12)
    assert isinstance(perplexity(0.0), float) and perplexity(0.0) == 1.0
    curve = perplexity([2.0, 1.0, 0.5])
    assert isinstance(curve, np.ndarray)
    np.testing.assert_allclose(curve, np.exp([2.0, 1.0, 0.5]))


def test_perplexity_rejects_bad_losses() -> None:
    with pytest.raises(ValueError, match=r"loss: expected a cross-entropy >= 0, got minimum -0.1"):
        perplexity(-0.1)
    with pytest.raises(ValueError, match="loss: expected finite values"):
        perplexity(float("nan"))
    with pytest.raises(TypeError, match="loss: expected a real-valued array"):
        perplexity("2.0")
