"""Tests of the audio checkers of Chapter 2 (notebook 2.2): check_frame and check_mel_to_hz.

Each checker must pass the reference solution a learner is expected to write, and fail typical
wrong answers (an off-by-one frame count, no centre padding, the HTK mel formula, ...) with
feedback that names the failing case and a hint that names the mistake.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.data import audio
from course_lib.exercises import ch02


# ------------------------------------------------------------------------------------- framing
def frame_signal(y, frame_length, hop_length, center=False):
    """The reference solution a learner is expected to write."""
    y = np.asarray(y, dtype=np.float64)
    if center:
        y = np.pad(y, frame_length // 2)
    if len(y) < frame_length:
        raise ValueError(f"y: expected at least {frame_length} samples, got {len(y)}")
    n_frames = 1 + (len(y) - frame_length) // hop_length
    starts = np.arange(n_frames) * hop_length
    return y[starts[:, None] + np.arange(frame_length)]


def frame_with_a_loop(y, frame_length, hop_length, center=False):
    y = list(np.pad(y, frame_length // 2) if center else y)
    if len(y) < frame_length:
        raise ValueError("y is shorter than one frame")
    frames, start = [], 0
    while start + frame_length <= len(y):
        frames.append(y[start : start + frame_length])
        start += hop_length
    return np.array(frames)


def frame_without_the_plus_one(y, frame_length, hop_length, center=False):
    y = np.pad(y, frame_length // 2) if center else np.asarray(y)
    starts = np.arange((len(y) - frame_length) // hop_length) * hop_length
    return y[starts[:, None] + np.arange(frame_length)]


def frame_count_by_division(y, frame_length, hop_length, center=False):
    # n_frames = len(y) // hop_length, zero-padding the end so that every frame is full
    y = np.pad(y, frame_length // 2) if center else np.asarray(y)
    n_frames = len(y) // hop_length
    y = np.pad(y, (0, n_frames * hop_length + frame_length))
    return y[np.arange(n_frames)[:, None] * hop_length + np.arange(frame_length)]


def frame_ignoring_center(y, frame_length, hop_length, center=False):
    return frame_signal(y, frame_length, hop_length)


def frame_padding_the_left_only(y, frame_length, hop_length, center=False):
    if center:
        y = np.pad(y, (frame_length // 2, 0))
    return frame_signal(y, frame_length, hop_length)


def frame_padding_a_whole_frame(y, frame_length, hop_length, center=False):
    if center:
        y = np.pad(y, frame_length)
    return frame_signal(y, frame_length, hop_length)


def frame_transposed(y, frame_length, hop_length, center=False):
    return frame_signal(y, frame_length, hop_length, center).T


def frame_swapping_hop_and_length(y, frame_length, hop_length, center=False):
    return frame_signal(y, hop_length, frame_length, center)


def frame_returning_empty_when_too_short(y, frame_length, hop_length, center=False):
    y = np.pad(y, frame_length // 2) if center else np.asarray(y)
    n_frames = max(0, 1 + (len(y) - frame_length) // hop_length)
    return y[np.arange(n_frames)[:, None] * hop_length + np.arange(frame_length)]


def frame_stub(y, frame_length, hop_length, center=False):
    raise NotImplementedError("cut y into frames here")


def test_frame_reference_solutions_pass(capsys):
    for solution in (frame_signal, frame_with_a_loop):
        result = ch02.check_frame(solution)
        assert result, str(result)
        assert result.n_checks >= 10
    assert capsys.readouterr().out.count("✅ frame: all") == 2


def test_frame_reference_agrees_with_the_stft_frames():
    """With center=True the frames are those of audio.power_spectrogram (same count, same data)."""
    y = np.random.default_rng(0).normal(size=1001)
    frames = ch02._frame_signal(y, 256, 80, center=True)
    assert frames.shape == (audio.power_spectrogram(y, n_fft=256, hop_length=80).shape[1], 256)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(256) / 256)
    power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
    np.testing.assert_allclose(power.T, audio.power_spectrogram(y, 256, 80), rtol=1e-12, atol=1e-12)


def test_frame_reference_rejects_a_signal_shorter_than_one_frame():
    with pytest.raises(ValueError, match=r"y: expected at least frame_length=4 samples, got 3"):
        ch02._frame_signal(np.ones(3), 4, 2)


def test_frame_cases_cover_the_edge_cases():
    cases = ch02._frame_cases()
    plain = [c for c in cases if not c.kwargs.get("center") and c.expect_error is None]
    centred = [c for c in cases if c.kwargs.get("center")]

    def leftover(case):
        y, length, hop = case.args
        return (len(y) - length) % hop

    assert any(leftover(c) == 0 and len(c.args[0]) > c.args[1] for c in plain)  # exact fit
    assert any(leftover(c) > 0 for c in plain)  # samples dropped at the end
    assert any(len(c.args[0]) == c.args[1] for c in plain)  # one frame
    assert any(c.args[2] > c.args[1] for c in plain)  # gaps between frames
    assert any(c.args[1] % 2 == 1 for c in centred)  # odd frame length with centring
    assert any(len(c.args[0]) < c.args[1] for c in centred)  # padding makes the first frame
    errors = [c for c in cases if c.expect_error is ValueError]
    assert errors and all(len(c.args[0]) < c.args[1] for c in errors)


@pytest.mark.parametrize(
    ("learner", "messages"),
    [
        (
            frame_without_the_plus_one,
            [
                "check 1 of 11 failed: 10 samples, frame_length 4, hop 2",
                "wrong shape: expected (4, 4), got (3, 4)",
                "hint:     one frame short",
                "the 1 counts the frame at m = 0",
            ],
        ),
        (
            frame_count_by_division,
            ["wrong shape: expected (4, 4), got (5, 4)", "n_frames = 1 + (len(y) - frame_length)"],
        ),
        (
            frame_ignoring_center,
            [
                "center=True, frame_length 4: two zeros on each side",
                "wrong shape: expected (6, 4), got (4, 4)",
                "hint:     center=True must pad y with frame_length // 2 zeros on both sides",
            ],
        ),
        (
            frame_padding_the_left_only,
            ["center=True, frame_length 4: two zeros on each side", "np.pad(y, frame_length // 2)"],
        ),
        (
            frame_padding_a_whole_frame,
            ["center=True, frame_length 4", "wrong shape: expected (6, 4), got (8, 4)"],
        ),
        (
            frame_transposed,
            ["values differ", "hint:     return one frame per row, shape [n_frames, frame_length]"],
        ),
        (frame_swapping_hop_and_length, ["check 1 of 11 failed", "wrong shape"]),
        (
            frame_returning_empty_when_too_short,
            [
                "3 samples, frame_length 4, center=False: must raise ValueError",
                "expected your function to raise ValueError",
            ],
        ),
        (frame_stub, ["frame: not implemented yet", "hint:"]),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_frame_wrong_answers_fail_helpfully(learner, messages, capsys):
    result = ch02.check_frame(learner)
    out = capsys.readouterr().out
    assert not result
    assert out.strip() == str(result)
    for message in messages:
        assert message in out, out


def test_frame_checker_survives_odd_answers(capsys):
    def returns_a_list(y, frame_length, hop_length, center=False):
        return frame_signal(y, frame_length, hop_length, center).tolist()

    def crashes(y, frame_length, hop_length, center=False):
        return y[len(y) + 5]

    def returns_none(y, frame_length, hop_length, center=False):
        return None

    assert "expected a NumPy array, got list" in str(ch02.check_frame(returns_a_list))
    assert "your function raised IndexError" in str(ch02.check_frame(crashes))
    feedback = str(ch02.check_frame(returns_none))
    assert "expected: array shape (4, 4) float64" in feedback and "got:      None" in feedback
    capsys.readouterr()


def test_frame_checker_rejects_a_non_callable():
    with pytest.raises(TypeError, match="learner_fn: expected a function .* got ndarray"):
        ch02.check_frame(frame_signal(np.arange(8.0), 4, 2))


# ----------------------------------------------------------------------------------- mel to Hz
def mel_to_hz(mels):
    """The reference solution a learner is expected to write."""
    m = np.asarray(mels, dtype=np.float64)
    step = np.log(6.4) / 27.0
    logarithmic = 1000.0 * np.exp(step * (np.maximum(m, 15.0) - 15.0))
    return np.where(m < 15.0, m * 200.0 / 3.0, logarithmic)


def mel_to_hz_htk(mels):
    return 700.0 * (10.0 ** (np.asarray(mels) / 2595.0) - 1.0)


def mel_to_hz_htk_natural_log(mels):
    return 700.0 * (np.exp(np.asarray(mels) / 1127.0) - 1.0)


def mel_to_hz_linear_only(mels):
    return np.asarray(mels, dtype=np.float64) * 200.0 / 3.0


def mel_to_hz_log10(mels):
    m = np.asarray(mels, dtype=np.float64)
    step = np.log(6.4) / 27.0
    return np.where(m < 15.0, m * 200.0 / 3.0, 1000.0 * 10.0 ** (step * (m - 15.0)))


def mel_to_hz_step_upside_down(mels):
    m = np.asarray(mels, dtype=np.float64)
    return np.where(m < 15.0, m * 200.0 / 3.0, 1000.0 * np.exp((m - 15.0) / (np.log(6.4) / 27.0)))


def mel_to_hz_flattened(mels):
    return mel_to_hz(np.ravel(mels))


def mel_to_hz_stub(mels):
    raise NotImplementedError("write the inverse of the Slaney mel scale here")


def test_mel_to_hz_reference_solutions_pass(capsys):
    assert ch02.check_mel_to_hz(mel_to_hz)
    assert ch02.check_mel_to_hz(audio.mel_to_hz)
    assert capsys.readouterr().out.count("✅ mel_to_hz: all 6 checks passed.") == 2


def test_mel_to_hz_cases_cover_both_parts_and_the_break():
    values = np.concatenate([np.ravel(c.args[0]) for c in ch02._mel_to_hz_cases()])
    assert (values < 15).sum() >= 5 and (values > 15).sum() >= 5 and 15.0 in values
    assert values.max() >= audio.hz_to_mel(4000.0)
    assert any(np.ndim(c.args[0]) == 2 for c in ch02._mel_to_hz_cases())


@pytest.mark.parametrize(
    ("learner", "messages"),
    [
        (
            mel_to_hz_htk,
            [
                "check 1 of 6 failed: below 15 mel: the linear part",
                "expected 200.0, got 1.86",
                "hint:     this is the HTK mel formula f = 700 (10^(m / 2595) - 1)",
                "Slaney's mel scale is linear below 15 mel",
            ],
        ),
        (mel_to_hz_htk_natural_log, ["this is the HTK mel formula in natural logs"]),
        (
            audio.hz_to_mel,
            ["check 1 of 6 failed", "this computes Hz -> mel; the exercise asks for the inverse"],
        ),
        (
            mel_to_hz_linear_only,
            [
                "check 3 of 6 failed: above 15 mel: the log part",
                "f = (200/3) m only holds below 15 mel (1000 Hz)",
            ],
        ),
        (mel_to_hz_log10, ["check 3 of 6 failed: above 15 mel", "f = 1000 exp((ln(6.4) / 27)"]),
        (mel_to_hz_step_upside_down, ["check 3 of 6 failed: above 15 mel", "values differ"]),
        (mel_to_hz_flattened, ["a 2-D array: keep its shape", "wrong shape: expected (2, 2)"]),
        (mel_to_hz_stub, ["mel_to_hz: not implemented yet", "hint:     Slaney's mel scale"]),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_mel_to_hz_wrong_answers_fail_helpfully(learner, messages, capsys):
    result = ch02.check_mel_to_hz(learner)
    out = capsys.readouterr().out
    assert not result
    for message in messages:
        assert message in out, out


def test_mel_to_hz_checker_rejects_a_non_callable():
    with pytest.raises(TypeError, match="learner_fn: expected a function .* got float 15.0"):
        ch02.check_mel_to_hz(15.0)


# --------------------------------------------------------------------------------------- hints
def test_matching_hint_picks_the_first_match_and_ignores_learner_errors():
    def wrong(x):
        return x + 1

    def raises(x):
        raise RuntimeError("boom")

    probes = [((np.zeros(2),), {}, wrong, "plus one"), ((np.ones(2),), {}, np.sqrt, "sqrt")]
    assert ch02._matching_hint(wrong, probes, "generic") == "plus one"
    assert ch02._matching_hint(lambda x: x, probes, "generic") == "sqrt"  # sqrt(1) == 1
    assert ch02._matching_hint(lambda x: x * 7, probes, "generic") == "generic"
    assert ch02._matching_hint(raises, probes, "generic") == "generic"
    assert ch02._matching_hint(lambda x: "text", probes, "generic") == "generic"
