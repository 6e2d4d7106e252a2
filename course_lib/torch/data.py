"""A PyTorch Dataset of aligned modalities and the collate function that pads them into batches.

Sample i of ``MultimodalDataset(image=..., audio=..., text=..., label=...)`` is row i of every
modality. Images and labels have a fixed size and are stacked; audio frames [T_i, F] and token
ids [L_i] have a different length per sample, so ``collate_multimodal`` pads them at the end to
the longest in the batch and adds their lengths and masks m[b, t] = (t < T_b), with the same
framework-free code as ``course_lib.data.sequences``. ``course_lib.keras.data`` builds the same
batches with tf.data.

Book: Chapter 2, "Images and multimodal batches".
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch.utils.data import DataLoader, Dataset

from course_lib._training_common import check_positive_int
from course_lib.data.sequences import aligned_modalities, collate_samples
from course_lib.utils import _check_seed

__all__ = ["MultimodalDataset", "collate_multimodal", "make_loader"]


class MultimodalDataset(Dataset):
    """N aligned samples of up to four modalities; ``dataset[i]`` is a dict of tensors.

    Parameters (keyword only; give any non-empty subset, all with the same N)
    ----------
    image : array [N, ...] (e.g. [N, 8, 8] or [N, 32, 32, 3]) -> float32 tensors.
    audio : list of N feature arrays [T_i, F] (e.g. ``mfcc(y, sr).T``) -> float32 tensors.
    text : list of N arrays of token ids [L_i] (0 is kept for padding) -> int64 tensors.
    label : integer array [N] -> int64 scalar tensors.

    Book: Chapter 2, "Images and multimodal batches".
    """

    def __init__(
        self,
        *,
        image: ArrayLike | None = None,
        audio: Sequence[ArrayLike] | None = None,
        text: Sequence[ArrayLike] | None = None,
        label: ArrayLike | None = None,
    ) -> None:
        self._data = aligned_modalities(image=image, audio=audio, text=text, label=label)
        self._n_samples = len(next(iter(self._data.values())))

    @property
    def modalities(self) -> tuple[str, ...]:
        """Names of the modalities this dataset holds, e.g. ("image", "audio", "label")."""
        return tuple(self._data)

    def __len__(self) -> int:
        return self._n_samples

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            raise TypeError(f"index: expected an int, got {type(index).__name__} {index!r}")
        if not -self._n_samples <= index < self._n_samples:
            raise IndexError(
                f"index: expected an int in [-{self._n_samples}, {self._n_samples}), got {index}"
            )
        return {key: torch.tensor(value[index]) for key, value in self._data.items()}

    def __repr__(self) -> str:
        return f"MultimodalDataset({', '.join(self.modalities)}; {self._n_samples} samples)"


def collate_multimodal(
    batch: Sequence[Mapping[str, torch.Tensor | np.ndarray]],
) -> dict[str, torch.Tensor]:
    """Turn a list of samples (dicts from :class:`MultimodalDataset`) into one dict of tensors.

    Keys, for the modalities present: "image" float32 [B, ...]; "audio" float32 [B, T, F],
    "audio_lengths" int64 [B], "audio_mask" bool [B, T]; "text" int64 [B, L], "text_lengths",
    "text_mask"; "label" int64 [B]. Padding is 0 at the end, up to the longest sequence of the
    batch, and mask[b, t] = (t < length_b) (``course_lib.data.sequences.collate_samples``).

    Book: Chapter 2, "Images and multimodal batches".
    """
    return {key: torch.from_numpy(value) for key, value in collate_samples(batch).items()}


def make_loader(
    dataset: Dataset, batch_size: int = 32, shuffle: bool = False, seed: int = 0
) -> DataLoader:
    """A DataLoader that batches ``dataset`` with :func:`collate_multimodal`.

    ``shuffle=True`` draws a new order every epoch from ``torch.Generator().manual_seed(seed)``:
    the same seed gives the same sequence of batches. ``num_workers=0`` (the data is small and
    in memory; worker processes would only cost start-up time on a laptop). The last batch may
    be smaller.

    Book: Chapter 2, "Images and multimodal batches".
    """
    if not isinstance(dataset, Dataset) or not hasattr(dataset, "__len__"):
        raise TypeError(
            f"dataset: expected a torch Dataset with a length (e.g. MultimodalDataset), "
            f"got {type(dataset).__name__}"
        )
    batch_size = check_positive_int(batch_size, "batch_size")
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle: expected True or False, got {type(shuffle).__name__}")
    generator = torch.Generator().manual_seed(_check_seed(seed))
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=shuffle,
        generator=generator,
        num_workers=0,
        collate_fn=collate_multimodal,
    )
