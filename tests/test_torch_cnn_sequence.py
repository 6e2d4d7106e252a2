"""Tests of the Chapter 3 PyTorch models and losses: course_lib.torch.cnn, .sequence, .losses.

Also covers what they added to the training loop: inputs (padded, lengths), token ids, and
per-step targets with ``fit(..., loss="sequence")``. The framework-free checks live in
course_lib._models_common and course_lib._training_common.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sequence_data import caption_ids, padded_batch, sign_task
from torch import nn

from course_lib._training_common import run_epochs
from course_lib.data.digits import load_digits
from course_lib.losses import sequence_cross_entropy as numpy_sequence_cross_entropy
from course_lib.torch import (
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
from course_lib.utils import set_seed

torch.set_num_threads(1)  # small models: one thread is faster and steadier on a 2-core machine


def assert_every_parameter_gets_a_gradient(model: nn.Module, loss: torch.Tensor) -> None:
    loss.backward()
    for name, parameter in model.named_parameters():
        assert parameter.grad is not None, name
        assert parameter.grad.abs().sum() > 0, name


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    train_x, train_y = load_digits("train")
    test_x, test_y = load_digits("test")
    return train_x[:600], train_y[:600], test_x, test_y


@pytest.fixture(scope="module")
def captions() -> tuple[np.ndarray, list[str]]:
    return caption_ids(120, seed=0)


# --------------------------------------------------------------------------- ImageCNN


def test_image_cnn_shapes_on_digits_and_colour_images() -> None:
    model = ImageCNN()
    x = torch.randn(5, 8, 8)
    logits = model(x)
    assert logits.shape == (5, 10) and logits.dtype == torch.float32
    torch.testing.assert_close(model(x.unsqueeze(1)), logits)
    colour = ImageCNN(in_channels=3, n_classes=4, channels=(8, 16, 32), kernel_size=5)
    assert colour(torch.randn(2, 3, 32, 32)).shape == (2, 4)
    assert colour(torch.randn(2, 3, 17, 23)).shape == (2, 4)  # any size >= 2 * 2^3


def test_image_cnn_follows_the_formula() -> None:
    model = ImageCNN(channels=(4, 6), hidden=5, dropout=0.3).eval()
    x = torch.randn(3, 1, 8, 8)
    conv_1, conv_2 = model.features[0], model.features[3]
    h = F.max_pool2d(F.relu(F.conv2d(x, conv_1.weight, conv_1.bias, padding=1)), 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, conv_2.weight, conv_2.bias, padding=1)), 2)
    assert h.shape == (3, 6, 2, 2)  # two 2x2 poolings: 8x8 -> 2x2, flattened as it is
    hidden, output = model.head[0], model.head[3]
    expected = output(F.relu(hidden(h.flatten(1))))
    torch.testing.assert_close(model(x), expected)
    assert isinstance(model.head[2], nn.Dropout)


def test_image_cnn_averages_larger_maps_over_their_four_quarters() -> None:
    model = ImageCNN(in_channels=3, channels=(4, 6), hidden=5)
    x = torch.randn(2, 3, 32, 32)
    maps = model.features(x)
    assert maps.shape == (2, 6, 8, 8)
    quarters = maps.reshape(2, 6, 2, 4, 2, 4).mean(dim=(3, 5))  # [N, C, row, col]
    torch.testing.assert_close(model(x), model.head(quarters.flatten(1)))


def test_conv_layers_start_from_he_initialisation() -> None:
    set_seed(0)
    for conv in (ImageCNN(channels=(64, 64)).features[3], AudioCNN().features[6]):
        fan_in = conv.in_channels * conv.kernel_size[0] * conv.kernel_size[1]
        std = conv.weight.std().item()
        assert std == pytest.approx((2 / fan_in) ** 0.5, rel=0.05)
        assert torch.all(conv.bias == 0)


def test_first_filters_are_a_copy_of_the_first_kernels() -> None:
    model = ImageCNN(in_channels=3, channels=(7, 4), kernel_size=5)
    filters = model.first_filters()
    assert filters.shape == (7, 3, 5, 5) and filters.dtype == np.float32
    np.testing.assert_array_equal(filters, model.features[0].weight.detach().numpy())
    filters[:] = 0
    assert model.features[0].weight.abs().sum() > 0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"in_channels": 0}, ValueError, "in_channels: expected an int >= 1, got 0"),
        ({"n_classes": 1}, ValueError, "n_classes: expected an int >= 2"),
        ({"channels": ()}, ValueError, "channels: expected at least one conv block"),
        ({"channels": 16}, TypeError, "channels: expected a sequence of ints"),
        ({"channels": (16, 0)}, ValueError, r"channels\[1\]: expected an int >= 1, got 0"),
        ({"kernel_size": 2.0}, TypeError, "kernel_size: expected an int"),
        ({"hidden": 0}, ValueError, "hidden: expected an int >= 1"),
        ({"dropout": 1.0}, ValueError, r"dropout: expected a float in \[0, 1\)"),
    ],
)
def test_image_cnn_rejects_bad_arguments(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        ImageCNN(**kwargs)


def test_image_cnn_rejects_bad_inputs() -> None:
    colour = ImageCNN(in_channels=3)
    with pytest.raises(
        ValueError, match=r"x: expected \[N, C=3, H, W\], got shape \(2, 32, 32, 3\)"
    ):
        colour(torch.zeros(2, 32, 32, 3))
    with pytest.raises(ValueError, match=r"channels last\? .* x.permute\(0, 3, 1, 2\)"):
        colour(torch.zeros(2, 32, 32, 3))
    with pytest.raises(ValueError, match=r"expected \[N, C=3, H, W\], got shape \(2, 32, 32\)"):
        colour(torch.zeros(2, 32, 32))  # [N, H, W] only for one channel
    gray = ImageCNN()
    with pytest.raises(ValueError, match=r"expected \[N, C=1, H, W\] or \[N, H, W\], got shape"):
        gray(torch.zeros(2, 64))
    with pytest.raises(ValueError, match=r"x: expected H >= 8 \(each conv block halves it, and"):
        gray(torch.zeros(2, 4, 8))
    with pytest.raises(ValueError, match=r"x: expected W >= 16 \(.* a 2x2 grid must remain\)"):
        ImageCNN(channels=(16, 32, 64))(torch.zeros(2, 16, 8))  # 8 -> 1: nothing to split in 4
    with pytest.raises(TypeError, match="x: expected a torch.Tensor, got ndarray"):
        gray(np.zeros((2, 8, 8), dtype=np.float32))


def test_image_cnn_every_parameter_gets_a_gradient() -> None:
    set_seed(0)
    model = ImageCNN(dropout=0.2)
    logits = model(torch.randn(16, 8, 8))
    assert_every_parameter_gets_a_gradient(model, F.cross_entropy(logits, torch.arange(16) % 10))


def test_image_cnn_learns_digits_and_same_seed_gives_the_same_curve(digits) -> None:
    train_x, train_y, test_x, test_y = digits

    def run() -> tuple[dict, ImageCNN]:
        set_seed(0)
        model = ImageCNN(dropout=0.1)
        history = fit(model, train_x, train_y, epochs=8, batch_size=32, lr=1e-2, progress=False)
        return history, model

    (first, model), (second, _) = run(), run()
    assert first == second
    assert first["loss"][-1] < 0.5 * first["loss"][0]
    assert evaluate(model, test_x, test_y)["accuracy"] >= 0.9  # 0.936 measured, 600 images


# --------------------------------------------------------------------------- AudioCNN


def test_audio_cnn_accepts_any_number_of_frames_with_or_without_channel_axis() -> None:
    model = AudioCNN(n_mels=16, n_classes=5, channels=(4, 8))
    for n_frames in (4, 37, 101):
        x = torch.randn(3, 16, n_frames)
        logits = model(x)
        assert logits.shape == (3, 5)
        torch.testing.assert_close(model(x.unsqueeze(1)), logits)


def test_audio_cnn_follows_the_formula() -> None:
    model = AudioCNN(n_mels=8, n_classes=3, channels=(4,), dropout=0.5).eval()
    x = torch.randn(2, 1, 8, 20)
    conv = model.features[0]
    g = F.max_pool2d(F.relu(F.conv2d(x, conv.weight, conv.bias, padding=1)), 2).mean(dim=(2, 3))
    torch.testing.assert_close(model(x), model.head[1](g))
    assert isinstance(model.head[0], nn.Dropout)


def test_audio_cnn_rejects_bad_arguments_and_inputs() -> None:
    with pytest.raises(ValueError, match="n_mels: expected an int >= 8, got 4"):
        AudioCNN(n_mels=4)  # three poolings need at least 8 bands
    with pytest.raises(TypeError, match="channels: expected a sequence of ints"):
        AudioCNN(channels="16")
    model = AudioCNN()
    with pytest.raises(ValueError, match=r"x: expected \[N, C=1, n_mels=40, T\] or \[N, n_mels=40"):
        model(torch.zeros(2, 13, 50))
    with pytest.raises(ValueError, match=r"x: expected T >= 8 .* got shape \(2, 40, 5\)"):
        model(torch.zeros(2, 40, 5))
    with pytest.raises(ValueError, match=r"expected \[N, C=1, n_mels=40, T\], got shape"):
        model(torch.zeros(2, 2, 40, 50))


def test_audio_cnn_every_parameter_gets_a_gradient() -> None:
    set_seed(0)
    model = AudioCNN(dropout=0.1)
    logits = model(torch.randn(8, 40, 30))
    assert_every_parameter_gets_a_gradient(model, F.cross_entropy(logits, torch.arange(8)))


# --------------------------------------------------------------------------- SequenceEncoder


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize(("num_layers", "bidirectional"), [(1, False), (2, True)])
def test_encoder_states_are_those_of_each_unpadded_sequence(
    cell: str, num_layers: int, bidirectional: bool
) -> None:
    set_seed(0)
    encoder = SequenceEncoder(4, 6, cell=cell, num_layers=num_layers, bidirectional=bidirectional)
    x, lengths = padded_batch(5, 9, 4)
    last, states = encoder(torch.from_numpy(x), torch.from_numpy(lengths))
    width = 12 if bidirectional else 6
    assert last.shape == (5, width) and states.shape == (5, 9, width)
    for i, length in enumerate(lengths):
        alone = torch.from_numpy(x[i : i + 1, :length])
        expected, _ = encoder.rnn(alone)  # the sequence on its own, no padding at all
        torch.testing.assert_close(states[i, :length], expected[0], rtol=1e-5, atol=1e-6)
        assert torch.all(states[i, length:] == 0)
        forward_last = expected[0, length - 1, :6]
        torch.testing.assert_close(last[i, :6], forward_last, rtol=1e-5, atol=1e-6)
        if bidirectional:  # the backward direction ends at t = 0
            torch.testing.assert_close(last[i, 6:], expected[0, 0, 6:], rtol=1e-5, atol=1e-6)


def test_encoder_output_does_not_depend_on_the_padding() -> None:
    encoder = SequenceEncoder(3, 5, bidirectional=True)
    x, lengths = padded_batch(6, 7, 3, seed=1)
    longer = np.concatenate([x, np.full((6, 20, 3), 9.0, dtype=np.float32)], axis=1)
    last, states = encoder(torch.from_numpy(x), torch.from_numpy(lengths))
    last_20, states_20 = encoder(torch.from_numpy(longer), torch.from_numpy(lengths))
    torch.testing.assert_close(last_20, last, rtol=1e-6, atol=1e-7)
    torch.testing.assert_close(states_20[:, :7], states, rtol=1e-6, atol=1e-7)
    assert torch.all(states_20[:, 7:] == 0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"input_size": 0}, ValueError, "input_size: expected an int >= 1, got 0"),
        ({"input_size": 3, "cell": "rnn"}, ValueError, r"cell: expected one of \('lstm', 'gru'\)"),
        ({"input_size": 3, "num_layers": 0}, ValueError, "num_layers: expected an int >= 1"),
        ({"input_size": 3, "bidirectional": 1}, TypeError, "bidirectional: expected True or"),
        ({"input_size": 3, "hidden_size": 2.5}, TypeError, "hidden_size: expected an int"),
    ],
)
def test_encoder_rejects_bad_arguments(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        SequenceEncoder(**kwargs)


def test_encoder_rejects_bad_inputs() -> None:
    encoder = SequenceEncoder(3)
    x, lengths = torch.zeros(2, 5, 3), torch.tensor([5, 2])
    cases = [
        (
            (torch.zeros(2, 5, 4), lengths),
            ValueError,
            r"x: expected padded sequences \[N, T, F=3\]",
        ),
        ((torch.zeros(2, 5), lengths), ValueError, r"got shape \(2, 5\)"),
        ((torch.zeros(2, 0, 3), lengths), ValueError, "with T >= 1"),
        ((x, torch.tensor([5])), ValueError, r"lengths: expected a 1-D array of N=2 lengths"),
        ((x, torch.tensor([6, 2])), ValueError, r"lengths: expected lengths in \[1, T=5\]"),
        ((x, torch.tensor([0, 2])), ValueError, "got values from 0 to 2"),
        ((x, torch.tensor([5.0, 2.0])), TypeError, "lengths: expected integer lengths"),
        ((x.long(), lengths), TypeError, "x: expected a floating-point tensor"),
        ((x, [5, 2]), TypeError, "lengths: expected a torch.Tensor, got list"),
    ]
    for arguments, error, match in cases:
        with pytest.raises(error, match=match):
            encoder(*arguments)


# --------------------------------------------------------------------------- SequenceClassifier


def test_sequence_classifier_learns_with_padded_inputs_and_lengths() -> None:
    inputs, labels = sign_task(200, seed=0)
    (test_x, test_lengths), test_labels = sign_task(100, seed=1)
    set_seed(0)
    model = SequenceClassifier(3, n_classes=2, hidden_size=16, cell="gru")
    history = fit(model, inputs, labels, epochs=8, batch_size=32, lr=1e-2, progress=False)
    assert history["loss"][-1] < history["loss"][0]
    # another padded length for the test set: 15 + 10 steps
    longer = np.concatenate([test_x, np.zeros((100, 10, 3), np.float32)], axis=1)
    logits = predict(model, (longer, test_lengths))
    np.testing.assert_allclose(logits, predict(model, (test_x, test_lengths)), atol=1e-5)
    assert logits.shape == (100, 2)
    assert evaluate(model, (longer, test_lengths), test_labels)["accuracy"] >= 0.9


def test_sequence_classifier_same_seed_same_curve_and_validation_of_another_length() -> None:
    inputs, labels = sign_task(120, seed=2)
    (val_x, val_lengths), val_labels = sign_task(40, seed=3)
    validation = ((val_x[:, :12], val_lengths), val_labels)  # T = 12 instead of 15

    def run() -> dict:
        set_seed(1)
        model = SequenceClassifier(3, n_classes=2, hidden_size=8, dropout=0.2)
        return fit(model, inputs, labels, epochs=3, validation_data=validation, progress=False)

    first = run()
    assert first == run()
    assert list(first) == ["loss", "accuracy", "val_loss", "val_accuracy"]


def test_sequence_classifier_logits_are_a_linear_map_of_the_last_state() -> None:
    model = SequenceClassifier(3, n_classes=4, hidden_size=5, bidirectional=True, num_layers=2)
    x, lengths = torch.from_numpy(padded_batch(4, 6, 3)[0]), torch.tensor([6, 1, 3, 2])
    last, _ = model.encoder(x, lengths)
    torch.testing.assert_close(model(x, lengths), model.head[0](last))
    assert model.head[0].in_features == 10


@pytest.mark.parametrize("bidirectional", [False, True])
def test_sequence_classifier_every_parameter_gets_a_gradient(bidirectional: bool) -> None:
    set_seed(0)
    model = SequenceClassifier(
        3, n_classes=2, hidden_size=4, num_layers=2, bidirectional=bidirectional, dropout=0.1
    )
    (x, lengths), labels = sign_task(16, seed=4)
    logits = model(torch.from_numpy(x), torch.from_numpy(lengths))
    assert_every_parameter_gets_a_gradient(model, F.cross_entropy(logits, torch.from_numpy(labels)))


def test_sequence_inputs_to_fit_are_checked() -> None:
    (x, lengths), labels = sign_task(20, seed=5)
    model = SequenceClassifier(3, n_classes=2)
    cases = [
        ((x,), ValueError, r"inputs: expected a pair \(padded \[N, T, F\], lengths \[N\]\)"),
        (x, ValueError, "inputs: expected a pair .* got ndarray"),
        ((x, lengths.astype(float)), TypeError, r"inputs\[1\] \(lengths\): expected integer"),
        (
            (x, lengths + 10),
            ValueError,
            r"inputs\[1\] \(lengths\): expected lengths in \[1, T=15\]",
        ),
        ((x, lengths[:5]), ValueError, r"inputs\[1\] \(lengths\): expected a 1-D array of N=20"),
        ((x[..., :2], lengths), ValueError, r"inputs\[0\] \(padded\): expected padded sequences"),
        ((x[:0], lengths[:0]), ValueError, r"inputs\[0\] \(padded\): expected at least one"),
        ((np.full(x.shape, "a"), lengths), TypeError, r"inputs\[0\]: expected a numeric array"),
    ]
    for inputs, error, match in cases:
        with pytest.raises(error, match=match):
            fit(model, inputs, labels, epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"validation_data\[0\]\[1\] \(lengths\)"):
        fit(model, (x, lengths), labels, validation_data=((x, lengths * 0), labels))


# --------------------------------------------------------------------------- NextWordModel


def test_next_word_model_gives_per_step_logits_that_ignore_later_tokens() -> None:
    model = NextWordModel(12, embed_dim=4, hidden_size=6, cell="gru")
    ids = torch.tensor([[1, 5, 7, 2, 0, 0], [1, 3, 3, 3, 4, 2]])
    logits = model(ids)
    assert logits.shape == (2, 6, 12) and logits.dtype == torch.float32
    changed = ids.clone()
    changed[:, 3:] = 9
    torch.testing.assert_close(model(changed)[:, :3], logits[:, :3])
    emb = model.embedding(ids)
    states, _ = model.rnn(emb)
    torch.testing.assert_close(logits, states @ model.head.weight.T + model.head.bias)


def test_next_word_model_rejects_bad_arguments_and_ids() -> None:
    with pytest.raises(ValueError, match=r"pad_id: expected a token id in \[0, 5\), got 5"):
        NextWordModel(5, pad_id=5)
    with pytest.raises(TypeError, match="pad_id: expected an int, got NoneType"):
        NextWordModel(5, pad_id=None)
    with pytest.raises(ValueError, match="vocab_size: expected an int >= 2"):
        NextWordModel(1)
    model = NextWordModel(5)
    with pytest.raises(ValueError, match=r"ids: expected token ids in \[0, 5\), got values from 0"):
        model(torch.tensor([[0, 5]]))
    with pytest.raises(TypeError, match="ids: expected integer token ids, got dtype float32"):
        model(torch.zeros(2, 3))
    with pytest.raises(ValueError, match=r"ids: expected token ids \[N, T\] .* got shape \(3,\)"):
        model(torch.tensor([1, 2, 3]))
    with pytest.raises(TypeError, match=r"inputs: expected integer token ids"):
        predict(model, np.zeros((2, 3)))


def test_next_word_training_uses_the_per_step_loss_over_valid_tokens(captions) -> None:
    ids, vocab = captions
    inputs, targets = ids[:, :-1], ids[:, 1:]
    set_seed(0)
    model = NextWordModel(len(vocab), embed_dim=16, hidden_size=32)
    before = evaluate(model, inputs, targets, loss="sequence")
    # one batch of everything: the first epoch's numbers are those of the initial weights
    history = fit(model, inputs, targets, epochs=1, batch_size=200, loss="sequence", progress=False)
    assert list(history) == ["loss", "accuracy"]
    assert history["loss"][0] == pytest.approx(before["loss"], rel=1e-6)
    assert history["accuracy"][0] == pytest.approx(before["accuracy"])
    logits = predict(model, inputs)
    assert logits.shape == (*inputs.shape, len(vocab))
    history = fit(
        model,
        inputs,
        targets,
        epochs=15,
        batch_size=16,
        lr=1e-2,
        loss="sequence",
        validation_data=(inputs, targets),
        progress=False,
    )
    after = evaluate(model, inputs, targets, loss="sequence")
    assert after["loss"] == pytest.approx(history["val_loss"][-1], rel=1e-6)
    assert np.exp(after["loss"]) < 3.0 < len(vocab)  # perplexity: a handful of likely words
    valid = targets != 0
    logits = predict(model, inputs)
    expected = numpy_sequence_cross_entropy(logits, targets, valid)
    assert after["loss"] == pytest.approx(expected, rel=1e-5)
    accuracy = np.mean(logits.argmax(axis=-1)[valid] == targets[valid])
    assert after["accuracy"] == pytest.approx(accuracy)


def test_padding_at_the_end_does_not_change_sequence_training(captions) -> None:
    ids, vocab = captions
    longer = np.concatenate([ids, np.zeros((len(ids), 6), dtype=np.int64)], axis=1)

    def run(tokens: np.ndarray) -> dict:
        set_seed(3)
        model = NextWordModel(len(vocab), embed_dim=8, hidden_size=8)
        return fit(model, tokens[:, :-1], tokens[:, 1:], epochs=2, loss="sequence", progress=False)

    short, long = run(ids), run(longer)
    np.testing.assert_allclose(long["loss"], short["loss"], rtol=1e-5)
    assert long["accuracy"] == short["accuracy"]


def test_sequence_targets_are_checked(captions) -> None:
    ids, vocab = captions
    model = NextWordModel(len(vocab))
    inputs, targets = ids[:, :-1], ids[:, 1:]
    all_padding = targets.copy()
    all_padding[3] = 0
    cases = [
        ({"loss": "regression"}, ValueError, r"loss: expected one of \('classification', 'seq"),
        ({"labels": targets[:, 0]}, ValueError, r"labels: expected an array \[N, T\] = \(120, 9\)"),
        ({"labels": targets[:, :5]}, ValueError, "one target per step of the inputs"),
        ({"labels": all_padding}, ValueError, "labels: expected at least one target that is not"),
        ({"labels": targets + 40}, ValueError, r"labels: expected class indices in \[0, 23\)"),
        ({"labels": targets * 1.0}, TypeError, "labels: expected integer class indices"),
        ({"loss": "classification"}, ValueError, "use loss='sequence'"),
    ]
    for changes, error, match in cases:
        arguments = {"labels": targets, "loss": "sequence", **changes}
        with pytest.raises(error, match=match):
            fit(model, inputs, arguments.pop("labels"), progress=False, **arguments)
    with pytest.raises(ValueError, match=r"validation_data\[1\]: expected an array \[N, T\]"):
        fit(model, inputs, targets, loss="sequence", validation_data=(inputs, targets[:, 1:]))
    with pytest.raises(ValueError, match="loss: expected one of"):
        evaluate(model, inputs, targets, loss="tokens")


def test_next_word_model_every_parameter_gets_a_gradient(captions) -> None:
    ids, vocab = captions
    model = NextWordModel(len(vocab), embed_dim=4, hidden_size=5)
    logits = model(torch.from_numpy(ids[:, :-1]))
    targets = torch.from_numpy(ids[:, 1:])
    assert_every_parameter_gets_a_gradient(model, sequence_cross_entropy(logits, targets))


# --------------------------------------------------------------------------- losses, epochs


def test_torch_sequence_loss_equals_numpy_and_ignore_index() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4, 7, 9)).astype(np.float32)
    targets = rng.integers(1, 9, size=(4, 7))
    targets[0, 3:] = targets[2, 5:] = 0
    mask = targets != 0
    ours = sequence_cross_entropy(
        torch.from_numpy(logits), torch.from_numpy(targets), torch.from_numpy(mask)
    )
    assert ours.item() == pytest.approx(
        numpy_sequence_cross_entropy(logits, targets, mask), abs=1e-6
    )
    with_ignore = F.cross_entropy(
        torch.from_numpy(logits).flatten(0, 1), torch.from_numpy(targets).flatten(), ignore_index=0
    )
    torch.testing.assert_close(ours, with_ignore)
    unmasked = sequence_cross_entropy(torch.from_numpy(logits), torch.from_numpy(targets))
    assert unmasked.item() == pytest.approx(numpy_sequence_cross_entropy(logits, targets), abs=1e-6)
    marked = torch.from_numpy(np.where(mask, targets, -100))  # masked targets are never read
    float_mask = torch.from_numpy(mask.astype(np.float32))
    torch.testing.assert_close(
        sequence_cross_entropy(torch.from_numpy(logits), marked, float_mask), ours
    )


def test_torch_sequence_loss_rejects_bad_input() -> None:
    logits, targets = torch.zeros(2, 3, 4), torch.ones(2, 3, dtype=torch.long)
    cases = [
        ((logits.numpy(), targets), TypeError, "logits: expected a torch.Tensor, got ndarray"),
        ((logits, targets, np.ones((2, 3))), TypeError, "mask: expected a torch.Tensor"),
        ((logits[0], targets), ValueError, r"logits: expected per-step logits \[N, T, C\]"),
        ((logits, targets[:1]), ValueError, r"targets: expected \[N, T\] = \(2, 3\)"),
        ((logits.long(), targets), TypeError, "logits: expected a floating-point tensor"),
        ((logits, targets.float()), TypeError, "targets: expected integer class indices"),
        ((logits, targets, torch.zeros(2, 3)), ValueError, "mask: expected at least one valid"),
    ]
    for arguments, error, match in cases:
        with pytest.raises(error, match=match):
            sequence_cross_entropy(*arguments)


def test_epoch_loss_is_weighted_by_the_items_each_batch_counts() -> None:
    """With count_items, L = sum_b n_b L_b / sum_b n_b: here the mean over all valid items."""
    labels = np.array([[1, 1, 0], [2, 0, 0], [3, 3, 3], [4, 4, 0]])
    arrays = [np.zeros((4, 1), dtype=np.float32)]

    def train_batch(batch: list[np.ndarray], batch_labels: np.ndarray) -> tuple[float, float]:
        valid = batch_labels[batch_labels != 0]
        return float(valid.mean()), float(valid.size)  # "loss" = mean value, all "correct"

    def count(batch_labels: np.ndarray) -> int:
        return int(np.count_nonzero(batch_labels))

    history = run_epochs(
        train_batch,
        dict,
        arrays,
        labels,
        None,
        epochs=2,
        batch_size=3,
        seed=0,
        progress=False,
        count_items=count,
    )
    assert history["loss"] == pytest.approx([labels[labels != 0].mean()] * 2)
    assert history["accuracy"] == [1.0, 1.0]


@pytest.mark.parametrize(
    "model",
    [SequenceEncoder(3, 4, num_layers=2, bidirectional=True), NextWordModel(7, hidden_size=4)],
)
def test_lstm_forget_gate_bias_starts_at_one_as_in_keras(model: nn.Module) -> None:
    biases = dict(model.rnn.named_parameters())
    assert len([name for name in biases if name.startswith("bias_ih")]) in (1, 4)
    for name, bias in biases.items():
        if name.startswith("bias_"):
            blocks = bias.detach().reshape(4, 4)  # input, forget, cell, output
            expected = 1.0 if name.startswith("bias_ih") else 0.0
            assert torch.all(blocks[1] == expected), name
            assert torch.all(blocks[0] != expected), name  # the other blocks stay random
