"""Tests of course_lib.data.digits: the scikit-learn digits, scaled and split for the course."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import sklearn.datasets
from sklearn.model_selection import train_test_split

from course_lib.data.digits import DIGIT_WORDS, DIGIT_WORDS_ZH, load_digits


@pytest.fixture(scope="module")
def reference() -> tuple[np.ndarray, np.ndarray]:
    bunch = sklearn.datasets.load_digits()
    return bunch.images, bunch.target


def test_sizes_dtypes_and_range() -> None:
    for split, size in (("train", 1437), ("test", 360), ("all", 1797)):
        images, labels = load_digits(split)
        assert images.shape == (size, 8, 8) and images.dtype == np.float32
        assert labels.shape == (size,) and labels.dtype == np.int64
        assert images.min() == 0.0 and images.max() == 1.0
        assert set(labels.tolist()) == set(range(10))


def test_all_is_sklearn_divided_by_16(reference) -> None:
    images, labels = load_digits("all")
    np.testing.assert_allclose(images, reference[0] / 16.0, rtol=0, atol=1e-7)
    np.testing.assert_array_equal(labels, reference[1])


@pytest.mark.parametrize(("test_size", "seed"), [(0.2, 0), (0.3, 7)])
def test_split_matches_sklearn_stratified_train_test_split(reference, test_size, seed) -> None:
    x_train, x_test, y_train, y_test = train_test_split(
        reference[0] / 16.0,
        reference[1],
        test_size=test_size,
        stratify=reference[1],
        random_state=seed,
    )
    for split, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        images, labels = load_digits(split, test_size=test_size, seed=seed)
        np.testing.assert_allclose(images, x, rtol=0, atol=1e-7)
        np.testing.assert_array_equal(labels, y)


def test_train_and_test_are_disjoint_and_cover_all_images() -> None:
    all_images, _ = load_digits("all")
    rows = {image.tobytes() for image in all_images}
    assert len(rows) == 1797, "the check below needs every image to be unique"
    train = {image.tobytes() for image in load_digits("train")[0]}
    test = {image.tobytes() for image in load_digits("test")[0]}
    assert not train & test
    assert train | test == rows


def test_split_is_stratified() -> None:
    _, all_labels = load_digits("all")
    _, test_labels = load_digits("test", test_size=0.2)
    expected = 0.2 * np.bincount(all_labels)
    assert np.all(np.abs(np.bincount(test_labels) - expected) <= 1.0)


def test_same_seed_same_split_other_seed_other_split() -> None:
    a_images, a_labels = load_digits("train", seed=3)
    b_images, b_labels = load_digits("train", seed=3)
    np.testing.assert_array_equal(a_images, b_images)
    np.testing.assert_array_equal(a_labels, b_labels)
    c_images, _ = load_digits("train", seed=4)
    assert not np.array_equal(a_images, c_images)


def test_test_size_sets_the_share_of_test_images() -> None:
    assert len(load_digits("test", test_size=0.5)[1]) == 899
    assert len(load_digits("train", test_size=0.5)[1]) == 898


def test_digit_words() -> None:
    assert len(DIGIT_WORDS) == len(DIGIT_WORDS_ZH) == 10
    assert DIGIT_WORDS[0] == "zero" and DIGIT_WORDS[7] == "seven" and DIGIT_WORDS[9] == "nine"
    assert DIGIT_WORDS_ZH[0] == "零" and DIGIT_WORDS_ZH[7] == "七" and DIGIT_WORDS_ZH[9] == "九"
    assert len(set(DIGIT_WORDS)) == len(set(DIGIT_WORDS_ZH)) == 10


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"split": "validation"}, ValueError, "split: expected one of"),
        ({"test_size": 0.0}, ValueError, "test_size: expected a float in (0, 1)"),
        ({"test_size": 1.5}, ValueError, "got 1.5"),
        ({"test_size": 0.001}, ValueError, "at least 10 images"),
        ({"test_size": "0.2"}, TypeError, "test_size: expected a float"),
        ({"seed": -1}, ValueError, "seed: expected a non-negative int, got -1"),
        ({"seed": 1.5}, TypeError, "seed: expected a non-negative int, got 1.5"),
        ({"seed": True}, TypeError, "seed:"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, error, message) -> None:
    with pytest.raises(error) as info:
        load_digits(**kwargs)
    assert message in str(info.value)


def test_import_does_not_load_a_framework_or_sklearn() -> None:
    code = "import sys, course_lib.data.digits; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not {"torch", "tensorflow", "keras", "sklearn"} & set(out.stdout.split())
