"""Checkers for the exercises of Chapter 2 "Multimodal data and preprocessing".

Text (notebook 2.1):

- ``check_pad_batch(fn)``: pad token-id sequences to one length and return their lengths;
- ``check_tfidf(fn)``: TF-IDF of documents with the idf learned on training documents
  (scikit-learn's defaults: smoothed idf, L2-normalised rows).

Audio (notebook 2.2):

- ``check_frame(fn)``: cut a waveform into overlapping frames;
- ``check_mel_to_hz(fn)``: the inverse of the Slaney mel scale.

Batches (notebook 2.3):

- ``check_pad_frames(fn)``: pad [T_i, F] feature sequences and return their lengths;
- ``check_length_mask(fn)``: the padding mask m[i, t] = 1[t < T_i];
- ``check_masked_mean(fn)``: the mean over the valid steps of each sequence only.

Book: Chapter 2, exercises.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from course_lib.data import text
from course_lib.data.shapes import make_shapes
from course_lib.exercises.core import Case, CheckResult, check

__all__ = [
    "check_frame",
    "check_length_mask",
    "check_masked_mean",
    "check_mel_to_hz",
    "check_pad_batch",
    "check_pad_frames",
    "check_tfidf",
]


# --------------------------------------------------------------------------------------- padding
def _pad_batch(
    sequences: list[np.ndarray], pad_id: int, max_len: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Reference: padded [N, T] (pad_id after the ids, cut to max_len) and lengths [N]."""
    cut = [np.asarray(ids, dtype=np.int64)[:max_len] for ids in sequences]
    lengths = np.array([len(ids) for ids in cut], dtype=np.int64)
    width = max_len if max_len is not None else int(lengths.max())
    padded = np.full((len(cut), width), pad_id, dtype=np.int64)
    for row, ids in zip(padded, cut, strict=True):
        row[: len(ids)] = ids
    return padded, lengths


def _pad_batch_cases() -> list[Case]:
    captions = [text.tokenize(c, token_pattern=text.ANY_WORD_PATTERN) for c in make_shapes(8)[1]]
    vocabulary = text.Vocabulary.build(captions)
    encoded = [vocabulary.encode(tokens) for tokens in captions]
    return [
        Case(
            ([np.array([5, 6, 7]), np.array([8]), np.array([9, 4])], 0),
            description="three sequences of lengths 3, 1 and 2, pad_id = 0",
        ),
        Case(
            ([np.array([1, 2]), np.array([3, 4, 0, 1])], 9),
            description="pad_id = 9: fill with pad_id, not always with 0",
        ),
        Case(
            ([np.array([4, 4]), np.array([2, 3])], 0),
            description="equal lengths: nothing to pad",
        ),
        Case(
            ([np.array([5, 6, 7, 8, 9]), np.array([1, 2])], 0, 3),
            description="max_len = 3: keep the first 3 ids, and lengths count what is kept",
        ),
        Case(
            ([np.array([5, 6]), np.array([7])], 0, 4),
            description="max_len = 4, longer than every sequence: pad up to 4",
        ),
        Case(
            ([np.array([3, 1]), np.array([], dtype=np.int64), np.array([2])], 0),
            description="an empty sequence (length 0): a row of padding",
        ),
        Case(
            (encoded, vocabulary.pad_id),
            description="eight shapes captions encoded with Vocabulary.build",
        ),
    ]


def check_pad_batch(fn: Callable) -> CheckResult:
    """Check fn(sequences, pad_id, max_len=None) -> (padded [N, T], lengths [N]).

    sequences: a list of N 1-D int arrays of token ids. T is the longest length, or
    ``max_len`` when given (longer sequences keep their first max_len ids). padded[i, t] is
    sequences[i][t] for t < lengths[i] and pad_id after it; lengths[i] counts the ids kept.
    The same as ``course_lib.data.text.Vocabulary.encode_batch`` after encoding.

    Book: Chapter 2, exercise on padding a batch.
    """
    return check(
        fn,
        _pad_batch,
        _pad_batch_cases(),
        name="pad_batch",
        hint=(
            "Cut each sequence first (ids[:max_len]), take lengths from the cut sequences, then "
            "start from np.full((N, T), pad_id) and copy each sequence to the start of its row."
        ),
    )


