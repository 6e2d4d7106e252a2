"""Checkers for the exercises of Chapter 3 "Learning from one modality".

Linear models and gradient descent (notebook 3.1):

- ``check_linear_gradient(fn, loss)``: the gradients dL/dW and dL/db of the linear model
  Yhat = X W^T + b under the mean squared error or the softmax cross-entropy.

Cross-entropy and sequences (notebook 3.2):

- ``check_log_softmax(fn)``: a numerically stable log-softmax along an axis;
- ``check_sequence_loss(fn)``: the per-step cross-entropy averaged over the valid steps only.

Images with CNNs (notebook 3.3):

- ``check_conv2d(fn)``: a 'valid' cross-correlation of one channel with one filter;
- ``check_conv_output_size(fn)``: o = floor((H + 2P - k) / S) + 1.

Spoken digits (notebook 3.4):

- ``check_last_valid_state(fn)``: states[i, T_i - 1] of a padded batch of sequences;
- ``check_speaker_split(fn)``: a speaker-independent train/test split of FSDD.

Book: Chapter 3, exercises.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from course_lib import linear
from course_lib.exercises.core import Case, CheckResult, check


# ------------------------------------------------------------------------------- linear gradients
def _mse_gradient(X: np.ndarray, Y: np.ndarray, W: np.ndarray, b: np.ndarray) -> tuple:
    """Reference: (dL/dW, dL/db) of L = mean over N*K entries of (X W^T + b - Y)^2."""
    _, (grad_W, grad_b) = linear.mse_loss_and_grad(X, Y, W, b)
    return grad_W, grad_b


def _cross_entropy_gradient(
    X: np.ndarray, labels: np.ndarray, W: np.ndarray, b: np.ndarray
) -> tuple:
    """Reference: (dL/dW, dL/db) of the mean softmax cross-entropy of X W^T + b."""
    _, (grad_W, grad_b) = linear.softmax_cross_entropy_loss_and_grad(X, labels, W, b)
    return grad_W, grad_b


def _linear_cases(loss: str) -> list[Case]:
    rng = np.random.default_rng(303)

    def case(n: int, d: int, k: int, description: str) -> Case:
        X = rng.normal(size=(n, d))
        W = rng.normal(size=(k, d))
        b = rng.normal(size=k)
        target = rng.normal(size=(n, k)) if loss == "mse" else rng.integers(0, k, size=n)
        return Case((X, target, W, b), description=description)

    return [
        case(6, 3, 2, "6 samples, 3 features, 2 outputs"),
        case(1, 4, 3, "a single sample (N = 1)"),
        case(10, 1, 1, "one feature and one output (the 1-D model y = w x + b)"),
        case(8, 4, 4, "as many outputs as features (K = D): a transposed dW has the right shape"),
        case(50, 5, 3, "50 samples: the gradient is a mean over the samples, not a sum"),
    ]


def check_linear_gradient(fn: Callable, loss: str = "mse") -> CheckResult:
    """Check fn(X [N, D], targets, W [K, D], b [K]) -> (dL/dW [K, D], dL/db [K]).

    loss="mse": targets Y [N, K] and L = 1/(N K) sum_ik (yhat_ik - y_ik)^2, so
    dL/dW = 2/(N K) (Yhat - Y)^T X and dL/db = 2/(N K) sum_i (yhat_i - y_i).
    loss="cross_entropy": targets are integer labels [N] in 0..K-1 and
    L = -(1/N) sum_i log softmax(yhat_i)[label_i], so with P = softmax(Yhat) and one-hot Y,
    dL/dW = (P - Y)^T X / N and dL/db = (1/N) sum_i (p_i - y_i).
    The reference is ``course_lib.linear``.

    Book: Chapter 3, section 3.1 (exercise "derive the gradient of the linear model").
    """
    references = {"mse": _mse_gradient, "cross_entropy": _cross_entropy_gradient}
    if loss not in references:
        raise ValueError(f"loss: expected 'mse' or 'cross_entropy', got {loss!r}")
    hints = {
        "mse": (
            "With E = X @ W.T + b - Y: dL/dW = 2 * E.T @ X / E.size and "
            "dL/db = 2 * E.sum(axis=0) / E.size. Return a tuple (grad_W, grad_b)."
        ),
        "cross_entropy": (
            "With P = softmax(X @ W.T + b) row by row and Y the one-hot labels: "
            "dL/dW = (P - Y).T @ X / N and dL/db = (P - Y).sum(axis=0) / N. "
            "Return a tuple (grad_W, grad_b)."
        ),
    }
    return check(
        fn,
        references[loss],
        _linear_cases(loss),
        name=f"linear_gradient ({loss})",
        hint=hints[loss],
    )


# ------------------------------------------------------------------------------- log-softmax
def _log_softmax_cases() -> list[Case]:
    rng = np.random.default_rng(32)

    def logits(*shape: int, scale: float = 2.0, centre: float = 0.0) -> np.ndarray:
        return centre + scale * rng.normal(size=shape)

    return [
        Case((logits(4, 5),), description="4 rows of 5 ordinary logits"),
        Case((logits(6),), description="one vector of 6 logits (a 1-D array)"),
        Case(
            (logits(4, 4),),
            description="a square array [4, 4]: a max or sum without keepdims broadcasts along "
            "the wrong axis",
        ),
        Case(
            (logits(3, 4, centre=1e4),),
            description="logits around 1e4: exp(1e4) overflows to inf without the max shift",
        ),
        Case(
            (logits(3, 4, centre=-1e4),),
            description="logits around -1e4: every exp underflows to 0, and log(0) = -inf",
        ),
        Case(
            (np.full((2, 4), 5e3),),
            description="equal logits of 5000 in every class: the answer is log(1/4) everywhere",
        ),
        Case(
            (np.array([[1000.0, 0.0, -1000.0]]),),
            description="a confident row [1000, 0, -1000]: its softmax holds exact zeros, so "
            "log(softmax) gives -inf where the answer is -1000 and -2000",
        ),
        Case(
            (np.array([[1e4, 1e4 - 2.0, 1e4 - 5.0], [1.0, 2.0, 3.0]]),),
            description="two rows on very different scales (1e4 and 1): shifting by the maximum "
            "of the whole array instead of each row's makes the second row underflow",
        ),
        Case(
            (logits(5, 3),),
            {"axis": 0},
            description="axis=0: the softmax runs down each column of a [5, 3] array",
        ),
        Case((logits(2, 3, 4),), description="per-step logits [N, T, C] = [2, 3, 4], axis=-1"),
        Case((logits(2, 3, 4),), {"axis": 1}, description="per-step logits [2, 3, 4] with axis=1"),
        Case((logits(3, 1),), description="a single class (C = 1): its log-probability is 0"),
    ]


def check_log_softmax(fn: Callable) -> CheckResult:
    """Check fn(logits, axis=-1) -> the log-softmax of finite logits along ``axis``.

    log softmax(s)_c = s_c - m - log sum_k exp(s_k - m), m = max_k s_k along ``axis``, same
    shape as ``logits``. The cases include logits of +-1e4 (the naive log(exp(s) / sum exp(s))
    overflows or takes log(0)), rows of very different scales (a shift by the maximum of the
    whole array underflows), a square array (a forgotten keepdims), axis=0 and 3-D logits.
    All logits are finite float64. The reference is ``course_lib.losses.log_softmax``.

    Book: Chapter 3, section 3.2 (exercise "write the log-softmax").
    """
    from course_lib.losses import log_softmax

    return check(
        fn,
        log_softmax,
        _log_softmax_cases(),
        name="log_softmax",
        hint=(
            "Shift by the maximum along the axis, keeping the dimension: "
            "s = z - z.max(axis=axis, keepdims=True); then return "
            "s - np.log(np.exp(s).sum(axis=axis, keepdims=True)). Never take the log of a "
            "softmax."
        ),
    )


# --------------------------------------------------------------------- the masked sequence loss
def _sequence_loss_cases() -> list[Case]:
    rng = np.random.default_rng(33)

    def case(lengths: list[int], steps: int, description: str, **options: float) -> Case:
        """Random logits [N, T, 5] and targets; steps t >= lengths[i] are padding."""
        n_classes = 5
        scale, centre = options.get("scale", 2.0), options.get("centre", 0.0)
        logits = centre + scale * rng.normal(size=(len(lengths), steps, n_classes))
        targets = rng.integers(1, n_classes, size=(len(lengths), steps))
        mask = np.arange(steps)[None, :] < np.array(lengths)[:, None]
        targets[~mask] = int(options.get("pad_target", 0))
        return Case((logits, targets, mask), description=description)

    return [
        case([5], 5, "one sequence of 5 steps, no padding: L = -(1/T) sum_t log yhat_t"),
        case([6, 2, 4], 6, "3 sequences of lengths 6, 2 and 4, padded with target 0"),
        case(
            [1, 8],
            8,
            "lengths 1 and 8: the mean runs over the 9 valid tokens, not over the two "
            "per-sequence means",
        ),
        case([2, 2], 10, "2 sequences of length 2 padded to 10 steps: most positions are padding"),
        case(
            [3, 5],
            5,
            "padding whose target is a real class (3): the mask, not the target, says what counts",
            pad_target=3,
        ),
        case(
            [4, 3],
            4,
            "logits around 1000: the log-softmax must be the stable one",
            scale=3.0,
            centre=1000.0,
        ),
        case([4, 4, 4], 4, "3 sequences without padding (every mask entry is True)"),
    ]


def check_sequence_loss(fn: Callable) -> CheckResult:
    """Check fn(logits [N, T, C], targets int [N, T], mask bool [N, T]) -> the masked loss.

    L = -sum_{i,t} m_it log softmax(s_it)_{y_it} / sum_{i,t} m_it: the mean over the valid
    steps (tokens) of the whole batch. Typical mistakes the cases catch: dividing by all N T
    positions, forgetting or inverting the mask, averaging the per-sequence means, taking the
    pad target instead of the mask as the rule, and an unstable log-softmax. The reference is
    ``course_lib.losses.sequence_cross_entropy``.

    Book: Chapter 3, section 3.2 (exercise "the masked sequence loss").
    """
    from course_lib.losses import sequence_cross_entropy

    return check(
        fn,
        sequence_cross_entropy,
        _sequence_loss_cases(),
        name="sequence_loss",
        hint=(
            "With log_p = a stable log-softmax over the last axis, pick each step's target: "
            "picked = np.take_along_axis(log_p, targets[..., None], axis=-1)[..., 0]; then "
            "return -(picked * mask).sum() / mask.sum(), a mean over the valid steps only."
        ),
    )


# ------------------------------------------------------------------- convolution (section 3.3)
def _cross_correlate_valid(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Reference: y[i, j] = sum_{u,v} w[u, v] x[i + u, j + v] ('valid', stride 1, no bias).

    x is [H, W] and w [kh, kw]; y is [H - kh + 1, W - kw + 1]. Each step of the loop adds
    w[u, v] times the image shifted by (u, v) to every output position at once.
    """
    kh, kw = w.shape
    out_h, out_w = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    y = np.zeros((out_h, out_w))
    for u in range(kh):
        for v in range(kw):
            y += w[u, v] * x[u : u + out_h, v : v + out_w]
    return y


