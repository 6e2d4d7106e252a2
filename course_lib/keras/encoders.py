"""Encoders that map one modality to an embedding vector (Keras 3).

Book: Chapter 1, "A first multimodal model" (one encoder branch per modality).
"""

from __future__ import annotations

from typing import Any

import keras

from course_lib._training_common import check_dropout, check_features, check_positive_int


@keras.saving.register_keras_serializable(package="course_lib")
class MLPEncoder(keras.layers.Layer):
    """Two-layer perceptron encoder: e = ReLU(W_2 Dropout(ReLU(W_1 x + b_1)) + b_2).

    Accepts inputs of shape [N, ...] and flattens the trailing dims first, so an 8x8 image
    batch [N, 8, 8] works with ``in_features=64``. The weights exist as soon as the layer is
    built (no need to call it once first). The Dropout layer is present only when
    ``dropout > 0``; call with ``training=True`` to apply it.

    Parameters
    ----------
    in_features : features per sample (product of the trailing dims of the input).
    hidden : width of the hidden layer.
    out_features : size of the embedding e.
    dropout : probability of zeroing a hidden unit during training.

    Book: Chapter 1, "A first multimodal model".
    """

    def __init__(
        self,
        in_features: int,
        hidden: int = 64,
        out_features: int = 32,
        dropout: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.in_features = check_positive_int(in_features, "in_features")
        self.hidden = check_positive_int(hidden, "hidden")
        self.out_features = check_positive_int(out_features, "out_features")
        self.dropout = check_dropout(dropout)
        self.flatten = keras.layers.Flatten()
        self.hidden_layer = keras.layers.Dense(self.hidden, activation="relu")
        self.dropout_layer = keras.layers.Dropout(self.dropout) if self.dropout > 0 else None
        self.output_layer = keras.layers.Dense(self.out_features, activation="relu")
        self.hidden_layer.build((None, self.in_features))
        self.output_layer.build((None, self.hidden))
        self.built = True

    def call(self, x: Any, training: bool | None = None) -> Any:
        """Embed a batch: [N, ...] -> [N, out_features]."""
        check_features(tuple(x.shape), self.in_features, "x")
        h = self.hidden_layer(self.flatten(x))
        if self.dropout_layer is not None:
            h = self.dropout_layer(h, training=training)
        return self.output_layer(h)

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "in_features": self.in_features,
            "hidden": self.hidden,
            "out_features": self.out_features,
            "dropout": self.dropout,
        }
