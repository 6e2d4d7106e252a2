"""Tests of the multimodal batch pipelines: course_lib.torch.data and course_lib.keras.data.

The PyTorch DataLoader pads with course_lib.data.sequences, tf.data with TensorFlow's own
``RaggedTensor.to_tensor``: for the same samples both must give identical arrays (values,
dtypes, shapes), and their masks must equal ``length_mask`` of their lengths. TensorFlow is
imported only by the ``tf_data`` fixture, so the PyTorch tests run without it.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from types import ModuleType

import numpy as np
import pytest
import torch

from course_lib.data.sequences import length_mask, pad_sequences
from course_lib.torch.data import MultimodalDataset, collate_multimodal, make_loader

N_SAMPLES = 23
BATCH_KEYS = [
    "image",
    "audio",
    "audio_lengths",
    "audio_mask",
    "text",
    "text_lengths",
    "text_mask",
    "label",
]


def make_modalities(n: int = N_SAMPLES, seed: int = 0) -> dict[str, object]:
    """Random aligned samples; label i = i, so a batch's labels name its samples."""
    rng = np.random.default_rng(seed)
    return {
        "image": rng.random((n, 8, 8)).astype(np.float32),
        "audio": [rng.normal(size=(rng.integers(3, 20), 5)) for _ in range(n)],
        "text": [rng.integers(1, 30, size=rng.integers(1, 8)) for _ in range(n)],
        "label": np.arange(n),
    }


@pytest.fixture(scope="module")
def modalities() -> dict[str, object]:
    return make_modalities()


@pytest.fixture(scope="module", autouse=True)
def fresh_imports() -> Iterator[list[subprocess.Popen]]:
    """Import each pipeline in a fresh interpreter and list the frameworks it loaded.

    Started with the first test so that the imports overlap the other tests; the last test of
    the file reads the answers.
    """
    code = "import sys, {}; print(sorted({{'torch', 'tensorflow', 'keras'}} & set(sys.modules)))"
    modules = ("course_lib.torch.data", "course_lib.keras.data")
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code.format(module)], stdout=subprocess.PIPE, text=True
        )
        for module in modules
    ]
    yield processes
    for process in processes:
        process.kill()


@pytest.fixture(scope="module")
def tf_data() -> ModuleType:
    from course_lib.keras import data

    return data


def torch_batches(loader) -> list[dict[str, np.ndarray]]:
    return [{key: value.numpy() for key, value in batch.items()} for batch in loader]


def tf_batches(dataset) -> list[dict[str, np.ndarray]]:
    return list(dataset.as_numpy_iterator())


def epoch_labels(batches) -> list[list[int]]:
    return [batch["label"].tolist() for batch in batches]


# ------------------------------------------------------------------------------ PyTorch side
def test_dataset_items_are_tensors_of_one_sample(modalities) -> None:
    dataset = MultimodalDataset(**modalities)
    assert len(dataset) == N_SAMPLES
    assert dataset.modalities == ("image", "audio", "text", "label")
    assert repr(dataset) == "MultimodalDataset(image, audio, text, label; 23 samples)"
    item = dataset[4]
    assert item["image"].dtype == torch.float32 and item["image"].shape == (8, 8)
    assert item["audio"].dtype == torch.float32
    assert item["audio"].shape == modalities["audio"][4].shape
    np.testing.assert_allclose(item["audio"].numpy(), modalities["audio"][4], rtol=1e-6)
    np.testing.assert_array_equal(item["text"].numpy(), modalities["text"][4])
    assert item["text"].dtype == torch.int64
    assert item["label"].dtype == torch.int64 and item["label"].shape == () and item["label"] == 4
    assert dataset[-1]["label"] == N_SAMPLES - 1


def test_dataset_items_are_copies(modalities) -> None:
    dataset = MultimodalDataset(image=modalities["image"])
    item = dataset[0]["image"]
    item += 1
    np.testing.assert_array_equal(dataset[0]["image"].numpy(), modalities["image"][0])


def test_collate_pads_with_course_lib_and_masks_follow_the_lengths(modalities) -> None:
    dataset = MultimodalDataset(**modalities)
    rows = [3, 0, 7]
    batch = collate_multimodal([dataset[i] for i in rows])
    assert list(batch) == BATCH_KEYS
    for key in ("audio", "text"):
        expected, lengths = pad_sequences(
            [modalities[key][i] for i in rows], dtype=batch[key].numpy().dtype
        )
        np.testing.assert_array_equal(batch[key].numpy(), expected)
        np.testing.assert_array_equal(batch[f"{key}_lengths"].numpy(), lengths)
        assert batch[f"{key}_mask"].dtype == torch.bool
        np.testing.assert_array_equal(batch[f"{key}_mask"].numpy(), length_mask(lengths))
    np.testing.assert_array_equal(batch["image"].numpy(), modalities["image"][rows])
    np.testing.assert_array_equal(batch["label"].numpy(), rows)


