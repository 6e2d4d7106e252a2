"""Handwritten 8x8 digits from scikit-learn, split for the course.

The 1,797 images ship inside scikit-learn, so nothing is downloaded. Pixels hold ink counts
0..16; the loader divides by 16 so that images are float32 in [0, 1].

Book: Chapter 2 (Multimodal data and preprocessing), the image modality.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
"""English word of each digit: ``DIGIT_WORDS[7] == "seven"``."""

DIGIT_WORDS_ZH = ("零", "一", "二", "三", "四", "五", "六", "七", "八", "九")
"""Chinese numeral of each digit: ``DIGIT_WORDS_ZH[7] == "七"``."""

SPLITS = ("train", "test", "all")
N_CLASSES = 10


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed: expected a non-negative int, got {seed!r}")
    if seed < 0:
        raise ValueError(f"seed: expected a non-negative int, got {seed!r}")
    return int(seed)


def _split_indices(
    labels: np.ndarray, test_size: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the full data set that go to train and to test (stratified by label)."""
    from sklearn.model_selection import train_test_split

    train_rows, test_rows = train_test_split(
        np.arange(len(labels)), test_size=test_size, stratify=labels, random_state=seed
    )
    return np.asarray(train_rows, dtype=np.int64), np.asarray(test_rows, dtype=np.int64)


def load_digits(
    split: str = "train", test_size: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Load the scikit-learn digits as float32 images in [0, 1] and int64 labels.

    The split is stratified (every digit keeps its share in train and test) and made by
    ``sklearn.model_selection.train_test_split(..., random_state=seed)``, so the same seed
    always gives the same split. Pixel scaling: x = ink_count / 16.

    Parameters
    ----------
    split : "train", "test" or "all"
        "all" returns the 1,797 images in scikit-learn's order (no split).
    test_size : float in (0, 1)
        Share of the images that goes to the test split (default 0.2: 1,437 train, 360 test).
    seed : int
        Seed of the split.

    Returns
    -------
    images : float32 array [N, 8, 8] in [0, 1]
    labels : int64 array [N]

    Book: Chapter 2 (Multimodal data and preprocessing).
    """
    if split not in SPLITS:
        raise ValueError(f"split: expected one of {SPLITS}, got {split!r}")
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise TypeError(f"test_size: expected a float in (0, 1), got {test_size!r}")
    seed = _check_seed(seed)

    from sklearn.datasets import load_digits as sklearn_load_digits

    bunch = sklearn_load_digits()
    images = (bunch.images / 16.0).astype(np.float32)
    labels = bunch.target.astype(np.int64)

    n = len(labels)
    n_test = math.ceil(float(test_size) * n)
    if not 0.0 < test_size < 1.0 or not N_CLASSES <= n_test <= n - N_CLASSES:
        raise ValueError(
            f"test_size: expected a float in (0, 1) leaving at least {N_CLASSES} images "
            f"(one per digit) in train and in test, got {test_size!r}"
        )
    if split == "all":
        return images, labels
    train_rows, test_rows = _split_indices(labels, float(test_size), seed)
    rows = train_rows if split == "train" else test_rows
    return images[rows], labels[rows]
