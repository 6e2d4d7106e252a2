"""Tests of course_lib.keras: encoders, concatenation fusion and the training loop.

The Keras models are also checked against the PyTorch ones: with the same weights they give
the same logits, and ``fit`` with the same seed gives the same loss curve in both frameworks.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from collections.abc import Iterator

import keras
import numpy as np
import pytest
import torch

from course_lib import keras as course_keras
from course_lib import torch as course_torch
from course_lib.keras import (
    ConcatFusionClassifier,
    MLPEncoder,
    evaluate,
    fit,
    fit_schedule,
    predict,
)
from course_lib.utils import set_seed

torch.set_num_threads(1)


def make_xor_modalities(n: int = 200, seed: int = 0) -> tuple[list[np.ndarray], np.ndarray]:
    """Four classes y = 2 a + b: an "image" [n, 3, 4] tells bit a, a vector [n, 5] tells bit b."""
    rng = np.random.default_rng(seed)
    bit_a, bit_b = rng.integers(0, 2, n), rng.integers(0, 2, n)
    image = rng.normal(size=(n, 3, 4)) + 1.5 * (2 * bit_a - 1)[:, None, None]
    vector = rng.normal(size=(n, 5)) + 1.5 * (2 * bit_b - 1)[:, None]
    return [image.astype(np.float32), vector.astype(np.float32)], 2 * bit_a + bit_b


@pytest.fixture(scope="module")
def data() -> tuple[list[np.ndarray], np.ndarray]:
    return make_xor_modalities()


@pytest.fixture(scope="module", autouse=True)
def fresh_import() -> Iterator[subprocess.Popen]:
    """``import course_lib.keras`` in a fresh interpreter, without the quiet settings.

    Started with the first test so that its ~8 s TensorFlow import overlaps the other tests;
    the last test of the file reads its answer.
    """
    code = "import sys, course_lib.keras; print('torch' in sys.modules, 'keras' in sys.modules)"
    quiet_settings = {"TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "KERAS_BACKEND"}
    env = {key: value for key, value in os.environ.items() if key not in quiet_settings}
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    yield process
    if process.poll() is None:
        process.kill()
    process.communicate()


def small_model(dropout: float = 0.0, seed: int = 0) -> ConcatFusionClassifier:
    set_seed(seed)
    return ConcatFusionClassifier((12, 5), n_classes=4, hidden=16, embed_dim=8, dropout=dropout)


def weights(model: keras.Model) -> list[np.ndarray]:
    return [v.numpy().copy() for v in model.trainable_variables]


# ------------------------------------------------------------------- one API, two frameworks


def _parameters(function: object) -> list[tuple[str, object, object]]:
    """(name, default, kind) of each parameter, without Keras' extra **kwargs (name=...)."""
    parameters = inspect.signature(function).parameters.values()
    return [(p.name, p.default, p.kind) for p in parameters if p.kind != p.VAR_KEYWORD]


def test_both_frameworks_export_the_same_names_with_the_same_arguments() -> None:
    assert course_keras.__all__ == course_torch.__all__
    for name in course_torch.__all__:
        ours, theirs = getattr(course_keras, name), getattr(course_torch, name)
        assert _parameters(ours) == _parameters(theirs), name


# --------------------------------------------------------------------------- MLPEncoder


def test_encoder_flattens_trailing_dims_and_ends_with_relu() -> None:
    encoder = MLPEncoder(12, hidden=8, out_features=5)
    assert len(encoder.trainable_variables) == 4  # built at construction
    x = np.random.default_rng(0).normal(size=(7, 3, 4)).astype(np.float32)
    e = encoder(x).numpy()
    assert e.shape == (7, 5)
    assert np.all(e >= 0)
    np.testing.assert_allclose(encoder(x.reshape(7, 12)).numpy(), e, rtol=1e-6)


def test_encoder_dropout_only_in_training() -> None:
    set_seed(0)
    encoder = MLPEncoder(4, hidden=256, dropout=0.5)
    x = np.ones((2, 4), dtype=np.float32)
    np.testing.assert_array_equal(encoder(x).numpy(), encoder(x, training=False).numpy())
    assert not np.array_equal(encoder(x, training=True).numpy(), encoder(x).numpy())
    assert MLPEncoder(4).dropout_layer is None


