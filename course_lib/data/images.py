"""Image tensors: layouts (channels-last and channels-first) and standardisation.

A batch of N colour images of height H and width W with C channels is one array, stored either
channels-last [N, H, W, C] (NumPy, Matplotlib, TensorFlow/Keras by default) or channels-first
[N, C, H, W] (PyTorch). Standardisation rescales every channel c with statistics of the
*training* images: x' = (x - mu_c) / sigma_c.

Book: Chapter 2, "Images and multimodal batches".
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "add_channel_axis",
    "channel_mean_std",
    "standardise",
    "to_channels_first",
    "to_channels_last",
]


def _numeric(images: ArrayLike, name: str = "images") -> NDArray:
    array = np.asarray(images)
    if array.dtype == np.bool_ or array.dtype.kind not in "iuf":
        raise TypeError(f"{name}: expected an array of numbers, got dtype {array.dtype}")
    return array


def _batch_4d(images: ArrayLike, layout: str) -> NDArray:
    array = _numeric(images)
    if array.ndim != 4:
        hint = " (add a batch axis with images[None] for one image)" if array.ndim == 3 else ""
        raise ValueError(f"images: expected a 4-D batch {layout}, got shape {array.shape}{hint}")
    return array


def _check_flag(value: object, name: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def to_channels_first(images: ArrayLike) -> NDArray:
    """[N, H, W, C] -> [N, C, H, W]: out[n, c, h, w] = images[n, h, w, c].

    Returns a new C-contiguous array (the layout PyTorch's ``nn.Conv2d`` expects).

    Book: Chapter 2, "Images and multimodal batches".
    """
    return np.ascontiguousarray(np.transpose(_batch_4d(images, "[N, H, W, C]"), (0, 3, 1, 2)))


def to_channels_last(images: ArrayLike) -> NDArray:
    """[N, C, H, W] -> [N, H, W, C]: out[n, h, w, c] = images[n, c, h, w].

    Returns a new C-contiguous array (the layout Keras' ``Conv2D`` expects by default).

    Book: Chapter 2, "Images and multimodal batches".
    """
    return np.ascontiguousarray(np.transpose(_batch_4d(images, "[N, C, H, W]"), (0, 2, 3, 1)))


def add_channel_axis(images: ArrayLike, channels_last: bool = True) -> NDArray:
    """Grey images [N, H, W] -> [N, H, W, 1] (channels_last) or [N, 1, H, W].

    Book: Chapter 2, "Images and multimodal batches".
    """
    array = _numeric(images)
    if array.ndim != 3:
        raise ValueError(
            f"images: expected a 3-D batch of grey images [N, H, W], got shape {array.shape}"
        )
    return array[..., None] if _check_flag(channels_last, "channels_last") else array[:, None]


def _channel_axis(array: NDArray, channels_last: bool) -> int:
    if array.ndim < 3:
        raise ValueError(
            "images: expected a batch with a channel axis, [N, H, W, C] or [N, C, H, W], got "
            f"shape {array.shape} (use add_channel_axis for grey images [N, H, W])"
        )
    return array.ndim - 1 if _check_flag(channels_last, "channels_last") else 1


def channel_mean_std(
    images: ArrayLike, channels_last: bool = True
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per-channel mean and standard deviation over all images and pixels, float64 [C] each.

    mu_c = (1 / (N H W)) sum_{n,h,w} x[n, h, w, c],
    sigma_c = sqrt((1 / (N H W)) sum_{n,h,w} (x[n, h, w, c] - mu_c)^2)   (ddof = 0).
    Compute them on the training images only, then :func:`standardise` every split with them.
    Equals ``sklearn.preprocessing.StandardScaler().fit(x.reshape(-1, C))`` (mean_, scale_ up to
    its sigma = 0 -> 1 rule).

    Book: Chapter 2, "Images and multimodal batches".
    """
    array = _numeric(images)
    axis = _channel_axis(array, channels_last)
    if array.size == 0:
        raise ValueError(f"images: expected at least one pixel, got shape {array.shape}")
    pixels = np.moveaxis(array, axis, -1).reshape(-1, array.shape[axis]).astype(np.float64)
    if not np.all(np.isfinite(pixels)):
        raise ValueError("images: expected finite pixel values, got NaN or inf")
    return pixels.mean(axis=0), pixels.std(axis=0)


def _channel_values(value: ArrayLike, name: str, n_channels: int) -> NDArray[np.float64]:
    array = _numeric(value, name).astype(np.float64)
    if array.shape not in {(), (n_channels,)}:
        raise ValueError(
            f"{name}: expected one number or one per channel (shape ({n_channels},)), "
            f"got shape {array.shape}"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: expected finite values, got {array}")
    return array


def standardise(
    images: ArrayLike, mean: ArrayLike, std: ArrayLike, channels_last: bool = True
) -> NDArray[np.floating]:
    """x' = (x - mu_c) / sigma_c for every channel c, with training statistics mu and sigma.

    ``mean`` and ``std`` are one number or one per channel (from :func:`channel_mean_std` on the
    training images). A channel with sigma_c = 0 is constant in training; it is divided by 1 (as
    scikit-learn's StandardScaler does), so it becomes 0 instead of NaN. The result is float32
    for float32 or small integer images (e.g. uint8), float64 otherwise.

    Book: Chapter 2, "Images and multimodal batches".
    """
    array = _numeric(images)
    axis = _channel_axis(array, channels_last)
    n_channels = array.shape[axis]
    mu = _channel_values(mean, "mean", n_channels)
    sigma = _channel_values(std, "std", n_channels)
    if np.any(sigma < 0):
        raise ValueError(f"std: expected standard deviations >= 0, got {sigma}")
    sigma = np.where(sigma == 0, 1.0, sigma)
    shape = [1] * array.ndim
    shape[axis] = -1
    dtype = np.result_type(array.dtype, np.float32)
    mu = np.reshape(mu, shape) if mu.ndim else mu
    sigma = np.reshape(sigma, shape) if sigma.ndim else sigma
    return ((array - mu) / sigma).astype(dtype)
