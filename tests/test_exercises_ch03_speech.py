"""Tests of the checkers of notebook 3.4 (spoken digits): the last valid state of a padded batch
(check_last_valid_state) and a leave-one-speaker-out split (check_speaker_split).

The right answers pass; the usual mistakes (the last padded step, one step too far, no check of
the lengths; a split by take, swapped or boolean outputs, matching part of a name) fail with
feedback that names the problem.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_lib.exercises import ch03
from course_lib.torch import SequenceEncoder


def _check_lengths(states, lengths):
    if np.min(lengths) < 1 or np.max(lengths) > np.shape(states)[1]:
        raise ValueError("lengths: expected values in [1, T]")


# ------------------------------------------------------------------ last valid state: right
def fancy_indexing(states, lengths):
    states, lengths = np.asarray(states), np.asarray(lengths)
    _check_lengths(states, lengths)
    return states[np.arange(len(states)), lengths - 1]


def loop(states, lengths):
    _check_lengths(states, lengths)
    return np.stack([states[i, t - 1] for i, t in enumerate(lengths)])


def take_along_axis(states, lengths):
    _check_lengths(states, lengths)
    index = (np.asarray(lengths) - 1)[:, None, None]
    return np.take_along_axis(states, index, axis=1)[:, 0]


@pytest.mark.parametrize("learner", [fancy_indexing, loop, take_along_axis])
def test_right_last_states_pass(learner, capsys):
    assert ch03.check_last_valid_state(learner)
    assert "✅ last_valid_state: all 7 checks passed." in capsys.readouterr().out


def test_reference_equals_the_sequence_encoders_last_state():
    """Picking states[i, T_i - 1] from all states is what SequenceEncoder returns as last."""
    torch.manual_seed(0)
    encoder = SequenceEncoder(input_size=3, hidden_size=5)
    lengths = np.array([4, 1, 6, 2])
    x = torch.randn(4, 6, 3)
    with torch.no_grad():
        last, states = encoder(x, torch.from_numpy(lengths))
    picked = ch03._last_valid_state(states.numpy(), lengths)
    np.testing.assert_allclose(picked, last.numpy(), rtol=0, atol=1e-7)
    assert not np.allclose(states[:, -1].numpy(), last.numpy())  # the last padded step is wrong


def test_last_state_cases_cover_the_documented_situations():
    cases = ch03._last_state_cases()
    shapes = [case.args[0].shape for case in cases]
    lengths = [case.args[1] for case in cases]
    assert any(shape[0] == 1 for shape in shapes)  # N = 1
    assert any(1 in length for length in lengths)  # a sequence of length 1
    assert any((length == shape[1]).all() for length, shape in zip(lengths, shapes, strict=True))
    assert [case.expect_error for case in cases].count(ValueError) == 2  # length 0, length > T
    for case in cases:
        if case.expect_error is not None:  # the reference refuses the same inputs
            with pytest.raises(ValueError, match=r"lengths: expected every length in \[1, "):
                ch03._last_valid_state(*case.args)
            continue
        states, length = case.args  # zero after each sequence's end, as an encoder gives them
        padded = np.arange(states.shape[1])[None, :] >= length[:, None]
        assert (states[padded] == 0).all() and (states[~padded] != 0).all()


# ------------------------------------------------------------------ last valid state: wrong
def last_padded_step(states, lengths):
    _check_lengths(states, lengths)
    return states[:, -1]


def one_step_too_far(states, lengths):  # the steps are numbered from 0
    _check_lengths(states, lengths)
    return states[np.arange(len(states)), lengths]


def one_step_too_far_clipped(states, lengths):
    _check_lengths(states, lengths)
    return states[np.arange(len(states)), np.minimum(lengths, states.shape[1] - 1)]


def all_rows_for_every_length(states, lengths):  # [N, N, H]: the index arrays do not pair up
    _check_lengths(states, lengths)
    return states[:, lengths - 1]


def mean_of_valid_steps(states, lengths):
    _check_lengths(states, lengths)
    return states.sum(axis=1) / lengths[:, None]


def no_check_of_the_lengths(states, lengths):
    return states[np.arange(len(states)), lengths - 1]


def stub(states, lengths):
    raise NotImplementedError


@pytest.mark.parametrize(
    ("learner", "message"),
    [
        (last_padded_step, "values differ"),
        (one_step_too_far, "IndexError"),
        (one_step_too_far_clipped, "values differ"),
        (all_rows_for_every_length, "wrong shape: expected (3, 2), got (3, 3, 2)"),
        (mean_of_valid_steps, "values differ"),
        (no_check_of_the_lengths, "a length of 0"),
        (stub, "not implemented yet"),
    ],
)
def test_typical_last_state_mistakes_fail_helpfully(learner, message, capsys):
    result = ch03.check_last_valid_state(learner)
    out = capsys.readouterr().out
    assert not result
    assert message in out
    assert "hint:" in out and "lengths - 1" in out


def test_a_missing_upper_check_is_caught():
    def only_checks_zero(states, lengths):
        if np.min(lengths) < 1:
            raise ValueError("lengths: expected values >= 1")
        return states[np.arange(len(states)), np.minimum(lengths, states.shape[1]) - 1]

    result = ch03.check_last_valid_state(only_checks_zero)
    assert not result and "longer than the T = 5 padded steps" in str(result)


# ---------------------------------------------------------------------- speaker split: right
def by_comparison(data, held_out):
    speakers = np.asarray(data.speakers)
    if held_out not in speakers:
        raise ValueError(f"held_out: unknown speaker {held_out!r}")
    return np.flatnonzero(speakers != held_out), np.flatnonzero(speakers == held_out)


def by_list_comprehension(data, held_out):
    if held_out not in data.speakers:
        raise ValueError(f"held_out: unknown speaker {held_out!r}")
    train = [i for i, name in enumerate(data.speakers) if name != held_out]
    test = [i for i, name in enumerate(data.speakers) if name == held_out]
    return np.array(train), np.array(test)


@pytest.mark.parametrize("learner", [by_comparison, by_list_comprehension])
def test_right_speaker_splits_pass(learner, capsys):
    assert ch03.check_speaker_split(learner)
    assert "✅ speaker_split: all 5 checks passed." in capsys.readouterr().out


def test_speaker_split_cases_cover_the_documented_situations():
    cases = ch03._speaker_split_cases()
    for case in cases:
        data, held_out = case.args
        train, test = ch03._speaker_split(data, held_out) if not case.expect_error else ([], [])
        assert len(train) + len(test) in (0, len(data))
        assert not set(train) & set(test)
    official, _ = cases[0].args
    train, test = ch03._speaker_split(official, "lucas")
    by_take = np.flatnonzero(official.takes < 5)
    assert set(test) != set(by_take) and set(official.takes[test]) == set(range(6))
    shuffled, _ = cases[1].args
    test = ch03._speaker_split(shuffled, "george")[1]
    assert np.any(np.diff(test) > 1)  # not one contiguous block
    assert "theodora" in cases[2].args[0].speakers
    assert [case.expect_error for case in cases].count(ValueError) == 1
    assert repr(official).startswith("<36 recordings by george, lucas, theo")


def test_reference_split_on_load_fsdd_like_metadata():
    data = ch03._speaker_split_cases()[0].args[0]
    train, test = ch03._speaker_split(data, "theo")
    assert {data.speakers[i] for i in test} == {"theo"}
    assert "theo" not in {data.speakers[i] for i in train}
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(len(data)))
    with pytest.raises(ValueError, match="held_out: expected one of the speakers"):
        ch03._speaker_split(data, "nicolas")


# ---------------------------------------------------------------------- speaker split: wrong
def by_take(data, held_out):  # the official split, not a speaker split
    by_comparison(data, held_out)
    return np.flatnonzero(data.takes >= 5), np.flatnonzero(data.takes < 5)


def swapped(data, held_out):
    train, test = by_comparison(data, held_out)
    return test, train


def boolean_masks(data, held_out):
    speakers = np.asarray(data.speakers)
    by_comparison(data, held_out)
    return speakers != held_out, speakers == held_out


def part_of_the_name(data, held_out):
    by_comparison(data, held_out)
    inside = np.array([held_out in name for name in data.speakers])
    return np.flatnonzero(~inside), np.flatnonzero(inside)


def contiguous_block(data, held_out):  # FSDD is sorted by digit first: not grouped by speaker
    train, test = by_comparison(data, held_out)
    block = np.arange(test[0], test[0] + len(test))
    return np.setdiff1d(np.arange(len(data)), block), block


def everyone_in_training(data, held_out):
    train, test = by_comparison(data, held_out)
    return np.arange(len(data)), test


def no_check_of_the_speaker(data, held_out):
    speakers = np.asarray(data.speakers)
    return np.flatnonzero(speakers != held_out), np.flatnonzero(speakers == held_out)


def as_lists(data, held_out):
    train, test = by_comparison(data, held_out)
    return train.tolist(), test.tolist()


@pytest.mark.parametrize(
    ("learner", "message"),
    [
        (by_take, "check 1 of 5 failed"),
        (swapped, "item 0: wrong shape"),
        (boolean_masks, "item 0: wrong shape"),
        (part_of_the_name, "'theo' must not match 'theodora'"),
        (contiguous_block, "check 1 of 5 failed"),
        (everyone_in_training, "item 0: wrong shape"),
        (no_check_of_the_speaker, "expected your function to raise ValueError"),
        (as_lists, "expected a NumPy array, got list"),
    ],
)
def test_typical_speaker_split_mistakes_fail_helpfully(learner, message, capsys):
    result = ch03.check_speaker_split(learner)
    out = capsys.readouterr().out
    assert not result
    assert message in out
    assert "hint:" in out and "not by take" in out


def test_checkers_reject_non_callables():
    with pytest.raises(TypeError, match="learner_fn: expected a function"):
        ch03.check_last_valid_state(np.zeros((2, 3, 4)))
    with pytest.raises(TypeError, match="learner_fn: expected a function"):
        ch03.check_speaker_split("george")
