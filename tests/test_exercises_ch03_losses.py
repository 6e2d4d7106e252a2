"""Tests of the Chapter 3 checkers of the losses (check_log_softmax, check_sequence_loss).

Right answers pass, including the frameworks' own functions; the usual mistakes (no max shift,
log of a softmax, a shift by the global maximum, a forgotten keepdims, the wrong axis; a mean over
all positions, an inverted or missing mask, the mean of per-sequence means) fail with feedback
that names the case.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from course_lib import losses
from course_lib.exercises import ch03

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # wrong answers overflow


# ------------------------------------------------------------------------------- log-softmax
def log_softmax(z, axis=-1):
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def torch_log_softmax(z, axis=-1):
    return F.log_softmax(torch.from_numpy(z), dim=axis).numpy()


def test_right_log_softmax_answers_pass(capsys):
    assert ch03.check_log_softmax(log_softmax)
    assert ch03.check_log_softmax(torch_log_softmax)
    assert ch03.check_log_softmax(losses.log_softmax)
    assert capsys.readouterr().out.count("✅ log_softmax: all 12 checks passed.") == 3


def test_log_softmax_cases_cover_the_documented_situations():
    cases = ch03._log_softmax_cases()
    logits = [c.args[0] for c in cases]
    assert all(np.all(np.isfinite(z)) and z.dtype == np.float64 for z in logits)
    assert any(z.min() > 9e3 for z in logits)  # overflow of exp without the shift
    assert any(z.max() < -9e3 for z in logits)  # underflow to log(0)
    assert any(z.ndim == 2 and z.shape[0] == z.shape[1] for z in logits)  # keepdims
    assert any(z.ndim == 1 for z in logits) and any(z.ndim == 3 for z in logits)
    assert {c.kwargs.get("axis", -1) for c in cases} >= {-1, 0, 1}
    again = ch03._log_softmax_cases()
    assert all(np.array_equal(a.args[0], b.args[0]) for a, b in zip(cases, again, strict=True))


def no_max_shift(z, axis=-1):
    e = np.exp(z)
    return np.log(e / e.sum(axis=axis, keepdims=True))


def log_of_stable_softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return np.log(e / e.sum(axis=axis, keepdims=True))


def shift_by_global_max(z, axis=-1):
    shifted = z - z.max()
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def no_keepdims_when_square(z, axis=-1):  # passes every non-square case, as such bugs do
    if z.ndim == 2 and z.shape[0] == z.shape[1]:
        shifted = z - z.max(axis=axis)
        return shifted - np.log(np.exp(shifted).sum(axis=axis))
    return log_softmax(z, axis)


def always_last_axis(z, axis=-1):
    return log_softmax(z)


def softmax_not_log(z, axis=-1):
    return np.exp(log_softmax(z, axis))


def shifted_logits_only(z, axis=-1):
    return z - z.max(axis=axis, keepdims=True)


def returns_a_list(z, axis=-1):
    return log_softmax(z, axis).tolist()


def log_softmax_stub(z, axis=-1):
    raise NotImplementedError


@pytest.mark.parametrize(
    ("learner", "messages"),
    [
        (no_max_shift, ["check 4 of 12 failed", "overflows to inf", "got nan"]),
        (log_of_stable_softmax, ["check 7 of 12 failed", "log(softmax)", "got -inf"]),
        (shift_by_global_max, ["check 8 of 12 failed", "the whole array", "got inf"]),
        (no_keepdims_when_square, ["check 3 of 12 failed", "keepdims"]),
        (always_last_axis, ["check 9 of 12 failed", "axis=0", "values differ"]),
        (softmax_not_log, ["check 1 of 12 failed", "values differ"]),
        (shifted_logits_only, ["check 1 of 12 failed", "values differ"]),
        (returns_a_list, ["expected a NumPy array, got list"]),
        (log_softmax_stub, ["not implemented yet"]),
    ],
)
def test_typical_log_softmax_mistakes_fail_helpfully(learner, messages, capsys):
    result = ch03.check_log_softmax(learner)
    out = capsys.readouterr().out
    assert not result
    assert "❌ log_softmax" in out and "keepdims=True" in out  # the hint
    for message in messages:
        assert message in out


# --------------------------------------------------------------------- the masked sequence loss
def picked_log_probs(logits, targets):
    return np.take_along_axis(log_softmax(logits), targets[..., None], axis=-1)[..., 0]


def sequence_loss(logits, targets, mask):
    return -(picked_log_probs(logits, targets) * mask).sum() / mask.sum()


def sequence_loss_by_boolean_index(logits, targets, mask):
    log_p = log_softmax(logits[mask])  # [number of valid steps, C]
    return -log_p[np.arange(len(log_p)), targets[mask]].mean()


def torch_sequence_loss(logits, targets, mask):
    masked = torch.from_numpy(np.where(mask, targets, -100))
    return F.cross_entropy(torch.from_numpy(logits).flatten(0, 1), masked.flatten()).item()


def test_right_sequence_loss_answers_pass(capsys):
    assert ch03.check_sequence_loss(sequence_loss)
    assert ch03.check_sequence_loss(sequence_loss_by_boolean_index)
    assert ch03.check_sequence_loss(torch_sequence_loss)
    assert ch03.check_sequence_loss(losses.sequence_cross_entropy)
    assert capsys.readouterr().out.count("✅ sequence_loss: all 7 checks passed.") == 4


def test_sequence_loss_cases_cover_the_documented_situations():
    cases = ch03._sequence_loss_cases()
    masks = [c.args[2] for c in cases]
    assert all(m.dtype == bool and m.any(axis=1).all() for m in masks)
    assert any(m.all() for m in masks)  # no padding at all
    assert any((~m).sum() > m.sum() for m in masks)  # more padding than tokens
    assert any(len(set(m.sum(axis=1))) > 1 for m in masks)  # different lengths
    pad_targets = {int(t) for c in cases for t in c.args[1][~c.args[2]]}
    assert pad_targets == {0, 3}  # the usual pad id, and a real class under the mask
    assert any(c.args[0].min() > 900 for c in cases)  # needs the stable log-softmax


def mean_over_all_positions(logits, targets, mask):
    return -(picked_log_probs(logits, targets) * mask).sum() / mask.size


def inverted_mask(logits, targets, mask):
    return sequence_loss(logits, targets, ~mask)


def no_mask(logits, targets, mask):
    return -picked_log_probs(logits, targets).mean()


def mean_of_sequence_means(logits, targets, mask):
    per_sequence = -(picked_log_probs(logits, targets) * mask).sum(axis=1) / mask.sum(axis=1)
    return per_sequence.mean()


def pad_target_as_mask(logits, targets, mask):
    return sequence_loss(logits, targets, targets != 0)


def unstable_log_softmax(logits, targets, mask):
    log_p = no_max_shift(logits)
    picked = np.take_along_axis(log_p, targets[..., None], axis=-1)[..., 0]
    return -(picked * mask).sum() / mask.sum()


def sum_not_mean(logits, targets, mask):
    return -(picked_log_probs(logits, targets) * mask).sum()


def per_token_losses(logits, targets, mask):
    return -picked_log_probs(logits, targets) * mask


def sequence_loss_stub(logits, targets, mask):
    raise NotImplementedError


@pytest.mark.parametrize(
    ("learner", "messages"),
    [
        (mean_over_all_positions, ["check 2 of 7 failed", "padded with target 0"]),
        (inverted_mask, ["check 1 of 7 failed", "got nan"]),
        (no_mask, ["check 2 of 7 failed"]),
        (mean_of_sequence_means, ["check 2 of 7 failed"]),
        (pad_target_as_mask, ["check 5 of 7 failed", "the mask, not the target"]),
        (unstable_log_softmax, ["check 6 of 7 failed", "stable", "got nan"]),
        (sum_not_mean, ["check 1 of 7 failed"]),
        (per_token_losses, ["check 1 of 7 failed", "expected a single number"]),
        (sequence_loss_stub, ["not implemented yet"]),
    ],
)
def test_typical_sequence_loss_mistakes_fail_helpfully(learner, messages, capsys):
    result = ch03.check_sequence_loss(learner)
    out = capsys.readouterr().out
    assert not result
    assert "❌ sequence_loss" in out and "mask.sum()" in out  # the hint
    for message in messages:
        assert message in out


def test_mean_of_sequence_means_fails_on_the_case_made_for_it(capsys):
    case = ch03._sequence_loss_cases()[2]
    assert "per-sequence means" in case.description
    expected = losses.sequence_cross_entropy(*case.args)
    assert abs(mean_of_sequence_means(*case.args) - expected) > 0.1
    assert abs(sequence_loss(*case.args) - expected) < 1e-12


# ------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("checker", [ch03.check_log_softmax, ch03.check_sequence_loss])
def test_checkers_reject_what_is_not_a_function(checker):
    with pytest.raises(TypeError, match="learner_fn: expected a function"):
        checker(np.zeros(3))
