"""Training, prediction and evaluation of Keras classifiers on NumPy arrays.

A custom loop with ``tf.GradientTape`` that mirrors ``course_lib.torch.training`` line by line:
same arguments, same mini-batches for the same seed, same history keys. (``model.fit`` would
shuffle with its own generator, so the two frameworks would not see the same batches.)

Book: Chapter 1, "A first multimodal model" (the training loop: forward, loss, gradient, step).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from course_lib._training_common import (
    History,
    accuracy_from_logits,
    batch_slices,
    check_fit_args,
    check_positive_int,
    model_inputs,
    prepare_data,
    run_epochs,
)
from course_lib.utils import set_seed

Inputs = np.ndarray | Sequence[np.ndarray]


def _check_model(model: object) -> keras.layers.Layer:
    if not isinstance(model, keras.layers.Layer):
        raise TypeError(f"model: expected a keras.Model, got {type(model).__name__}")
    return model


def _call_input(arrays: Sequence[Any]) -> Any:
    """One modality: the array itself (what any Keras model expects); several: a list."""
    return arrays[0] if len(arrays) == 1 else list(arrays)


def fit(
    model: keras.Model,
    inputs: Inputs,
    labels: np.ndarray,
    *,
    epochs: int = 20,
    batch_size: int = 64,
    lr: float = 1e-3,
    weight_decay: float = 0.0,
    validation_data: tuple[Inputs, np.ndarray] | None = None,
    seed: int = 0,
    progress: bool = True,
) -> History:
    """Train ``model`` with mini-batch Adam on the cross-entropy of its logits.

    Each step minimises L = -(1/|b|) sum_{i in b} log softmax(s_i)_{y_i}
    (``keras.losses.SparseCategoricalCrossentropy(from_logits=True)``) and updates
    theta <- theta - lr * Adam(grad L), with ``epsilon=1e-8`` as in PyTorch. ``weight_decay``
    is decoupled (theta <- theta - lr * wd * theta, as ``torch.optim.AdamW``); with the default
    0 it is plain Adam. The model need not be compiled.

    ``seed`` fixes the mini-batch order (``numpy.random.default_rng(seed)``, the same batches
    as ``course_lib.torch.fit``). It does not re-initialise the weights, and Keras dropout
    layers draw their masks from the seed set when they were built, so for a reproducible run
    write ``set_seed(0); model = ...; fit(model, ..., seed=0)``.

    Each call starts a fresh optimiser (new Adam moments). Returns the per-epoch history
    ``{"loss", "accuracy"}`` plus ``"val_loss"`` and ``"val_accuracy"`` when
    ``validation_data=(inputs, labels)`` is given. A ``tqdm`` bar over epochs shows progress
    unless ``progress=False``.

    Book: Chapter 1, "A first multimodal model".
    """
    _check_model(model)
    check_fit_args(epochs, batch_size, lr, weight_decay, seed)
    arrays, labels, validation = prepare_data(model, inputs, labels, validation_data)
    set_seed(seed)
    if not model.built:
        model(_call_input([a[:1] for a in arrays]))
    optimizer = keras.optimizers.Adam(
        learning_rate=lr, epsilon=1e-8, weight_decay=weight_decay or None
    )
    optimizer.build(model.trainable_variables)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    signature = [
        [tf.TensorSpec((None, *a.shape[1:]), tf.float32) for a in arrays],
        tf.TensorSpec((None,), tf.int64),
    ]

    @tf.function(input_signature=signature, autograph=False)
    def train_step(batch: list[tf.Tensor], targets: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        with tf.GradientTape() as tape:
            logits = model(_call_input(batch), training=True)
            loss = loss_fn(targets, logits)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        correct = tf.reduce_sum(tf.cast(tf.argmax(logits, axis=1) == targets, tf.int32))
        return loss, correct

    def train_batch(batch: list[np.ndarray], batch_labels: np.ndarray) -> tuple[float, float]:
        loss, correct = train_step(batch, batch_labels)
        return float(loss), float(correct)

    return run_epochs(
        train_batch,
        lambda val_inputs, val_labels: evaluate(model, val_inputs, val_labels),
        arrays,
        labels,
        validation,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        progress=progress,
    )


def predict(model: keras.Model, inputs: Inputs, batch_size: int = 512) -> np.ndarray:
    """Logits [N, n_classes] as a NumPy array, computed with ``training=False``.

    Book: Chapter 1, "A first multimodal model".
    """
    _check_model(model)
    batch_size = check_positive_int(batch_size, "batch_size")
    arrays = model_inputs(model, inputs)
    chunks = [
        keras.ops.convert_to_numpy(model(_call_input([a[rows] for a in arrays]), training=False))
        for rows in batch_slices(arrays[0].shape[0], batch_size)
    ]
    return np.concatenate(chunks)


def evaluate(model: keras.Model, inputs: Inputs, labels: np.ndarray) -> dict[str, float]:
    """Mean cross-entropy and accuracy on a data set: {"loss": L, "accuracy": acc}.

    Book: Chapter 1, "A first multimodal model".
    """
    _check_model(model)
    arrays, labels, _ = prepare_data(model, inputs, labels)
    logits = predict(model, arrays)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return {
        "loss": float(loss_fn(labels, logits)),
        "accuracy": accuracy_from_logits(logits, labels),
    }