def _conv2d_cases() -> list[Case]:
    rng = np.random.default_rng(333)

    def case(x_shape: tuple[int, int], w_shape: tuple[int, int], description: str) -> Case:
        return Case((rng.normal(size=x_shape), rng.normal(size=w_shape)), description=description)

    return [
        case((5, 5), (3, 3), "a 5x5 image and a 3x3 kernel: the output is 3x3"),
        case((6, 9), (3, 3), "a 6x9 image (not square): 4 rows and 7 columns come out"),
        case((7, 5), (2, 4), "a 2x4 kernel (not square) on a 7x5 image: the output is 6x2"),
        case((4, 6), (1, 1), "a 1x1 kernel: every pixel is multiplied by the single weight"),
        case((1, 8), (1, 3), "a single row of 8 pixels and a 1x3 kernel (a 1-D filter)"),
        case((3, 4), (3, 4), "a kernel as large as the image: a single output value, [1, 1]"),
        Case(
            (np.arange(20.0).reshape(4, 5), np.array([[1.0, 2.0], [0.0, -1.0]])),
            description="a ramp image and a lopsided kernel: flipping the kernel changes the sums",
        ),
    ]


def _conv2d_hint(fn: Callable) -> str:
    """A hint aimed at the learner's slip, found by trying ``fn`` on one lopsided example."""
    general = (
        "Deep-learning 'convolution' does not flip the kernel: y[i, j] = sum over u, v of "
        "w[u, v] * x[i + u, j + v], for i in range(H - kh + 1) and j in range(W - kw + 1)."
    )
    x = np.arange(35.0).reshape(5, 7) ** 1.5
    w = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])
    try:
        got = np.asarray(fn(x.copy(), w.copy()), dtype=float)
    except Exception:  # the check itself reports the error (or the untouched stub)
        return general
    expected = _cross_correlate_valid(x, w)
    slips = [
        (np.shape(got) == x.shape, "Your output has the image's size: that is 'same' padding."),
        (
            np.shape(got) == (x.shape[0] - w.shape[0], x.shape[1] - w.shape[1]),
            "Your output is one row and one column short: there are H - kh + 1 positions "
            "(range(H - kh + 1)), not H - kh.",
        ),
        (
            np.shape(got) == expected.shape[::-1],
            "Your output has rows and columns swapped: rows come from the image's height "
            "(axis 0) and the kernel's height, columns from the widths (axis 1).",
        ),
        (
            np.shape(got) == expected.shape
            and np.allclose(got, _cross_correlate_valid(x, w[::-1, ::-1])),
            "Your function computes a true convolution, with the kernel flipped up-down and "
            "left-right. Libraries (and this exercise) do not flip it: multiply w[u, v] with "
            "x[i + u, j + v].",
        ),
    ]
    found = [text for slip, text in slips if slip]
    return " ".join([*found[:1], general])