def test_loader_without_shuffle_keeps_the_order_and_a_smaller_last_batch(modalities) -> None:
    batches = torch_batches(make_loader(MultimodalDataset(**modalities), batch_size=8))
    assert [len(b["label"]) for b in batches] == [8, 8, 7]
    assert sum(epoch_labels(batches), []) == list(range(N_SAMPLES))
    for batch in batches:
        assert batch["audio"].shape[1] == batch["audio_lengths"].max()


def test_loader_shuffle_is_seeded_and_covers_every_sample_once(modalities) -> None:
    dataset = MultimodalDataset(label=modalities["label"])

    def two_epochs(seed):
        loader = make_loader(dataset, batch_size=5, shuffle=True, seed=seed)
        return [epoch_labels(torch_batches(loader)) for _ in range(2)]

    first, again, other = two_epochs(0), two_epochs(0), two_epochs(1)
    assert first == again
    assert first != other
    assert first[0] != first[1]  # a new order every epoch
    for epoch in first + other:
        assert sorted(sum(epoch, [])) == list(range(N_SAMPLES))
    assert sum(first[0], []) != list(range(N_SAMPLES))


def test_loader_with_a_subset_of_modalities(modalities) -> None:
    dataset = MultimodalDataset(audio=modalities["audio"], label=modalities["label"])
    batch = next(iter(make_loader(dataset, batch_size=4)))
    assert list(batch) == ["audio", "audio_lengths", "audio_mask", "label"]


def test_dataset_and_loader_reject_bad_input(modalities) -> None:
    dataset = MultimodalDataset(label=modalities["label"])
    with pytest.raises(IndexError, match=r"index: expected an int in \[-23, 23\), got 23"):
        dataset[23]
    with pytest.raises(TypeError, match="index: expected an int, got str"):
        dataset["0"]
    with pytest.raises(ValueError, match="text: expected 23 samples, one per row of image"):
        MultimodalDataset(image=modalities["image"], text=modalities["text"][:5])
    with pytest.raises(ValueError, match="image, audio, text, label: expected at least one"):
        MultimodalDataset()
    with pytest.raises(TypeError, match="dataset: expected a torch Dataset with a length"):
        make_loader(modalities["image"])
    with pytest.raises(ValueError, match="batch_size: expected an int >= 1, got 0"):
        make_loader(dataset, batch_size=0)
    with pytest.raises(TypeError, match="shuffle: expected True or False, got str"):
        make_loader(dataset, shuffle="yes")
    with pytest.raises(TypeError, match="seed: expected an int"):
        make_loader(dataset, seed=0.5)


# ------------------------------------------------------------------------------ tf.data side
def test_tf_data_gives_the_same_batches_as_the_torch_loader(modalities, tf_data) -> None:
    loader = make_loader(MultimodalDataset(**modalities), batch_size=8)
    dataset = tf_data.make_multimodal_dataset(**modalities, batch_size=8)
    ours, theirs = torch_batches(loader), tf_batches(dataset)
    assert len(ours) == len(theirs) == 3
    for torch_batch, tf_batch in zip(ours, theirs, strict=True):
        assert list(torch_batch) == list(tf_batch) == BATCH_KEYS
        for key in BATCH_KEYS:
            mine, other = torch_batch[key], tf_batch[key]
            assert mine.dtype == other.dtype, key
            assert mine.shape == other.shape, key
            np.testing.assert_array_equal(mine, other, err_msg=key)


def test_tf_data_for_the_same_indices_in_any_order(modalities, tf_data) -> None:
    rows = [11, 2, 19, 5, 0]
    subset = {
        key: value[rows] if isinstance(value, np.ndarray) else [value[i] for i in rows]
        for key, value in modalities.items()
    }
    torch_batch = collate_multimodal([MultimodalDataset(**modalities)[i] for i in rows])
    (tf_batch,) = tf_batches(tf_data.make_multimodal_dataset(**subset, batch_size=len(rows)))
    for key in BATCH_KEYS:
        assert torch_batch[key].numpy().dtype == tf_batch[key].dtype
        np.testing.assert_array_equal(torch_batch[key].numpy(), tf_batch[key], err_msg=key)


