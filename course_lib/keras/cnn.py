"""Convolutional networks for images and spectrograms (Keras 3, channels last).

The same models as ``course_lib.torch.cnn`` with the same constructor arguments; only the
input layout differs: Keras convolutions are channels last, [N, H, W, C], PyTorch's channels
first, [N, C, H, W]. Conv blocks h <- MaxPool_2x2(ReLU(W * h + b)) ('same' padding), then
averages over regions of the grid (the four quarters for ``ImageCNN``, the whole grid for
``AudioCNN``), so any image size or number of audio frames works. The convolutions start from
He initialisation (variance 2 / fan_in), as in PyTorch's twin.

Book: Chapter 3, "Learning from one modality" (CNNs for images, CNNs on spectrograms).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from course_lib._models_common import (
    GRID,
    audio_cnn_settings,
    image_cnn_settings,
    image_input_needs_channel_axis,
    keep_settings,
    spectrogram_input_needs_channel_axis,
)

__all__ = ["AudioCNN", "ImageCNN"]


def _conv_blocks(in_channels: int, channels: tuple[int, ...], kernel_size: int) -> list:
    """One built 'same'-padded, He-initialised Conv2D with ReLU per block (pooling in ``call``).

    ``he_normal``: W from a normal truncated at 2 standard deviations, variance 2 / fan_in.
    """
    convs = []
    for block, out_channels in enumerate(channels):
        conv = keras.layers.Conv2D(
            out_channels,
            kernel_size,
            padding="same",
            activation="relu",
            kernel_initializer="he_normal",
            name=f"conv_{block}",
        )
        conv.build((None, None, None, in_channels))
        convs.append(conv)
        in_channels = out_channels
    return convs


def _feature_maps(convs: list, pool: keras.layers.Layer, x: Any) -> Any:
    """The last feature map [N, h, w, C] after every conv block and its 2x2 max-pooling."""
    for conv in convs:
        x = pool(conv(x))
    return x


@keras.saving.register_keras_serializable(package="course_lib")
class ImageCNN(keras.Model):
    """Image classifier: conv blocks -> 2x2 grid of averages -> hidden layer -> logits.

    For each entry c of ``channels``: Conv2D(c, kernel_size, padding 'same') -> ReLU ->
    MaxPool 2x2. The last feature map [h, w, C] is averaged over each quarter of the grid
    (adaptive average pooling to 2x2) and flattened in (channel, row, column) order, PyTorch's
    order, into g [4 C], so that the hidden layer's weights mean the same in both frameworks;
    logits = W_2 Dropout(ReLU(W_1 g + b_1)) + b_2. Two blocks turn 8x8 digits into 2x2 maps
    and 32x32 images into 8x8 maps; H and W must be at least 2 * 2^len(channels) and, when the
    model is traced symbolically (``keras.Input``), known in advance (only N may be None).

    Inputs are channels last, [N, H, W, C] (Keras' layout; the PyTorch twin takes
    [N, C, H, W]); [N, H, W] is accepted when ``in_channels == 1``. The weights exist as soon
    as the model is built (no need to call it once first).

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
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        keep_settings(
            self, image_cnn_settings(in_channels, n_classes, channels, kernel_size, hidden, dropout)
        )
        self.convs = _conv_blocks(self.in_channels, self.channels, self.kernel_size)
        self.pool = keras.layers.MaxPooling2D(2)
        self.grid = keras.layers.AdaptiveAveragePooling2D((GRID, GRID))
        self.hidden_layer = keras.layers.Dense(self.hidden, activation="relu", name="hidden")
        self.hidden_layer.build((None, GRID * GRID * self.channels[-1]))
        self.dropout_layer = keras.layers.Dropout(self.dropout) if self.dropout > 0 else None
        self.output_layer = keras.layers.Dense(self.n_classes, name="logits")
        self.output_layer.build((None, self.hidden))
        self.built = True

    def call(self, x: Any, training: bool | None = None) -> Any:
        """Class logits [N, n_classes] from images [N, H, W, C] (or [N, H, W] if C = 1)."""
        shape = tuple(x.shape)
        if image_input_needs_channel_axis(
            shape, self.in_channels, len(self.channels), channels_last=True
        ):
            x = keras.ops.expand_dims(x, -1)
        grid = self.grid(_feature_maps(self.convs, self.pool, x))  # [N, 2, 2, C]
        g = keras.ops.reshape(
            keras.ops.transpose(grid, (0, 3, 1, 2)), (-1, GRID * GRID * self.channels[-1])
        )
        h = self.hidden_layer(g)
        if self.dropout_layer is not None:
            h = self.dropout_layer(h, training=training)
        return self.output_layer(h)

    def first_filters(self) -> np.ndarray:
        """The first conv layer's kernels as float32 [out_channels, in_channels, k, k].

        Keras stores them as [k, k, in, out]; they are transposed to PyTorch's order so that
        both frameworks give the same picture.
        """
        kernel = self.convs[0].kernel.numpy()
        return np.ascontiguousarray(kernel.transpose(3, 2, 0, 1))

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, **self.settings}


@keras.saving.register_keras_serializable(package="course_lib")
class AudioCNN(keras.Model):
    """Spectrogram classifier: conv blocks -> global average pooling -> logits.

    The input is a log-mel (or MFCC) "image" with one channel, channels last:
    [N, n_mels, T, 1] (or [N, n_mels, T]). For each entry c of ``channels``: Conv2D(c, 3x3,
    padding 'same') -> ReLU -> MaxPool 2x2. Then g = mean over frequency and time of the last
    feature map, so any number of frames T works (T >= 2^len(channels)), and
    logits = W Dropout(g) + b.

    Book: Chapter 3, "Learning from one modality" (CNN on spectrograms).
    """

    def __init__(
        self,
        n_mels: int = 40,
        n_classes: int = 10,
        channels: Sequence[int] = (16, 32, 64),
        dropout: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        keep_settings(self, audio_cnn_settings(n_mels, n_classes, channels, dropout))
        self.convs = _conv_blocks(1, self.channels, 3)
        self.pool = keras.layers.MaxPooling2D(2)
        self.dropout_layer = keras.layers.Dropout(self.dropout) if self.dropout > 0 else None
        self.output_layer = keras.layers.Dense(self.n_classes, name="logits")
        self.output_layer.build((None, self.channels[-1]))
        self.built = True

    def call(self, x: Any, training: bool | None = None) -> Any:
        """Class logits [N, n_classes] from spectrograms [N, n_mels, T, 1] or [N, n_mels, T]."""
        shape = tuple(x.shape)
        if spectrogram_input_needs_channel_axis(
            shape, self.n_mels, len(self.channels), channels_last=True
        ):
            x = keras.ops.expand_dims(x, -1)
        g = keras.ops.mean(_feature_maps(self.convs, self.pool, x), axis=(1, 2))
        if self.dropout_layer is not None:
            g = self.dropout_layer(g, training=training)
        return self.output_layer(g)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, **self.settings}
