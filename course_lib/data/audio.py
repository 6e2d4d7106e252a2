"""Audio front end in NumPy: framing, STFT power spectrogram, mel filterbank, log-mel and MFCC.

Keyword names follow librosa, and with the same settings the numbers agree with librosa 0.11
(``center=True`` with zero padding, periodic Hann window, Slaney mel scale and area normalisation,
orthonormal DCT-II). All spectral results are computed in float64.

Book: Chapter 2, "Audio: framing, STFT, mel, MFCC".
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "frame",
    "hz_to_mel",
    "log_mel_spectrogram",
    "mel_filterbank",
    "mel_to_hz",
    "mfcc",
    "mfcc_summary",
    "pad_or_trim",
    "power_spectrogram",
    "power_to_db",
]

# Slaney mel scale: linear below 1 kHz (3 mel per 200 Hz), logarithmic above it.
_HZ_PER_MEL = 200.0 / 3.0
_BREAK_HZ = 1000.0
_BREAK_MEL = _BREAK_HZ / _HZ_PER_MEL  # 15 mel
_LOG_STEP = np.log(6.4) / 27.0  # natural-log step per mel above the break

# Periodic generalised cosine windows: w[n] = a - b cos(2 pi n / L), n = 0..L-1.
_COSINE_WINDOWS = {"hann": (0.5, 0.5), "hamming": (0.54, 0.46)}


# ----------------------------------------------------------------------------- validation, set-up


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected a positive int, got {type(value).__name__} {value!r}")
    if value <= 0:
        raise ValueError(f"{name}: expected a positive int, got {value}")
    return int(value)


def _real_number(value: object, name: str, *, positive: bool = False) -> float:
    what = "a positive" if positive else "a non-negative"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected {what} number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (positive and value == 0):
        raise ValueError(f"{name}: expected {what} finite number, got {value}")
    return value


def _waveform(y: ArrayLike, name: str = "y") -> NDArray[np.floating]:
    arr = np.asarray(y)
    if not np.issubdtype(arr.dtype, np.floating):
        raise TypeError(
            f"{name}: expected a floating-point waveform (e.g. int16 samples / 32768), "
            f"got dtype {arr.dtype}"
        )
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D waveform of shape (samples,), got {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name}: expected a non-empty waveform, got 0 samples")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: expected finite samples, got NaN or inf")
    return arr


def _window_vector(window: str | ArrayLike, win_length: int, n_fft: int) -> NDArray[np.float64]:
    """The analysis window, zero-padded on both sides to ``n_fft`` samples (centred)."""
    if isinstance(window, str):
        if window not in _COSINE_WINDOWS:
            raise ValueError(
                f"window: expected one of {sorted(_COSINE_WINDOWS)} or a 1-D array of length "
                f"win_length={win_length}, got {window!r}"
            )
        a, b = _COSINE_WINDOWS[window]
        # A one-sample window is [1.0], as in SciPy's get_window (the formula would give a - b).
        n = np.arange(win_length)
        w = a - b * np.cos(2.0 * np.pi * n / win_length) if win_length > 1 else np.ones(1)
    else:
        w = np.asarray(window)
        if not (np.issubdtype(w.dtype, np.integer) or np.issubdtype(w.dtype, np.floating)):
            raise TypeError(f"window: expected a name or a real-valued array, got dtype {w.dtype}")
        if w.shape != (win_length,):
            raise ValueError(
                f"window: expected an array of shape ({win_length},) (win_length), got {w.shape}"
            )
    left = (n_fft - win_length) // 2
    padded = np.zeros(n_fft)
    padded[left : left + win_length] = w
    return padded


def _stft_setup(
    n_fft: int, hop_length: int, win_length: int | None, window: str | ArrayLike
) -> tuple[int, int, NDArray[np.float64]]:
    n_fft = _positive_int(n_fft, "n_fft")
    hop_length = _positive_int(hop_length, "hop_length")
    win_length = n_fft if win_length is None else _positive_int(win_length, "win_length")
    if win_length > n_fft:
        raise ValueError(
            f"win_length: expected at most n_fft={n_fft} samples, got win_length={win_length}"
        )
    return n_fft, hop_length, _window_vector(window, win_length, n_fft)


def _mel_setup(
    sr: float, n_fft: int, n_mels: int, fmin: float, fmax: float | None
) -> NDArray[np.float64]:
    """Validated Slaney mel filterbank; called directly by the public functions (warning level)."""
    sr = _real_number(sr, "sr", positive=True)
    n_mels = _positive_int(n_mels, "n_mels")
    fmin = _real_number(fmin, "fmin")
    nyquist = sr / 2.0
    fmax = nyquist if fmax is None else _real_number(fmax, "fmax")
    if fmax > nyquist:
        raise ValueError(f"fmax: expected at most sr/2 = {nyquist} Hz, got {fmax}")
    if fmin >= fmax:
        raise ValueError(f"fmin: expected less than fmax = {fmax} Hz, got {fmin}")
    bin_hz = np.fft.rfftfreq(n_fft, d=1.0 / sr)
    edges = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (bin_hz - lower) / (centre - lower)
    falling = (upper - bin_hz) / (upper - centre)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    weights *= 2.0 / (upper - lower)  # Slaney: every triangle has area 1 (in Hz)
    empty = np.flatnonzero(weights.max(axis=1) == 0)
    if empty.size:
        warnings.warn(
            f"mel bands {empty.tolist()} contain no FFT bin (all-zero rows of the mel "
            f"filterbank); use a larger n_fft, fewer n_mels (now {n_mels}) or a wider fmin..fmax",
            UserWarning,
            stacklevel=3,  # the caller of the public function
        )
    return weights


# ----------------------------------------------------------------------------- internals


def _frame_view(y: NDArray, frame_length: int, hop_length: int) -> NDArray:
    """Read-only strided view [n_frames, frame_length] of a 1-D array (no copy)."""
    n_frames = 1 + (y.size - frame_length) // hop_length
    step = y.strides[0]
    return np.lib.stride_tricks.as_strided(
        y, shape=(n_frames, frame_length), strides=(hop_length * step, step), writeable=False
    )


def _power_frames(
    y: NDArray[np.float64], n_fft: int, hop_length: int, window: NDArray[np.float64], center: bool
) -> NDArray[np.float64]:
    """|rfft(window * frame)|^2 for every frame of ``y``, time-major: [n_frames, 1 + n_fft // 2]."""
    if center:
        half = n_fft // 2
        padded = np.zeros(y.size + 2 * half)
        padded[half : half + y.size] = y
        y = padded
    spectrum = np.fft.rfft(_frame_view(y, n_fft, hop_length) * window, axis=-1)
    return spectrum.real**2 + spectrum.imag**2


def _log_mel_frames(
    y: NDArray[np.float64],
    n_fft: int,
    hop_length: int,
    window: NDArray[np.float64],
    mel: NDArray[np.float64],
    top_db: float | None,
) -> NDArray[np.float64]:
    """Log-mel spectrogram in dB, time-major: [n_frames, n_mels]."""
    mel_power = _power_frames(y, n_fft, hop_length, window, center=True) @ mel.T
    return _decibels(mel_power, 1.0, 1e-10, top_db)


def _decibels(
    S: NDArray[np.float64], ref_value: float, amin: float, top_db: float | None
) -> NDArray[np.float64]:
    db = 10.0 * np.log10(np.maximum(S, amin)) - 10.0 * np.log10(max(ref_value, amin))
    if top_db is not None:
        db = np.maximum(db, db.max() - top_db)
    return db


def _dct_matrix(n_out: int, n_in: int) -> NDArray[np.float64]:
    """Rows k = 0..n_out-1 of the orthonormal DCT-II matrix of size n_in."""
    k = np.arange(n_out)[:, None]
    n = np.arange(n_in)
    basis = np.sqrt(2.0 / n_in) * np.cos(np.pi * k * (2 * n + 1) / (2 * n_in))
    basis[0] /= np.sqrt(2.0)
    return basis


def _top_db(top_db: float | None) -> float | None:
    return None if top_db is None else _real_number(top_db, "top_db")


def _dct_setup(n_mfcc: int, n_mels: int) -> NDArray[np.float64]:
    n_mfcc = _positive_int(n_mfcc, "n_mfcc")
    n_mels = _positive_int(n_mels, "n_mels")
    if n_mfcc > n_mels:
        raise ValueError(f"n_mfcc: expected at most n_mels={n_mels} coefficients, got {n_mfcc}")
    return _dct_matrix(n_mfcc, n_mels)


# ----------------------------------------------------------------------------- public API


def hz_to_mel(frequencies: ArrayLike) -> NDArray[np.float64]:
    """Slaney mel scale (librosa's default, ``htk=False``).

    mel(f) = f / (200/3)                                  for f < 1000 Hz,
    mel(f) = 15 + ln(f / 1000) / (ln(6.4) / 27)           for f >= 1000 Hz.

    Book: Chapter 2, "Audio: framing, STFT, mel, MFCC".
    """
    f = np.asarray(frequencies, dtype=np.float64)
    if not np.all(np.isfinite(f)) or np.any(f < 0):
        raise ValueError(f"frequencies: expected finite values >= 0 Hz, got {frequencies!r}")
    logarithmic = _BREAK_MEL + np.log(np.maximum(f, _BREAK_HZ) / _BREAK_HZ) / _LOG_STEP
    return np.where(f >= _BREAK_HZ, logarithmic, f / _HZ_PER_MEL)


def mel_to_hz(mels: ArrayLike) -> NDArray[np.float64]:
    """Inverse of :func:`hz_to_mel`.

    f(m) = (200/3) m                                      for m < 15,
    f(m) = 1000 exp((ln(6.4) / 27) (m - 15))              for m >= 15.

    Book: Chapter 2, "Audio: framing, STFT, mel, MFCC".
    """
    m = np.asarray(mels, dtype=np.float64)
    if not np.all(np.isfinite(m)) or np.any(m < 0):
        raise ValueError(f"mels: expected finite values >= 0, got {mels!r}")
    logarithmic = _BREAK_HZ * np.exp(_LOG_STEP * (np.maximum(m, _BREAK_MEL) - _BREAK_MEL))
    return np.where(m >= _BREAK_MEL, logarithmic, m * _HZ_PER_MEL)


def frame(y: ArrayLike, frame_length: int, hop_length: int) -> NDArray[np.floating]:
    """Cut a waveform into overlapping frames: ``frames[m, n] = y[m * hop_length + n]``.

    n_frames = 1 + (len(y) - frame_length) // hop_length; samples after the last full frame are
    dropped. Returns a read-only strided view of shape [n_frames, frame_length] (no copy); this is
    the transpose of ``librosa.util.frame``.

    Book: Chapter 2, "Audio: framing, STFT, mel, MFCC".
    """
    y = _waveform(y)
    frame_length = _positive_int(frame_length, "frame_length")
    hop_length = _positive_int(hop_length, "hop_length")
    if y.size < frame_length:
        raise ValueError(
            f"y: expected at least frame_length={frame_length} samples, got {y.size} samples"
        )
    return _frame_view(y, frame_length, hop_length)


def power_spectrogram(
    y: ArrayLike,
    n_fft: int = 256,
    hop_length: int = 80,
    win_length: int | None = None,
    window: str | ArrayLike = "hann",
    center: bool = True,
) -> NDArray[np.float64]:
    """Power spectrogram |X[m, k]|^2 of the short-time Fourier transform, shape [1 + n_fft//2, T].

    X[m, k] = sum_{n=0}^{N-1} x[n + m H] w[n] exp(-2 pi i k n / N),   N = n_fft, H = hop_length,

    with w the periodic window ("hann": w[n] = 0.5 - 0.5 cos(2 pi n / L), "hamming":
    0.54 - 0.46 cos(2 pi n / L), L = win_length, or a given array of length L) centred and
    zero-padded to N samples. With ``center=True`` (librosa's default, ``pad_mode="constant"``) the
    signal gets N//2 zeros on both sides, so frame m is centred on sample m H and
    T = 1 + (len(y) + 2 (N//2) - N) // H  (= 1 + len(y) // H for even N).
    Equals ``np.abs(librosa.stft(y, ...))**2``.

    Book: Chapter 2, "Audio: framing, STFT, mel, MFCC".
    """
    y = _waveform(y).astype(np.float64, copy=False)
    n_fft, hop_length, window_vec = _stft_setup(n_fft, hop_length, win_length, window)
    if not isinstance(center, bool | np.bool_):
        raise TypeError(f"center: expected a bool, got {type(center).__name__} {center!r}")
    if not center and y.size < n_fft:
        raise ValueError(
            f"y: expected at least n_fft={n_fft} samples when center=False, got {y.size} samples"
        )
    return _power_frames(y, n_fft, hop_length, window_vec, bool(center)).T


def mel_filterbank(
    sr: float, n_fft: int, n_mels: int = 40, fmin: float = 0.0, fmax: float | None = None
) -> NDArray[np.float64]:
    """Triangular mel filters with Slaney area normalisation, shape [n_mels, 1 + n_fft//2].

    Band edges f_0 < ... < f_{M+1} are equally spaced on the Slaney mel scale between fmin and
    fmax (default sr/2; see :func:`hz_to_mel`). For FFT bin frequency f_k = k sr / n_fft,
    W[j, k] = 2 / (f_{j+2} - f_j) * max(0, min((f_k - f_j) / (f_{j+1} - f_j),
                                              (f_{j+2} - f_k) / (f_{j+2} - f_{j+1}))).
    Equals ``librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
    htk=False, norm="slaney")``. Warns if a band contains no FFT bin.

    Book: Chapter 2, "Audio: framing, STFT, mel, MFCC".
    """
    return _mel_setup(sr, _positive_int(n_fft, "n_fft"), n_mels, fmin, fmax)


def power_to_db(
    S: ArrayLike,
    ref: float | Callable[[NDArray[np.float64]], float] = 1.0,
    amin: float = 1e-10,
    top_db: float | None = 80.0,
) -> NDArray[np.float64]:
    """Decibels of a power spectrogram, like ``librosa.power_to_db``.

    S_db = 10 log10(max(S, amin)) - 10 log10(max(ref, amin)), then, unless top_db is None,
    S_db = max(S_db, max(S_db) - top_db). ``ref`` is a positive number or a function of S
    (e.g. ``np.max`` puts the loudest cell at 0 dB).

    Book: Chapter 2, "Audio: framing, STFT, mel, MFCC".
    """
    S_arr = np.asarray(S)
    if S_arr.dtype == np.bool_ or not (
        np.issubdtype(S_arr.dtype, np.integer) or np.issubdtype(S_arr.dtype, np.floating)
    ):
        raise TypeError(
            f"S: expected a real-valued power spectrogram (use np.abs(X)**2 for a complex STFT), "
            f"got dtype {S_arr.dtype}"
        )
    if S_arr.size == 0:
        raise ValueError(f"S: expected a non-empty array, got shape {S_arr.shape}")
    S_arr = S_arr.astype(np.float64, copy=False)
    if not np.all(np.isfinite(S_arr)) or np.any(S_arr < 0):
        raise ValueError("S: expected finite power values >= 0, got negative, NaN or inf entries")
    amin = _real_number(amin, "amin", positive=True)
    if callable(ref):
        ref_value = np.asarray(ref(S_arr))
        if ref_value.shape != () or not np.isfinite(ref_value) or ref_value < 0:
            raise ValueError(
                f"ref: expected the callable to return one finite number >= 0 (like np.max), "
                f"got {ref_value!r}"
            )
        ref_value = float(ref_value)
    else:
        ref_value = _real_number(ref, "ref", positive=True)
    return _decibels(S_arr, ref_value, amin, _top_db(top_db))


def log_mel_spectrogram(
    y: ArrayLike,
    sr: float,
    n_fft: int = 256,
    hop_length: int = 80,
    n_mels: int = 40,
    fmin: float = 0.0,
    fmax: float | None = None,
    top_db: float | None = 80.0,
) -> NDArray[np.float64]:
    """Log-mel spectrogram in dB, shape [n_mels, T].

    L = power_to_db(W P, ref=1, amin=1e-10, top_db), with P = |X|^2 from
    :func:`power_spectrogram` (Hann window, center=True) and W from :func:`mel_filterbank`.
    Equals ``librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr, ...), top_db=top_db)``.

    Book: Chapter 2, "Audio: framing, STFT, mel, MFCC".
    """
    y = _waveform(y).astype(np.float64, copy=False)
    n_fft, hop_length, window = _stft_setup(n_fft, hop_length, None, "hann")
    mel = _mel_setup(sr, n_fft, n_mels, fmin, fmax)
    return _log_mel_frames(y, n_fft, hop_length, window, mel, _top_db(top_db)).T


def mfcc(
    y: ArrayLike,
    sr: float,
    n_mfcc: int = 13,
    n_fft: int = 256,
    hop_length: int = 80,
    n_mels: int = 40,
    fmin: float = 0.0,
    fmax: float | None = None,
    top_db: float | None = 80.0,
) -> NDArray[np.float64]:
    """Mel-frequency cepstral coefficients, shape [n_mfcc, T].

    The orthonormal DCT-II of the log-mel spectrogram L (in dB, M = n_mels bands) along frequency:
    C[k, t] = s_k sqrt(2 / M) sum_{j=0}^{M-1} L[j, t] cos(pi k (2j + 1) / (2M)),
    s_0 = 1/sqrt(2), s_k = 1 otherwise, for k = 0..n_mfcc-1.
    Equals ``librosa.feature.mfcc(y=y, sr=sr, n_mfcc=n_mfcc, n_fft=n_fft, hop_length=hop_length,
    n_mels=n_mels, fmin=fmin, fmax=fmax)`` (dct_type=2, norm="ortho", top_db=80).

    Book: Chapter 2, "Audio: framing, STFT, mel, MFCC".
    """
    y = _waveform(y).astype(np.float64, copy=False)
    n_fft, hop_length, window = _stft_setup(n_fft, hop_length, None, "hann")
    dct = _dct_setup(n_mfcc, n_mels)
    mel = _mel_setup(sr, n_fft, n_mels, fmin, fmax)
    top_db = _top_db(top_db)
    return dct @ _log_mel_frames(y, n_fft, hop_length, window, mel, top_db).T


def mfcc_summary(
    waveforms: Sequence[ArrayLike] | NDArray[np.floating],
    sr: float,
    n_mfcc: int = 13,
    *,
    n_fft: int = 256,
    hop_length: int = 80,
    n_mels: int = 40,
    fmin: float = 0.0,
    fmax: float | None = None,
    top_db: float | None = 80.0,
) -> NDArray[np.float32]:
    """One fixed-size feature vector per recording: float32 [N, 2 n_mfcc].

    Row i = [mean_t C_i[0, t], ..., mean_t C_i[n_mfcc-1, t], std_t C_i[0, t], ..., std_t
    C_i[n_mfcc-1, t]], where C_i = mfcc(waveforms[i], sr, n_mfcc, ...) (see :func:`mfcc`) and std
    is the population standard deviation (ddof=0) over frames. Recordings may differ in length.

    Book: Chapter 2, "Audio: framing, STFT, mel, MFCC".
    """
    if isinstance(waveforms, np.ndarray):
        if waveforms.ndim != 2:
            raise ValueError(
                "waveforms: expected a list of 1-D waveforms or a 2-D array [N, samples], got an "
                f"array of shape {waveforms.shape} (wrap a single waveform as [y])"
            )
    elif isinstance(waveforms, str | bytes) or not isinstance(waveforms, Sequence):
        raise TypeError(
            f"waveforms: expected a list of 1-D waveforms, got {type(waveforms).__name__}"
        )
    if len(waveforms) == 0:
        raise ValueError("waveforms: expected at least one waveform, got an empty sequence")
    n_fft, hop_length, window = _stft_setup(n_fft, hop_length, None, "hann")
    dct = _dct_setup(n_mfcc, n_mels)
    mel = _mel_setup(sr, n_fft, n_mels, fmin, fmax)
    top_db = _top_db(top_db)
    n_mfcc = dct.shape[0]
    features = np.empty((len(waveforms), 2 * n_mfcc), dtype=np.float32)
    for i, y in enumerate(waveforms):
        y = _waveform(y, f"waveforms[{i}]").astype(np.float64, copy=False)
        coefficients = _log_mel_frames(y, n_fft, hop_length, window, mel, top_db) @ dct.T
        features[i, :n_mfcc] = coefficients.mean(axis=0)
        features[i, n_mfcc:] = coefficients.std(axis=0)
    return features


def pad_or_trim(features: ArrayLike, n_frames: int) -> NDArray:
    """Fix the number of frames of a [F, T] feature matrix: output [F, n_frames].

    out[:, t] = features[:, t] for t < min(T, n_frames), and 0 for T <= t < n_frames (zero padding
    at the end; frames beyond n_frames are dropped). Always a new array with the input's dtype.

    Book: Chapter 2, "Audio: framing, STFT, mel, MFCC".
    """
    arr = np.asarray(features)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(f"features: expected a numeric array, got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(f"features: expected a 2-D array [F, T], got shape {arr.shape}")
    n_frames = _positive_int(n_frames, "n_frames")
    out = np.zeros((arr.shape[0], n_frames), dtype=arr.dtype)
    keep = min(arr.shape[1], n_frames)
    out[:, :keep] = arr[:, :keep]
    return out
