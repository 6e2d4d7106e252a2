"""Tests of course_lib.data.images: layouts and standardisation with training statistics.

Statistics and standardisation are checked against scikit-learn's StandardScaler applied to the
pixels as rows and the channels as features.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.preprocessing import StandardScaler

from course_lib.data.images import (
    add_channel_axis,
    channel_mean_std,
    standardise,
    to_channels_first,
    to_channels_last,
)
from course_lib.data.shapes import make_shapes


@pytest.fixture(scope="module")
def shapes() -> tuple[np.ndarray, np.ndarray]:
    images, _, _ = make_shapes(40, seed=3, image_size=16)
    return images[:30], images[30:]


# ---------------------------------------------------------------------------------- layouts
def test_channels_first_and_last_follow_the_index_formula() -> None:
    x = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5)  # [N, H, W, C]
    first = to_channels_first(x)
    assert first.shape == (2, 5, 3, 4) and first.flags.c_contiguous
    for n, h, w, c in np.ndindex(x.shape):
        assert first[n, c, h, w] == x[n, h, w, c]
    last = to_channels_last(first)
    assert last.flags.c_contiguous
    np.testing.assert_array_equal(last, x)


def test_layout_changes_return_new_arrays() -> None:
    x = np.zeros((1, 2, 2, 3), dtype=np.float32)
    first = to_channels_first(x)
    first[:] = 1
    assert x.sum() == 0 and first.dtype == np.float32


def test_add_channel_axis_at_either_end() -> None:
    grey = np.arange(2 * 8 * 8, dtype=np.float32).reshape(2, 8, 8)
    last, first = add_channel_axis(grey), add_channel_axis(grey, channels_last=False)
    assert last.shape == (2, 8, 8, 1) and first.shape == (2, 1, 8, 8)
    np.testing.assert_array_equal(last[..., 0], grey)
    np.testing.assert_array_equal(first[:, 0], grey)
    np.testing.assert_array_equal(to_channels_first(last), first)


@pytest.mark.parametrize(
    ("fn", "images", "error", "message"),
    [
        (
            to_channels_first,
            np.zeros((8, 8, 3)),
            ValueError,
            r"images: expected a 4-D batch \[N, H, W, C\], got shape \(8, 8, 3\) "
            r"\(add a batch axis with images\[None\] for one image\)",
        ),
        (to_channels_last, np.zeros((2, 3)), ValueError, r"expected a 4-D batch \[N, C, H, W\]"),
        (to_channels_first, np.array([["a"]]), TypeError, "images: expected an array of numbers"),
        (add_channel_axis, np.zeros((2, 8, 8, 1)), ValueError, r"expected a 3-D batch of grey"),
        (add_channel_axis, np.zeros((2, 8, 8), bool), TypeError, "got dtype bool"),
    ],
)
def test_layouts_reject_bad_input(fn, images, error, message) -> None:
    with pytest.raises(error, match=message):
        fn(images)


def test_add_channel_axis_checks_its_flag() -> None:
    with pytest.raises(TypeError, match="channels_last: expected True or False, got str 'yes'"):
        add_channel_axis(np.zeros((1, 2, 2)), channels_last="yes")


# --------------------------------------------------------------------------- standardisation
def test_channel_statistics_equal_standard_scaler_on_pixels(shapes) -> None:
    train, _ = shapes
    mean, std = channel_mean_std(train)
    scaler = StandardScaler().fit(train.reshape(-1, 3))
    assert mean.dtype == std.dtype == np.float64 and mean.shape == std.shape == (3,)
    np.testing.assert_allclose(mean, scaler.mean_, rtol=1e-12)
    np.testing.assert_allclose(std, scaler.scale_, rtol=1e-12)


def test_channel_statistics_do_not_depend_on_the_layout(shapes) -> None:
    train, _ = shapes
    last = channel_mean_std(train)
    first = channel_mean_std(to_channels_first(train), channels_last=False)
    np.testing.assert_allclose(first, last, rtol=1e-12)


def test_standardise_with_training_statistics_equals_standard_scaler(shapes) -> None:
    train, test = shapes
    mean, std = channel_mean_std(train)
    scaler = StandardScaler().fit(train.reshape(-1, 3))
    for split in (train, test):
        z = standardise(split, mean, std)
        assert z.dtype == np.float32 and z.shape == split.shape
        expected = scaler.transform(split.reshape(-1, 3)).reshape(split.shape)
        np.testing.assert_allclose(z, expected, atol=1e-5)
    z_train = standardise(train, mean, std).reshape(-1, 3)
    np.testing.assert_allclose(z_train.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(z_train.std(axis=0), 1, atol=1e-5)


def test_standardise_channels_first_matches_channels_last(shapes) -> None:
    train, _ = shapes
    mean, std = channel_mean_std(train)
    first = standardise(to_channels_first(train), mean, std, channels_last=False)
    np.testing.assert_allclose(to_channels_last(first), standardise(train, mean, std), atol=1e-6)


def test_standardise_constant_channel_becomes_zero_and_scalar_statistics() -> None:
    images = np.zeros((4, 3, 3, 2))
    images[..., 0] = 5.0
    images[..., 1] = np.arange(4)[:, None, None]
    mean, std = channel_mean_std(images)
    assert std[0] == 0
    z = standardise(images, mean, std)
    assert z.dtype == np.float64 and np.all(z[..., 0] == 0) and np.all(np.isfinite(z))
    scaler = StandardScaler().fit(images.reshape(-1, 2))
    np.testing.assert_allclose(z.reshape(-1, 2), scaler.transform(images.reshape(-1, 2)))
    np.testing.assert_allclose(standardise(images, 1.0, 2.0), (images - 1.0) / 2.0)


def test_standardise_small_integer_images_gives_float32() -> None:
    pixels = np.array([[[[0], [255]], [[51], [102]]]], dtype=np.uint8)
    z = standardise(pixels, 127.5, 127.5)
    assert z.dtype == np.float32
    np.testing.assert_allclose(z.ravel(), [-1, 1, -0.6, -0.2], atol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"images": np.zeros((4, 4))}, ValueError, r"images: expected a batch with a channel axis"),
        ({"mean": [0.0, 0.0]}, ValueError, r"mean: expected one number or one per channel \(shape"),
        ({"std": np.ones((3, 1))}, ValueError, r"std: expected one number or one per channel"),
        ({"std": [1.0, -1.0, 1.0]}, ValueError, "std: expected standard deviations >= 0"),
        ({"mean": [0.0, np.nan, 0.0]}, ValueError, "mean: expected finite values"),
        ({"mean": "0"}, TypeError, "mean: expected an array of numbers, got dtype <U1"),
        ({"channels_last": 1}, TypeError, "channels_last: expected True or False, got int"),
    ],
)
def test_standardise_rejects_bad_input(kwargs, error, message) -> None:
    arguments = {"images": np.zeros((2, 4, 4, 3)), "mean": 0.0, "std": 1.0} | kwargs
    with pytest.raises(error, match=message):
        standardise(**arguments)


@pytest.mark.parametrize(
    ("images", "message"),
    [
        (np.zeros((5, 5)), r"images: expected a batch with a channel axis.*got shape \(5, 5\)"),
        (np.zeros((0, 4, 4, 3)), "images: expected at least one pixel"),
        (np.full((1, 2, 2, 1), np.inf), "images: expected finite pixel values"),
    ],
)
def test_channel_mean_std_rejects_bad_input(images, message) -> None:
    with pytest.raises(ValueError, match=message):
        channel_mean_std(images)
