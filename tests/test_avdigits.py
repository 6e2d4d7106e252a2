"""Tests of course_lib.data.avdigits: spoken + handwritten + written digits, paired per split."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.io import wavfile

from course_lib.data import fsdd
from course_lib.data.avdigits import _pair_images, load_avdigits
from course_lib.data.digits import DIGIT_WORDS, DIGIT_WORDS_ZH, load_digits
from course_lib.data.fsdd import load_fsdd

KEYS = {"image", "audio", "text", "text_zh", "label", "speaker", "image_index", "sample_rate"}

needs_mirror = pytest.mark.skipif(
    not (
        os.environ.get("COURSE_DATA_DIR")
        and (Path(os.environ["COURSE_DATA_DIR"]) / "fsdd" / "recordings").is_dir()
    ),
    reason="FSDD mirror not available: set COURSE_DATA_DIR to a folder holding fsdd/recordings/",
)


@pytest.fixture(scope="module")
def train_pairs() -> dict:
    return load_avdigits("train", seed=0, download=False)


@pytest.fixture(scope="module")
def test_pairs() -> dict:
    return load_avdigits("test", seed=0, download=False)


# ------------------------------------------------------------------ the real data (FSDD mirror)


@needs_mirror
@pytest.mark.parametrize(("split", "size"), [("train", 2700), ("test", 300)])
def test_keys_sizes_and_types(request, split, size) -> None:
    data = request.getfixturevalue(f"{split}_pairs")
    assert set(data) == KEYS
    assert data["image"].shape == (size, 8, 8) and data["image"].dtype == np.float32
    assert data["image"].min() >= 0.0 and data["image"].max() <= 1.0
    assert data["label"].dtype == np.int64 and data["image_index"].dtype == np.int64
    for key in ("audio", "text", "text_zh", "speaker"):
        assert isinstance(data[key], list) and len(data[key]) == size
    assert all(w.dtype == np.float32 and w.ndim == 1 for w in data["audio"])
    assert data["sample_rate"] == 8000


@needs_mirror
@pytest.mark.parametrize("split", ["train", "test"])
def test_every_modality_shows_the_same_digit(request, split) -> None:
    data = request.getfixturevalue(f"{split}_pairs")
    images, labels = load_digits(split, seed=0)
    recordings = load_fsdd(split, download=False)
    np.testing.assert_array_equal(labels[data["image_index"]], data["label"])
    np.testing.assert_array_equal(images[data["image_index"]], data["image"])
    np.testing.assert_array_equal(recordings.labels, data["label"])
    assert recordings.speakers == data["speaker"]
    for a, b in zip(recordings.waveforms, data["audio"], strict=True):
        np.testing.assert_array_equal(a, b)
    assert data["text"] == [DIGIT_WORDS[d] for d in data["label"]]
    assert data["text_zh"] == [DIGIT_WORDS_ZH[d] for d in data["label"]]


@needs_mirror
def test_train_images_are_used_as_evenly_as_possible(train_pairs) -> None:
    _, labels = load_digits("train", seed=0)
    uses = np.bincount(train_pairs["image_index"], minlength=len(labels))
    assert uses.min() >= 1, "every training image should be paired"
    for digit in range(10):
        per_digit = uses[labels == digit]
        assert per_digit.max() - per_digit.min() <= 1
        assert per_digit.sum() == 270


@needs_mirror
def test_test_images_are_not_reused(test_pairs) -> None:
    assert len(set(test_pairs["image_index"].tolist())) == 300


@needs_mirror
def test_no_image_and_no_recording_is_shared_between_train_and_test(
    train_pairs, test_pairs
) -> None:
    all_images, _ = load_digits("all")
    assert len({image.tobytes() for image in all_images}) == len(all_images)  # all unique
    train_images = {image.tobytes() for image in train_pairs["image"]}
    test_images = {image.tobytes() for image in test_pairs["image"]}
    assert len(test_images) == 300 and len(train_images) > 1400
    assert not train_images & test_images
    train_audio = {hashlib.sha256(w.tobytes()).digest() for w in train_pairs["audio"]}
    test_audio = {hashlib.sha256(w.tobytes()).digest() for w in test_pairs["audio"]}
    assert len(train_audio) == 2700 and len(test_audio) == 300
    assert not train_audio & test_audio


@needs_mirror
def test_same_seed_same_pairs_other_seed_other_pairs(test_pairs) -> None:
    again = load_avdigits("test", seed=0, download=False)
    np.testing.assert_array_equal(again["image_index"], test_pairs["image_index"])
    np.testing.assert_array_equal(again["image"], test_pairs["image"])
    other = load_avdigits("test", seed=1, download=False)
    assert not np.array_equal(other["image"], test_pairs["image"])
    np.testing.assert_array_equal(other["label"], test_pairs["label"])


# ------------------------------------------------------- the pairing rule and tiny made-up data


def test_pairing_cycles_evenly_when_recordings_outnumber_images() -> None:
    image_labels = np.array([0, 1, 0, 1, 0])  # three images of 0, two of 1
    recording_labels = np.array([0] * 7 + [1] * 4)
    rows = _pair_images(image_labels, recording_labels, np.random.default_rng(0))
    np.testing.assert_array_equal(image_labels[rows], recording_labels)
    assert sorted(np.bincount(rows[:7], minlength=5)[[0, 2, 4]].tolist()) == [2, 2, 3]
    assert np.bincount(rows[7:], minlength=5)[[1, 3]].tolist() == [2, 2]


def test_pairing_without_reuse_when_images_are_enough() -> None:
    image_labels = np.repeat(np.arange(3), 10)
    recording_labels = np.repeat(np.arange(3), 4)
    rows = _pair_images(image_labels, recording_labels, np.random.default_rng(5))
    assert len(set(rows.tolist())) == 12
    np.testing.assert_array_equal(image_labels[rows], recording_labels)
    same = _pair_images(image_labels, recording_labels, np.random.default_rng(5))
    other = _pair_images(image_labels, recording_labels, np.random.default_rng(6))
    np.testing.assert_array_equal(rows, same)
    assert not np.array_equal(rows, other)


def test_pairing_needs_an_image_of_every_recorded_label() -> None:
    with pytest.raises(ValueError, match="no image with label 2"):
        _pair_images(np.array([0, 1]), np.array([0, 2]), np.random.default_rng(0))


@pytest.fixture
def tiny_fsdd(tmp_path, monkeypatch) -> Path:
    """Twenty made-up recordings: every digit, one speaker, takes 0 (test) and 7 (train)."""
    folder = tmp_path / "fsdd"
    (folder / "recordings").mkdir(parents=True)
    sums = {}
    for digit in range(10):
        for take in (0, 7):
            buffer = io.BytesIO()
            wavfile.write(buffer, 8000, np.full(50, 100 * digit + take, dtype=np.int16))
            name = f"{digit}_kim_{take}.wav"
            (folder / "recordings" / name).write_bytes(buffer.getvalue())
            sums[name] = hashlib.sha256(buffer.getvalue()).hexdigest()
    monkeypatch.setattr(fsdd, "_load_checksums", lambda: sums)
    return folder


def test_made_up_recordings_are_paired_with_same_label_images(tiny_fsdd) -> None:
    images, labels = load_digits("test", seed=3)
    data = load_avdigits("test", seed=3, data_dir=tiny_fsdd, download=False)
    assert data["label"].tolist() == list(range(10))
    np.testing.assert_array_equal(labels[data["image_index"]], data["label"])
    np.testing.assert_array_equal(images[data["image_index"]], data["image"])
    assert [w[0] * 32768 for w in data["audio"]] == [100 * d for d in range(10)]
    assert data["text"][7] == "seven" and data["text_zh"][7] == "七"
    assert data["speaker"] == ["kim"] * 10
    train = load_avdigits("train", seed=3, data_dir=tiny_fsdd, download=False)
    assert [w[0] * 32768 for w in train["audio"]] == [100 * d + 7 for d in range(10)]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"split": "all"}, ValueError, "split: expected one of ('train', 'test'), got 'all'"),
        ({"seed": -2}, ValueError, "seed: expected a non-negative int, got -2"),
        ({"seed": "0"}, TypeError, "seed: expected a non-negative int, got '0'"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, error, message) -> None:
    with pytest.raises(error) as info:
        load_avdigits(**kwargs)
    assert message in str(info.value)


def test_import_does_not_load_a_framework() -> None:
    code = "import sys, course_lib.data.avdigits; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not {"torch", "tensorflow", "keras"} & set(out.stdout.split())
