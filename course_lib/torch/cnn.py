"""Convolutional networks for images and spectrograms (PyTorch, channels first).

Both models stack conv blocks  h <- MaxPool_2x2(ReLU(W * h + b))  (a 'same'-padded
convolution keeps the height and width, the 2x2 max-pooling halves them), then average the
feature maps over regions of the grid, so they accept any image size or any number of audio
frames: ``ImageCNN`` over the four quarters of the grid (it keeps a coarse layout: top left,
top right, ...), ``AudioCNN`` over the whole grid (global average pooling). The Keras twins
in ``course_lib.keras.cnn`` take the same constructor arguments but channels-last inputs.

The convolutions start from He initialisation, W ~ N(0, 2 / fan_in) with fan_in = C_in k^2
and b = 0, in both frameworks: it keeps the variance of the activations through the ReLUs.
(PyTorch's default draws from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), six times less variance;
on FSDD the audio CNN then needs about twice as many epochs.)

Book: Chapter 3, "Learning from one modality" (CNNs for images, CNNs on spectrograms).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from course_lib._models_common import (
    GRID,
    audio_cnn_settings,
    image_cnn_settings,
    image_input_needs_channel_axis,
    keep_settings,
    spectrogram_input_needs_channel_axis,
)
from course_lib.torch._tensors import check_tensor

__all__ = ["AudioCNN", "ImageCNN"]


def _conv_blocks(in_channels: int, channels: tuple[int, ...], kernel_size: int) -> nn.Sequential:
    """Conv2d -> ReLU -> MaxPool2d(2) per block, He-initialised: W ~ N(0, 2 / fan_in), b = 0."""
    layers: list[nn.Module] = []
    for out_channels in channels:
        conv = nn.Conv2d(in_channels, out_channels, kernel_size, padding="same")
        nn.init.kaiming_normal_(conv.weight, nonlinearity="relu")
        nn.init.zeros_(conv.bias)
        layers += [conv, nn.ReLU(), nn.MaxPool2d(2)]
        in_channels = out_channels
    return nn.Sequential(*layers)


class ImageCNN(nn.Module):
    """Image classifier: conv blocks -> 2x2 grid of averages -> hidden layer -> logits.

    For each entry c of ``channels``: Conv2d(c, kernel_size, padding 'same') -> ReLU ->
    MaxPool 2x2. The last feature map [C, h, w] is averaged over each quarter of the grid
    (adaptive average pooling to 2x2) and flattened in (channel, row, column) order into
    g [4 C]; logits = W_2 Dropout(ReLU(W_1 g + b_1)) + b_2. Two blocks turn 8x8 digits into
    2x2 maps (so g is simply the flattened map) and 32x32 images into 8x8 maps (averaged over
    4x4 quarters); H and W must be at least 2 * 2^len(channels).

    Inputs are channels first, [N, C, H, W] (PyTorch's layout; the Keras twin takes
    [N, H, W, C]); [N, H, W] is accepted when ``in_channels == 1``.

    Book: Chapter 3, "Learning from one modality".
    """

    def __init__(
        self,
        in_channels: int = 1,
        n_classes: int = 10,
        channels: Sequence[int] = (16, 32),
        kernel_size: int = 3,
        hidden: int = 64,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        keep_settings(
            self, image_cnn_settings(in_channels, n_classes, channels, kernel_size, hidden, dropout)
        )
        self.features = _conv_blocks(self.in_channels, self.channels, self.kernel_size)
        grid_features = GRID * GRID * self.channels[-1]
        head: list[nn.Module] = [nn.Linear(grid_features, self.hidden), nn.ReLU()]
        if self.dropout > 0:
            head.append(nn.Dropout(self.dropout))
        head.append(nn.Linear(self.hidden, self.n_classes))
        self.head = nn.Sequential(*head)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits [N, n_classes] from images [N, C, H, W] (or [N, H, W] if C = 1)."""
        x = check_tensor(x, "x")
        shape = tuple(x.shape)
        if image_input_needs_channel_axis(
            shape, self.in_channels, len(self.channels), channels_last=False
        ):
            x = x.unsqueeze(1)
        return self.head(F.adaptive_avg_pool2d(self.features(x), GRID).flatten(1))

    def first_filters(self) -> np.ndarray:
        """The first conv layer's kernels as float32 [out_channels, in_channels, k, k]."""
        return self.features[0].weight.detach().cpu().numpy().copy()


class AudioCNN(nn.Module):
    """Spectrogram classifier: conv blocks -> global average pooling -> logits.

    The input is a log-mel (or MFCC) "image" with one channel, [N, 1, n_mels, T] (or
    [N, n_mels, T]). For each entry c of ``channels``: Conv2d(c, 3x3, padding 'same') -> ReLU
    -> MaxPool 2x2. Then g = mean over frequency and time of the last feature map, so any number
    of frames T works (T >= 2^len(channels)), and logits = W Dropout(g) + b.

    Book: Chapter 3, "Learning from one modality" (CNN on spectrograms).
    """

    def __init__(
        self,
        n_mels: int = 40,
        n_classes: int = 10,
        channels: Sequence[int] = (16, 32, 64),
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        keep_settings(self, audio_cnn_settings(n_mels, n_classes, channels, dropout))
        self.features = _conv_blocks(1, self.channels, 3)
        self.head = nn.Sequential(
            *([nn.Dropout(self.dropout)] if self.dropout > 0 else []),
            nn.Linear(self.channels[-1], self.n_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits [N, n_classes] from spectrograms [N, 1, n_mels, T] or [N, n_mels, T]."""
        x = check_tensor(x, "x")
        shape = tuple(x.shape)
        if spectrogram_input_needs_channel_axis(
            shape, self.n_mels, len(self.channels), channels_last=False
        ):
            x = x.unsqueeze(1)
        return self.head(self.features(x).mean(dim=(2, 3)))
