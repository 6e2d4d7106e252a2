"""Tests of course_lib.torch: encoders, concatenation fusion and the training loop.

The framework-free helpers in course_lib._training_common are exercised through these tests
and through tests/test_keras_models.py.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from course_lib._training_common import epoch_batches
from course_lib.torch import (
    ConcatFusionClassifier,
    MLPEncoder,
    evaluate,
    fit,
    fit_schedule,
    predict,
)
from course_lib.utils import set_seed

torch.set_num_threads(1)  # tiny models: one thread is faster and steadier on a 2-core machine


def make_xor_modalities(n: int = 200, seed: int = 0) -> tuple[list[np.ndarray], np.ndarray]:
    """Four classes y = 2 a + b: an "image" [n, 3, 4] tells bit a, a vector [n, 5] tells bit b.

    Each modality alone can reach only 50 % accuracy; together they reach ~100 %.
    """
    rng = np.random.default_rng(seed)
    bit_a, bit_b = rng.integers(0, 2, n), rng.integers(0, 2, n)
    image = rng.normal(size=(n, 3, 4)) + 1.5 * (2 * bit_a - 1)[:, None, None]
    vector = rng.normal(size=(n, 5)) + 1.5 * (2 * bit_b - 1)[:, None]
    return [image.astype(np.float32), vector.astype(np.float32)], 2 * bit_a + bit_b


@pytest.fixture(scope="module")
def data() -> tuple[list[np.ndarray], np.ndarray]:
    return make_xor_modalities()


def small_model(dropout: float = 0.0, seed: int = 0) -> ConcatFusionClassifier:
    set_seed(seed)
    return ConcatFusionClassifier((12, 5), n_classes=4, hidden=16, embed_dim=8, dropout=dropout)


# --------------------------------------------------------------------------- MLPEncoder


def test_encoder_flattens_trailing_dims_and_ends_with_relu() -> None:
    encoder = MLPEncoder(12, hidden=8, out_features=5)
    x = torch.randn(7, 3, 4)
    e = encoder(x)
    assert e.shape == (7, 5)
    assert torch.all(e >= 0)
    torch.testing.assert_close(encoder(x.reshape(7, 12)), e)


def test_encoder_layers_follow_the_formula() -> None:
    plain, with_dropout = MLPEncoder(4), MLPEncoder(4, dropout=0.5)
    assert [type(m) for m in plain.net] == [nn.Flatten, nn.Linear, nn.ReLU, nn.Linear, nn.ReLU]
    assert [type(m) for m in with_dropout.net][3] is nn.Dropout
    x = torch.randn(3, 4)
    first, second = plain.net[1], plain.net[3]
    expected = F.relu(second(F.relu(first(x))))
    torch.testing.assert_close(plain(x), expected)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"in_features": 0}, ValueError, "in_features: expected an int >= 1, got 0"),
        ({"in_features": 4, "hidden": 1.5}, TypeError, "hidden: expected an int"),
        ({"in_features": 4, "out_features": True}, TypeError, "out_features"),
        ({"in_features": 4, "dropout": 1.0}, ValueError, r"dropout: expected a float in \[0, 1\)"),
        ({"in_features": 4, "dropout": "0.1"}, TypeError, "dropout"),
    ],
)
def test_encoder_rejects_bad_arguments(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        MLPEncoder(**kwargs)


def test_encoder_rejects_bad_inputs() -> None:
    encoder = MLPEncoder(12)
    with pytest.raises(ValueError, match=r"x: expected 12 features .* got shape \(2, 3, 5\)"):
        encoder(torch.zeros(2, 3, 5))
    with pytest.raises(ValueError, match=r"x: expected an array of shape \[N, \.\.\.\]"):
        encoder(torch.zeros(12))
    with pytest.raises(TypeError, match="x: expected a torch.Tensor, got ndarray"):
        encoder(np.zeros((2, 12), dtype=np.float32))


# --------------------------------------------------------------------------- ConcatFusionClassifier


def test_fusion_output_and_embedding_shapes() -> None:
    model = ConcatFusionClassifier((12, 5), n_classes=3, embed_dim=6)
    image, vector = torch.randn(4, 3, 4), torch.randn(4, 5)
    assert model(image, vector).shape == (4, 3)
    embeddings = model.encode([image, vector])
    assert [tuple(e.shape) for e in embeddings] == [(4, 6), (4, 6)]
    assert model.head.in_features == 12


def test_fusion_logits_are_a_linear_map_of_the_concatenated_embeddings() -> None:
    model = ConcatFusionClassifier((12, 5), n_classes=3, embed_dim=6)
    image, vector = torch.randn(4, 3, 4), torch.randn(4, 5)
    e_1, e_2 = model.encoders[0](image), model.encoders[1](vector)
    z = torch.cat([e_1, e_2], dim=1)
    expected = z @ model.head.weight.T + model.head.bias
    torch.testing.assert_close(model(image, vector), expected)


def test_single_modality_is_the_same_architecture() -> None:
    model = ConcatFusionClassifier((12,), n_classes=3, embed_dim=6)
    x = torch.randn(5, 12)
    assert model(x).shape == (5, 3)
    assert len(model.encoders) == 1
    assert model.head.in_features == 6
    assert len(model.encode(x)) == 1


def test_fusion_rejects_wrong_number_of_modalities() -> None:
    model = ConcatFusionClassifier((12, 5))
    with pytest.raises(ValueError, match=r"inputs: expected 2 input\(s\).*got 1"):
        model(torch.randn(4, 12))
    with pytest.raises(ValueError, match=r"inputs: expected 2 input\(s\).*got 3"):
        model(torch.randn(4, 12), torch.randn(4, 5), torch.randn(4, 5))


def test_fusion_rejects_wrong_feature_dim_naming_the_modality() -> None:
    model = ConcatFusionClassifier((12, 5))
    with pytest.raises(ValueError, match=r"inputs\[1\] \(modality 1\): expected 5 .*\(4, 6\)"):
        model(torch.randn(4, 12), torch.randn(4, 6))


def test_fusion_rejects_mismatched_batch_sizes() -> None:
    model = ConcatFusionClassifier((12, 5))
    with pytest.raises(ValueError, match=r"inputs\[0\] has 4, inputs\[1\] has 3"):
        model(torch.randn(4, 12), torch.randn(3, 5))


def test_fusion_rejects_numpy_inputs() -> None:
    model = ConcatFusionClassifier((12,))
    with pytest.raises(TypeError, match=r"inputs\[0\]: expected a torch.Tensor"):
        model(np.zeros((2, 12), dtype=np.float32))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"input_dims": ()}, ValueError, "input_dims: expected at least one modality"),
        ({"input_dims": "64"}, TypeError, "input_dims: expected a sequence of ints"),
        ({"input_dims": (64, 0)}, ValueError, r"input_dims\[1\]: expected an int >= 1, got 0"),
        ({"input_dims": (64,), "n_classes": 1}, ValueError, "n_classes: expected an int >= 2"),
        ({"input_dims": (64,), "embed_dim": 0}, ValueError, "embed_dim"),
        ({"input_dims": (64,), "dropout": -0.1}, ValueError, "dropout"),
    ],
)
def test_fusion_rejects_bad_arguments(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        ConcatFusionClassifier(**kwargs)


def test_every_parameter_gets_a_gradient(data) -> None:
    (image, vector), labels = data
    model = small_model(dropout=0.1)
    logits = model(torch.from_numpy(image), torch.from_numpy(vector))
    F.cross_entropy(logits, torch.from_numpy(labels)).backward()
    for name, parameter in model.named_parameters():
        assert parameter.grad is not None, name
        assert parameter.grad.abs().sum() > 0, name


# ------------------------------------------------------------------------- fit, predict, evaluate


def test_fit_learns_and_needs_both_modalities(data) -> None:
    inputs, labels = data
    test_inputs, test_labels = make_xor_modalities(200, seed=1)
    model = small_model()
    before = evaluate(model, test_inputs, test_labels)
    history = fit(model, inputs, labels, epochs=15, batch_size=32, lr=1e-2, progress=False)
    after = evaluate(model, test_inputs, test_labels)
    assert after["accuracy"] >= 0.95
    assert after["loss"] < before["loss"]
    assert history["loss"][-1] < history["loss"][0]
    set_seed(0)
    image_only = ConcatFusionClassifier((12,), n_classes=4, hidden=16, embed_dim=8)
    fit(image_only, inputs[0], labels, epochs=15, batch_size=32, lr=1e-2, progress=False)
    assert evaluate(image_only, test_inputs[0], test_labels)["accuracy"] <= 0.6


def test_same_seed_gives_identical_loss_curve(data) -> None:
    inputs, labels = data
    runs = [fit(small_model(dropout=0.2), inputs, labels, epochs=4, progress=False) for _ in "ab"]
    assert runs[0] == runs[1]


def test_different_seed_gives_a_different_curve(data) -> None:
    inputs, labels = data
    first = fit(small_model(), inputs, labels, epochs=3, seed=0, progress=False)
    second = fit(small_model(), inputs, labels, epochs=3, seed=1, progress=False)
    assert first["loss"] != second["loss"]


class RowRecorder(nn.Module):
    """A linear classifier that remembers the first feature of every training batch."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(1, 2)
        self.batches: list[np.ndarray] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            self.batches.append(x[:, 0].numpy().astype(int))
        return self.linear(x)


