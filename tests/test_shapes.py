"""Tests of course_lib.data.shapes: the drawn pixels must agree with the captions."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

from course_lib.data.shapes import (
    _HALF_SIZE,
    BACKGROUND,
    COLOURS,
    COLS,
    POSITIONS,
    ROWS,
    SHAPES,
    SIZES,
    _coverage,
    make_shapes,
)

PALETTE = np.array(list(COLOURS.values()), dtype=np.float32)


def _shape_pixels(images: np.ndarray) -> np.ndarray:
    """Pixels at least half covered by the shape: far from the grey background in some channel."""
    return np.abs(images - BACKGROUND).max(axis=-1) > 0.2


@pytest.fixture(scope="module", params=[16, 32, 64])
def world(request) -> tuple[int, np.ndarray, list[str], dict[str, np.ndarray]]:
    images, captions, attributes = make_shapes(600, seed=5, image_size=request.param)
    return request.param, images, captions, attributes


def test_shapes_dtypes_and_range(world) -> None:
    size, images, captions, attributes = world
    assert images.shape == (600, size, size, 3) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert len(captions) == 600 and all(isinstance(c, str) for c in captions)
    assert set(attributes) == {"shape", "colour", "size", "row", "col"}
    allowed = {"shape": SHAPES, "colour": tuple(COLOURS), "size": SIZES, "row": ROWS, "col": COLS}
    for key, values in attributes.items():
        assert isinstance(values, np.ndarray) and values.shape == (600,)
        assert set(values.tolist()) == set(allowed[key]), f"every {key} should occur in 600 images"


def test_constants() -> None:
    assert SHAPES == ("circle", "square", "triangle")
    assert SIZES == ("small", "large")
    assert len(COLOURS) == 5 and len(set(COLOURS.values())) == 5
    assert all(len(rgb) == 3 and all(0 <= c <= 1 for c in rgb) for rgb in COLOURS.values())
    assert len(POSITIONS) == 9 and len(set(POSITIONS)) == 9
    assert POSITIONS[0] == ("top", "left") and POSITIONS[4] == ("middle", "centre")


def test_captions_name_the_attributes() -> None:
    _, captions, attributes = make_shapes(300, seed=1)
    phrases = {
        ("top", "left"): "at the top left",
        ("top", "centre"): "at the top",
        ("top", "right"): "at the top right",
        ("middle", "left"): "on the left",
        ("middle", "centre"): "in the centre",
        ("middle", "right"): "on the right",
        ("bottom", "left"): "at the bottom left",
        ("bottom", "centre"): "at the bottom",
        ("bottom", "right"): "at the bottom right",
    }
    for i, caption in enumerate(captions):
        a = {key: values[i] for key, values in attributes.items()}
        where = phrases[(a["row"], a["col"])]
        assert caption == f"a {a['size']} {a['colour']} {a['shape']} {where}"
    assert len(set(captions)) > 50


def test_dominant_shape_colour_is_the_caption_colour(world) -> None:
    _, images, _, attributes = world
    names = np.array(list(COLOURS))
    direction = PALETTE - BACKGROUND  # a pixel of colour c at coverage a is g + a (c - g)
    pixels = _shape_pixels(images)
    for image, mask, colour in zip(images, pixels, attributes["colour"], strict=True):
        offset = image[mask] - BACKGROUND
        assert len(offset) >= 4
        alpha = np.clip((offset @ direction.T) / (direction**2).sum(-1), 0, 1)
        residual = ((offset[:, None, :] - alpha[..., None] * direction) ** 2).sum(-1)
        votes = np.bincount(residual.argmin(axis=1), minlength=len(names))
        assert names[votes.argmax()] == colour


def test_shape_centroid_lies_in_the_named_grid_cell(world) -> None:
    size, images, _, attributes = world
    cell = size / 3
    pixels = _shape_pixels(images)
    for mask, row, col in zip(pixels, attributes["row"], attributes["col"], strict=True):
        ys, xs = np.nonzero(mask)
        cy, cx = ys.mean() + 0.5, xs.mean() + 0.5
        r, c = ROWS.index(row), COLS.index(col)
        assert r * cell <= cy < (r + 1) * cell, (row, cy)
        assert c * cell <= cx < (c + 1) * cell, (col, cx)


def test_large_shapes_cover_more_pixels_than_small_ones(world) -> None:
    _, images, _, attributes = world
    counts = _shape_pixels(images).sum(axis=(1, 2))
    for shape in SHAPES:
        small = counts[(attributes["shape"] == shape) & (attributes["size"] == "small")]
        large = counts[(attributes["shape"] == shape) & (attributes["size"] == "large")]
        assert large.min() > small.max(), shape


@pytest.mark.parametrize("image_size", [32, 64])
def test_fill_ratio_of_bounding_box_tells_the_shapes_apart(image_size) -> None:
    images, _, attributes = make_shapes(400, seed=2, image_size=image_size)
    fill = []
    for mask in _shape_pixels(images):
        ys, xs = np.nonzero(mask)
        fill.append(len(ys) / ((np.ptp(ys) + 1) * (np.ptp(xs) + 1)))
    fill = np.array(fill)
    large = attributes["size"] == "large"
    square = fill[large & (attributes["shape"] == "square")]
    circle = fill[large & (attributes["shape"] == "circle")]
    triangle = fill[large & (attributes["shape"] == "triangle")]
    assert square.min() >= 0.9  # a square fills its box
    assert circle.min() >= 0.7 and circle.max() <= 0.88  # about pi / 4
    assert triangle.max() <= 0.65  # about 1 / 2


@pytest.mark.parametrize("image_size", range(16, 65))
def test_circle_square_and_triangle_differ_at_every_size(image_size) -> None:
    # anti-aliased edges keep a 3-pixel circle apart from a 3-pixel square
    cell = image_size / 3
    centre = np.array([1.5 * cell + 0.3], dtype=np.float32)
    for fraction in _HALF_SIZE:
        half = np.array([fraction * cell], dtype=np.float32)
        cover = {s: _coverage(s, centre, centre, half, image_size)[0] for s in SHAPES}
        for first, second in (("circle", "square"), ("circle", "triangle"), ("square", "triangle")):
            assert np.abs(cover[first] - cover[second]).sum() >= 1.0, (first, second, fraction)


def test_background_is_light_grey_with_noise() -> None:
    images, _, attributes = make_shapes(50, seed=0, image_size=30)
    # pixels in the two grid rows without the shape are pure background
    bands = np.arange(30) // 10
    background = np.concatenate(
        [
            image[bands != ROWS.index(row)]
            for image, row in zip(images, attributes["row"], strict=True)
        ]
    ).reshape(-1, 3)
    assert abs(background.mean() - BACKGROUND) < 0.005
    assert 0.01 < background.std() < 0.03
    np.testing.assert_array_equal(background[:, 0], background[:, 1])  # grey: R = G = B
    np.testing.assert_array_equal(background[:, 0], background[:, 2])


def test_same_seed_same_world_other_seed_other_world() -> None:
    a = make_shapes(64, seed=11)
    b = make_shapes(64, seed=11)
    np.testing.assert_array_equal(a[0], b[0])
    assert a[1] == b[1]
    for key in a[2]:
        np.testing.assert_array_equal(a[2][key], b[2][key])
    c = make_shapes(64, seed=12)
    assert not np.array_equal(a[0], c[0]) and a[1] != c[1]
    d = make_shapes(64, seed=np.random.default_rng(11))
    np.testing.assert_array_equal(a[0], d[0])


def test_ten_thousand_images_are_fast() -> None:
    start = time.perf_counter()
    images, captions, _ = make_shapes(10_000, seed=0, image_size=32)
    elapsed = time.perf_counter() - start
    assert images.shape == (10_000, 32, 32, 3) and len(captions) == 10_000
    assert elapsed < 5.0, f"make_shapes(10_000) took {elapsed:.2f} s"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 0}, ValueError, "n: expected an int >= 1, got 0"),
        ({"n": 2.5}, TypeError, "n: expected an int >= 1, got 2.5"),
        ({"n": 4, "image_size": 15}, ValueError, "image_size: expected an int >= 16, got 15"),
        ({"n": 4, "image_size": "32"}, TypeError, "image_size: expected an int >= 16"),
        ({"n": 4, "seed": -1}, ValueError, "seed: expected a non-negative int, got -1"),
        ({"n": 4, "seed": "a"}, TypeError, "seed: expected an int or a numpy.random.Generator"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, error, message) -> None:
    with pytest.raises(error) as info:
        make_shapes(**kwargs)
    assert message in str(info.value)


def test_import_does_not_load_a_framework() -> None:
    code = "import sys, course_lib.data.shapes; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not {"torch", "tensorflow", "keras"} & set(out.stdout.split())
