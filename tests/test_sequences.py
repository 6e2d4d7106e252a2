"""Tests of course_lib.data.sequences: padding, lengths, masks and NumPy multimodal batches.

Padding is checked against ``torch.nn.utils.rnn.pad_sequence`` here and against Keras'
``pad_sequences`` and ``tf.sequence_mask`` in tests/test_batches.py.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from course_lib.data.sequences import (
    MODALITIES,
    aligned_modalities,
    collate_samples,
    length_mask,
    pad_sequences,
)


def random_sequences(lengths, n_features=None, seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    trailing = () if n_features is None else (n_features,)
    return [rng.normal(size=(t, *trailing)).astype(dtype) for t in lengths]


# ------------------------------------------------------------------------------- pad_sequences
def test_pad_sequences_pads_at_the_end_and_returns_lengths() -> None:
    sequences = [np.array([1, 2, 3]), np.array([4]), np.array([5, 6])]
    padded, lengths = pad_sequences(sequences)
    np.testing.assert_array_equal(padded, [[1, 2, 3], [4, 0, 0], [5, 6, 0]])
    np.testing.assert_array_equal(lengths, [3, 1, 2])
    assert lengths.dtype == np.int64
    assert padded.dtype == np.result_type(*sequences)


def test_pad_sequences_of_feature_frames_keeps_the_feature_axis() -> None:
    sequences = random_sequences([5, 2, 7], n_features=4)
    padded, lengths = pad_sequences(sequences, pad_value=-1.5)
    assert padded.shape == (3, 7, 4) and padded.dtype == np.float32
    for i, x in enumerate(sequences):
        np.testing.assert_array_equal(padded[i, : len(x)], x)
        assert np.all(padded[i, len(x) :] == -1.5)
    np.testing.assert_array_equal(lengths, [5, 2, 7])


def test_pad_sequences_equals_torch_pad_sequence() -> None:
    import torch
    from torch.nn.utils.rnn import pad_sequence

    sequences = random_sequences([6, 1, 9, 4], n_features=3, seed=1)
    padded, _ = pad_sequences(sequences, pad_value=0.25)
    expected = pad_sequence(
        [torch.from_numpy(x) for x in sequences], batch_first=True, padding_value=0.25
    )
    np.testing.assert_array_equal(padded, expected.numpy())


def test_pad_sequences_truncates_post_or_pre_and_caps_lengths() -> None:
    sequences = [np.arange(1, 6), np.arange(1, 3)]
    post, post_lengths = pad_sequences(sequences, max_len=3)
    pre, pre_lengths = pad_sequences(sequences, max_len=3, truncate="pre")
    np.testing.assert_array_equal(post, [[1, 2, 3], [1, 2, 0]])
    np.testing.assert_array_equal(pre, [[3, 4, 5], [1, 2, 0]])
    np.testing.assert_array_equal(post_lengths, [3, 2])
    np.testing.assert_array_equal(pre_lengths, [3, 2])


def test_pad_sequences_longer_max_len_zero_lengths_and_dtype() -> None:
    padded, lengths = pad_sequences([np.array([7, 8]), np.zeros(0, int)], max_len=4, dtype="int16")
    np.testing.assert_array_equal(padded, [[7, 8, 0, 0], [0, 0, 0, 0]])
    np.testing.assert_array_equal(lengths, [2, 0])
    assert padded.dtype == np.int16
    empty, empty_lengths = pad_sequences([np.arange(3)], max_len=0)
    assert empty.shape == (1, 0) and empty_lengths.tolist() == [0]


def test_pad_sequences_accepts_a_2d_array_and_tuples() -> None:
    rows = np.arange(6).reshape(2, 3)
    padded, lengths = pad_sequences(rows)
    np.testing.assert_array_equal(padded, rows)
    np.testing.assert_array_equal(lengths, [3, 3])
    padded, _ = pad_sequences(([1.0], [2.0, 3.0]))
    np.testing.assert_array_equal(padded, [[1, 0], [2, 3]])


def test_pad_sequences_does_not_change_its_inputs() -> None:
    sequences = random_sequences([3, 5], n_features=2)
    copies = [x.copy() for x in sequences]
    padded, _ = pad_sequences(sequences)
    padded[:] = 99
    for x, c in zip(sequences, copies, strict=True):
        np.testing.assert_array_equal(x, c)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"sequences": "abc"},
            TypeError,
            r"sequences: expected a list of arrays \[T_i, ...\], got str",
        ),
        ({"sequences": []}, ValueError, "sequences: expected at least one sequence, got an empty"),
        ({"sequences": np.arange(4)}, ValueError, r"got an array of shape \(4,\); wrap a single"),
        ({"sequences": [[1, 2], "ab"]}, TypeError, r"sequences\[1\]: expected an array of numbers"),
        ({"sequences": [[1], 3]}, ValueError, r"sequences\[1\]: expected an array \[T, ...\] with"),
        (
            {"sequences": [[1], [[1, 2], [3]]]},
            ValueError,
            r"sequences\[1\]: expected a rectangular array \[T, ...\], got nested lists",
        ),
        ({"sequences": [["a"]]}, TypeError, r"sequences\[0\]: expected an array of numbers, got"),
        (
            {"sequences": [np.ones((4, 13)), np.ones((2, 12))]},
            ValueError,
            r"sequences\[1\]: expected steps of shape \(13,\) like sequences\[0\] "
            r"\(shape \(4, 13\)\), got shape \(2, 12\)",
        ),
        ({"max_len": -1}, ValueError, "max_len: expected None or an int >= 0, got -1"),
        ({"max_len": 2.5}, TypeError, "max_len: expected None or an int >= 0, got float"),
        (
            {"truncate": "end"},
            ValueError,
            r"truncate: expected one of \('post', 'pre'\), got 'end'",
        ),
        ({"pad_value": "0"}, TypeError, "pad_value: expected a number, got str"),
        ({"dtype": str}, TypeError, "dtype: expected a numeric dtype, got <U0"),
        (
            {"pad_value": 0.5},
            ValueError,
            "pad_value: expected a value representable in dtype int64, got 0.5",
        ),
    ],
)
def test_pad_sequences_rejects_bad_input(kwargs, error, message) -> None:
    arguments = {"sequences": [np.array([1, 2]), np.array([3])]} | kwargs
    with pytest.raises(error, match=message):
        pad_sequences(**arguments)


# ------------------------------------------------------------------------------- length_mask
def test_length_mask_follows_the_formula() -> None:
    lengths = np.array([3, 0, 5, 1])
    mask = length_mask(lengths)
    assert mask.shape == (4, 5) and mask.dtype == np.bool_
    for i, n in enumerate(lengths):
        for t in range(5):
            assert mask[i, t] == (t < n)


def test_length_mask_with_a_longer_max_len_and_the_lengths_of_pad_sequences() -> None:
    mask = length_mask([2, 1], max_len=4)
    np.testing.assert_array_equal(mask, [[1, 1, 0, 0], [1, 0, 0, 0]])
    padded, lengths = pad_sequences(random_sequences([4, 7, 2], n_features=3))
    mask = length_mask(lengths, padded.shape[1])
    np.testing.assert_array_equal(mask, np.any(padded != 0, axis=2))
    assert length_mask(np.zeros(0, dtype=int)).shape == (0, 0)


@pytest.mark.parametrize(
    ("lengths", "max_len", "error", "message"),
    [
        (
            [1.0, 2.0],
            None,
            TypeError,
            "lengths: expected integer sequence lengths, got dtype float64",
        ),
        (
            [True, False],
            None,
            TypeError,
            "lengths: expected integer sequence lengths, got dtype bool",
        ),
        ([[1, 2]], None, ValueError, r"lengths: expected a 1-D array \[N\] .*got shape \(1, 2\)"),
        ([2, -1], None, ValueError, "lengths: expected lengths >= 0, got a minimum of -1"),
        ([2, 5], 4, ValueError, "max_len: expected at least the longest length 5, got 4"),
        ([2, 5], "5", TypeError, "max_len: expected None or an int >= 0, got str"),
    ],
)
def test_length_mask_rejects_bad_input(lengths, max_len, error, message) -> None:
    with pytest.raises(error, match=message):
        length_mask(lengths, max_len)


# ------------------------------------------------------------------------ aligned_modalities
def test_aligned_modalities_converts_dtypes_and_keeps_only_given_ones() -> None:
    data = aligned_modalities(
        label=[1, 0], text=[[3, 4], [5]], image=np.zeros((2, 4, 4), dtype=np.uint8)
    )
    assert list(data) == ["image", "text", "label"]
    assert data["image"].dtype == np.float32 and data["image"].shape == (2, 4, 4)
    assert [t.dtype for t in data["text"]] == [np.int64, np.int64]
    assert data["label"].dtype == np.int64
    audio = aligned_modalities(audio=random_sequences([3, 4], n_features=2, dtype=np.float64))
    assert [a.dtype for a in audio["audio"]] == [np.float32, np.float32]
    assert MODALITIES == ("image", "audio", "text", "label")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, ValueError, "image, audio, text, label: expected at least one modality"),
        (
            {"image": np.zeros((3, 8, 8)), "label": [0, 1]},
            ValueError,
            "label: expected 3 samples, one per row of image .*got 2",
        ),
        ({"image": np.zeros(3)}, ValueError, r"image: expected an array \[N, ...\] of images"),
        ({"image": [["a", "b"]]}, TypeError, r"image: expected a numeric array \[N, ...\], got"),
        ({"label": [0.0, 1.0]}, TypeError, "label: expected integer class indices, got dtype"),
        ({"label": [[0, 1]]}, ValueError, r"label: expected a 1-D array \[N\]"),
        ({"audio": [np.ones(5)]}, ValueError, r"audio: expected feature frames \[T_i, F\]"),
        (
            {"audio": [np.ones((5, 0))]},
            ValueError,
            "audio: expected at least one feature per frame",
        ),
        ({"text": ["seven"]}, TypeError, r"text\[0\]: expected an array of numbers \(encode text"),
        ({"text": [[1, 2], [[3]]]}, ValueError, r"text\[1\]: expected steps of shape \(\)"),
        ({"text": [np.ones((2, 2), int)]}, ValueError, r"text\[0\]: expected a 1-D array \[L_i\]"),
        ({"text": [[1.0, 2.0]]}, TypeError, r"text\[0\]: expected integer token ids, got dtype"),
        ({"text": [[1, -2]]}, ValueError, r"text\[0\]: expected token ids >= 0, got -2"),
    ],
)
def test_aligned_modalities_rejects_bad_input(kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        aligned_modalities(**kwargs)


# --------------------------------------------------------------------------- collate_samples
def test_collate_samples_stacks_pads_and_masks() -> None:
    audio = random_sequences([4, 2, 6], n_features=3)
    text = [np.array([5, 6]), np.array([7, 8, 9]), np.array([1])]
    samples = [
        {"label": np.int64(i), "text": text[i], "audio": audio[i], "image": np.full((2, 2), i)}
        for i in range(3)
    ]
    batch = collate_samples(samples)
    assert list(batch) == [
        "image",
        "audio",
        "audio_lengths",
        "audio_mask",
        "text",
        "text_lengths",
        "text_mask",
        "label",
    ]
    assert batch["image"].dtype == np.float32 and batch["image"].shape == (3, 2, 2)
    np.testing.assert_array_equal(batch["image"][:, 0, 0], [0, 1, 2])
    expected_audio, audio_lengths = pad_sequences(audio)
    np.testing.assert_array_equal(batch["audio"], expected_audio)
    np.testing.assert_array_equal(batch["audio_lengths"], [4, 2, 6])
    np.testing.assert_array_equal(batch["audio_mask"], length_mask(audio_lengths))
    np.testing.assert_array_equal(batch["text"], [[5, 6, 0], [7, 8, 9], [1, 0, 0]])
    assert batch["text"].dtype == np.int64
    np.testing.assert_array_equal(batch["text_mask"], length_mask([2, 3, 1]))
    np.testing.assert_array_equal(batch["label"], [0, 1, 2])
    assert batch["label"].dtype == np.int64


@pytest.mark.parametrize(
    ("samples", "error", "message"),
    [
        ({"label": 1}, TypeError, "samples: expected a list of dicts .*got dict"),
        ([], ValueError, "samples: expected at least one sample, got an empty list"),
        ([{"label": 1}, (1, 2)], TypeError, r"samples\[1\]: expected a dict, got tuple"),
        ([{"caption": 1}], ValueError, r"samples\[0\]: expected a dict with the keys \['image',"),
        (
            [{"label": 1}, {"label": 2, "text": [1]}],
            ValueError,
            r"samples\[1\]: expected a dict with the keys \['label'\] \(those of samples\[0\]\)",
        ),
        (
            [{"image": np.zeros((8, 8))}, {"image": np.zeros((8, 7))}],
            ValueError,
            r"samples\[1\]\['image'\]: expected shape \(8, 8\) like samples\[0\]\['image'\]",
        ),
        ([{"label": 1.5}], TypeError, "label: expected integer class indices"),
    ],
)
def test_collate_samples_rejects_bad_input(samples, error, message) -> None:
    with pytest.raises(error, match=message):
        collate_samples(samples)


def test_import_does_not_load_a_framework() -> None:
    code = (
        "import sys, course_lib.data.sequences, course_lib.data.images; "
        "print(' '.join(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not {"torch", "tensorflow", "keras"} & set(out.stdout.split())