def test_fit_batches_follow_the_seeded_plan_and_works_for_any_module() -> None:
    rows = np.arange(10, dtype=np.float32)[:, None]
    labels = np.arange(10) % 2
    recorder = RowRecorder()
    history = fit(recorder, rows, labels, epochs=2, batch_size=4, seed=5, progress=False)
    rng = np.random.default_rng(5)
    expected = epoch_batches(10, 4, rng) + epoch_batches(10, 4, rng)
    assert [len(b) for b in expected] == [4, 4, 2, 4, 4, 2]
    for seen, planned in zip(recorder.batches, expected, strict=True):
        np.testing.assert_array_equal(seen, planned)
    assert sorted(np.concatenate(expected[:3])) == list(range(10))
    assert len(history["loss"]) == 2


def test_history_keys_with_and_without_validation(data) -> None:
    inputs, labels = data
    plain = fit(small_model(), inputs, labels, epochs=2, progress=False)
    assert list(plain) == ["loss", "accuracy"]
    val_inputs, val_labels = make_xor_modalities(50, seed=2)
    model = small_model()
    with_val = fit(
        model, inputs, labels, epochs=3, validation_data=(val_inputs, val_labels), progress=False
    )
    assert list(with_val) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert all(len(values) == 3 for values in with_val.values())
    assert all(isinstance(v, float) for values in with_val.values() for v in values)
    final = evaluate(model, val_inputs, val_labels)
    assert with_val["val_loss"][-1] == pytest.approx(final["loss"], rel=1e-6)
    assert with_val["val_accuracy"][-1] == final["accuracy"]


