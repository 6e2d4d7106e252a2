"""The masked sequence loss with ``keras.ops`` (the NumPy version is ``course_lib.losses``).

Book: Chapter 3, "Learning from one modality" (the sequence loss with padding masks).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from course_lib._training_common import check_sequence_loss_shapes

__all__ = ["sequence_cross_entropy"]


def sequence_cross_entropy(logits: Any, targets: Any, mask: Any | None = None) -> Any:
    """Masked per-step cross-entropy averaged over valid steps: L = sum m_it l_it / sum m_it.

    logits [N, T, C], targets int [N, T], mask [N, T] (bool or 0/1; None: every step counts),
    l_it = -log softmax(s_it)_{y_it}. With m_it = [y_it != pad] it equals
    ``keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=pad)``.
    Targets under m_it = 0 are never read. Works on arrays and tensors, eagerly and inside a
    ``tf.function`` (where an all-false mask gives nan instead of an error).

    Book: Chapter 3, "Learning from one modality".
    """
    logits = keras.ops.convert_to_tensor(logits)
    targets = keras.ops.convert_to_tensor(targets)
    mask = None if mask is None else keras.ops.convert_to_tensor(mask)
    check_sequence_loss_shapes(
        tuple(logits.shape), tuple(targets.shape), None if mask is None else tuple(mask.shape)
    )
    if not keras.backend.is_float_dtype(logits.dtype):
        raise TypeError(f"logits: expected a floating-point tensor, got {logits.dtype}")
    if not keras.backend.is_int_dtype(targets.dtype):
        raise TypeError(f"targets: expected integer class indices, got {targets.dtype}")
    if mask is None:
        valid = keras.ops.ones_like(targets, dtype="bool")
    else:
        valid = keras.ops.cast(mask, "bool")
    n_valid = keras.ops.sum(keras.ops.cast(valid, logits.dtype))
    if tf.executing_eagerly() and float(n_valid) == 0:
        raise ValueError("mask: expected at least one valid step, got none")
    safe_targets = keras.ops.where(valid, targets, keras.ops.zeros_like(targets))
    log_probs = keras.ops.log_softmax(logits, axis=-1)
    picked = keras.ops.take_along_axis(log_probs, keras.ops.expand_dims(safe_targets, -1), axis=-1)
    token_loss = -keras.ops.squeeze(picked, axis=-1)
    return keras.ops.sum(token_loss * keras.ops.cast(valid, logits.dtype)) / n_valid
