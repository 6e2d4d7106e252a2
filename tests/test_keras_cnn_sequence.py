"""Tests of the Chapter 3 Keras models and loss: course_lib.keras.cnn, .sequence, .losses.

Each Keras model is also compared with its PyTorch twin: the Keras weights are copied into
the PyTorch model (conv kernels [k, k, in, out] -> [out, in, k, k], dense kernels transposed,
LSTM gates in the same order, GRU blocks (z, r, h) -> (r, z, n)); then both give the same
outputs, and ``fit`` with the same seed gives the same loss curve.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
import torch
from sequence_data import caption_ids, padded_batch, sign_task

from course_lib import torch as course_torch
from course_lib.data.digits import load_digits
from course_lib.keras import (
    AudioCNN,
    ImageCNN,
    NextWordModel,
    SequenceClassifier,
    SequenceEncoder,
    evaluate,
    fit,
    predict,
    sequence_cross_entropy,
)
from course_lib.losses import sequence_cross_entropy as numpy_sequence_cross_entropy
from course_lib.utils import set_seed

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def captions() -> tuple[np.ndarray, int]:
    """Caption ids and the vocabulary size."""
    ids, vocab = caption_ids(80, seed=1)
    return ids, len(vocab)


# --------------------------------------------------------------------------- PyTorch twins


def numpy_of(variable) -> np.ndarray:
    return variable.numpy()


def copy_dense(dense: keras.layers.Dense, linear: torch.nn.Linear) -> None:
    linear.weight.copy_(torch.from_numpy(numpy_of(dense.kernel).T))
    linear.bias.copy_(torch.from_numpy(numpy_of(dense.bias)))


def copy_conv(conv: keras.layers.Conv2D, twin: torch.nn.Conv2d) -> None:
    twin.weight.copy_(torch.from_numpy(numpy_of(conv.kernel).transpose(3, 2, 0, 1)))
    twin.bias.copy_(torch.from_numpy(numpy_of(conv.bias)))


def swap_first_blocks(w: np.ndarray) -> np.ndarray:
    """GRU blocks along the last axis: Keras (z, r, h) <-> PyTorch (r, z, n)."""
    z, r, h = np.split(w, 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


def copy_rnn(cell, rnn: torch.nn.Module, suffix: str, gru_order: bool = True) -> None:
    kernel, recurrent, bias = (numpy_of(w) for w in (cell.kernel, cell.recurrent_kernel, cell.bias))
    if isinstance(rnn, torch.nn.GRU):
        reorder = swap_first_blocks if gru_order else (lambda w: w)
        kernel, recurrent, bias = reorder(kernel), reorder(recurrent), reorder(bias)
        bias_ih, bias_hh = bias[0], bias[1]
    else:  # the Keras LSTM's one bias is PyTorch's b_ih + b_hh; b_hh = 0 stays frozen so that
        # Adam trains one bias in both frameworks (two trained biases move twice as fast)
        bias_ih, bias_hh = bias, np.zeros_like(bias)
        getattr(rnn, f"bias_hh{suffix}").requires_grad_(False)
    values = {"weight_ih": kernel.T, "weight_hh": recurrent.T, "bias_ih": bias_ih}
    values["bias_hh"] = bias_hh
    for name, value in values.items():
        getattr(rnn, f"{name}{suffix}").copy_(torch.from_numpy(np.ascontiguousarray(value)))


@torch.no_grad()
def encoder_twin(encoder: SequenceEncoder, gru_order: bool = True):
    twin = course_torch.SequenceEncoder(
        encoder.input_size,
        encoder.hidden_size,
        encoder.cell,
        encoder.num_layers,
        encoder.bidirectional,
    )
    for layer, rnn in enumerate(encoder.rnns):
        if encoder.bidirectional:
            copy_rnn(rnn.forward_layer.cell, twin.rnn, f"_l{layer}", gru_order)
            copy_rnn(rnn.backward_layer.cell, twin.rnn, f"_l{layer}_reverse", gru_order)
        else:
            copy_rnn(rnn.cell, twin.rnn, f"_l{layer}", gru_order)
    return twin


@torch.no_grad()
def image_twin(model: ImageCNN) -> course_torch.ImageCNN:
    twin = course_torch.ImageCNN(
        model.in_channels, model.n_classes, model.channels, model.kernel_size, model.hidden
    )
    for block, conv in enumerate(model.convs):
        copy_conv(conv, twin.features[3 * block])
    copy_dense(model.hidden_layer, twin.head[0])
    copy_dense(model.output_layer, twin.head[-1])
    return twin


@torch.no_grad()
def audio_twin(model: AudioCNN) -> course_torch.AudioCNN:
    twin = course_torch.AudioCNN(model.n_mels, model.n_classes, model.channels)
    for block, conv in enumerate(model.convs):
        copy_conv(conv, twin.features[3 * block])
    copy_dense(model.output_layer, twin.head[-1])
    return twin


@torch.no_grad()
def classifier_twin(model: SequenceClassifier) -> course_torch.SequenceClassifier:
    encoder = model.encoder
    twin = course_torch.SequenceClassifier(
        encoder.input_size,
        model.n_classes,
        encoder.hidden_size,
        encoder.cell,
        encoder.num_layers,
        encoder.bidirectional,
    )
    twin.encoder = encoder_twin(encoder)
    copy_dense(model.head, twin.head[-1])
    return twin


@torch.no_grad()
def next_word_twin(model: NextWordModel) -> course_torch.NextWordModel:
    twin = course_torch.NextWordModel(
        model.vocab_size, model.embed_dim, model.hidden_size, model.cell, model.pad_id
    )
    twin.embedding.weight.copy_(torch.from_numpy(numpy_of(model.embedding.embeddings)))
    copy_rnn(model.rnn.cell, twin.rnn, "_l0")
    copy_dense(model.head, twin.head)
    return twin


# --------------------------------------------------------------------------- ImageCNN


@pytest.mark.parametrize("size", [(32, 32), (9, 13)])
def test_image_cnn_shapes_and_same_logits_as_pytorch(size: tuple[int, int]) -> None:
    set_seed(0)
    model = ImageCNN(in_channels=3, n_classes=4, channels=(8, 16), kernel_size=3, hidden=12)
    images = np.random.default_rng(0).normal(size=(5, *size, 3)).astype(np.float32)
    logits = predict(model, images)
    assert logits.shape == (5, 4) and logits.dtype == np.float32
    twin = image_twin(model)
    channels_first = np.ascontiguousarray(images.transpose(0, 3, 1, 2))
    np.testing.assert_allclose(
        course_torch.predict(twin, channels_first), logits, rtol=1e-4, atol=1e-5
    )
    np.testing.assert_array_equal(model.first_filters(), twin.first_filters())
    assert model.first_filters().shape == (8, 3, 3, 3)


def test_conv_layers_start_from_he_initialisation_as_in_pytorch() -> None:
    set_seed(0)
    for conv in (ImageCNN(channels=(64, 64)).convs[1], AudioCNN().convs[2]):
        kernel = conv.kernel.numpy()
        fan_in = kernel.shape[0] * kernel.shape[1] * kernel.shape[2]
        assert kernel.std() == pytest.approx((2 / fan_in) ** 0.5, rel=0.05)
        assert np.all(conv.bias.numpy() == 0)


def test_image_cnn_accepts_images_without_channel_axis_and_traces_any_batch_size() -> None:
    model = ImageCNN()
    digits = np.random.default_rng(1).random((4, 8, 8)).astype(np.float32)
    np.testing.assert_allclose(model(digits).numpy(), model(digits[..., None]).numpy())
    assert model(keras.Input((8, 8))).shape == (None, 10)
    assert model(keras.Input((32, 24, 1))).shape == (None, 10)


# Keras' own saving code converts variables with np.array(x), which NumPy 2 warns about.
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_image_cnn_rejects_bad_inputs_and_round_trips_its_config(tmp_path) -> None:
    colour = ImageCNN(in_channels=3, channels=(4, 8), dropout=0.25, name="colour")
    with pytest.raises(
        ValueError, match=r"x: expected \[N, H, W, C=3\], got shape \(2, 3, 32, 32\)"
    ):
        colour(np.zeros((2, 3, 32, 32), np.float32))
    with pytest.raises(ValueError, match=r"channels first\? .* np.transpose\(x, \(0, 2, 3, 1\)\)"):
        colour(np.zeros((2, 3, 32, 32), np.float32))
    with pytest.raises(ValueError, match=r"x: expected H >= 8 \(.* a 2x2 grid must remain\)"):
        colour(np.zeros((2, 4, 32, 3), np.float32))
    with pytest.raises(ValueError, match="channels: expected at least one conv block"):
        ImageCNN(channels=[])
    clone = ImageCNN.from_config(colour.get_config())
    assert (clone.name, clone.in_channels, clone.channels, clone.dropout) == (
        "colour",
        3,
        (4, 8),
        0.25,
    )
    images = np.random.default_rng(0).normal(size=(2, 8, 8, 3)).astype(np.float32)
    colour.save(tmp_path / "colour.keras")
    loaded = keras.saving.load_model(tmp_path / "colour.keras")
    assert (loaded.channels, loaded.kernel_size) == ((4, 8), 3)
    np.testing.assert_allclose(loaded.predict(images, verbose=0), colour.predict(images, verbose=0))


def test_image_cnn_same_seed_same_curve_and_same_curve_as_pytorch() -> None:
    images, labels = load_digits("train")
    images, labels = images[:160], labels[:160]
    arguments = {"epochs": 2, "batch_size": 32, "lr": 3e-3, "seed": 4, "progress": False}

    def run() -> tuple[dict, ImageCNN]:
        set_seed(0)
        model = ImageCNN(channels=(8, 16), hidden=16)
        return model, image_twin(model), fit(model, images, labels, **arguments)

    model, twin, first = run()
    _, _, second = run()
    assert first == second
    torch_history = course_torch.fit(twin, images, labels, **arguments)
    np.testing.assert_allclose(first["loss"], torch_history["loss"], rtol=1e-4)
    # Adam's normalised steps amplify float32 rounding differences: after these 10 steps the
    # logits differ by about 1e-3
    np.testing.assert_allclose(
        predict(model, images), course_torch.predict(twin, images), atol=5e-3
    )


# --------------------------------------------------------------------------- AudioCNN


def test_audio_cnn_any_number_of_frames_and_same_logits_as_pytorch() -> None:
    set_seed(0)
    model = AudioCNN(n_mels=16, n_classes=5, channels=(4, 8, 8), dropout=0.1)
    twin = audio_twin(model)
    for n_frames in (8, 45):
        spectrograms = np.random.default_rng(n_frames).normal(size=(3, 16, n_frames))
        spectrograms = spectrograms.astype(np.float32)
        logits = predict(model, spectrograms)
        assert logits.shape == (3, 5)
        np.testing.assert_allclose(predict(model, spectrograms[..., None]), logits)
        expected = course_torch.predict(twin, spectrograms)  # [N, n_mels, T] in both layouts
        np.testing.assert_allclose(logits, expected, rtol=1e-4, atol=1e-5)


def test_audio_cnn_rejects_bad_inputs_and_round_trips_its_config() -> None:
    model = AudioCNN(name="audio")
    with pytest.raises(ValueError, match=r"x: expected \[N, n_mels=40, T, C=1\] or \[N, n_mels=40"):
        model(np.zeros((2, 13, 50), np.float32))
    with pytest.raises(ValueError, match=r"x: expected T >= 8"):
        model(np.zeros((2, 40, 7, 1), np.float32))
    with pytest.raises(ValueError, match="n_mels: expected an int >= 4, got 2"):
        AudioCNN(n_mels=2, channels=(4, 4))
    clone = AudioCNN.from_config(model.get_config())
    assert (clone.name, clone.n_mels, clone.channels) == ("audio", 40, (16, 32, 64))


# --------------------------------------------------------------------------- SequenceEncoder


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize(("num_layers", "bidirectional"), [(1, False), (2, True)])
def test_encoder_gives_the_same_states_as_pytorch(
    cell: str, num_layers: int, bidirectional: bool
) -> None:
    set_seed(0)
    encoder = SequenceEncoder(4, 6, cell, num_layers, bidirectional)
    twin = encoder_twin(encoder)
    x, lengths = padded_batch(5, 9, 4)
    last, states = (t.numpy() for t in encoder(x, lengths))
    width = 12 if bidirectional else 6
    assert last.shape == (5, width) and states.shape == (5, 9, width)
    with torch.no_grad():
        torch_last, torch_states = twin(torch.from_numpy(x), torch.from_numpy(lengths))
    np.testing.assert_allclose(last, torch_last.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(states, torch_states.numpy(), rtol=1e-5, atol=1e-6)
    padding = np.arange(9)[None, :] >= lengths[:, None]
    assert np.all(states[padding] == 0)


def test_gru_blocks_are_in_another_order_than_in_pytorch() -> None:
    set_seed(0)
    encoder = SequenceEncoder(3, 5, "gru")
    x, lengths = padded_batch(4, 6, 3)
    last = encoder(x, lengths)[0].numpy()
    with torch.no_grad():
        unordered = encoder_twin(encoder, gru_order=False)(
            torch.from_numpy(x), torch.from_numpy(lengths)
        )[0]
    assert np.abs(last - unordered.numpy()).max() > 1e-2  # copied without reordering: wrong


def test_encoder_output_does_not_depend_on_the_padding_and_traces_unknown_sizes() -> None:
    encoder = SequenceEncoder(3, 5, bidirectional=True)
    x, lengths = padded_batch(6, 7, 3, seed=1)
    longer = np.concatenate([x, np.full((6, 20, 3), 9.0, dtype=np.float32)], axis=1)
    last, states = encoder(x, lengths)
    last_20, states_20 = encoder(longer, lengths)
    np.testing.assert_allclose(last_20.numpy(), last.numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(states_20.numpy()[:, :7], states.numpy(), rtol=1e-6, atol=1e-7)
    assert np.all(states_20.numpy()[:, 7:] == 0)
    symbolic = encoder(keras.Input((None, 3)), keras.Input((), dtype="int32"))
    assert [tuple(t.shape) for t in symbolic] == [(None, 10), (None, None, 10)]


def test_encoder_rejects_bad_inputs_and_round_trips_its_config() -> None:
    encoder = SequenceEncoder(3, 4, "gru", 2, True, name="reader")
    x = np.zeros((2, 5, 3), np.float32)
    with pytest.raises(ValueError, match=r"x: expected padded sequences \[N, T, F=3\]"):
        encoder(np.zeros((2, 5, 4), np.float32), np.array([5, 2]))
    with pytest.raises(ValueError, match=r"lengths: expected a 1-D array of N=2 lengths"):
        encoder(x, np.array([[5, 2]]))
    with pytest.raises(ValueError, match=r"lengths: expected lengths in \[1, T=5\]"):
        encoder(x, np.array([6, 2]))
    with pytest.raises(ValueError, match="cell: expected one of"):
        SequenceEncoder(3, cell="LSTM")
    clone = SequenceEncoder.from_config(encoder.get_config())
    assert (clone.name, clone.cell, clone.num_layers, clone.bidirectional) == (
        "reader",
        "gru",
        2,
        True,
    )


# --------------------------------------------------------------------------- SequenceClassifier


def test_sequence_classifier_same_seed_same_curve_and_same_curve_as_pytorch() -> None:
    inputs, labels = sign_task(64, seed=0)
    (val_x, val_lengths), val_labels = sign_task(20, seed=1)
    validation = ((val_x[:, :12], val_lengths), val_labels)  # another padded length
    arguments = {"epochs": 2, "batch_size": 32, "lr": 1e-2, "seed": 2, "progress": False}

    def run() -> tuple[SequenceClassifier, dict]:
        set_seed(0)
        model = SequenceClassifier(3, n_classes=2, hidden_size=8)
        twin = classifier_twin(model)
        return model, twin, fit(model, inputs, labels, validation_data=validation, **arguments)

    model, twin, first = run()
    assert first == run()[2]
    assert list(first) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    torch_history = course_torch.fit(twin, inputs, labels, validation_data=validation, **arguments)
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(first[key], torch_history[key], rtol=1e-4)
    np.testing.assert_allclose(
        predict(model, inputs), course_torch.predict(twin, inputs), atol=1e-3
    )
    assert evaluate(model, *validation)["loss"] == pytest.approx(first["val_loss"][-1], rel=1e-6)


def test_sequence_classifier_inputs_are_checked_and_config_round_trips() -> None:
    (x, lengths), labels = sign_task(10, seed=3)
    model = SequenceClassifier(3, n_classes=2, dropout=0.5, name="classifier")
    with pytest.raises(ValueError, match=r"inputs: expected a pair \(padded \[N, T, F\]"):
        fit(model, x, labels)
    with pytest.raises(ValueError, match=r"inputs\[1\] \(lengths\): expected lengths in"):
        predict(model, (x, lengths + 20))
    with pytest.raises(ValueError, match=r"inputs: expected a pair \[x, lengths\], got"):
        model(x)
    with pytest.raises(ValueError, match="got list of length 3"):
        model([x, lengths, lengths])
    logits = model([x, lengths], training=False)
    assert tuple(logits.shape) == (10, 2)
    clone = SequenceClassifier.from_config(model.get_config())
    assert (clone.name, clone.n_classes, clone.dropout, clone.encoder.input_size) == (
        "classifier",
        2,
        0.5,
        3,
    )


# --------------------------------------------------------------------------- NextWordModel


def test_next_word_model_same_logits_and_same_sequence_training_as_pytorch(captions) -> None:
    ids, vocab_size = captions
    inputs, targets = ids[:, :-1], ids[:, 1:]
    set_seed(0)
    model = NextWordModel(vocab_size, embed_dim=8, hidden_size=12, cell="gru")
    twin = next_word_twin(model)
    logits = predict(model, inputs)
    assert logits.shape == (80, 9, vocab_size)
    np.testing.assert_allclose(logits, course_torch.predict(twin, inputs), rtol=1e-4, atol=1e-5)
    before = evaluate(model, inputs, targets, loss="sequence")
    assert before["loss"] == pytest.approx(
        numpy_sequence_cross_entropy(logits, targets, targets != 0), rel=1e-5
    )
    arguments = {"epochs": 3, "batch_size": 16, "lr": 1e-2, "seed": 1, "progress": False}
    history = fit(model, inputs, targets, loss="sequence", **arguments)
    torch_history = course_torch.fit(twin, inputs, targets, loss="sequence", **arguments)
    assert list(history) == ["loss", "accuracy"]
    np.testing.assert_allclose(history["loss"], torch_history["loss"], rtol=1e-4)
    after = evaluate(model, inputs, targets, loss="sequence")
    assert after["loss"] < 0.9 * before["loss"] and after["accuracy"] > before["accuracy"]


def test_next_word_model_rejects_bad_ids_and_round_trips_its_config() -> None:
    model = NextWordModel(6, cell="gru", pad_id=5, name="words")
    with pytest.raises(ValueError, match=r"ids: expected token ids in \[0, 6\)"):
        model(np.array([[1, 6]]))
    with pytest.raises(TypeError, match="ids: expected integer token ids, got dtype float32"):
        model(np.zeros((1, 3), np.float32))
    with pytest.raises(ValueError, match=r"labels: expected at least one target that is not"):
        fit(model, np.array([[1, 2], [3, 4]]), np.array([[2, 5], [5, 5]]), loss="sequence")
    assert tuple(model(keras.Input((None,), dtype="int32")).shape) == (None, None, 6)
    clone = NextWordModel.from_config(model.get_config())
    assert (clone.name, clone.cell, clone.pad_id, clone.vocab_size) == ("words", "gru", 5, 6)


# --------------------------------------------------------------------------- the sequence loss


def test_keras_sequence_loss_equals_numpy_eagerly_and_in_a_graph() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4, 7, 9)).astype(np.float32)
    targets = rng.integers(1, 9, size=(4, 7))
    targets[0, 3:] = targets[2, 5:] = 0
    mask = targets != 0
    expected = numpy_sequence_cross_entropy(logits, targets, mask)
    assert float(sequence_cross_entropy(logits, targets, mask)) == pytest.approx(expected, abs=1e-6)
    marked = np.where(mask, targets, -100)  # masked targets are never read
    assert float(sequence_cross_entropy(logits, marked, mask.astype(np.float32))) == (
        pytest.approx(expected, abs=1e-6)
    )
    unmasked = numpy_sequence_cross_entropy(logits, targets)
    assert float(sequence_cross_entropy(logits, targets)) == pytest.approx(unmasked, abs=1e-6)
    graph = tf.function(sequence_cross_entropy)
    assert float(graph(logits, targets, mask)) == pytest.approx(expected, abs=1e-6)
    ignore = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    assert float(ignore(targets, logits)) == pytest.approx(expected, abs=1e-6)


def test_keras_sequence_loss_rejects_bad_input() -> None:
    logits, targets = np.zeros((2, 3, 4), np.float32), np.ones((2, 3), np.int64)
    cases = [
        ((logits[0], targets), ValueError, r"logits: expected per-step logits \[N, T, C\]"),
        ((logits, targets[:, :2]), ValueError, r"targets: expected \[N, T\] = \(2, 3\)"),
        ((logits, targets, np.ones((2, 4))), ValueError, r"mask: expected \[N, T\]"),
        ((targets[..., None], targets), TypeError, "logits: expected a floating-point tensor"),
        ((logits, targets * 1.0), TypeError, "targets: expected integer class indices"),
        ((logits, targets, np.zeros((2, 3), bool)), ValueError, "mask: expected at least one"),
    ]
    for arguments, error, match in cases:
        with pytest.raises(error, match=match):
            sequence_cross_entropy(*arguments)