def test_weight_decay_shrinks_the_weights(data) -> None:
    inputs, labels = data

    def weight_norm(weight_decay: float) -> float:
        model = small_model()
        fit(model, inputs, labels, epochs=3, weight_decay=weight_decay, progress=False)
        return sum(p.square().sum().item() for p in model.parameters())

    assert weight_norm(50.0) < 0.5 * weight_norm(0.0)


def test_predict_and_evaluate_agree_and_use_eval_mode(data) -> None:
    inputs, labels = data
    model = small_model(dropout=0.5)
    fit(model, inputs, labels, epochs=2, progress=False)
    assert not model.training  # fit leaves the model ready for inference
    model.train()
    logits = predict(model, inputs, batch_size=7)
    assert model.training  # predict restores the mode it found
    assert logits.shape == (200, 4) and logits.dtype == np.float32
    np.testing.assert_array_equal(predict(model, inputs), logits)  # no dropout at inference
    reversed_rows = [x[::-1] for x in inputs]  # a view with negative strides
    np.testing.assert_allclose(predict(model, reversed_rows), logits[::-1], rtol=1e-6, atol=1e-7)
    scores = evaluate(model, inputs, labels)
    assert scores["accuracy"] == np.mean(logits.argmax(axis=1) == labels)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    assert scores["loss"] == pytest.approx(-log_softmax[np.arange(200), labels].mean(), rel=1e-5)


def test_progress_bar_shows_loss_and_accuracy(data, capsys) -> None:
    inputs, labels = data
    fit(small_model(), inputs, labels, epochs=2, progress=True)
    err = capsys.readouterr().err
    assert "2/2" in err and "loss=" in err and "accuracy=" in err
    fit(small_model(), inputs, labels, epochs=2, progress=False)
    assert capsys.readouterr().err == ""