def check_conv2d(fn: Callable) -> CheckResult:
    """Check fn(x [H, W], w [kh, kw]) -> the 'valid' cross-correlation y [H - kh + 1, W - kw + 1].

    y[i, j] = sum_{u=0}^{kh-1} sum_{v=0}^{kw-1} w[u, v] x[i + u, j + v]: one channel, one
    filter, stride 1, no padding and no bias; this is what ``torch.nn.functional.conv2d`` and
    Keras' ``Conv2D`` compute (they call it convolution). The cases include non-square images
    and kernels, a 1x1 kernel, a single row and a kernel as large as the image. The hint names
    the slip when the answer is a true convolution (flipped kernel), has swapped axes, is one
    row short or is 'same'-padded.

    Book: Chapter 3, section 3.3 (exercise "convolution as one matrix product").
    """
    return check(
        fn,
        _cross_correlate_valid,
        _conv2d_cases(),
        name="conv2d",
        hint=_conv2d_hint(fn) if callable(fn) else None,
    )


def _conv_output_size(size: int, kernel_size: int, padding: int = 0, stride: int = 1) -> int:
    """Reference: o = floor((size + 2 padding - kernel_size) / stride) + 1."""
    return (size + 2 * padding - kernel_size) // stride + 1


def _conv_output_size_cases() -> list[Case]:
    return [
        Case((8, 3, 1, 1), description="an 8-pixel side, 3x3 kernel, padding 1: 'same' keeps 8"),
        Case((8, 3, 0, 1), description="the same without padding ('valid'): 8 - 3 + 1 = 6"),
        Case((28, 5, 0, 1), description="a 28-pixel side and a 5x5 kernel (LeNet on MNIST)"),
        Case((8, 2, 0, 2), description="a 2x2 max-pooling is a window of 2 with stride 2"),
        Case((7, 2, 0, 2), description="pooling an odd side of 7: the last row does not fit"),
        Case((32, 3, 1, 2), description="stride 2 with padding 1 halves a 32-pixel side"),
        Case((5, 5, 0, 1), description="a kernel as large as the input: one position"),
        Case((10, 1, 0, 1), description="a 1x1 kernel keeps the size"),
        Case((9, 4, 2, 3), description="padding 2 on both sides and stride 3"),
    ]