def test_encoder_config_round_trip() -> None:
    encoder = MLPEncoder(12, hidden=8, out_features=5, dropout=0.25, name="image_encoder")
    clone = MLPEncoder.from_config(encoder.get_config())
    assert (clone.name, clone.in_features, clone.hidden) == ("image_encoder", 12, 8)
    assert (clone.out_features, clone.dropout) == (5, 0.25)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"in_features": 0}, ValueError, "in_features: expected an int >= 1, got 0"),
        ({"in_features": 4, "hidden": 1.5}, TypeError, "hidden: expected an int"),
        ({"in_features": 4, "dropout": 1.0}, ValueError, r"dropout: expected a float in \[0, 1\)"),
    ],
)
def test_encoder_rejects_bad_arguments(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        MLPEncoder(**kwargs)


def test_encoder_skips_checks_of_unknown_symbolic_sizes() -> None:
    assert MLPEncoder(12, out_features=5)(keras.Input((None, 12))).shape == (None, 5)


def test_encoder_rejects_bad_inputs() -> None:
    with pytest.raises(ValueError, match=r"x: expected 12 features .* got shape \(2, 3, 5\)"):
        MLPEncoder(12)(np.zeros((2, 3, 5), dtype=np.float32))


# --------------------------------------------------------------------------- ConcatFusionClassifier


def test_fusion_output_and_embedding_shapes(data) -> None:
    (image, vector), _ = data
    model = ConcatFusionClassifier((12, 5), n_classes=3, embed_dim=6)
    assert tuple(model([image, vector]).shape) == (200, 3)
    assert tuple(model((image, vector)).shape) == (200, 3)
    assert [tuple(e.shape) for e in model.encode([image, vector])] == [(200, 6), (200, 6)]
    assert model.head.kernel.shape == (12, 3)


def test_single_modality_accepts_a_single_array(data) -> None:
    (image, _), _ = data
    model = ConcatFusionClassifier((12,), n_classes=3, embed_dim=6)
    np.testing.assert_array_equal(model(image).numpy(), model([image]).numpy())
    assert model.head.kernel.shape == (6, 3)


def test_fusion_traces_with_unknown_batch_size() -> None:
    model = ConcatFusionClassifier((12, 5), n_classes=3)
    image, vector = keras.Input((3, 4)), keras.Input((5,))
    functional = keras.Model([image, vector], model([image, vector]))
    assert functional.output.shape == (None, 3)


def test_fusion_rejects_wrong_number_of_modalities(data) -> None:
    (image, vector), _ = data
    model = ConcatFusionClassifier((12, 5))
    with pytest.raises(ValueError, match=r"inputs: expected 2 input\(s\).*got 1"):
        model(image)
    with pytest.raises(ValueError, match=r"inputs: expected 2 input\(s\).*got 3"):
        model([image, vector, vector])


def test_fusion_rejects_wrong_feature_dim_naming_the_modality(data) -> None:
    (image, vector), _ = data
    model = ConcatFusionClassifier((12, 5))
    with pytest.raises(ValueError, match=r"inputs\[1\] \(modality 1\): expected 5 .*\(200, 4\)"):
        model([image, vector[:, :4]])


def test_fusion_rejects_mismatched_batch_sizes(data) -> None:
    (image, vector), _ = data
    model = ConcatFusionClassifier((12, 5))
    with pytest.raises(ValueError, match=r"inputs\[0\] has 200, inputs\[1\] has 199"):
        model([image, vector[:-1]])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"input_dims": ()}, ValueError, "input_dims: expected at least one modality"),
        ({"input_dims": 64}, TypeError, "input_dims: expected a sequence of ints"),
        ({"input_dims": (64,), "n_classes": 1}, ValueError, "n_classes: expected an int >= 2"),
    ],
)
def test_fusion_rejects_bad_arguments(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        ConcatFusionClassifier(**kwargs)


def test_same_seed_gives_the_same_initial_weights() -> None:
    for first, second in zip(weights(small_model()), weights(small_model()), strict=True):
        np.testing.assert_array_equal(first, second)


# Keras' own saving code converts variables with np.array(x), which NumPy 2 warns about.
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_save_and_load_round_trip(data, tmp_path) -> None:
    inputs, _ = data
    model = small_model(dropout=0.1)
    model.save(tmp_path / "fusion.keras")
    loaded = keras.models.load_model(tmp_path / "fusion.keras")
    assert isinstance(loaded, ConcatFusionClassifier)
    assert loaded.get_config()["input_dims"] == [12, 5]
    np.testing.assert_array_equal(predict(loaded, inputs), predict(model, inputs))


# --------------------------------------------------------------------------- same model as PyTorch


def torch_twin(model: ConcatFusionClassifier) -> course_torch.ConcatFusionClassifier:
    """The PyTorch model with the same architecture, carrying the Keras weights."""
    twin = course_torch.ConcatFusionClassifier(
        model.input_dims, model.n_classes, model.hidden, model.embed_dim
    )
    pairs = [(model.head, twin.head)]
    for k_encoder, t_encoder in zip(model.encoders, twin.encoders, strict=True):
        pairs += [
            (k_encoder.hidden_layer, t_encoder.net[1]),
            (k_encoder.output_layer, t_encoder.net[3]),
        ]
    with torch.no_grad():
        for dense, linear in pairs:
            linear.weight.copy_(torch.from_numpy(dense.kernel.numpy().T))
            linear.bias.copy_(torch.from_numpy(dense.bias.numpy()))
    return twin


def test_same_weights_give_the_same_logits_as_pytorch(data) -> None:
    inputs, _ = data
    model = small_model()
    twin = torch_twin(model)
    np.testing.assert_allclose(
        predict(model, inputs), course_torch.predict(twin, inputs), rtol=1e-5, atol=1e-5
    )


def test_fit_gives_the_same_curve_as_pytorch(data) -> None:
    inputs, labels = data
    model = small_model()
    twin = torch_twin(model)
    arguments = {"epochs": 2, "batch_size": 32, "lr": 1e-2, "weight_decay": 0.1, "seed": 3}
    keras_history = fit(model, inputs, labels, progress=False, **arguments)
    torch_history = course_torch.fit(twin, inputs, labels, progress=False, **arguments)
    np.testing.assert_allclose(keras_history["loss"], torch_history["loss"], rtol=1e-4)
    np.testing.assert_allclose(
        predict(model, inputs), course_torch.predict(twin, inputs), atol=1e-3
    )


def test_fit_schedule_gives_the_same_curve_as_pytorch_and_as_one_fit_per_stage(data) -> None:
    inputs, labels = data
    schedule = [
        {"epochs": 2, "batch_size": 32, "lr": 1e-2, "seed": 3},
        {"epochs": 1, "lr": 1e-3, "seed": 4},
    ]
    model = small_model()
    twin = torch_twin(model)
    keras_history = fit_schedule(model, inputs, labels, schedule, progress=False)
    torch_history = course_torch.fit_schedule(twin, inputs, labels, schedule, progress=False)
    np.testing.assert_allclose(keras_history["loss"], torch_history["loss"], rtol=1e-4)
    again = small_model()
    stages = [fit(again, inputs, labels, **stage, progress=False) for stage in schedule]
    assert keras_history == {key: stages[0][key] + stages[1][key] for key in keras_history}


# ------------------------------------------------------------------------- fit, predict, evaluate


def test_fit_learns_and_needs_both_modalities(data) -> None:
    inputs, labels = data
    test_inputs, test_labels = make_xor_modalities(200, seed=1)
    model = small_model()
    before = evaluate(model, test_inputs, test_labels)
    history = fit(model, inputs, labels, epochs=15, batch_size=32, lr=1e-2, progress=False)
    assert list(history) == ["loss", "accuracy"]
    after = evaluate(model, test_inputs, test_labels)
    assert after["accuracy"] >= 0.95
    assert after["loss"] < before["loss"]
    assert history["loss"][-1] < history["loss"][0]
    set_seed(0)
    image_only = ConcatFusionClassifier((12,), n_classes=4, hidden=16, embed_dim=8)
    fit(image_only, inputs[0], labels, epochs=15, batch_size=32, lr=1e-2, progress=False)
    assert evaluate(image_only, test_inputs[0], test_labels)["accuracy"] <= 0.6


def test_same_seed_gives_identical_loss_curve_and_another_seed_does_not(data) -> None:
    inputs, labels = data
    first, again, other = (
        fit(small_model(dropout=0.2), inputs, labels, epochs=2, seed=seed, progress=False)
        for seed in (0, 0, 1)
    )
    np.testing.assert_allclose(first["loss"], again["loss"], rtol=0, atol=0)
    assert first == again
    assert other["loss"] != first["loss"]


def test_one_step_changes_every_trainable_variable(data) -> None:
    inputs, labels = data
    model = small_model(dropout=0.1)
    before = weights(model)
    fit(model, inputs, labels, epochs=1, batch_size=200, progress=False)  # exactly one step
    for variable, old in zip(model.trainable_variables, before, strict=True):
        assert np.any(variable.numpy() != old), variable.path


def test_history_with_validation(data) -> None:
    inputs, labels = data
    val_inputs, val_labels = make_xor_modalities(50, seed=2)
    model = small_model()
    with_val = fit(
        model, inputs, labels, epochs=2, validation_data=(val_inputs, val_labels), progress=False
    )
    assert list(with_val) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert all(len(values) == 2 for values in with_val.values())
    final = evaluate(model, val_inputs, val_labels)
    assert with_val["val_loss"][-1] == pytest.approx(final["loss"], rel=1e-6)
    assert with_val["val_accuracy"][-1] == final["accuracy"]


def test_predict_and_evaluate_agree_and_use_inference_mode(data) -> None:
    inputs, labels = data
    model = small_model(dropout=0.5)
    fit(model, inputs, labels, epochs=1, progress=False)
    logits = predict(model, inputs, batch_size=7)
    assert logits.shape == (200, 4) and logits.dtype == np.float32
    # no dropout at inference; other batch sizes may round differently in the last bits
    np.testing.assert_allclose(predict(model, inputs), logits, rtol=1e-5, atol=1e-6)
    scores = evaluate(model, inputs, labels)
    assert scores["accuracy"] == np.mean(logits.argmax(axis=1) == labels)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    assert scores["loss"] == pytest.approx(-log_softmax[np.arange(200), labels].mean(), rel=1e-5)


def test_fit_works_for_any_keras_model_and_shows_progress(data, capsys) -> None:
    (image, _), labels = data
    model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(4)])
    assert not model.built
    history = fit(model, image, labels, epochs=2, batch_size=50, validation_data=(image, labels))
    assert len(history["val_accuracy"]) == 2
    err = capsys.readouterr().err
    assert "2/2" in err and "val_loss=" in err


