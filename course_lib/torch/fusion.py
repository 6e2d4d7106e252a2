"""Fusion models that combine several modalities (PyTorch).

Book: Chapter 1, "A first multimodal model"; Chapter 6 extends this module.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from course_lib._training_common import (
    check_dropout,
    check_input_dims,
    check_modality_shapes,
    check_positive_int,
)
from course_lib.torch._tensors import check_tensor
from course_lib.torch.encoders import MLPEncoder


class ConcatFusionClassifier(nn.Module):
    """Feature-level fusion by concatenation: z = [e_1; ...; e_M], logits = W z + b.

    Each modality m has its own ``MLPEncoder`` branch e_m = E_m(x_m) of width ``embed_dim``;
    the embeddings are concatenated and a Linear layer gives the class logits (the softmax
    lives in the cross-entropy loss). With a single entry in ``input_dims`` the same class is
    the single-modality baseline with the same architecture.

    Inputs have shape [N, ...]; trailing dims are flattened inside each branch, so
    ``input_dims[m]`` is the product of modality m's trailing dims (64 for 8x8 images).

    Book: Chapter 1, "A first multimodal model".
    """

    def __init__(
        self,
        input_dims: Sequence[int],
        n_classes: int = 10,
        hidden: int = 64,
        embed_dim: int = 32,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.input_dims = check_input_dims(input_dims)
        self.n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
        self.embed_dim = check_positive_int(embed_dim, "embed_dim")
        hidden = check_positive_int(hidden, "hidden")
        dropout = check_dropout(dropout)
        self.encoders = nn.ModuleList(
            MLPEncoder(d, hidden=hidden, out_features=self.embed_dim, dropout=dropout)
            for d in self.input_dims
        )
        self.head = nn.Linear(len(self.input_dims) * self.embed_dim, self.n_classes)

    def encode(self, inputs: torch.Tensor | Sequence[torch.Tensor]) -> list[torch.Tensor]:
        """Per-modality embeddings [e_1, ..., e_M], each of shape [N, embed_dim]."""
        inputs = [inputs] if isinstance(inputs, torch.Tensor) else list(inputs)
        inputs = [check_tensor(x, f"inputs[{m}]") for m, x in enumerate(inputs)]
        check_modality_shapes([tuple(x.shape) for x in inputs], self.input_dims)
        return [encoder(x) for encoder, x in zip(self.encoders, inputs, strict=True)]

    def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
        """Class logits [N, n_classes] from one tensor per modality: ``model(x_1, ..., x_M)``."""
        return self.head(torch.cat(self.encode(inputs), dim=1))
