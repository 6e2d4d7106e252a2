"""Recurrent models over padded sequences (Keras 3).

The same models as ``course_lib.torch.sequence`` with the same constructor arguments. A batch of
sequences of lengths T_i is padded to a common length T: x [N, T, F] with lengths [N]. Keras
skips the padding through a mask m_it = [t < T_i] passed to every recurrent layer (PyTorch
packs the batch instead); both give the same states.

Weight layouts, for copying weights between the frameworks: the Keras LSTM kernel is [F, 4H]
(PyTorch's weight_ih_l0 is [4H, F], so transpose) with gates in the order (input, forget, cell
candidate, output), the same order as PyTorch's (i, f, g, o); its single bias is PyTorch's
b_ih + b_hh. The Keras GRU stacks (update z, reset r, candidate h) where PyTorch stacks
(r, z, n), and keeps both biases as a [2, 3H] array (``reset_after=True``, PyTorch's GRU).
With copied weights both compute the same function and the same gradients, but PyTorch's
LSTM trains b_ih and b_hh as two parameters, so Adam moves their sum about twice as fast as
the single Keras bias: the loss curves agree only if b_hh is frozen.

Book: Chapter 3, "Learning from one modality" (RNN/LSTM for sequences, the sequence loss).
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf

from course_lib._models_common import (
    check_lengths,
    check_sequence_shapes,
    check_token_ids,
    keep_settings,
    next_word_settings,
    sequence_arrays,
    sequence_encoder_settings,
    token_arrays,
)
from course_lib._training_common import check_dropout, check_positive_int

__all__ = ["NextWordModel", "SequenceClassifier", "SequenceEncoder"]

_RNNS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}


def _has_values(tensor: Any) -> bool:
    """True for concrete arrays and eager tensors, False while a graph is traced."""
    return isinstance(tensor, np.ndarray) or (
        tf.executing_eagerly() and not isinstance(tensor, keras.KerasTensor)
    )


@keras.saving.register_keras_serializable(package="course_lib")
class SequenceEncoder(keras.layers.Layer):
    """LSTM or GRU over padded sequences: returns (last valid state, all states).

    ``encoder(x, lengths)`` for x [N, T, F] and lengths [N] (T_i valid steps, then padding).
    With D = 2 if ``bidirectional`` else 1:

    - ``states`` [N, T, D H]: h_t of the top layer at every step, zeros at padded steps;
    - ``last`` [N, D H]: the state after reading the whole sequence, h_{T_i - 1} (for a
      bidirectional encoder, the forward state at t = T_i - 1 next to the backward state at
      t = 0, each having read every valid step).

    The outputs do not depend on how much padding follows the sequences.

    Book: Chapter 3, "Learning from one modality".
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int = 64,
        cell: str = "lstm",
        num_layers: int = 1,
        bidirectional: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        keep_settings(
            self,
            sequence_encoder_settings(input_size, hidden_size, cell, num_layers, bidirectional),
        )
        self.output_size = self.hidden_size * (2 if self.bidirectional else 1)
        self.rnns = []
        size = self.input_size
        for layer in range(self.num_layers):
            rnn = _RNNS[self.cell](
                self.hidden_size, return_sequences=True, name=f"{self.cell}_{layer}"
            )
            if self.bidirectional:
                rnn = keras.layers.Bidirectional(rnn, name=f"bidirectional_{layer}")
            rnn.build((None, None, size))
            self.rnns.append(rnn)
            size = self.output_size
        self.built = True

    def call(self, x: Any, lengths: Any) -> tuple[Any, Any]:
        """(last [N, D H], states [N, T, D H]) for padded x [N, T, F] and lengths [N]."""
        check_sequence_shapes(tuple(x.shape), tuple(lengths.shape), self.input_size)
        n_steps = x.shape[1] if x.shape[1] is not None else keras.ops.shape(x)[1]
        if _has_values(lengths):
            check_lengths(keras.ops.convert_to_numpy(lengths), n_steps)
        lengths = keras.ops.cast(lengths, "int32")
        mask = keras.ops.arange(n_steps)[None, :] < lengths[:, None]
        h = x
        for rnn in self.rnns:
            h = rnn(h, mask=mask)
        states = h * keras.ops.cast(mask, h.dtype)[:, :, None]
        at_last_step = keras.ops.one_hot(lengths - 1, n_steps, dtype=h.dtype)
        last = keras.ops.einsum("nt,nth->nh", at_last_step, states[:, :, : self.hidden_size])
        if self.bidirectional:
            last = keras.ops.concatenate([last, states[:, 0, self.hidden_size :]], axis=-1)
        return last, states

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, **self.settings}