# ------------------------------------------------------------------------------------------ TF-IDF
def _tfidf(train_counts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Reference: tf-idf of ``counts`` with the smoothed idf of ``train_counts``, L2 rows."""
    return text.tfidf(counts, text.idf_weights(train_counts))


def _tfidf_cases() -> list[Case]:
    rng = np.random.default_rng(7)
    train_captions, new_captions = make_shapes(12, seed=1)[1], make_shapes(5, seed=2)[1]
    train_words, vocabulary = text.bag_of_words(train_captions)
    new_words, _ = text.bag_of_words(new_captions, vocabulary)
    train = rng.poisson(0.8, size=(8, 10))
    train[:, 0] += 1  # a word in every training document
    train[0, 1], train[1:, 1] = 5, 0  # a word five times in one training document only
    small = np.array([[1, 0, 2, 0], [0, 1, 1, 0], [1, 1, 0, 3]])
    return [
        Case((small, small), description="3 documents, 4 words; the idf is learned on them"),
        Case(
            (np.array([[1, 1, 0], [2, 0, 1], [1, 0, 0], [1, 0, 0]]),) * 2,
            description="word 0 is in every document (its idf is 1, the lowest)",
        ),
        Case(
            (np.array([[4, 1], [0, 1], [0, 1]]),) * 2,
            description="word 0 occurs 4 times but in 1 document: df counts documents",
        ),
        Case(
            (small, np.array([[0, 0, 1, 1], [2, 1, 0, 0]])),
            description="2 new documents: their idf comes from the 3 training documents",
        ),
        Case(
            (np.array([[1, 0], [2, 0]]), np.array([[1, 1], [0, 3]])),
            description="word 1 is in no training document: smoothing keeps its idf finite",
        ),
        Case(
            (train, rng.poisson(0.8, size=(5, 10))),
            description="8 training and 5 new documents, 10 words of random counts",
        ),
        Case(
            (np.array([[3, 1, 2]]), np.array([[1, 0, 0], [0, 2, 1]])),
            description="a single training document",
        ),
        Case(
            (train_words, new_words),
            description="12 training and 5 new shapes captions (counts of bag_of_words)",
        ),
        Case(
            (np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[0.5, 2.0]])),
            description="float counts",
        ),
        Case(
            (small, np.array([[1, 0, 2, 0], [0, 0, 0, 0]])),
            description="a new document with no known word (a row of zeros): it must stay 0, "
            "not NaN",
        ),
    ]


def check_tfidf(fn: Callable) -> CheckResult:
    """Check fn(train_counts [N, V], counts [M, V]) -> tf-idf [M, V] of ``counts``.

    The idf is learned on the training documents only: idf(t) = ln((1 + N) / (1 + df(t))) + 1,
    where df(t) is the number of rows of train_counts with train_counts[d, t] > 0. Then
    x[d, t] = counts[d, t] * idf(t) and each row of x is divided by its L2 norm (a row of zeros
    stays zeros): scikit-learn's TfidfVectorizer defaults, fitted on the training documents. The
    reference is ``course_lib.data.text.tfidf(counts, idf_weights(train_counts))``.

    Book: Chapter 2, exercise on TF-IDF.
    """
    return check(
        fn,
        _tfidf,
        _tfidf_cases(),
        name="tfidf",
        hint=(
            "df = (train_counts > 0).sum(axis=0) counts training documents, not occurrences; "
            "idf = np.log((1 + N) / (1 + df)) + 1 uses the natural log and N training "
            "documents; divide each row of counts * idf by its L2 norm, but leave rows whose "
            "norm is 0 as they are."
        ),
    )


# ------------------------------------------------------------- audio exercises (notebook 2.2)
# check_frame(fn): framing with centre padding; check_mel_to_hz(fn): the inverse Slaney mel scale.

_Probe = tuple[tuple, dict, Callable, str]


def _matching_hint(learner_fn: Callable, probes: list[_Probe], default: str) -> str:
    """The hint of the first probe whose typical wrong answer the learner's function reproduces.

    probes: (args, kwargs, wrong_fn, hint) tuples; a probe matches when learner_fn(*args,
    **kwargs) has the shape and the values of wrong_fn(*args, **kwargs). Errors raised by the
    learner's function are ignored here: ``check`` reports them.
    """
    for args, kwargs, wrong_fn, hint in probes:
        try:
            got = np.asarray(learner_fn(*args, **kwargs), dtype=np.float64)
        except Exception:  # a learner's error is reported by check(), not here
            continue
        wrong = np.asarray(wrong_fn(*args, **kwargs), dtype=np.float64)
        if got.shape == wrong.shape and np.allclose(got, wrong, rtol=1e-6, atol=1e-8):
            return hint
    return default


def _frame_signal(
    y: np.ndarray, frame_length: int, hop_length: int, center: bool = False
) -> np.ndarray:
    """Reference: frames[m, n] = y'[m * hop_length + n], shape [n_frames, frame_length].

    y' is y with frame_length // 2 zeros on both sides when ``center`` is True, else y;
    n_frames = 1 + (len(y') - frame_length) // hop_length. Too short a signal raises ValueError.
    """
    from course_lib.data import audio

    y = np.asarray(y, dtype=np.float64)
    if center:
        y = np.pad(y, frame_length // 2)
    return np.array(audio.frame(y, frame_length, hop_length))


def _frame_cases() -> list[Case]:
    def samples(n: int) -> np.ndarray:
        return np.arange(1.0, n + 1.0)  # sample i holds i + 1, so padding zeros stand out

    noise = np.random.default_rng(22).normal(scale=0.1, size=1000)
    return [
        Case(
            (samples(10), 4, 2),
            description="10 samples, frame_length 4, hop 2: the last frame ends on the last sample",
        ),
        Case(
            (samples(11), 4, 3),
            description="11 samples, frame_length 4, hop 3: the last sample fits in no frame",
        ),
        Case((samples(5), 5, 2), description="exactly one frame: len(y) == frame_length"),
        Case((samples(12), 4, 4), description="hop == frame_length: the frames do not overlap"),
        Case((samples(10), 2, 3), description="hop > frame_length: samples between the frames"),
        Case((samples(6), 3, 1), description="hop 1: a frame starts at every sample"),
        Case(
            (samples(10), 4, 2),
            {"center": True},
            description="center=True, frame_length 4: two zeros on each side",
        ),
        Case(
            (samples(9), 5, 2),
            {"center": True},
            description="center=True with an odd frame_length 5: 5 // 2 = 2 zeros on each side",
        ),
        Case(
            (samples(3), 8, 4),
            {"center": True},
            description="center=True, 3 samples and frame_length 8: the padding makes one frame",
        ),
        Case(
            (noise, 256, 80),
            {"center": True},
            description="the STFT's frames: 1000 samples, frame_length 256, hop 80, centred",
        ),
        Case(
            (samples(3), 4, 2),
            description="3 samples, frame_length 4, center=False: must raise ValueError",
            expect_error=ValueError,
        ),
    ]


def _frames_without_the_plus_one(
    y: np.ndarray, frame_length: int, hop_length: int, center: bool = False
) -> np.ndarray:
    """Typical wrong answer: n_frames = (len(y) - frame_length) // hop_length."""
    y = np.pad(y, frame_length // 2) if center else y
    starts = np.arange((len(y) - frame_length) // hop_length) * hop_length
    return y[starts[:, None] + np.arange(frame_length)]


def check_frame(fn: Callable) -> CheckResult:
    """Check fn(y, frame_length, hop_length, center=False) -> frames [n_frames, frame_length].

    frames[m, n] = y'[m H + n], H = hop_length, where y' is y with frame_length // 2 zeros on
    both sides when ``center`` is True (as the STFT pads), else y itself;
    n_frames = 1 + (len(y') - frame_length) // H. A signal shorter than one frame must raise
    ValueError. The hint names the mistake when the answer is one frame short, ignores
    ``center`` or is transposed.

    Book: Chapter 2, "Audio: framing, STFT, mel, MFCC"; exercise of notebook 2.2.
    """
    count = "n_frames = 1 + (len(y) - frame_length) // hop_length"
    probe = (np.arange(1.0, 11.0), 4, 2)
    probes: list[_Probe] = [
        (
            probe,
            {},
            _frames_without_the_plus_one,
            "one frame short: frames start at m * hop_length for m = 0, 1, ... as long as "
            f"m * hop_length + frame_length <= len(y), so {count} (the 1 counts the frame at "
            "m = 0).",
        ),
        (
            probe,
            {"center": True},
            lambda y, frame_length, hop_length, center: _frame_signal(y, frame_length, hop_length),
            "center=True must pad y with frame_length // 2 zeros on both sides before framing "
            "(np.pad(y, frame_length // 2)), so that frame m is centred on sample m * hop_length.",
        ),
        (
            probe,
            {},
            lambda y, frame_length, hop_length: _frame_signal(y, frame_length, hop_length).T,
            "return one frame per row, shape [n_frames, frame_length] (librosa.util.frame "
            "returns the transpose).",
        ),
    ]
    hint = _matching_hint(
        fn,
        probes,
        default=(
            f"Pad first when center=True (np.pad(y, frame_length // 2)); then {count}, and "
            "frame m is y[m * hop_length : m * hop_length + frame_length]. Raise ValueError "
            "when y is shorter than frame_length."
        ),
    )
    return check(fn, _frame_signal, _frame_cases(), name="frame", hint=hint)


def _mel_to_hz_cases() -> list[Case]:
    from course_lib.data import audio

    return [
        Case((np.array([0.0, 3.0, 7.5, 14.9]),), description="below 15 mel: the linear part"),
        Case((np.array([15.0]),), description="the break point, 15 mel = 1000 Hz"),
        Case((np.array([15.1, 20.0, 30.0, 35.0]),), description="above 15 mel: the log part"),
        Case(
            (np.linspace(0.0, float(audio.hz_to_mel(4000.0)), 42),),
            description="the 42 band edges of 40 mel bands from 0 Hz to 4 kHz",
        ),
        Case((np.array([[0.0, 10.0], [20.0, 30.0]]),), description="a 2-D array: keep its shape"),
        Case(
            (audio.hz_to_mel(np.array([50.0, 440.0, 1000.0, 3000.0, 8000.0])),),
            description="the mels of 50, 440, 1000, 3000 and 8000 Hz: the way back",
        ),
    ]


def check_mel_to_hz(fn: Callable) -> CheckResult:
    """Check fn(mels) -> frequencies in Hz, the inverse of the Slaney mel scale, elementwise.

    f(m) = (200/3) m for m < 15, f(m) = 1000 exp((ln(6.4) / 27) (m - 15)) for m >= 15; the
    reference is ``course_lib.data.audio.mel_to_hz``. The hint names the mistake when the answer
    is the HTK formula 700 (10^(m / 2595) - 1), the forward Hz -> mel map, or linear throughout.

    Book: Chapter 2, "Audio: framing, STFT, mel, MFCC"; exercise of notebook 2.2.
    """
    from course_lib.data import audio

    slaney = (
        "Slaney's mel scale is linear below 15 mel, f = (200/3) m (so 15 mel = 1000 Hz), and "
        "logarithmic above: f = 1000 exp((ln(6.4) / 27) (m - 15)). Use np.where to choose the "
        "part for every element."
    )
    htk = "the course (like librosa's default) uses Slaney's mel scale. "
    probe = (np.array([0.0, 7.5, 15.0, 20.0, 30.0]),)
    probes: list[_Probe] = [
        (
            probe,
            {},
            lambda m: 700.0 * (10.0 ** (m / 2595.0) - 1.0),
            "this is the HTK mel formula f = 700 (10^(m / 2595) - 1); " + htk + slaney,
        ),
        (
            probe,
            {},
            lambda m: 700.0 * np.expm1(m / 1127.0),
            "this is the HTK mel formula in natural logs, f = 700 (exp(m / 1127) - 1); "
            + htk
            + slaney,
        ),
        (
            probe,
            {},
            audio.hz_to_mel,
            "this computes Hz -> mel; the exercise asks for the inverse, mel -> Hz. " + slaney,
        ),
        (
            probe,
            {},
            lambda m: 200.0 / 3.0 * m,
            "f = (200/3) m only holds below 15 mel (1000 Hz). " + slaney,
        ),
    ]
    hint = _matching_hint(fn, probes, default=slaney)
    return check(fn, audio.mel_to_hz, _mel_to_hz_cases(), name="mel_to_hz", hint=hint)


# ----------------------------------------------------- padding and masks exercises (notebook 2.3)
# check_pad_frames(fn): pad feature frames [T_i, F] into [N, T, F] and return the lengths;
# check_length_mask(fn): the padding mask m[i, t] = (t < T_i);
# check_masked_mean(fn): the mean over the real steps only, sum_t m x / sum_t m.


def _pad_frames(frames: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Reference: padded [N, T, F] (zeros after the frames, T = max T_i) and lengths int [N]."""
    from course_lib.data.sequences import pad_sequences

    return pad_sequences(frames)


def _pad_frames_cases() -> list[Case]:
    rng = np.random.default_rng(23)

    def frames(*lengths: int, n_features: int = 3) -> list[np.ndarray]:
        return [rng.normal(size=(t, n_features)) for t in lengths]

    return [
        Case((frames(4, 2, 5),), description="three recordings of 4, 2 and 5 frames, F = 3"),
        Case((frames(6),), description="a single recording: nothing to pad"),
        Case((frames(3, 3),), description="equal lengths: nothing to pad, lengths [3, 3]"),
        Case((frames(1, 7, 2, 4, n_features=1),), description="one feature per frame (F = 1)"),
        Case((frames(9, 30, 12, n_features=13),), description="13 MFCCs, 9 to 30 frames"),
        Case(
            (frames(4, 2) + frames(3, n_features=2),),
            description="recordings with 3 and 2 features: must raise ValueError",
            expect_error=ValueError,
        ),
    ]


def _pad_frames_hint(learner_fn: Callable) -> str:
    """The hint for the first typical mistake the learner's answer shows on a small probe."""
    probe = [np.arange(1.0, 7.0).reshape(3, 2), np.array([[7.0, 8.0]])]
    try:
        answer = learner_fn([frame.copy() for frame in probe])
    except Exception:  # a learner's error is reported by check(), not here
        answer = None
    front = np.array([[[1, 2], [3, 4], [5, 6]], [[0, 0], [0, 0], [7, 8]]], dtype=float)
    if answer is not None and not (isinstance(answer, tuple | list) and len(answer) == 2):
        return (
            "return two things, `return padded, lengths`: a model needs the lengths (or the "
            "mask built from them) to know which frames are padding."
        )
    got = None if answer is None else np.asarray(answer[0])
    if got is not None and got.shape == front.shape and np.allclose(got, front):
        return (
            "the padding goes at the end: frame t of recording i stays at padded[i, t], so that "
            "the mask is simply t < T_i; padding at the front shifts every short recording."
        )
    if got is not None and got.shape == (2, 2, 3):
        return (
            "keep the frames on axis 1 and the features on axis 2: shape [N, T, F], not [N, F, T]."
        )
    return (
        "T = max(len(x) for x in frames); start from np.zeros((N, T, F)), copy recording i into "
        "padded[i, :T_i], and return (padded, lengths) with lengths[i] = T_i. Raise ValueError "
        "when the recordings do not all have the same number of features F."
    )


def check_pad_frames(fn: Callable) -> CheckResult:
    """Check fn(frames) -> (padded [N, T, F], lengths [N]) for N feature matrices [T_i, F].

    T = max_i T_i; padded[i, t] = frames[i][t] for t < T_i and 0 after it; lengths[i] = T_i.
    Different feature counts F must raise ValueError. The reference is
    ``course_lib.data.sequences.pad_sequences``. The hint names the mistake when the answer
    does not return the lengths, pads at the front or puts the features before the frames.

    Book: Chapter 2, "Images and multimodal batches"; exercise of notebook 2.3.
    """
    return check(fn, _pad_frames, _pad_frames_cases(), name="pad_frames", hint=_pad_frames_hint(fn))


def _length_mask(lengths: np.ndarray, max_len: int | None = None) -> np.ndarray:
    """Reference: bool [N, T] with m[i, t] = (t < lengths[i]), T = max_len or max(lengths)."""
    from course_lib.data.sequences import length_mask

    return length_mask(lengths, max_len)


def _length_mask_cases() -> list[Case]:
    return [
        Case((np.array([3, 1, 2]),), description="lengths 3, 1 and 2: T = 3"),
        Case((np.array([5]),), description="a single sequence: all True"),
        Case((np.array([2, 0, 4]),), description="an empty sequence (length 0): a row of False"),
        Case((np.array([3, 1]), 6), description="max_len = 6, longer than every sequence"),
        Case((np.array([4, 4, 4]), 4), description="max_len equal to every length: all True"),
        Case(
            (np.random.default_rng(5).integers(1, 60, size=16),),
            description="16 MFCC sequences of 1 to 59 frames",
        ),
        Case(
            (np.array([3, 7]), 5),
            description="max_len = 5 but a sequence has 7 steps: must raise ValueError",
            expect_error=ValueError,
        ),
    ]


def _mask_off_by_one(lengths: np.ndarray, max_len: int | None = None) -> np.ndarray:
    """Typical wrong answer: m[i, t] = (t <= T_i), one real step too many."""
    width = int(np.max(lengths)) if max_len is None else max_len
    return np.arange(width)[None, :] <= np.asarray(lengths)[:, None]


def check_length_mask(fn: Callable) -> CheckResult:
    """Check fn(lengths, max_len=None) -> mask [N, T] with mask[i, t] = (t < lengths[i]).

    T = max_len, or max(lengths) when max_len is None; max_len shorter than a sequence must
    raise ValueError. The reference is ``course_lib.data.sequences.length_mask``; a 0/1 int
    mask passes as well as a bool one. The hint names the mistake when the mask is off by one
    step, transposed, or ignores max_len.

    Book: Chapter 2, "Images and multimodal batches"; exercise of notebook 2.3.
    """
    probe = (np.array([3, 1, 2]),)
    probes = [
        (
            probe,
            {},
            _mask_off_by_one,
            "off by one: steps are numbered t = 0, 1, ..., so a sequence of length T_i fills "
            "t = 0..T_i - 1; the mask is t < T_i, not t <= T_i.",
        ),
        (
            probe,
            {},
            lambda lengths: _length_mask(lengths).T,
            "one row per sequence: the mask has shape [N, T] (batch first), not [T, N].",
        ),
        (
            (np.array([3, 1]),),
            {"max_len": 6},
            lambda lengths, max_len: _length_mask(lengths),
            "when max_len is given the mask has max_len columns (the width of the padded batch).",
        ),
    ]
    hint = _matching_hint(
        fn,
        probes,
        default=(
            "Compare the step numbers with the lengths by broadcasting: "
            "np.arange(T)[None, :] < lengths[:, None]. Raise ValueError when max_len < "
            "max(lengths)."
        ),
    )
    return check(fn, _length_mask, _length_mask_cases(), name="length_mask", hint=hint)


def _masked_mean(padded: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Reference: [N, F] with mean[i] = sum_t m[i, t] x[i, t] / sum_t m[i, t]."""
    weights = np.asarray(mask, dtype=np.float64)[..., None]
    return (weights * padded).sum(axis=1) / weights.sum(axis=1)


def _masked_mean_cases() -> list[Case]:
    from course_lib.data.sequences import length_mask, pad_sequences

    rng = np.random.default_rng(41)

    def batch(*lengths: int, n_features: int = 3, pad_value: float = 0.0) -> tuple:
        frames = [rng.normal(size=(t, n_features)) for t in lengths]
        padded, real = pad_sequences(frames, pad_value=pad_value)
        return padded, length_mask(real)

    return [
        Case(batch(4, 2, 5), description="three recordings of 4, 2 and 5 frames, F = 3"),
        Case(batch(3, 3), description="equal lengths: the plain mean over frames"),
        Case(batch(6, n_features=1), description="a single recording with one feature"),
        Case(batch(9, 30, 12, n_features=13), description="13 MFCCs, 9 to 30 frames"),
        Case(
            batch(2, 5, pad_value=-50.0),
            description="padding filled with -50 instead of 0: only the mask says what is real",
        ),
    ]


def check_masked_mean(fn: Callable) -> CheckResult:
    """Check fn(padded [N, T, F], mask [N, T]) -> [N, F], the mean over the real steps.

    mean[i, f] = sum_t m[i, t] x[i, t, f] / sum_t m[i, t]. Every case has at least one real
    step per sequence. The hint names the mistake when the answer averages over all T steps
    (padding included), trusts the padding to be 0, or averages the frames of all sequences
    together.

    Book: Chapter 2, "Images and multimodal batches"; exercise of notebook 2.3.
    """
    from course_lib.data.sequences import length_mask, pad_sequences

    padded, lengths = pad_sequences([np.full((3, 2), 2.0), np.full((1, 2), 4.0)], pad_value=-1.0)
    probe = (padded, length_mask(lengths))
    zero_padded = (np.where(probe[1][..., None], padded, 0.0), probe[1])
    probes = [
        (
            zero_padded,
            {},
            lambda x, m: x.mean(axis=1),
            "x.mean(axis=1) divides by T, padding included: short sequences get pulled towards "
            "the padding value. Divide the masked sum by the number of real steps, m.sum(axis=1).",
        ),
        (
            probe,
            {},
            lambda x, m: x.sum(axis=1) / m.sum(axis=1, keepdims=True),
            "the sum must skip the padding too: multiply by the mask before summing, "
            "(m[..., None] * x).sum(axis=1), whatever value the padding holds.",
        ),
        (
            probe,
            {},
            lambda x, m: x[m].mean(axis=0),
            "one mean per sequence, shape [N, F]: x[m] gathers the real frames of all sequences "
            "together, so its mean mixes the sequences.",
        ),
    ]
    hint = _matching_hint(
        fn,
        probes,
        default="mean[i] = (m[i, :, None] * x[i]).sum(axis=0) / m[i].sum(); do it for all i at "
        "once with m[..., None].",
    )
    return check(fn, _masked_mean, _masked_mean_cases(), name="masked_mean", hint=hint)
