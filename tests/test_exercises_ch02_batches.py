"""Tests of the padding and mask checkers of notebook 2.3 (course_lib.exercises.ch02).

Every checker must pass the reference solution (the notebook's solution code and course_lib)
and fail typical wrong answers with feedback that names the mistake; a learner's error never
propagates.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.data.sequences import length_mask, pad_sequences
from course_lib.exercises import ch02


def not_implemented(*args, **kwargs):
    raise NotImplementedError("write your answer here")


# ------------------------------------------------------------------------------ the solutions
def solution_pad_frames(frames):
    n_features = frames[0].shape[1]
    if any(x.shape[1] != n_features for x in frames):
        raise ValueError("frames: every recording needs the same number of features")
    lengths = np.array([len(x) for x in frames])
    padded = np.zeros((len(frames), lengths.max(), n_features))
    for i, x in enumerate(frames):
        padded[i, : len(x)] = x
    return padded, lengths


def solution_length_mask(lengths, max_len=None):
    lengths = np.asarray(lengths)
    n_steps = lengths.max() if max_len is None else max_len
    if n_steps < lengths.max():
        raise ValueError("max_len: shorter than the longest sequence")
    return np.arange(n_steps)[None, :] < lengths[:, None]


def solution_masked_mean(padded, mask):
    m = mask[..., None].astype(padded.dtype)
    return (m * padded).sum(axis=1) / m.sum(axis=1)


def test_exported_names() -> None:
    assert {"check_pad_frames", "check_length_mask", "check_masked_mean"} <= set(ch02.__all__)


@pytest.mark.parametrize(
    ("checker", "solution"),
    [
        (ch02.check_pad_frames, solution_pad_frames),
        (ch02.check_pad_frames, pad_sequences),
        (ch02.check_length_mask, solution_length_mask),
        (ch02.check_length_mask, length_mask),
        (ch02.check_masked_mean, solution_masked_mean),
    ],
)
def test_checkers_pass_the_solutions(checker, solution, capsys) -> None:
    result = checker(solution)
    out = capsys.readouterr().out
    assert result, out
    assert out.startswith("✅") and result.n_passed == result.n_checks >= 5


@pytest.mark.parametrize(
    "checker", [ch02.check_pad_frames, ch02.check_length_mask, ch02.check_masked_mean]
)
def test_checkers_say_when_the_stub_is_untouched(checker, capsys) -> None:
    result = checker(not_implemented)
    assert not result and result.n_passed == 0
    assert "not implemented yet" in capsys.readouterr().out


# ------------------------------------------------------------------------ typical wrong answers
def pad_at_the_front(frames):
    padded, lengths = solution_pad_frames(frames)
    for i, length in enumerate(lengths):
        padded[i] = np.roll(padded[i], padded.shape[1] - length, axis=0)
    return padded, lengths


def pad_without_lengths(frames):
    return solution_pad_frames(frames)[0]


def pad_features_first(frames):
    padded, lengths = solution_pad_frames(frames)
    return padded.transpose(0, 2, 1), lengths


def lengths_of_the_padded_batch(frames):
    padded, _ = solution_pad_frames(frames)
    return padded, np.full(len(frames), padded.shape[1])


def pad_without_the_feature_check(frames):
    lengths = np.array([len(x) for x in frames])
    padded = np.zeros((len(frames), lengths.max(), max(x.shape[1] for x in frames)))
    for i, x in enumerate(frames):
        padded[i, : len(x), : x.shape[1]] = x
    return padded, lengths


def mask_off_by_one(lengths, max_len=None):
    lengths = np.asarray(lengths)
    n_steps = lengths.max() if max_len is None else max_len
    return np.arange(n_steps)[None, :] <= lengths[:, None]


def mask_transposed(lengths, max_len=None):
    return solution_length_mask(lengths, max_len).T


def mask_ignoring_max_len(lengths, max_len=None):
    return solution_length_mask(lengths)


def mask_without_the_max_len_check(lengths, max_len=None):
    lengths = np.asarray(lengths)
    n_steps = lengths.max() if max_len is None else max_len
    return np.arange(n_steps)[None, :] < lengths[:, None]


def mean_over_all_steps(padded, mask):
    return padded.mean(axis=1)


def mean_trusting_zero_padding(padded, mask):
    return padded.sum(axis=1) / mask.sum(axis=1, keepdims=True)


def mean_of_all_real_frames(padded, mask):
    return padded[mask].mean(axis=0)


@pytest.mark.parametrize(
    ("checker", "wrong", "failed_check", "phrases"),
    [
        (
            ch02.check_pad_frames,
            pad_at_the_front,
            "check 1 of 6",
            ["27 of 45 values differ", "hint:     the padding goes at the end"],
        ),
        (
            ch02.check_pad_frames,
            pad_without_lengths,
            "check 1 of 6",
            ["expected a tuple of 2 items, got array", "return two things"],
        ),
        (
            ch02.check_pad_frames,
            pad_features_first,
            "check 1 of 6",
            ["wrong shape: expected (3, 5, 3), got (3, 3, 5)", "shape [N, T, F], not [N, F, T]"],
        ),
        (
            ch02.check_pad_frames,
            lengths_of_the_padded_batch,
            "check 1 of 6",
            ["item 1: 2 of 3 values differ", "lengths[i] = T_i"],
        ),
        (
            ch02.check_pad_frames,
            pad_without_the_feature_check,
            "check 6 of 6",
            ["must raise ValueError", "expected your function to raise ValueError"],
        ),
        (
            ch02.check_length_mask,
            mask_off_by_one,
            "check 1 of 7",
            ["2 of 9 values differ; the first at index (1, 1)", "off by one"],
        ),
        (
            ch02.check_length_mask,
            mask_transposed,
            "check 1 of 7",
            ["values differ", "not [T, N]"],
        ),
        (
            ch02.check_length_mask,
            mask_ignoring_max_len,
            "check 4 of 7",
            ["wrong shape: expected (2, 6), got (2, 3)", "max_len columns"],
        ),
        (
            ch02.check_length_mask,
            mask_without_the_max_len_check,
            "check 7 of 7",
            ["expected your function to raise ValueError", "Raise ValueError when max_len"],
        ),
        (
            ch02.check_masked_mean,
            mean_over_all_steps,
            "check 1 of 5",
            ["6 of 9 values differ", "divides by T, padding included"],
        ),
        (
            ch02.check_masked_mean,
            mean_trusting_zero_padding,
            "check 5 of 5",
            ["padding filled with -50", "the sum must skip the padding too"],
        ),
        (
            ch02.check_masked_mean,
            mean_of_all_real_frames,
            "check 1 of 5",
            ["wrong shape: expected (3, 3), got (3,)", "one mean per sequence"],
        ),
    ],
)
def test_checkers_fail_typical_wrong_answers_with_a_helpful_message(
    checker, wrong, failed_check, phrases, capsys
) -> None:
    result = checker(wrong)
    out = capsys.readouterr().out
    assert not result
    assert out.startswith(f"❌ {result.name}: {failed_check} failed")
    for phrase in phrases:
        assert phrase in out, (phrase, out)
