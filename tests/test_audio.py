"""Tests of course_lib.data.audio: agreement with librosa 0.11, shapes, bad input and speed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

from course_lib.data import audio

SR = 8000


def max_rel_error(actual: np.ndarray, expected: np.ndarray) -> float:
    """max |actual - expected| / max |expected| (the error relative to the largest magnitude)."""
    assert actual.shape == expected.shape
    return float(np.max(np.abs(actual - expected)) / np.max(np.abs(expected)))


def chirp_plus_noise(n_samples: int = 4801, sr: int = SR, seed: int = 0) -> np.ndarray:
    """A linear chirp 100 Hz -> 3.5 kHz with white noise, with 300 silent samples at the start."""
    t = np.arange(n_samples) / sr
    rate = (3500.0 - 100.0) / t[-1]
    y = 0.5 * np.sin(2 * np.pi * (100.0 * t + 0.5 * rate * t**2))
    y += 0.02 * np.random.default_rng(seed).standard_normal(n_samples)
    y[:300] = 0.0
    return y


@pytest.fixture(scope="module")
def librosa():
    """librosa, imported and warmed up once (its first call compiles with numba)."""
    import librosa

    librosa.feature.mfcc(y=chirp_plus_noise(), sr=SR, n_fft=256, hop_length=80, n_mels=40)
    return librosa


def fsdd_recording() -> np.ndarray | None:
    data_dir = os.environ.get("COURSE_DATA_DIR")
    if not data_dir:
        return None
    paths = sorted((Path(data_dir) / "fsdd" / "recordings").glob("*.wav"))
    if not paths:
        return None
    from scipy.io import wavfile

    sr, samples = wavfile.read(paths[0])
    assert sr == SR and samples.dtype == np.int16 and samples.ndim == 1
    return samples.astype(np.float64) / 32768.0


@pytest.fixture(scope="module", params=["chirp+noise", "fsdd"])
def signal(request) -> np.ndarray:
    if request.param == "fsdd":
        y = fsdd_recording()
        if y is None:
            pytest.skip("COURSE_DATA_DIR does not point at a folder with fsdd/recordings/")
        return y
    return chirp_plus_noise()


# ----------------------------------------------------------------------------- librosa parity

STFT_CASES = [
    dict(n_fft=256, hop_length=80),
    dict(n_fft=512, hop_length=128, win_length=400),
    dict(n_fft=255, hop_length=64),  # odd n_fft
    dict(n_fft=256, hop_length=80, win_length=200, window="hamming", center=False),
    dict(n_fft=128, hop_length=300),  # hop larger than the frame
    dict(n_fft=8, hop_length=3, win_length=1),  # one-sample window
]


@pytest.mark.parametrize("kwargs", STFT_CASES, ids=lambda kw: "-".join(map(str, kw.values())))
def test_power_spectrogram_matches_librosa(librosa, signal, kwargs):
    expected = np.abs(librosa.stft(signal, **kwargs)) ** 2
    actual = audio.power_spectrogram(signal, **kwargs)
    assert actual.dtype == np.float64
    assert max_rel_error(actual, expected) < 1e-10


def test_power_spectrogram_with_window_array_matches_librosa(librosa, signal):
    window = np.kaiser(240, 8.0)
    expected = (
        np.abs(librosa.stft(signal, n_fft=256, hop_length=80, win_length=240, window=window)) ** 2
    )
    actual = audio.power_spectrogram(
        signal, n_fft=256, hop_length=80, win_length=240, window=window
    )
    assert max_rel_error(actual, expected) < 1e-10


def test_default_pad_mode_of_librosa_is_zero_padding(librosa, signal):
    # Our center=True pads with zeros; this is librosa's default (pad_mode="constant").
    zeros = np.abs(librosa.stft(signal, n_fft=256, hop_length=80, pad_mode="constant")) ** 2
    default = np.abs(librosa.stft(signal, n_fft=256, hop_length=80)) ** 2
    np.testing.assert_array_equal(default, zeros)


@pytest.mark.parametrize(
    ("sr", "n_fft", "n_mels", "fmin", "fmax"),
    [
        (8000, 256, 40, 0.0, None),
        (8000, 255, 20, 300.0, 3400.0),
        (16000, 512, 64, 20.0, 7600.0),
        (22050, 2048, 128, 0.0, None),
        (44100.0, 1024, 10, 1500.0, 16000.0),  # every edge above the 1 kHz break
    ],
)
def test_mel_filterbank_matches_librosa(librosa, sr, n_fft, n_mels, fmin, fmax):
    expected = librosa.filters.mel(
        sr=sr,
        n_fft=n_fft,
        n_mels=n_mels,
        fmin=fmin,
        fmax=fmax,
        htk=False,
        norm="slaney",
        dtype=np.float64,
    )
    actual = audio.mel_filterbank(sr, n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax)
    assert actual.shape == (n_mels, 1 + n_fft // 2)
    assert max_rel_error(actual, expected) < 1e-12


def test_mel_scale_matches_librosa(librosa):
    hz = np.array([0.0, 10.0, 440.0, 999.0, 1000.0, 1001.0, 4000.0, 11025.0])
    np.testing.assert_allclose(audio.hz_to_mel(hz), librosa.hz_to_mel(hz), rtol=1e-12)
    mels = np.linspace(0.0, 50.0, 101)
    np.testing.assert_allclose(audio.mel_to_hz(mels), librosa.mel_to_hz(mels), rtol=1e-12)
    np.testing.assert_allclose(audio.mel_to_hz(audio.hz_to_mel(hz)), hz, rtol=1e-12, atol=1e-9)
    assert audio.hz_to_mel(1000.0) == pytest.approx(15.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        dict(ref=np.max),
        dict(ref=1e-3, amin=1e-5, top_db=40.0),
        dict(top_db=None),
        dict(ref=np.median, top_db=0.0),
    ],
    ids=["defaults", "ref=max", "ref-amin-top_db", "no-clipping", "top_db=0"],
)
def test_power_to_db_matches_librosa(librosa, kwargs):
    rng = np.random.default_rng(1)
    S = 10.0 ** rng.uniform(-14.0, 2.0, size=(40, 60))
    S[0, :5] = 0.0
    expected = librosa.power_to_db(S, **kwargs)
    actual = audio.power_to_db(S, **kwargs)
    assert max_rel_error(actual, expected) < 1e-12


def test_log_mel_spectrogram_matches_librosa(librosa, signal):
    params = dict(n_fft=256, hop_length=80, n_mels=40)
    expected = librosa.power_to_db(
        librosa.feature.melspectrogram(y=signal, sr=SR, power=2.0, center=True, **params),
        top_db=80.0,
    )
    actual = audio.log_mel_spectrogram(signal, SR, top_db=80.0, **params)
    # librosa's melspectrogram uses a float32 filterbank: ~1e-8 relative differences are expected.
    assert max_rel_error(actual, expected) < 1e-6


MFCC_CASES = [
    dict(n_mfcc=13, n_fft=256, hop_length=80, n_mels=40, fmin=0.0, fmax=None),
    dict(n_mfcc=20, n_fft=512, hop_length=160, n_mels=64, fmin=50.0, fmax=3800.0),
    dict(n_mfcc=40, n_fft=200, hop_length=50, n_mels=40, fmin=0.0, fmax=4000.0),
]


@pytest.mark.parametrize("params", MFCC_CASES, ids=lambda p: f"{p['n_mfcc']}x{p['n_mels']}")
def test_mfcc_matches_librosa(librosa, signal, params):
    expected = librosa.feature.mfcc(
        y=signal,
        sr=SR,
        **params,
        htk=False,
        norm="ortho",
        mel_norm="slaney",
        dct_type=2,
        power=2.0,
        center=True,
    )  # librosa.feature.mfcc applies power_to_db with top_db=80
    actual = audio.mfcc(signal, SR, **params, top_db=80.0)
    assert (
        actual.shape
        == expected.shape
        == (params["n_mfcc"], 1 + signal.size // params["hop_length"])
    )
    assert max_rel_error(actual, expected) < 1e-6


def test_mfcc_without_top_db_matches_librosa(librosa, signal):
    melspec = librosa.feature.melspectrogram(y=signal, sr=SR, n_fft=256, hop_length=80, n_mels=40)
    expected = librosa.feature.mfcc(S=librosa.power_to_db(melspec, top_db=None), n_mfcc=13)
    actual = audio.mfcc(signal, SR, top_db=None)
    assert max_rel_error(actual, expected) < 1e-6


def test_frame_matches_librosa(librosa, signal):
    expected = librosa.util.frame(signal, frame_length=200, hop_length=80).T
    np.testing.assert_array_equal(audio.frame(signal, 200, 80), expected)


# ----------------------------------------------------------------------------- shapes and maths


@pytest.mark.parametrize("n_samples", [1, 79, 80, 81, 255, 256, 257, 1000, 4001])
@pytest.mark.parametrize(("n_fft", "hop_length"), [(256, 80), (255, 64), (64, 100)])
def test_number_of_frames(n_samples, n_fft, hop_length):
    y = np.linspace(-1.0, 1.0, n_samples)
    spec = audio.power_spectrogram(y, n_fft=n_fft, hop_length=hop_length)
    n_frames = 1 + (n_samples + 2 * (n_fft // 2) - n_fft) // hop_length
    assert spec.shape == (1 + n_fft // 2, n_frames)
    if n_samples >= n_fft:
        uncentered = audio.power_spectrogram(y, n_fft=n_fft, hop_length=hop_length, center=False)
        assert uncentered.shape == (1 + n_fft // 2, 1 + (n_samples - n_fft) // hop_length)
        np.testing.assert_array_equal(audio.frame(y, n_fft, hop_length)[0], y[:n_fft])


def test_frame_is_a_read_only_view():
    y = np.arange(20.0)
    frames = audio.frame(y, frame_length=6, hop_length=4)
    assert frames.shape == (4, 6)  # 1 + (20 - 6) // 4
    np.testing.assert_array_equal(frames[:, 0], [0.0, 4.0, 8.0, 12.0])
    np.testing.assert_array_equal(frames[-1], np.arange(12.0, 18.0))
    assert np.shares_memory(frames, y)
    assert not frames.flags.writeable
    strided = audio.frame(y[::2], frame_length=3, hop_length=2)  # a non-contiguous input
    np.testing.assert_array_equal(strided, [[0, 2, 4], [4, 6, 8], [8, 10, 12], [12, 14, 16]])


def test_power_spectrogram_of_a_tone_peaks_at_its_bin():
    n_fft, k = 256, 20  # bin 20 of 256 at 8 kHz is 625 Hz
    y = np.cos(2 * np.pi * k * np.arange(2000) / n_fft).astype(np.float32)
    spec = audio.power_spectrogram(y, n_fft=n_fft, hop_length=80)
    assert spec.dtype == np.float64
    middle = spec[:, spec.shape[1] // 2]
    assert np.argmax(middle) == k
    # Periodic Hann: the tone lands in bins k-1, k, k+1 with power (N/8)^2, (N/4)^2, (N/8)^2.
    np.testing.assert_allclose(
        middle[k - 1 : k + 2], [(n_fft / 8) ** 2, (n_fft / 4) ** 2, (n_fft / 8) ** 2], rtol=1e-5
    )
    assert middle[k + 3 :].max() < 1e-6 * middle[k]


def test_mel_filters_have_unit_area_in_hz():
    sr, n_fft = 8000, 8192
    weights = audio.mel_filterbank(sr, n_fft, n_mels=40)
    np.testing.assert_allclose(weights.sum(axis=1) * sr / n_fft, 1.0, rtol=1e-2)
    assert np.all(weights >= 0) and np.all(weights.max(axis=1) > 0)


def test_power_to_db_values():
    S = np.array([[1.0, 10.0, 100.0, 0.0]])
    np.testing.assert_allclose(audio.power_to_db(S, top_db=None), [[0.0, 10.0, 20.0, -100.0]])
    np.testing.assert_allclose(audio.power_to_db(S, top_db=30.0), [[0.0, 10.0, 20.0, -10.0]])
    np.testing.assert_allclose(audio.power_to_db(S, ref=np.max), [[-20.0, -10.0, 0.0, -80.0]])
    assert audio.power_to_db(4, ref=2).shape == ()
    assert audio.power_to_db([1, 2]).dtype == np.float64


def test_mfcc_dct_is_orthonormal():
    y = chirp_plus_noise()
    log_mel = audio.log_mel_spectrogram(y, SR, n_mels=24)
    coefficients = audio.mfcc(y, SR, n_mfcc=24, n_mels=24)
    # An orthonormal transform keeps the energy of every frame.
    np.testing.assert_allclose((coefficients**2).sum(axis=0), (log_mel**2).sum(axis=0), rtol=1e-10)
    # C[0] is the mean log-mel level times sqrt(n_mels).
    np.testing.assert_allclose(coefficients[0], log_mel.mean(axis=0) * np.sqrt(24), rtol=1e-10)
    np.testing.assert_allclose(
        coefficients[:13], audio.mfcc(y, SR, n_mfcc=13, n_mels=24), rtol=1e-12, atol=1e-9
    )


def test_log_mel_shape_dtype_and_top_db():
    y = chirp_plus_noise()
    log_mel = audio.log_mel_spectrogram(y, SR, n_mels=32, top_db=50.0)
    assert log_mel.shape == (32, 1 + y.size // 80) and log_mel.dtype == np.float64
    assert log_mel.max() - log_mel.min() == pytest.approx(50.0)  # the silent start is clipped
    unclipped = audio.log_mel_spectrogram(y, SR, n_mels=32, top_db=None)
    assert unclipped.min() == pytest.approx(-100.0)  # amin = 1e-10 on the silence


def test_mfcc_summary_is_mean_and_std_of_mfcc():
    rng = np.random.default_rng(3)
    waveforms = [
        chirp_plus_noise(4801),
        (0.1 * rng.standard_normal(3000)).astype(np.float32),
        chirp_plus_noise(700, seed=4),
    ]
    summary = audio.mfcc_summary(waveforms, SR, n_mfcc=10, n_mels=30, fmin=20.0)
    assert summary.shape == (3, 20) and summary.dtype == np.float32
    for row, y in zip(summary, waveforms, strict=True):
        coefficients = audio.mfcc(y, SR, n_mfcc=10, n_mels=30, fmin=20.0)
        np.testing.assert_allclose(row[:10], coefficients.mean(axis=1), rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(row[10:], coefficients.std(axis=1), rtol=1e-6, atol=1e-6)
    batch = np.stack([chirp_plus_noise(seed=s) for s in range(4)])
    np.testing.assert_array_equal(
        audio.mfcc_summary(batch, SR), audio.mfcc_summary(list(batch), SR)
    )
    np.testing.assert_array_equal(
        audio.mfcc_summary(tuple(batch), SR), audio.mfcc_summary(list(batch), SR)
    )


def test_pad_or_trim():
    features = np.arange(12, dtype=np.float32).reshape(3, 4) + 1
    padded = audio.pad_or_trim(features, 6)
    assert padded.shape == (3, 6) and padded.dtype == np.float32
    np.testing.assert_array_equal(padded[:, :4], features)
    np.testing.assert_array_equal(padded[:, 4:], 0.0)
    np.testing.assert_array_equal(audio.pad_or_trim(features, 2), features[:, :2])
    same = audio.pad_or_trim(features, 4)
    np.testing.assert_array_equal(same, features)
    assert not np.shares_memory(same, features)
    assert audio.pad_or_trim(np.zeros((2, 0), dtype=np.int64), 3).dtype == np.int64


@pytest.mark.parametrize(
    ("call", "kwargs"),
    [
        (audio.mel_filterbank, dict(sr=8000, n_fft=64, n_mels=128)),
        (audio.log_mel_spectrogram, dict(y=chirp_plus_noise(), sr=8000, n_fft=64, n_mels=128)),
        (audio.mfcc, dict(y=chirp_plus_noise(), sr=8000, n_fft=64, n_mels=128)),
        (audio.mfcc_summary, dict(waveforms=[chirp_plus_noise()], sr=8000, n_fft=64, n_mels=128)),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_empty_mel_bands_warn_at_the_callers_line(call, kwargs):
    with pytest.warns(UserWarning, match=r"mel bands \[.*\] contain no FFT bin") as record:
        call(**kwargs)
    assert record[0].filename == __file__


def test_no_warning_for_the_course_defaults():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        audio.mfcc_summary([chirp_plus_noise()], SR)


def test_module_imports_no_framework():
    code = (
        "import sys, course_lib.data.audio; "
        "bad = [m for m in ('torch', 'tensorflow', 'keras', 'librosa') if m in sys.modules]; "
        "sys.exit(str(bad) if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# ----------------------------------------------------------------------------- bad input

Y = chirp_plus_noise()

BAD_INPUTS = [
    # frame
    (
        audio.frame,
        dict(y=np.zeros((2, 100)), frame_length=10, hop_length=5),
        ValueError,
        r"y: expected a 1-D waveform .*got \(2, 100\)",
    ),
    (
        audio.frame,
        dict(y=np.arange(100), frame_length=10, hop_length=5),
        TypeError,
        r"y: expected a floating-point waveform .*got dtype int",
    ),
    (
        audio.frame,
        dict(y=np.zeros(0), frame_length=10, hop_length=5),
        ValueError,
        r"y: expected a non-empty waveform, got 0 samples",
    ),
    (
        audio.frame,
        dict(y=np.array([0.0, np.nan]), frame_length=1, hop_length=1),
        ValueError,
        r"y: expected finite samples",
    ),
    (
        audio.frame,
        dict(y=np.zeros(5), frame_length=10, hop_length=5),
        ValueError,
        r"y: expected at least frame_length=10 samples, got 5",
    ),
    (
        audio.frame,
        dict(y=Y, frame_length=0, hop_length=5),
        ValueError,
        r"frame_length: expected a positive int, got 0",
    ),
    (
        audio.frame,
        dict(y=Y, frame_length=10.0, hop_length=5),
        TypeError,
        r"frame_length: expected a positive int, got float 10.0",
    ),
    (
        audio.frame,
        dict(y=Y, frame_length=10, hop_length=True),
        TypeError,
        r"hop_length: expected a positive int, got bool",
    ),
    # power_spectrogram
    (audio.power_spectrogram, dict(y=Y, n_fft=-1), ValueError, r"n_fft: expected a positive int"),
    (audio.power_spectrogram, dict(y=Y, hop_length=0), ValueError, r"hop_length: expected"),
    (
        audio.power_spectrogram,
        dict(y=Y, n_fft=256, win_length=300),
        ValueError,
        r"win_length: expected at most n_fft=256 samples, got win_length=300",
    ),
    (
        audio.power_spectrogram,
        dict(y=Y, window="blackman"),
        ValueError,
        r"window: expected one of \['hamming', 'hann'\] .*got 'blackman'",
    ),
    (
        audio.power_spectrogram,
        dict(y=Y, n_fft=256, window=np.hanning(200)),
        ValueError,
        r"window: expected an array of shape \(256,\) \(win_length\), got \(200,\)",
    ),
    (
        audio.power_spectrogram,
        dict(y=Y, n_fft=4, window=np.array(list("abcd"))),
        TypeError,
        r"window: expected a name or a real-valued array, got dtype <U1",
    ),
    (
        audio.power_spectrogram,
        dict(y=Y, center="yes"),
        TypeError,
        r"center: expected a bool, got str 'yes'",
    ),
    (
        audio.power_spectrogram,
        dict(y=np.zeros(100), n_fft=256, center=False),
        ValueError,
        r"y: expected at least n_fft=256 samples when center=False, got 100",
    ),
    (
        audio.power_spectrogram,
        dict(y=np.zeros(100, dtype=np.complex128)),
        TypeError,
        r"y: expected a floating-point waveform .*got dtype complex128",
    ),
    # mel scale and filterbank
    (
        audio.hz_to_mel,
        dict(frequencies=[-1.0, 10.0]),
        ValueError,
        r"frequencies: expected finite values >= 0 Hz, got \[-1.0, 10.0\]",
    ),
    (audio.mel_to_hz, dict(mels=np.nan), ValueError, r"mels: expected finite values >= 0, got nan"),
    (
        audio.mel_filterbank,
        dict(sr=0, n_fft=256),
        ValueError,
        r"sr: expected a positive finite number, got 0.0",
    ),
    (
        audio.mel_filterbank,
        dict(sr="8000", n_fft=256),
        TypeError,
        r"sr: expected a positive number, got str '8000'",
    ),
    (
        audio.mel_filterbank,
        dict(sr=np.inf, n_fft=256),
        ValueError,
        r"sr: expected a positive finite number, got inf",
    ),
    (audio.mel_filterbank, dict(sr=8000, n_fft=2.5), TypeError, r"n_fft: expected a positive int"),
    (
        audio.mel_filterbank,
        dict(sr=8000, n_fft=256, n_mels=0),
        ValueError,
        r"n_mels: expected a positive int, got 0",
    ),
    (
        audio.mel_filterbank,
        dict(sr=8000, n_fft=256, fmax=5000.0),
        ValueError,
        r"fmax: expected at most sr/2 = 4000.0 Hz, got 5000.0",
    ),
    (
        audio.mel_filterbank,
        dict(sr=8000, n_fft=256, fmin=3000.0, fmax=2000.0),
        ValueError,
        r"fmin: expected less than fmax = 2000.0 Hz, got 3000.0",
    ),
    (
        audio.mel_filterbank,
        dict(sr=8000, n_fft=256, fmin=-20.0),
        ValueError,
        r"fmin: expected a non-negative finite number, got -20.0",
    ),
    # power_to_db
    (
        audio.power_to_db,
        dict(S=np.ones(3, dtype=complex)),
        TypeError,
        r"S: expected a real-valued power spectrogram \(use np.abs\(X\)\*\*2 .*"
        r"got dtype complex128",
    ),
    (audio.power_to_db, dict(S=np.ones(3, dtype=bool)), TypeError, r"S: .*got dtype bool"),
    (
        audio.power_to_db,
        dict(S=np.ones((0, 3))),
        ValueError,
        r"S: expected a non-empty array, got shape \(0, 3\)",
    ),
    (audio.power_to_db, dict(S=[1.0, -1.0]), ValueError, r"S: expected finite power values >= 0"),
    (audio.power_to_db, dict(S=[1.0, np.inf]), ValueError, r"S: expected finite power values"),
    (
        audio.power_to_db,
        dict(S=[1.0], amin=0.0),
        ValueError,
        r"amin: expected a positive finite number, got 0.0",
    ),
    (
        audio.power_to_db,
        dict(S=[1.0], top_db=-5.0),
        ValueError,
        r"top_db: expected a non-negative finite number, got -5.0",
    ),
    (
        audio.power_to_db,
        dict(S=[1.0], ref=0.0),
        ValueError,
        r"ref: expected a positive finite number, got 0.0",
    ),
    (
        audio.power_to_db,
        dict(S=[[1.0, 2.0]], ref=lambda s: s.max(axis=1)),
        ValueError,
        r"ref: expected the callable to return one finite number >= 0 \(like np.max\), got array",
    ),
    (
        audio.power_to_db,
        dict(S=[1.0], ref=lambda s: -1.0),
        ValueError,
        r"ref: expected the callable to return one finite number >= 0",
    ),
    # log_mel_spectrogram, mfcc
    (
        audio.log_mel_spectrogram,
        dict(y=Y, sr=SR, top_db="80"),
        TypeError,
        r"top_db: expected a non-negative number, got str '80'",
    ),
    (
        audio.log_mel_spectrogram,
        dict(y=Y, sr=SR, fmax=4001.0),
        ValueError,
        r"fmax: expected at most sr/2 = 4000.0 Hz, got 4001.0",
    ),
    (
        audio.log_mel_spectrogram,
        dict(y=(Y * 32767).astype(np.int16), sr=SR),
        TypeError,
        r"y: expected a floating-point waveform \(e.g. int16 samples / 32768\), got dtype int16",
    ),
    (
        audio.mfcc,
        dict(y=Y, sr=SR, n_mfcc=41, n_mels=40),
        ValueError,
        r"n_mfcc: expected at most n_mels=40 coefficients, got 41",
    ),
    (audio.mfcc, dict(y=Y, sr=SR, n_mfcc=0), ValueError, r"n_mfcc: expected a positive int, got 0"),
    (audio.mfcc, dict(y=[], sr=SR), ValueError, r"y: expected a non-empty waveform"),
    # mfcc_summary
    (
        audio.mfcc_summary,
        dict(waveforms=Y, sr=SR),
        ValueError,
        r"waveforms: expected a list of 1-D waveforms or a 2-D array \[N, samples\], got an array "
        r"of shape \(4801,\) \(wrap a single waveform as \[y\]\)",
    ),
    (
        audio.mfcc_summary,
        dict(waveforms=np.zeros((2, 3, 400)), sr=SR),
        ValueError,
        r"got an array of shape \(2, 3, 400\)",
    ),
    (
        audio.mfcc_summary,
        dict(waveforms=[], sr=SR),
        ValueError,
        r"waveforms: expected at least one waveform, got an empty sequence",
    ),
    (
        audio.mfcc_summary,
        dict(waveforms="abc", sr=SR),
        TypeError,
        r"waveforms: expected a list of 1-D waveforms, got str",
    ),
    (
        audio.mfcc_summary,
        dict(waveforms=(y for y in [Y]), sr=SR),
        TypeError,
        r"waveforms: expected a list of 1-D waveforms, got generator",
    ),
    (
        audio.mfcc_summary,
        dict(waveforms=[Y, np.arange(400)], sr=SR),
        TypeError,
        r"waveforms\[1\]: expected a floating-point waveform .*got dtype int",
    ),
    (
        audio.mfcc_summary,
        dict(waveforms=[Y, Y[:0]], sr=SR),
        ValueError,
        r"waveforms\[1\]: expected a non-empty waveform, got 0 samples",
    ),
    (
        audio.mfcc_summary,
        dict(waveforms=[Y], sr=SR, n_mfcc=50),
        ValueError,
        r"n_mfcc: expected at most n_mels=40 coefficients, got 50",
    ),
    # pad_or_trim
    (
        audio.pad_or_trim,
        dict(features=np.zeros(5), n_frames=3),
        ValueError,
        r"features: expected a 2-D array \[F, T\], got shape \(5,\)",
    ),
    (
        audio.pad_or_trim,
        dict(features=[["a", "b"]], n_frames=3),
        TypeError,
        r"features: expected a numeric array, got dtype <U1",
    ),
    (
        audio.pad_or_trim,
        dict(features=np.zeros((2, 3)), n_frames=0),
        ValueError,
        r"n_frames: expected a positive int, got 0",
    ),
    (
        audio.pad_or_trim,
        dict(features=np.zeros((2, 3)), n_frames=2.0),
        TypeError,
        r"n_frames: expected a positive int, got float 2.0",
    ),
]


@pytest.mark.parametrize(
    ("call", "kwargs", "error", "message"),
    BAD_INPUTS,
    ids=[f"{case[0].__name__}-{i}" for i, case in enumerate(BAD_INPUTS)],
)
def test_bad_input_gives_a_clear_error(call, kwargs, error, message):
    with pytest.raises(error, match=message):
        call(**kwargs)


def test_every_public_function_has_a_bad_input_test():
    tested = {case[0].__name__ for case in BAD_INPUTS}
    assert tested == set(audio.__all__)


# ----------------------------------------------------------------------------- speed


def test_mfcc_summary_speed():
    rng = np.random.default_rng(0)
    waveforms = [(0.1 * rng.standard_normal(SR // 2)).astype(np.float32) for _ in range(3000)]
    start = time.perf_counter()
    features = audio.mfcc_summary(waveforms, SR)
    elapsed = time.perf_counter() - start
    print(f"mfcc_summary over 3000 signals of 0.5 s at 8 kHz: {elapsed:.2f} s")
    assert features.shape == (3000, 26) and np.all(np.isfinite(features))
    assert elapsed < 10.0
