"""Padding, lengths and masks: how sequences of different lengths become one batch.

A batch of N sequences x_i of lengths T_i (each step a feature vector, or one token id) is stored
as one array of shape [N, T, ...] with T = max_i T_i: sequence i fills steps 0..T_i-1 and the
rest is padding. The padding mask m[i, t] = 1[t < T_i] tells a model which steps are real.

This module is framework-free; the PyTorch collate function (``course_lib.torch.data``) pads
with it, and the tf.data pipeline (``course_lib.keras.data``) is tested to pad the same way.

Book: Chapter 2, "Images and multimodal batches" (padding and masks).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

__all__ = [
    "MODALITIES",
    "aligned_modalities",
    "collate_samples",
    "length_mask",
    "pad_sequences",
]

MODALITIES = ("image", "audio", "text", "label")
"""The modalities a multimodal sample may hold, in the order batches list them."""

_TRUNCATE = ("post", "pre")


def _as_sequence_list(sequences: object, name: str) -> list[NDArray]:
    """The items of a list, tuple or array of sequences, each as a NumPy array of numbers."""
    if isinstance(sequences, np.ndarray):
        if sequences.ndim < 2:
            raise ValueError(
                f"{name}: expected a list of arrays [T_i, ...] (or an array [N, T, ...]), got an "
                f"array of shape {sequences.shape}; wrap a single sequence as [x]"
            )
        items = list(sequences)
    elif isinstance(sequences, list | tuple):
        items = list(sequences)
    else:
        raise TypeError(
            f"{name}: expected a list of arrays [T_i, ...], got {type(sequences).__name__}"
        )
    if not items:
        raise ValueError(f"{name}: expected at least one sequence, got an empty list")
    arrays = []
    for i, item in enumerate(items):
        if isinstance(item, str | bytes):
            raise TypeError(
                f"{name}[{i}]: expected an array of numbers (encode text as token ids first), "
                f"got {type(item).__name__} {item!r}"
            )
        try:
            array = np.asarray(item)
        except ValueError as error:
            raise ValueError(
                f"{name}[{i}]: expected a rectangular array [T, ...], got nested lists of "
                "different lengths"
            ) from error
        if array.dtype.kind not in "biuf":
            raise TypeError(f"{name}[{i}]: expected an array of numbers, got dtype {array.dtype}")
        if array.ndim == 0:
            raise ValueError(
                f"{name}[{i}]: expected an array [T, ...] with a time axis, got a scalar "
                f"({array.item()!r})"
            )
        arrays.append(array)
    step_shape = arrays[0].shape[1:]
    for i, array in enumerate(arrays):
        if array.shape[1:] != step_shape:
            raise ValueError(
                f"{name}[{i}]: expected steps of shape {step_shape} like {name}[0] "
                f"(shape {arrays[0].shape}), got shape {array.shape}"
            )
    return arrays


def _check_max_len(max_len: object) -> int | None:
    if max_len is None:
        return None
    if isinstance(max_len, bool) or not isinstance(max_len, numbers.Integral):
        raise TypeError(
            f"max_len: expected None or an int >= 0, got {type(max_len).__name__} {max_len!r}"
        )
    if max_len < 0:
        raise ValueError(f"max_len: expected None or an int >= 0, got {max_len}")
    return int(max_len)


def pad_sequences(
    sequences: Sequence[ArrayLike] | NDArray,
    max_len: int | None = None,
    pad_value: float = 0,
    dtype: DTypeLike | None = None,
    truncate: str = "post",
) -> tuple[NDArray, NDArray[np.int64]]:
    """Pad N sequences x_i of shape [T_i, ...] at the end into one array [N, T, ...].

    T = max_len, or max_i T_i when max_len is None. padded[i, t] = x_i[t] for t < L_i and
    pad_value for L_i <= t < T, where L_i = min(T_i, T) is the returned length. A sequence longer
    than T is cut: ``truncate="post"`` keeps its first T steps, ``"pre"`` its last T steps.
    Padding always goes at the end, so that the mask is m[i, t] = 1[t < L_i] (see
    :func:`length_mask`). (Keras' ``pad_sequences`` pads and truncates at the front by default.)

    Parameters
    ----------
    sequences : list of arrays [T_i, ...] with the same trailing shape (1-D for token ids,
        [T_i, F] for feature frames), or an array [N, T, ...].
    max_len : int >= 0 or None
    pad_value : number written into the padding (0 by default; representable in ``dtype``).
    dtype : dtype of the result; default the common dtype of the sequences.
    truncate : "post" or "pre".

    Returns
    -------
    padded : array [N, T, ...]
    lengths : int64 array [N], the number of real steps L_i of each row.

    Book: Chapter 2, "Images and multimodal batches".
    """
    arrays = _as_sequence_list(sequences, "sequences")
    max_len = _check_max_len(max_len)
    if truncate not in _TRUNCATE:
        raise ValueError(f"truncate: expected one of {_TRUNCATE}, got {truncate!r}")
    if isinstance(pad_value, bool) or not isinstance(pad_value, numbers.Real):
        raise TypeError(f"pad_value: expected a number, got {type(pad_value).__name__}")
    out_dtype = np.result_type(*arrays) if dtype is None else np.dtype(dtype)
    if out_dtype.kind not in "biuf":
        raise TypeError(f"dtype: expected a numeric dtype, got {out_dtype}")
    if out_dtype.kind != "f":
        as_dtype = np.array(pad_value).astype(out_dtype).item()
        if as_dtype != pad_value:
            raise ValueError(
                f"pad_value: expected a value representable in dtype {out_dtype}, got {pad_value!r}"
            )
    lengths_in = np.array([a.shape[0] for a in arrays], dtype=np.int64)
    n_steps = int(lengths_in.max()) if max_len is None else max_len
    lengths = np.minimum(lengths_in, n_steps)
    padded = np.full((len(arrays), n_steps, *arrays[0].shape[1:]), pad_value, dtype=out_dtype)
    for i, (array, length) in enumerate(zip(arrays, lengths, strict=True)):
        kept = array[:length] if truncate == "post" else array[array.shape[0] - length :]
        padded[i, :length] = kept
    return padded, lengths


def length_mask(lengths: ArrayLike, max_len: int | None = None) -> NDArray[np.bool_]:
    """Padding mask of a batch: bool [N, T] with m[i, t] = (t < T_i).

    T = max_len, or max_i T_i when max_len is None; max_len must be at least max_i T_i (a mask
    shorter than a sequence would silently hide real steps). Equals ``tf.sequence_mask``.

    Book: Chapter 2, "Images and multimodal batches".
    """
    array = np.asarray(lengths)
    if array.dtype == np.bool_ or array.dtype.kind not in "iu":
        raise TypeError(f"lengths: expected integer sequence lengths, got dtype {array.dtype}")
    if array.ndim != 1:
        raise ValueError(
            f"lengths: expected a 1-D array [N] (one length per sequence), got shape {array.shape}"
        )
    if array.size and array.min() < 0:
        raise ValueError(f"lengths: expected lengths >= 0, got a minimum of {array.min()}")
    longest = int(array.max()) if array.size else 0
    max_len = _check_max_len(max_len)
    if max_len is None:
        max_len = longest
    elif max_len < longest:
        raise ValueError(f"max_len: expected at least the longest length {longest}, got {max_len}")
    return np.arange(max_len)[None, :] < array[:, None]


# --------------------------------------------------------------------------- multimodal samples


def _image_array(image: object) -> NDArray[np.float32]:
    try:
        array = np.asarray(image, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"image: expected a numeric array [N, ...], got {type(image).__name__}"
        ) from error
    if array.ndim < 2:
        raise ValueError(f"image: expected an array [N, ...] of images, got shape {array.shape}")
    return np.ascontiguousarray(array)


def _label_array(label: object) -> NDArray[np.int64]:
    array = np.asarray(label)
    if array.dtype == np.bool_ or array.dtype.kind not in "iu":
        raise TypeError(f"label: expected integer class indices, got dtype {array.dtype}")
    if array.ndim != 1:
        raise ValueError(f"label: expected a 1-D array [N] (one per sample), got {array.shape}")
    return array.astype(np.int64)


def _audio_list(audio: object) -> list[NDArray[np.float32]]:
    arrays = _as_sequence_list(audio, "audio")
    if arrays[0].ndim != 2:
        raise ValueError(
            f"audio: expected feature frames [T_i, F] per sample (e.g. mfcc(y, sr).T), got "
            f"audio[0] of shape {arrays[0].shape}"
        )
    if arrays[0].shape[1] == 0:
        raise ValueError("audio: expected at least one feature per frame, got F = 0")
    return [np.ascontiguousarray(a, dtype=np.float32) for a in arrays]


def _text_list(text: object) -> list[NDArray[np.int64]]:
    arrays = _as_sequence_list(text, "text")
    for i, array in enumerate(arrays):
        if array.ndim != 1:
            raise ValueError(
                f"text[{i}]: expected a 1-D array [L_i] of token ids, got shape {array.shape}"
            )
        if array.dtype == np.bool_ or array.dtype.kind not in "iu":
            raise TypeError(f"text[{i}]: expected integer token ids, got dtype {array.dtype}")
        if array.size and array.min() < 0:
            raise ValueError(f"text[{i}]: expected token ids >= 0, got {array.min()}")
    return [a.astype(np.int64) for a in arrays]


def aligned_modalities(
    *,
    image: ArrayLike | None = None,
    audio: Sequence[ArrayLike] | None = None,
    text: Sequence[ArrayLike] | None = None,
    label: ArrayLike | None = None,
) -> dict[str, Any]:
    """Check and convert the modalities of N aligned samples (row i of each is sample i).

    image: array [N, ...] -> float32; audio: list of N feature arrays [T_i, F] (same F) ->
    float32; text: list of N token-id arrays [L_i] -> int64; label: [N] -> int64. Any non-empty
    subset may be given; all must have the same N (no broadcasting across modalities). Returns
    a dict with the given modalities only, in the order of MODALITIES.

    Book: Chapter 2, "Images and multimodal batches".
    """
    given = {"image": image, "audio": audio, "text": text, "label": label}
    convert = {
        "image": _image_array,
        "audio": _audio_list,
        "text": _text_list,
        "label": _label_array,
    }
    out = {key: convert[key](value) for key, value in given.items() if value is not None}
    if not out:
        raise ValueError(
            f"{', '.join(MODALITIES)}: expected at least one modality, got all of them None"
        )
    first, n_samples = next(iter(out)), len(next(iter(out.values())))
    for key, value in out.items():
        if len(value) != n_samples:
            raise ValueError(
                f"{key}: expected {n_samples} samples, one per row of {first} (row i of every "
                f"modality is sample i), got {len(value)}"
            )
    return out


def collate_samples(samples: Sequence[Mapping[str, ArrayLike]]) -> dict[str, NDArray]:
    """Build one NumPy batch from samples that hold the same modalities.

    "image" -> float32 [B, ...] (stacked); "label" -> int64 [B]; "audio" -> float32 [B, T, F]
    with "audio_lengths" int64 [B] and "audio_mask" bool [B, T]; "text" -> int64 [B, L] with
    "text_lengths" and "text_mask". Sequences are padded with 0 at the end to the longest in the
    batch (:func:`pad_sequences`), and mask[b, t] = (t < length_b) (:func:`length_mask`).

    Book: Chapter 2, "Images and multimodal batches".
    """
    if not isinstance(samples, list | tuple):
        raise TypeError(
            f"samples: expected a list of dicts (one per sample), got {type(samples).__name__}"
        )
    if not samples:
        raise ValueError("samples: expected at least one sample, got an empty list")
    for b, sample in enumerate(samples):
        if not isinstance(sample, Mapping):
            raise TypeError(f"samples[{b}]: expected a dict, got {type(sample).__name__}")
    keys = [key for key in MODALITIES if key in samples[0]]
    for b, sample in enumerate(samples):
        if not keys or set(sample) != set(keys):
            raise ValueError(
                f"samples[{b}]: expected a dict with the keys {keys or list(MODALITIES)} "
                f"(those of samples[0]), got the keys {sorted(sample)}"
            )
    columns: dict[str, Any] = {key: [np.asarray(s[key]) for s in samples] for key in keys}
    for b, image in enumerate(columns.get("image", [])):
        if image.shape != columns["image"][0].shape:
            raise ValueError(
                f"samples[{b}]['image']: expected shape {columns['image'][0].shape} like "
                f"samples[0]['image'], got {image.shape}"
            )
    for key in ("image", "label"):
        if key in columns:
            columns[key] = np.stack(columns[key])
    batch: dict[str, NDArray] = {}
    for key, value in aligned_modalities(**columns).items():
        if key in ("audio", "text"):
            padded, lengths = pad_sequences(value, dtype=value[0].dtype)
            batch[key] = padded
            batch[f"{key}_lengths"] = lengths
            batch[f"{key}_mask"] = length_mask(lengths, padded.shape[1])
        else:
            batch[key] = value
    return batch