def test_both_pipelines_agree_on_empty_sequences(tf_data) -> None:
    text = [np.zeros(0, dtype=np.int64), np.array([3, 4]), np.zeros(0, dtype=np.int64)] * 2
    ours = torch_batches(make_loader(MultimodalDataset(text=text), batch_size=3))
    theirs = tf_batches(tf_data.make_multimodal_dataset(text=text, batch_size=3))
    for torch_batch, tf_batch in zip(ours, theirs, strict=True):
        for key in ("text", "text_lengths", "text_mask"):
            assert torch_batch[key].dtype == tf_batch[key].dtype
            np.testing.assert_array_equal(torch_batch[key], tf_batch[key])
    solo = torch_batches(make_loader(MultimodalDataset(text=text[:1]), batch_size=1))
    assert solo[0]["text"].shape == (1, 0) and solo[0]["text_mask"].shape == (1, 0)


def test_tf_masks_equal_length_mask_and_tf_sequence_mask(modalities, tf_data) -> None:
    import tensorflow as tf

    for batch in tf_batches(tf_data.make_multimodal_dataset(**modalities, batch_size=6)):
        for key in ("audio", "text"):
            lengths = batch[f"{key}_lengths"]
            assert batch[f"{key}_mask"].dtype == np.bool_
            np.testing.assert_array_equal(batch[f"{key}_mask"], length_mask(lengths))
            np.testing.assert_array_equal(length_mask(lengths), tf.sequence_mask(lengths).numpy())


def test_tf_shuffle_is_seeded_and_covers_every_sample_once(modalities, tf_data) -> None:
    def two_epochs(seed):
        dataset = tf_data.make_multimodal_dataset(
            label=modalities["label"], batch_size=5, shuffle=True, seed=seed
        )
        return [epoch_labels(tf_batches(dataset)) for _ in range(2)]

    first, again, other = two_epochs(0), two_epochs(0), two_epochs(1)
    assert first == again
    assert first != other
    assert first[0] != first[1]
    for epoch in first + other:
        assert Counter(sum(epoch, [])) == Counter(range(N_SAMPLES))
    assert sum(first[0], []) != list(range(N_SAMPLES))


def test_tf_data_with_a_subset_of_modalities_and_colour_images(tf_data) -> None:
    rng = np.random.default_rng(5)
    images = rng.random((5, 4, 4, 3))
    text = [np.arange(1, n + 1) for n in (2, 5, 1, 3, 4)]
    dataset = tf_data.make_multimodal_dataset(image=images, text=text, batch_size=5)
    (batch,) = tf_batches(dataset)
    assert list(batch) == ["image", "text", "text_lengths", "text_mask"]
    assert batch["image"].dtype == np.float32 and batch["image"].shape == (5, 4, 4, 3)
    np.testing.assert_array_equal(batch["text"], pad_sequences(text)[0])


def test_pad_sequences_equals_keras_pad_sequences_with_post_padding(tf_data) -> None:
    import keras

    rng = np.random.default_rng(2)
    sequences = [rng.integers(1, 50, size=n) for n in (5, 9, 2, 7)]
    for truncate in ("post", "pre"):
        for max_len in (None, 6):
            ours, _ = pad_sequences(sequences, max_len=max_len, truncate=truncate)
            theirs = keras.utils.pad_sequences(
                sequences, maxlen=max_len, padding="post", truncating=truncate, dtype="int64"
            )
            np.testing.assert_array_equal(ours, theirs)


def test_make_multimodal_dataset_rejects_bad_input(modalities, tf_data) -> None:
    make = tf_data.make_multimodal_dataset
    with pytest.raises(ValueError, match="label: expected 23 samples, one per row of image"):
        make(image=modalities["image"], label=modalities["label"][:3])
    with pytest.raises(ValueError, match="image, audio, text, label: expected at least one"):
        make()
    with pytest.raises(ValueError, match="batch_size: expected an int >= 1, got -2"):
        make(label=modalities["label"], batch_size=-2)
    with pytest.raises(TypeError, match="shuffle: expected True or False, got int"):
        make(label=modalities["label"], shuffle=1)
    with pytest.raises(ValueError, match="seed: expected an int in"):
        make(label=modalities["label"], seed=-1)


def test_torch_pipeline_never_imports_tensorflow_and_keras_pipeline_never_torch(
    fresh_imports,
) -> None:
    answers = [process.communicate(timeout=120)[0].strip() for process in fresh_imports]
    assert answers == ["['torch']", "['keras', 'tensorflow']"]