@keras.saving.register_keras_serializable(package="course_lib")
class SequenceClassifier(keras.Model):
    """One label per sequence: logits = W Dropout(last) + b, with ``SequenceEncoder``'s last.

    ``model([x, lengths])`` gives logits [N, n_classes] for padded x [N, T, F] and lengths [N];
    ``course_lib.keras.fit/predict/evaluate`` take ``inputs=(padded, lengths)`` as NumPy
    arrays (float, and int lengths).

    Book: Chapter 3, "Learning from one modality".
    """

    def __init__(
        self,
        input_size: int,
        n_classes: int = 10,
        hidden_size: int = 64,
        cell: str = "lstm",
        num_layers: int = 1,
        bidirectional: bool = False,
        dropout: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
        self.dropout = check_dropout(dropout)
        self.encoder = SequenceEncoder(
            input_size, hidden_size, cell, num_layers, bidirectional, name="encoder"
        )
        self.dropout_layer = keras.layers.Dropout(self.dropout) if self.dropout > 0 else None
        self.head = keras.layers.Dense(self.n_classes, name="head")
        self.head.build((None, self.encoder.output_size))
        self.built = True

    def call(self, inputs: Any, training: bool | None = None) -> Any:
        """Class logits [N, n_classes] from ``[x, lengths]``."""
        if not isinstance(inputs, list | tuple) or len(inputs) != 2:
            raise ValueError(
                f"inputs: expected a pair [x, lengths], got {type(inputs).__name__}"
                + (f" of length {len(inputs)}" if isinstance(inputs, list | tuple) else "")
            )
        last, _ = self.encoder(inputs[0], inputs[1])
        if self.dropout_layer is not None:
            last = self.dropout_layer(last, training=training)
        return self.head(last)

    def numpy_inputs(self, inputs: object, name: str = "inputs") -> list:
        """Check and convert ``(padded, lengths)`` for fit/predict/evaluate."""
        return sequence_arrays(inputs, self.encoder.input_size, name)

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "n_classes": self.n_classes,
            "dropout": self.dropout,
            **self.encoder.settings,
        }


@keras.saving.register_keras_serializable(package="course_lib")
class NextWordModel(keras.Model):
    """Next-token prediction: Embedding -> LSTM/GRU over all steps -> per-step logits.

    For token ids [N, T]: e_t = E[x_t], h_t = RNN(e_t, h_{t-1}), logits_t = W h_t + b, output
    [N, T, vocab_size]; logits_t scores the token at step t + 1. Sequences are padded at the end
    with ``pad_id``; the RNN reads left to right, so padding never changes earlier logits, and
    ``fit(..., loss="sequence")`` ignores the steps whose target is ``pad_id``.

    Book: Chapter 3, "Learning from one modality" (a sequence task with the per-step loss).
    """

    def __init__(
        self,
        vocab_size: int,
        embed_dim: int = 32,
        hidden_size: int = 64,
        cell: str = "lstm",
        pad_id: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        keep_settings(self, next_word_settings(vocab_size, embed_dim, hidden_size, cell, pad_id))
        self.n_classes = self.vocab_size  # one class per vocabulary entry at every step
        self.embedding = keras.layers.Embedding(self.vocab_size, self.embed_dim, name="embedding")
        self.embedding.build((None, None))
        self.rnn = _RNNS[self.cell](self.hidden_size, return_sequences=True, name=self.cell)
        self.rnn.build((None, None, self.embed_dim))
        self.head = keras.layers.Dense(self.vocab_size, name="head")
        self.head.build((None, None, self.hidden_size))
        self.built = True

    def call(self, ids: Any, training: bool | None = None) -> Any:
        """Per-step logits [N, T, vocab_size] for token ids [N, T]."""
        if _has_values(ids):
            check_token_ids(keras.ops.convert_to_numpy(ids), self.vocab_size, "ids")
        return self.head(self.rnn(self.embedding(ids)))

    def numpy_inputs(self, inputs: object, name: str = "inputs") -> list:
        """Check and convert token ids [N, T] for fit/predict/evaluate."""
        return token_arrays(inputs, self.vocab_size, name)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, **self.settings}
