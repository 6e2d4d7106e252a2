"""Small sequence data sets shared by the PyTorch and Keras model tests."""

from __future__ import annotations

import numpy as np

from course_lib.data.shapes import make_shapes


def padded_batch(
    n: int, n_steps: int, n_features: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Random sequences of lengths 1..n_steps, zero-padded to n_steps: ([n, T, F], [n])."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, n_steps + 1, size=n)
    x = rng.normal(size=(n, n_steps, n_features)).astype(np.float32)
    x[np.arange(n_steps)[None, :] >= lengths[:, None]] = 0.0
    return x, lengths


def sign_task(n: int, seed: int) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """Label 1 if the valid steps of feature 0 have a positive mean; lengths 2..12 of 15."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(2, 13, size=n)
    labels = rng.integers(0, 2, size=n)
    x = rng.normal(size=(n, 15, 3)).astype(np.float32)
    x[:, :, 0] += np.where(labels == 1, 0.8, -0.8)[:, None]
    x[np.arange(15)[None, :] >= lengths[:, None]] = 0.0
    return (x, lengths), labels


def caption_ids(n: int, seed: int) -> tuple[np.ndarray, list[str]]:
    """Shapes captions as ids [n, 10]: <bos> words <eos>, then <pad> = 0; and the vocabulary."""
    _, texts, _ = make_shapes(n, seed=seed)
    words = sorted({w for text in texts for w in text.split()})
    vocab = ["<pad>", "<bos>", "<eos>", *words]
    index = {w: i for i, w in enumerate(vocab)}
    ids = np.zeros((len(texts), 10), dtype=np.int64)
    for row, text in enumerate(texts):
        tokens = [1, *(index[w] for w in text.split()), 2]
        ids[row, : len(tokens)] = tokens
    return ids, vocab
