"""Encoders that map one modality to an embedding vector (PyTorch).

Book: Chapter 1, "A first multimodal model" (one encoder branch per modality).
"""

from __future__ import annotations

import torch
from torch import nn

from course_lib._training_common import check_dropout, check_features, check_positive_int
from course_lib.torch._tensors import check_tensor


class MLPEncoder(nn.Module):
    """Two-layer perceptron encoder: e = ReLU(W_2 Dropout(ReLU(W_1 x + b_1)) + b_2).

    Accepts inputs of shape [N, ...] and flattens the trailing dims first, so an 8x8 image
    batch [N, 8, 8] works with ``in_features=64``. The Dropout layer is present only when
    ``dropout > 0``.

    Parameters
    ----------
    in_features : features per sample (product of the trailing dims of the input).
    hidden : width of the hidden layer.
    out_features : size of the embedding e.
    dropout : probability of zeroing a hidden unit during training.

    Book: Chapter 1, "A first multimodal model".
    """

    def __init__(
        self, in_features: int, hidden: int = 64, out_features: int = 32, dropout: float = 0.0
    ) -> None:
        super().__init__()
        self.in_features = check_positive_int(in_features, "in_features")
        self.hidden = check_positive_int(hidden, "hidden")
        self.out_features = check_positive_int(out_features, "out_features")
        self.dropout = check_dropout(dropout)
        layers: list[nn.Module] = [
            nn.Flatten(),
            nn.Linear(self.in_features, self.hidden),
            nn.ReLU(),
        ]
        if self.dropout > 0:
            layers.append(nn.Dropout(self.dropout))
        layers += [nn.Linear(self.hidden, self.out_features), nn.ReLU()]
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Embed a batch: [N, ...] -> [N, out_features]."""
        check_features(tuple(check_tensor(x, "x").shape), self.in_features, "x")
        return self.net(x)
