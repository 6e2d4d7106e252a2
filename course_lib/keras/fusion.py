"""Fusion models that combine several modalities (Keras 3).

Book: Chapter 1, "A first multimodal model"; Chapter 6 extends this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras

from course_lib._training_common import (
    check_dropout,
    check_input_dims,
    check_modality_shapes,
    check_positive_int,
)
from course_lib.keras.encoders import MLPEncoder


@keras.saving.register_keras_serializable(package="course_lib")
class ConcatFusionClassifier(keras.Model):
    """Feature-level fusion by concatenation: z = [e_1; ...; e_M], logits = W z + b.

    Each modality m has its own ``MLPEncoder`` branch e_m = E_m(x_m) of width ``embed_dim``;
    the embeddings are concatenated and a Dense layer gives the class logits (the softmax
    lives in the loss, ``SparseCategoricalCrossentropy(from_logits=True)``). With a single
    entry in ``input_dims`` the same class is the single-modality baseline.

    Call it with a list/tuple of one array per modality, ``model([x_1, ..., x_M])``, or with
    a single array for one modality. Inputs have shape [N, ...]; trailing dims are flattened
    inside each branch, so ``input_dims[m]`` is the product of modality m's trailing dims.

    Book: Chapter 1, "A first multimodal model".
    """

    def __init__(
        self,
        input_dims: Sequence[int],
        n_classes: int = 10,
        hidden: int = 64,
        embed_dim: int = 32,
        dropout: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.input_dims = check_input_dims(input_dims)
        self.n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
        self.hidden = check_positive_int(hidden, "hidden")
        self.embed_dim = check_positive_int(embed_dim, "embed_dim")
        self.dropout = check_dropout(dropout)
        self.encoders = [
            MLPEncoder(d, self.hidden, self.embed_dim, self.dropout, name=f"encoder_{m}")
            for m, d in enumerate(self.input_dims)
        ]
        self.head = keras.layers.Dense(self.n_classes, name="head")
        self.head.build((None, len(self.input_dims) * self.embed_dim))
        self.built = True

    def encode(self, inputs: Any, training: bool | None = None) -> list[Any]:
        """Per-modality embeddings [e_1, ..., e_M], each of shape [N, embed_dim]."""
        inputs = list(inputs) if isinstance(inputs, list | tuple) else [inputs]
        check_modality_shapes([tuple(x.shape) for x in inputs], self.input_dims)
        return [
            encoder(x, training=training) for encoder, x in zip(self.encoders, inputs, strict=True)
        ]

    def call(self, inputs: Any, training: bool | None = None) -> Any:
        """Class logits [N, n_classes] from one array per modality."""
        embeddings = self.encode(inputs, training=training)
        return self.head(keras.ops.concatenate(embeddings, axis=-1))

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "input_dims": list(self.input_dims),
            "n_classes": self.n_classes,
            "hidden": self.hidden,
            "embed_dim": self.embed_dim,
            "dropout": self.dropout,
        }
