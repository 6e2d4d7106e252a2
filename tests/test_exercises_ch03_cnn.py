"""Tests of the Chapter 3 convolution checkers (check_conv2d, check_conv_output_size).

The references agree with PyTorch and SciPy; right answers pass; the usual mistakes (a true
convolution with a flipped kernel, an output one row short, swapped axes, 'same' padding, true
division in the size formula) fail with feedback that names the problem.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import signal

from course_lib.exercises import ch03


# ------------------------------------------------------------------------ the references are right
def torch_conv2d(x, w):
    return F.conv2d(torch.from_numpy(x)[None, None], torch.from_numpy(w)[None, None])[0, 0].numpy()


def test_conv2d_reference_equals_torch_and_scipy_on_every_case():
    for case in ch03._conv2d_cases():
        x, w = case.args
        expected = ch03._cross_correlate_valid(x, w)
        np.testing.assert_allclose(expected, torch_conv2d(x, w), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(expected, signal.correlate2d(x, w, mode="valid"), atol=1e-12)


def test_conv_output_size_reference_equals_torch_shapes():
    x = torch.zeros(1, 1, 11, 11)
    for size, k, p, s in itertools.product((5, 8, 11), (1, 2, 3, 4, 5), (0, 1, 2), (1, 2, 3)):
        if size + 2 * p < k or p > k // 2:  # torch needs a kernel that fits and P <= k / 2
            continue
        image = x[..., :size, :size]
        conv = F.conv2d(image, torch.zeros(1, 1, k, k), padding=p, stride=s)
        pool = F.max_pool2d(image, k, stride=s, padding=p)
        assert conv.shape[-1] == ch03._conv_output_size(size, k, p, s), (size, k, p, s)
        assert pool.shape[-1] == ch03._conv_output_size(size, k, p, s), (size, k, p, s)


def test_cases_cover_the_documented_situations():
    shapes = [(c.args[0].shape, c.args[1].shape) for c in ch03._conv2d_cases()]
    assert any(x[0] != x[1] for x, _ in shapes), "a non-square image"
    assert any(w[0] != w[1] for _, w in shapes), "a non-square kernel"
    assert any(w == (1, 1) for _, w in shapes), "a 1x1 kernel"
    assert any(x == w for x, w in shapes), "a kernel as large as the image"
    assert any(x[0] == 1 for x, _ in shapes), "a single row"
    sizes = [c.args for c in ch03._conv_output_size_cases()]
    assert any(size % stride and stride > 1 for size, _, _, stride in sizes), "a floor case"
    assert any(padding > 0 and stride > 1 for _, _, padding, stride in sizes)


# ---------------------------------------------------------------------------------- right answers
def conv2d_loops(x, w):
    kh, kw = w.shape
    y = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(y.shape[0]):
        for j in range(y.shape[1]):
            y[i, j] = np.sum(w * x[i : i + kh, j : j + kw])
    return y


def conv2d_im2col(x, w):
    kh, kw = w.shape
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw))  # [H', W', kh, kw]
    return windows.reshape(-1, kh * kw) @ w.ravel()  # [H' W'], not reshaped to [H', W']


def conv2d_im2col_reshaped(x, w):
    kh, kw = w.shape
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw))
    return (windows.reshape(-1, kh * kw) @ w.ravel()).reshape(windows.shape[:2])


@pytest.mark.parametrize("fn", [conv2d_loops, conv2d_im2col_reshaped, torch_conv2d])
def test_right_conv2d_answers_pass(fn, capsys):
    result = ch03.check_conv2d(fn)
    assert result and result.n_passed == result.n_checks == 7
    assert "✅ conv2d: all 7 checks passed." in capsys.readouterr().out


def test_right_answer_of_another_shape_fails():
    result = ch03.check_conv2d(conv2d_im2col)  # forgets to reshape the product back to 2-D
    assert not result
    assert "wrong shape" in str(result)


def output_size(size, kernel_size, padding=0, stride=1):
    return (size + 2 * padding - kernel_size) // stride + 1


def test_right_output_size_answer_passes(capsys):
    result = ch03.check_conv_output_size(output_size)
    assert result and result.n_checks == 9
    assert "✅ conv_output_size: all 9 checks passed." in capsys.readouterr().out


# ---------------------------------------------------------------------------- wrong conv2d answers
def true_convolution(x, w):
    return signal.convolve2d(x, w, mode="valid")  # flips the kernel


def one_row_short(x, w):
    return conv2d_loops(x, w)[:-1, :-1]


def swapped_axes(x, w):
    return conv2d_loops(x.T, w.T)  # rows and columns exchanged


def same_padding(x, w):
    return signal.correlate2d(x, w, mode="same")


def square_only(x, w):  # uses the height for both axes
    k = w.shape[0]
    size = x.shape[0] - k + 1
    return np.array(
        [[np.sum(w * x[i : i + k, j : j + k]) for j in range(size)] for i in range(size)]
    )


def kernel_transposed(x, w):
    return conv2d_loops(x, w.T) if w.shape[0] == w.shape[1] else conv2d_loops(x, w)


def as_list(x, w):
    return conv2d_loops(x, w).tolist()


@pytest.mark.parametrize(
    ("fn", "failing_check", "problem", "hint"),
    [
        (true_convolution, 1, "values differ", "true convolution, with the kernel flipped"),
        (one_row_short, 1, "wrong shape: expected (3, 3), got (2, 2)", "one row and one column"),
        (swapped_axes, 1, "values differ", "rows and columns swapped"),
        (same_padding, 1, "wrong shape: expected (3, 3), got (5, 5)", "'same' padding"),
        (square_only, 2, "wrong shape: expected (4, 7), got (4, 4)", "for i in range(H - kh"),
        (kernel_transposed, 1, "values differ", "does not flip the kernel"),
        (as_list, 1, "expected a NumPy array", "x[i + u, j + v]"),
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_wrong_conv2d_answers_fail_helpfully(fn, failing_check, problem, hint):
    result = ch03.check_conv2d(fn)
    text = str(result)
    assert not result
    assert result.n_passed == failing_check - 1
    assert f"check {failing_check} of 7 failed" in text
    assert problem in text
    assert hint in text
    assert "inputs:   x = array shape" in text  # argument names come from the reference


def test_lopsided_kernels_catch_a_transposed_kernel():
    result = ch03.check_conv2d(lambda x, w: conv2d_loops(x, w.T if w.shape[0] == 2 else w))
    assert not result
    assert "check 3 of 7 failed" in str(result)


def test_conv2d_errors_and_the_stub_are_reported_not_raised():
    def stub(x, w):
        raise NotImplementedError("write it")

    def crashes(x, w):
        return x @ w  # shapes do not fit for matrix multiplication

    result = ch03.check_conv2d(stub)
    assert not result and "not implemented yet" in str(result)
    result = ch03.check_conv2d(crashes)
    assert not result and "your function raised ValueError" in str(result)
    assert "x[i + u, j + v]" in str(result)  # the general hint, when the slip is unknown


def test_check_conv2d_rejects_a_non_function():
    with pytest.raises(TypeError, match="learner_fn: expected a function"):
        ch03.check_conv2d(np.zeros((3, 3)))


# ----------------------------------------------------------------------- wrong output-size answers
@pytest.mark.parametrize(
    ("fn", "failing_check", "problem"),
    [
        (lambda size, k, p=0, s=1: (size + 2 * p - k) // s, 1, "expected 8, got 7"),
        (lambda size, k, p=0, s=1: (size + p - k) // s + 1, 1, "expected 8, got 7"),
        (lambda size, k, p=0, s=1: (size + 2 * p - k) / s + 1, 1, "expected an int, got float"),
        (lambda size, k, p=0, s=1: -(-(size + 2 * p - k) // s) + 1, 5, "expected 3, got 4"),
        (lambda size, k, p=0, s=1: size + 2 * p - k + 1, 4, "expected 4, got 7"),
        (lambda size, k, p=0, s=1: size - k + 1, 1, "expected 8, got 6"),
    ],
    ids=["no +1", "P not 2P", "true division", "ceil", "stride ignored", "padding ignored"],
)
def test_wrong_output_size_answers_fail_helpfully(fn, failing_check, problem):
    result = ch03.check_conv_output_size(fn)
    text = str(result)
    assert not result
    assert f"check {failing_check} of 9 failed" in text
    assert problem in text
    assert "(size + 2 * padding - kernel_size) // stride + 1" in text
    assert "inputs:   size = 8" in text or "inputs:   size = 7" in text


def test_check_conv_output_size_rejects_a_non_function():
    with pytest.raises(TypeError, match="learner_fn: expected a function"):
        ch03.check_conv_output_size(8)