def bad_fit_calls(data):
    (image, vector), labels = data
    ok = {"inputs": (image, vector), "labels": labels}
    return [
        ({"epochs": 0}, ValueError, "epochs: expected an int >= 1, got 0"),
        ({"batch_size": 2.5}, TypeError, "batch_size: expected an int"),
        ({"lr": 0.0}, ValueError, "lr: expected a finite float > 0, got 0.0"),
        ({"lr": "fast"}, TypeError, "lr: expected a float > 0, got str"),
        ({"weight_decay": -1.0}, ValueError, "weight_decay: expected a finite float >= 0"),
        ({"seed": 1.5}, TypeError, "seed: expected an int"),
        ({"labels": labels.astype(float)}, TypeError, "labels: expected integer class indices"),
        ({"labels": labels[:-1]}, ValueError, r"labels: expected a 1-D array of length 200"),
        ({"labels": labels[:, None]}, ValueError, r"got shape \(200, 1\)"),
        ({"labels": labels + 4}, ValueError, r"labels: expected class indices in \[0, 4\)"),
        ({"inputs": image}, ValueError, r"inputs: expected 2 input\(s\)"),
        ({"inputs": (image, vector[:, :4])}, ValueError, r"inputs\[1\] \(modality 1\)"),
        ({"inputs": (image, vector[:-1])}, ValueError, r"inputs\[0\] has 200, inputs\[1\] has 199"),
        ({"inputs": (image, "abc")}, TypeError, r"inputs\[1\]: expected a numeric array"),
        ({"inputs": (image, vector[:0])}, ValueError, r"inputs\[1\]: expected .* N >= 1"),
        ({"inputs": []}, ValueError, "inputs: expected one array per modality"),
        ({"validation_data": (image, vector)}, ValueError, r"validation_data\[0\]: expected 2"),
        ({"validation_data": [ok["inputs"]]}, ValueError, "validation_data: expected a pair"),
        ({"validation_data": ok["inputs"][0]}, ValueError, "validation_data: expected a pair"),
        (
            {"validation_data": (ok["inputs"], labels[:3])},
            ValueError,
            r"validation_data\[1\]: expected a 1-D array of length 200",
        ),
    ], ok


def test_fit_rejects_bad_arguments(data) -> None:
    cases, ok = bad_fit_calls(data)
    for changes, error, match in cases:
        arguments = {**ok, **changes}
        with pytest.raises(error, match=match):
            fit(small_model(), arguments.pop("inputs"), arguments.pop("labels"), **arguments)


def test_fit_rejects_negative_labels_for_any_module() -> None:
    with pytest.raises(ValueError, match="labels: expected class indices in non-negative values"):
        fit(nn.Linear(3, 2), np.zeros((4, 3)), np.array([0, 1, -1, 0]), progress=False)


def test_predict_and_evaluate_reject_bad_arguments(data) -> None:
    inputs, labels = data
    model = small_model()
    with pytest.raises(TypeError, match="model: expected a torch.nn.Module, got str"):
        predict("model", inputs)
    with pytest.raises(TypeError, match="model: expected a torch.nn.Module"):
        fit(None, inputs, labels)
    with pytest.raises(TypeError, match="model: expected a torch.nn.Module"):
        evaluate(None, inputs, labels)
    with pytest.raises(ValueError, match="batch_size: expected an int >= 1, got 0"):
        predict(model, inputs, batch_size=0)
    with pytest.raises(ValueError, match=r"inputs\[0\] \(modality 0\): expected 12"):
        predict(model, [inputs[1], inputs[1]])
    with pytest.raises(ValueError, match="labels: expected a 1-D array of length 200"):
        evaluate(model, inputs, labels[:10])


# --------------------------------------------------------------------------- fit_schedule


def test_fit_schedule_is_one_fit_per_stage_joined_epoch_after_epoch(data) -> None:
    inputs, labels = data
    validation = make_xor_modalities(50, seed=2)
    schedule = [
        {"epochs": 2, "batch_size": 32, "lr": 1e-2, "seed": 3},
        {"epochs": 1, "lr": 1e-3, "weight_decay": 0.1, "seed": 4},
    ]
    joined = fit_schedule(
        small_model(), inputs, labels, schedule, validation_data=validation, progress=False
    )
    model = small_model()
    stages = [
        fit(model, inputs, labels, **stage, validation_data=validation, progress=False)
        for stage in schedule
    ]
    assert list(joined) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert joined == {key: stages[0][key] + stages[1][key] for key in joined}


@pytest.mark.parametrize(
    ("schedule", "error", "match"),
    [
        ({"epochs": 1}, TypeError, "schedule: expected a list of dicts of fit arguments, got dict"),
        ([], ValueError, "schedule: expected at least one stage, got an empty list"),
        ([{"epochs": 1}, 3], TypeError, r"schedule\[1\]: expected a dict, got int"),
        ([{"epochs": 1, "progress": False}], ValueError, r"schedule\[0\]: .*got \['progress'\]"),
        ([{"epochs": 0}], ValueError, "epochs"),
    ],
)
def test_fit_schedule_rejects_bad_schedules(data, schedule, error, match) -> None:
    inputs, labels = data
    with pytest.raises(error, match=match):
        fit_schedule(small_model(), inputs, labels, schedule, progress=False)


def test_importing_course_lib_torch_does_not_import_tensorflow() -> None:
    code = (
        "import sys, course_lib.torch; "
        "print(sorted({'tensorflow', 'keras'} & set(sys.modules)), 'torch' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["[]", "True"]
