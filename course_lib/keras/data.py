"""The multimodal batch pipeline of ``course_lib.torch.data``, built with tf.data.

``make_multimodal_dataset(image=..., audio=..., text=..., label=...)`` yields the same dicts as
the PyTorch DataLoader: images and labels stacked, audio frames [T_i, F] and token ids [L_i]
padded with 0 at the end to the longest in the batch, with their lengths and the masks
m[b, t] = (t < T_b). Here TensorFlow does the padding itself (``RaggedTensor.to_tensor``) and
``tf.sequence_mask`` builds the masks; the tests check that both pipelines give identical arrays.

Book: Chapter 2, "Images and multimodal batches".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from course_lib._training_common import check_positive_int
from course_lib.data.sequences import MODALITIES, aligned_modalities
from course_lib.utils import _check_seed, quiet_tensorflow

quiet_tensorflow()

import tensorflow as tf  # noqa: E402  (after quiet_tensorflow)

__all__ = ["make_multimodal_dataset"]

_SEQUENCES = ("audio", "text")


def _ragged(sequences: list[np.ndarray]) -> tf.RaggedTensor:
    """N sequences [T_i, ...] as one RaggedTensor [N, (T_i), ...]: all steps, row by row."""
    lengths = np.array([len(x) for x in sequences], dtype=np.int64)
    return tf.RaggedTensor.from_row_lengths(np.concatenate(sequences), lengths)


@tf.autograph.experimental.do_not_convert  # plain tensor code: trace it as written
def _pad_and_mask(batch: dict[str, tf.Tensor | tf.RaggedTensor]) -> dict[str, tf.Tensor]:
    """Pad every ragged modality with 0 at the end; add lengths and mask[b, t] = (t < T_b)."""
    out = {}
    for key in MODALITIES:
        if key not in batch:
            continue
        if key in _SEQUENCES:
            padded = batch[key].to_tensor(default_value=0)
            lengths = batch[key].row_lengths()
            out[key] = padded
            out[f"{key}_lengths"] = lengths
            out[f"{key}_mask"] = tf.sequence_mask(lengths, maxlen=tf.shape(padded)[1])
        else:
            out[key] = batch[key]
    return out


def make_multimodal_dataset(
    *,
    image: ArrayLike | None = None,
    audio: Sequence[ArrayLike] | None = None,
    text: Sequence[ArrayLike] | None = None,
    label: ArrayLike | None = None,
    batch_size: int = 32,
    shuffle: bool = False,
    seed: int = 0,
) -> tf.data.Dataset:
    """A tf.data.Dataset of padded multimodal batches (dicts of tensors).

    The modalities are those of ``course_lib.torch.data.MultimodalDataset`` (any non-empty
    subset, all with the same N). Keys: "image" float32 [B, ...]; "audio" float32 [B, T, F],
    "audio_lengths" int64 [B], "audio_mask" bool [B, T]; "text" int64 [B, L], "text_lengths",
    "text_mask"; "label" int64 [B]. Pipeline: from_tensor_slices (audio and text as
    RaggedTensors, which hold rows of different lengths without padding) -> shuffle(N, seed)
    when ``shuffle=True`` (a new order every epoch, the same orders for the same seed; not the
    order PyTorch draws) -> ragged_batch(batch_size) -> ``to_tensor()`` pads with 0 at the end
    to the longest in the batch -> ``tf.sequence_mask`` of the lengths. The last batch may be
    smaller.

    Book: Chapter 2, "Images and multimodal batches".
    """
    data = aligned_modalities(image=image, audio=audio, text=text, label=label)
    batch_size = check_positive_int(batch_size, "batch_size")
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle: expected True or False, got {type(shuffle).__name__}")
    seed = _check_seed(seed)
    n_samples = len(next(iter(data.values())))
    columns = {key: _ragged(value) if key in _SEQUENCES else value for key, value in data.items()}
    dataset = tf.data.Dataset.from_tensor_slices(columns)
    if shuffle:
        dataset = dataset.shuffle(n_samples, seed=seed, reshuffle_each_iteration=True)
    return dataset.ragged_batch(batch_size).map(_pad_and_mask)