def check_conv_output_size(fn: Callable) -> CheckResult:
    """Check fn(size, kernel_size, padding, stride) -> the output size of a convolution, an int.

    o = floor((size + 2 P - k) / S) + 1 for an input side ``size``, kernel side k, zero padding
    P on both sides and stride S; with k = S and P = 0 it is the size after pooling. The cases
    include 'same' and 'valid' convolutions, pooling of an even and an odd side, strides 2 and
    3 and a 1x1 kernel. The answer must be an int (use floor division ``//``).

    Book: Chapter 3, section 3.3 (exercise "the output-size formula").
    """
    return check(
        fn,
        _conv_output_size,
        _conv_output_size_cases(),
        name="conv_output_size",
        hint=(
            "o = (size + 2 * padding - kernel_size) // stride + 1: the padding is added on both "
            "sides, the floor division drops a last window that does not fit, and the + 1 counts "
            "the first position. Return an int."
        ),
    )


# --------------------------------------------------------- spoken digits (notebook 3.4): sequences
def _last_valid_state(states: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Reference: out[i] = states[i, T_i - 1] for states [N, T, H] and lengths T_i in [1, T]."""
    states, lengths = np.asarray(states), np.asarray(lengths)
    n_steps = states.shape[1]
    if lengths.min() < 1 or lengths.max() > n_steps:
        raise ValueError(
            f"lengths: expected every length in [1, {n_steps}] (T = {n_steps} padded steps), "
            f"got values from {lengths.min()} to {lengths.max()}"
        )
    return states[np.arange(len(states)), lengths - 1]


def _padded_states(lengths: list[int], n_steps: int, hidden: int, seed: int) -> tuple:
    """Random states [N, T, H] that are zero after each sequence's end, as an encoder returns."""
    rng = np.random.default_rng(seed)
    lengths_array = np.asarray(lengths, dtype=np.int64)
    states = rng.normal(size=(len(lengths), n_steps, hidden))
    states[np.arange(n_steps)[None, :] >= lengths_array[:, None]] = 0.0
    return states, lengths_array


def _last_state_cases() -> list[Case]:
    def case(lengths: list[int], n_steps: int, hidden: int, description: str, **kw) -> Case:
        args = _padded_states(lengths, n_steps, hidden, seed=len(lengths) * 31 + n_steps)
        return Case(args, description=description, **kw)

    return [
        case([4, 2, 5], 5, 2, "3 sequences of lengths 4, 2, 5 padded to T = 5 (hidden size 2)"),
        case([1, 3], 4, 3, "a sequence of length 1: its only state is at step 0"),
        case([6, 6, 6], 6, 2, "every sequence fills all T = 6 steps (no padding at all)"),
        case([3], 8, 4, "a single sequence (N = 1) of length 3 padded to T = 8"),
        case([2, 7, 5, 1, 7, 4], 7, 3, "6 sequences in no particular order, T = 7, H = 3"),
        case(
            [3, 0, 2],
            4,
            2,
            "a length of 0: lengths - 1 = -1 would silently pick the last padded step",
            expect_error=ValueError,
        ),
        case(
            [2, 6], 5, 2, "a length (6) longer than the T = 5 padded steps", expect_error=ValueError
        ),
    ]


def check_last_valid_state(fn: Callable) -> CheckResult:
    """Check fn(states [N, T, H], lengths [N]) -> [N, H] with out[i] = states[i, T_i - 1].

    The states of a recurrent layer over a padded batch: sequence i has T_i valid steps
    0..T_i-1 followed by padding (zero states). The summary of sequence i is its state at its
    own last valid step, T_i - 1, not at the last padded step T - 1. A length outside [1, T]
    must raise ValueError (a length of 0 would otherwise pick states[i, -1] without a word).

    Book: Chapter 3, section 3.4 (exercise "the last valid state").
    """
    return check(
        fn,
        _last_valid_state,
        _last_state_cases(),
        name="last_valid_state",
        hint=(
            "out = states[np.arange(N), lengths - 1]: row i, step T_i - 1 (steps are numbered "
            "from 0, so the last valid one is T_i - 1, and T - 1 is padding for shorter "
            "sequences). Raise ValueError first if a length is below 1 or above T."
        ),
    )


# ------------------------------------------------------- spoken digits (notebook 3.4): speakers
def _speaker_split(data: object, held_out: str) -> tuple[np.ndarray, np.ndarray]:
    """Reference: (train, test) indices with every recording of ``held_out`` in test only."""
    speakers = np.asarray(data.speakers)
    if held_out not in set(data.speakers):
        raise ValueError(
            f"held_out: expected one of the speakers {sorted(set(data.speakers))}, got {held_out!r}"
        )
    return np.flatnonzero(speakers != held_out), np.flatnonzero(speakers == held_out)


class _Recordings:
    """The metadata of some FSDD recordings: what a speaker split needs (as in ``FSDD``)."""

    def __init__(self, speakers: list[str], takes: list[int], labels: list[int]) -> None:
        self.speakers = list(speakers)
        self.takes = np.asarray(takes, dtype=np.int64)
        self.labels = np.asarray(labels, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.speakers)

    def __repr__(self) -> str:
        names = ", ".join(sorted(set(self.speakers)))
        return f"<{len(self)} recordings by {names}; takes {sorted(set(self.takes.tolist()))}>"


def _speaker_split_cases() -> list[Case]:
    names = ["george", "lucas", "theo"]
    # As load_fsdd sorts them: by digit, then speaker, then take (takes 0-5 of digits 0 and 1).
    rows = [(s, t, d) for d in (0, 1) for s in names for t in range(6)]
    official = _Recordings(*map(list, zip(*rows, strict=True)))
    order = np.random.default_rng(34).permutation(len(rows))
    shuffled = _Recordings(*map(list, zip(*[rows[i] for i in order], strict=True)))
    prefixed = _Recordings(
        ["theo", "theodora", "theo", "ann", "theodora", "ann", "theo"],
        [0, 0, 1, 0, 1, 1, 7],
        [3, 3, 3, 5, 5, 5, 9],
    )
    single = _Recordings(["ann", "bob", "ann", "cyd", "bob"], [0, 0, 1, 9, 1], [1, 1, 2, 2, 2])
    return [
        Case((official, "lucas"), description="3 speakers, takes 0-5, in load_fsdd's order"),
        Case((shuffled, "george"), description="the same recordings in a shuffled order"),
        Case(
            (prefixed, "theo"),
            description="'theo' must not match 'theodora' (compare whole names, not parts)",
        ),
        Case((single, "cyd"), description="a speaker with a single recording"),
        Case(
            (official, "nicolas"),
            description="a speaker who is not in the data: an empty test set must not pass",
            expect_error=ValueError,
        ),
    ]


def check_speaker_split(fn: Callable) -> CheckResult:
    """Check fn(data, held_out) -> (train_index, test_index), a speaker-independent split.

    ``data`` has ``data.speakers`` (one name per recording, like ``load_fsdd``'s result).
    test_index lists, in increasing order, every recording i whose speaker is ``held_out``,
    and train_index every other recording: no index in both, none left out. A speaker who is
    not in the data must raise ValueError.

    Book: Chapter 3, section 3.4 (exercise "leave one speaker out").
    """
    return check(
        fn,
        _speaker_split,
        _speaker_split_cases(),
        name="speaker_split",
        hint=(
            "With speakers = np.asarray(data.speakers): train = np.flatnonzero(speakers != "
            "held_out) and test = np.flatnonzero(speakers == held_out). Split by speaker, not "
            "by take, and return integer index arrays (not boolean masks) as (train, test)."
        ),
    )