def test_fit_predict_evaluate_reject_bad_arguments(data) -> None:
    inputs, labels = data
    model = small_model()
    with pytest.raises(ValueError, match="epochs: expected an int >= 1, got 0"):
        fit(model, inputs, labels, epochs=0)
    with pytest.raises(ValueError, match=r"labels: expected class indices in \[0, 4\)"):
        fit(model, inputs, labels + 1)
    with pytest.raises(ValueError, match=r"inputs\[0\] has 200, inputs\[1\] has 100"):
        fit(model, [inputs[0], inputs[1][:100]], labels)
    with pytest.raises(ValueError, match=r"validation_data\[1\]: expected a 1-D array of length"):
        fit(model, inputs, labels, validation_data=(inputs, labels[:5]))
    with pytest.raises(TypeError, match="model: expected a keras.Model, got str"):
        fit("model", inputs, labels)
    with pytest.raises(TypeError, match="model: expected a keras.Model"):
        predict(None, inputs)
    with pytest.raises(ValueError, match="batch_size: expected an int >= 1, got 0"):
        predict(model, inputs, batch_size=0)
    with pytest.raises(ValueError, match=r"inputs: expected 2 input\(s\)"):
        predict(model, inputs[0])
    with pytest.raises(TypeError, match="labels: expected integer class indices"):
        evaluate(model, inputs, labels.astype(np.float32))
    with pytest.raises(TypeError, match="model: expected a keras.Model"):
        evaluate(object(), inputs, labels)


def test_importing_course_lib_keras_is_quiet_and_does_not_import_torch(fresh_import) -> None:
    stdout, stderr = fresh_import.communicate(timeout=120)
    assert fresh_import.returncode == 0, stderr
    assert stdout.split() == ["False", "True"]
    assert "cpu_feature_guard" not in stderr and "oneDNN" not in stderr
