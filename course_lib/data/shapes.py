"""A procedural world of coloured shapes with captions, generated from a seed.

Each image shows one shape (circle, square or triangle) of one colour and one size in one cell
of a 3x3 grid, on a light grey background with a little pixel noise. Its caption names the
four attributes, e.g. "a small red circle at the top left". Position wording:

=========  ==================  ================  ===================
row / col  left                centre            right
=========  ==================  ================  ===================
top        at the top left     at the top        at the top right
middle     on the left         in the centre     on the right
bottom     at the bottom left  at the bottom     at the bottom right
=========  ==================  ================  ===================

Drawing is vectorised over all images at once (coordinate grids, no Python loop over pixels).
For a pixel centre (y, x), a shape with centre (c_y, c_x) and half-size h has the signed distance
d (in pixels, negative inside), with u = y - c_y and v = x - c_x:

- circle: d = sqrt(u^2 + v^2) - h
- square: d = max(|u|, |v|) - 0.85 h   (0.85 gives the square about the circle's area)
- triangle pointing up (apex at u = -h, base at u = +h, base width 2h):
  d = max(u - h, (2|v| - u - h) / sqrt(5))

The pixel's coverage a = clip(1/2 - d, 0, 1) blends the shape's colour over the background,
pixel = a * colour + (1 - a) * background, which smooths the edges (anti-aliasing) so circles and
squares stay distinct even when they are only a few pixels wide.

Book: Chapter 2 (Multimodal data and preprocessing); the image-text world of the matching,
retrieval and captioning chapters.
"""

from __future__ import annotations

import numbers

import numpy as np

SHAPES = ("circle", "square", "triangle")
COLOURS = {
    "red": (0.85, 0.10, 0.10),
    "green": (0.10, 0.60, 0.15),
    "blue": (0.10, 0.25, 0.85),
    "yellow": (0.95, 0.80, 0.05),
    "purple": (0.55, 0.15, 0.70),
}
"""Colour name -> RGB in [0, 1]."""
SIZES = ("small", "large")
ROWS = ("top", "middle", "bottom")
COLS = ("left", "centre", "right")
POSITIONS = tuple((row, col) for row in ROWS for col in COLS)
"""The nine grid cells as (row, col), row-major from the top left."""

BACKGROUND = 0.9
"""Grey level of the background; each background pixel gets grey Gaussian noise (the same in R, G
and B) of standard deviation NOISE."""
NOISE = 0.02
_HALF_SIZE = (0.25, 0.45)
"""Half-size h of a small and of a large shape, as a fraction of a grid cell's side."""
_PHRASES = {
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


def _coverage(
    shape: str, centre_y: np.ndarray, centre_x: np.ndarray, half: np.ndarray, image_size: int
) -> np.ndarray:
    """Coverage a = clip(1/2 - d, 0, 1) [m, H, W] of one kind of shape for m centres and sizes."""
    grid = np.arange(image_size, dtype=np.float32) + 0.5
    u = grid[None, :, None] - centre_y[:, None, None]
    v = grid[None, None, :] - centre_x[:, None, None]
    h = half[:, None, None]
    if shape == "circle":
        distance = np.sqrt(u**2 + v**2) - h
    elif shape == "square":
        distance = np.maximum(np.abs(u), np.abs(v)) - 0.85 * h
    else:
        distance = np.maximum(u - h, (2 * np.abs(v) - u - h) / np.sqrt(np.float32(5)))
    return np.clip(0.5 - distance, 0.0, 1.0)


def make_shapes(
    n: int, seed: int | np.random.Generator = 0, image_size: int = 32
) -> tuple[np.ndarray, list[str], dict[str, np.ndarray]]:
    """Draw ``n`` images of coloured shapes with their captions and attributes.

    Shape, colour, size, row and column are drawn independently and uniformly. The shape's
    centre is the centre of its grid cell, moved at random as far as the shape still fits in
    the cell (half a pixel of margin); small shapes move more than large ones.

    Parameters
    ----------
    n : int >= 1
        Number of images.
    seed : int or numpy.random.Generator
        The same seed gives the same images, captions and attributes.
    image_size : int >= 16
        Height and width in pixels.

    Returns
    -------
    images : float32 [n, image_size, image_size, 3] in [0, 1]
    captions : list of n str, e.g. "a large blue triangle in the centre"
    attributes : dict of str arrays of length n: "shape", "colour", "size", "row", "col"

    Book: Chapter 2 (Multimodal data and preprocessing).
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n: expected an int >= 1, got {n!r}")
    if n < 1:
        raise ValueError(f"n: expected an int >= 1, got {n}")
    if isinstance(image_size, bool) or not isinstance(image_size, numbers.Integral):
        raise TypeError(f"image_size: expected an int >= 16, got {image_size!r}")
    if image_size < 16:
        raise ValueError(f"image_size: expected an int >= 16, got {image_size}")
    if not isinstance(seed, np.random.Generator) and (
        isinstance(seed, bool) or not isinstance(seed, numbers.Integral)
    ):
        raise TypeError(f"seed: expected an int or a numpy.random.Generator, got {seed!r}")
    if not isinstance(seed, np.random.Generator) and seed < 0:
        raise ValueError(f"seed: expected a non-negative int, got {seed}")
    rng = np.random.default_rng(seed)
    n, image_size = int(n), int(image_size)

    choices = {"shape": SHAPES, "colour": tuple(COLOURS), "size": SIZES, "row": ROWS, "col": COLS}
    ids = {key: rng.integers(len(names), size=n) for key, names in choices.items()}
    attributes = {key: np.array(names)[ids[key]] for key, names in choices.items()}

    cell = image_size / 3
    half = (np.array(_HALF_SIZE)[ids["size"]] * cell).astype(np.float32)
    max_jitter = np.maximum(0.5 * cell - half - 0.5, 0.0)
    centre_y, centre_x = (
        ((ids[key] + 0.5) * cell + rng.uniform(-1.0, 1.0, size=n) * max_jitter).astype(np.float32)
        for key in ("row", "col")
    )
    rgb = np.array(list(COLOURS.values()), dtype=np.float32)[ids["colour"]]

    grey = rng.standard_normal((n, image_size, image_size), dtype=np.float32)
    grey = np.clip(BACKGROUND + NOISE * grey, 0.0, 1.0)[..., None]
    images = np.empty((n, image_size, image_size, 3), dtype=np.float32)
    for k, shape in enumerate(SHAPES):
        rows = np.flatnonzero(ids["shape"] == k)
        alpha = _coverage(shape, centre_y[rows], centre_x[rows], half[rows], image_size)[..., None]
        images[rows] = alpha * rgb[rows, None, None, :] + (1 - alpha) * grey[rows]

    captions = [
        f"a {size} {colour} {shape} {_PHRASES[(row, col)]}"
        for shape, colour, size, row, col in zip(
            *(attributes[key] for key in ("shape", "colour", "size", "row", "col")), strict=True
        )
    ]
    return images, captions, attributes
