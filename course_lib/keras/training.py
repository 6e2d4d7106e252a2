"""Training, prediction and evaluation of Keras classifiers on NumPy arrays.

A custom loop with ``tf.GradientTape`` that mirrors ``course_lib.torch.training`` line by line:
same arguments, same mini-batches for the same seed, same history keys. (``model.fit`` would
shuffle with its own generator, so the two frameworks would not see the same batches.) Models
may take other inputs (the sequence models take ``[padded, lengths]``, the next-word model
token ids) and, with ``loss="sequence"``, one target per step.

Book: Chapter 1, "A first multimodal model" (the training loop: forward, loss, gradient, step);
Chapter 3, "Learning from one modality" (sequences and the per-step loss).
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
    check_loss_name,
    check_positive_int,
    count_targets,
    model_inputs,
    prepare_data,
    run_epochs,
    schedule_fitter,
    target_mask,
    target_pad_id,
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


def _cross_entropy(pad_id: int | None) -> keras.losses.Loss:
    """Mean cross-entropy over the targets that are not ``pad_id`` (from logits)."""
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=pad_id)


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
    loss: str = "classification",
) -> History:
    """Train ``model`` with mini-batch Adam on the cross-entropy of its logits.

    Each step minimises L = -(1/|b|) sum_{i in b} log softmax(s_i)_{y_i}
    (``keras.losses.SparseCategoricalCrossentropy(from_logits=True)``) and updates
    theta <- theta - lr * Adam(grad L), with ``epsilon=1e-8`` as in PyTorch. With
    ``loss="sequence"`` the model gives per-step logits [N, T, C], ``labels`` are targets
    [N, T] and L is the mean over the batch's valid steps, those whose target is not
    ``model.pad_id`` (masked by ``ignore_class=model.pad_id``); ``loss`` and ``accuracy`` in
    the history then count valid steps (tokens), not sequences. ``weight_decay``
    is decoupled (theta <- theta - lr * wd * theta, as ``torch.optim.AdamW``); with the default
    0 it is plain Adam. Sparse gradients (an embedding's rows) are made dense first, so Adam
    updates every weight exactly as ``torch.optim.AdamW`` does. The model need not be compiled.

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
    loss = check_loss_name(loss)
    arrays, labels, validation = prepare_data(model, inputs, labels, validation_data, loss)
    pad_id = target_pad_id(model, loss)
    set_seed(seed)
    if not model.built:
        model(_call_input([a[:1] for a in arrays]))
    optimizer = keras.optimizers.Adam(
        learning_rate=lr, epsilon=1e-8, weight_decay=weight_decay or None
    )
    optimizer.build(model.trainable_variables)
    loss_fn = _cross_entropy(pad_id)
    signature = [
        [tf.TensorSpec((None, *a.shape[1:]), tf.as_dtype(a.dtype)) for a in arrays],
        tf.TensorSpec((None, *labels.shape[1:]), tf.int64),
    ]

    @tf.function(input_signature=signature, autograph=False)
    def train_step(batch: list[tf.Tensor], targets: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        with tf.GradientTape() as tape:
            logits = model(_call_input(batch), training=True)
            batch_loss = loss_fn(targets, logits)
        gradients = tape.gradient(batch_loss, model.trainable_variables)
        # Embedding gradients come as sparse rows (IndexedSlices, one per token occurrence);
        # made dense, Adam sees the summed gradient, exactly as in PyTorch.
        gradients = [
            tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in gradients
        ]
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        correct = tf.argmax(logits, axis=-1) == targets
        if pad_id is not None:
            correct = tf.logical_and(correct, targets != pad_id)
        return batch_loss, tf.reduce_sum(tf.cast(correct, tf.int32))

    def train_batch(batch: list[np.ndarray], batch_labels: np.ndarray) -> tuple[float, float]:
        loss, correct = train_step(batch, batch_labels)
        return float(loss), float(correct)

    return run_epochs(
        train_batch,
        lambda val_inputs, val_labels: evaluate(model, val_inputs, val_labels, loss=loss),
        arrays,
        labels,
        validation,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        progress=progress,
        count_items=lambda batch_labels: count_targets(batch_labels, pad_id),
    )


fit_schedule = schedule_fitter(fit)


def predict(model: keras.Model, inputs: Inputs, batch_size: int = 512) -> np.ndarray:
    """Logits [N, n_classes] (or [N, T, C] per step) as a NumPy array, with ``training=False``.

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


def evaluate(
    model: keras.Model, inputs: Inputs, labels: np.ndarray, *, loss: str = "classification"
) -> dict[str, float]:
    """Mean cross-entropy and accuracy on a data set: {"loss": L, "accuracy": acc}.

    With ``loss="sequence"`` both are over the valid steps (targets that are not
    ``model.pad_id``), as in ``fit``.

    Book: Chapter 1, "A first multimodal model"; Chapter 3, "Learning from one modality".
    """
    _check_model(model)
    arrays, labels, _ = prepare_data(model, inputs, labels, loss=loss)
    pad_id = target_pad_id(model, loss)
    logits = predict(model, arrays)
    return {
        "loss": float(_cross_entropy(pad_id)(labels, logits)),
        "accuracy": accuracy_from_logits(
            logits, labels, None if pad_id is None else target_mask(labels, pad_id)
        ),
    }
