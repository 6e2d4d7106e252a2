"""AV-digits: spoken digits paired with handwritten digits and their words.

Every FSDD recording of a split is paired with a scikit-learn digits image of the same label
from the same split, and with the digit's word in English and Chinese. This is the idea of
AV-MNIST made with care: the digits split and the FSDD split are both fixed, so no image and no
recording is ever shared between train and test.

Pairing, per label d: shuffle the images of d (seeded), then give them to the recordings of d
in order (sorted by speaker and take), starting again from the first image only when there are
more recordings than images. Each image is then used either floor(R/I) or ceil(R/I) times
(R recordings, I images of that label): about twice in train, at most once in test.

Book: Chapter 2 (Multimodal data and preprocessing); the data of the fusion chapters.
"""

from __future__ import annotations

import os

import numpy as np

from course_lib.data.digits import DIGIT_WORDS, DIGIT_WORDS_ZH, _check_seed, load_digits
from course_lib.data.fsdd import load_fsdd

SPLITS = ("train", "test")
_SPLIT_STREAM = {"train": 0, "test": 1}
"""Second entropy word of the pairing generator, so train and test shuffle independently."""


def _pair_images(
    image_labels: np.ndarray, recording_labels: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """For each recording, the row of an image with the same label (as evenly used as possible)."""
    rows = np.empty(len(recording_labels), dtype=np.int64)
    for label in np.unique(recording_labels):
        recordings = np.flatnonzero(recording_labels == label)
        images = rng.permutation(np.flatnonzero(image_labels == label))
        if len(images) == 0:
            raise ValueError(f"no image with label {label} to pair with its recordings")
        rows[recordings] = images[np.arange(len(recordings)) % len(images)]
    return rows


def load_avdigits(
    split: str = "train",
    seed: int = 0,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
) -> dict[str, object]:
    """Load the paired image + audio + text digits of one split.

    Parameters
    ----------
    split : "train" or "test"
        FSDD's official split (takes 5-49 train, 0-4 test: 2,700 and 300 pairs) joined with
        ``load_digits(split, seed=seed)`` (1,437 and 360 images).
    seed : int
        Seed of the digits split and of the pairing; the same seed gives the same pairs.
    data_dir, download
        Where to find FSDD, passed to ``load_fsdd``.

    Returns
    -------
    dict with
        "image" float32 [N, 8, 8] in [0, 1], "audio" list of float32 1-D waveforms,
        "text" list of English words, "text_zh" list of Chinese numerals, "label" int64 [N],
        "speaker" list of str, "image_index" int64 [N] (row of the image in
        ``load_digits(split, seed=seed)``), "sample_rate" int (8000).
        Pairs come in FSDD's order: by label, speaker, take.

    Book: Chapter 2 (Multimodal data and preprocessing).
    """
    if split not in SPLITS:
        raise ValueError(f"split: expected one of {SPLITS}, got {split!r}")
    seed = _check_seed(seed)
    images, image_labels = load_digits(split, seed=seed)
    recordings = load_fsdd(split, data_dir=data_dir, download=download)

    rng = np.random.default_rng([seed, _SPLIT_STREAM[split]])
    rows = _pair_images(image_labels, recordings.labels, rng)
    labels = recordings.labels.copy()
    return {
        "image": images[rows],
        "audio": recordings.waveforms,
        "text": [DIGIT_WORDS[label] for label in labels],
        "text_zh": [DIGIT_WORDS_ZH[label] for label in labels],
        "label": labels,
        "speaker": recordings.speakers,
        "image_index": rows,
        "sample_rate": recordings.sample_rate,
    }
