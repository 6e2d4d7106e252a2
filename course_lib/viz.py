"""Matplotlib helpers for the pictures every chapter draws.

Book: Chapter 2 (images, waveforms, spectrograms), Chapter 3 onwards (training curves),
Chapter 7 (retrieval grids) and Chapter 10 "Evaluating multimodal models" (confusion matrix,
bar charts). Every function draws into an Axes (``ax=None`` makes a new figure) or, for grids,
into a Figure (``fig=None`` makes a new one), and returns what it drew into.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

__all__ = [
    "show_images",
    "plot_waveform",
    "plot_spectrogram",
    "plot_history",
    "plot_confusion_matrix",
    "plot_retrieval",
    "plot_bar",
]

HIT_COLOUR = "#2ca02c"
MISS_COLOUR = "#d62728"


# ------------------------------------------------------------------------------------ input checks
def _numeric_array(name: str, values: ArrayLike) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected real numbers, got dtype {arr.dtype}")
    if arr.size == 0:
        raise ValueError(f"{name}: expected at least one value, got shape {arr.shape}")
    return arr


def _image_stack(name: str, images: ArrayLike, lead_dims: int, lead_shape: str) -> np.ndarray:
    """Check a stack of grayscale [..., H, W] or RGB [..., H, W, 3] images."""
    arr = _numeric_array(name, images)
    gray = arr.ndim == lead_dims + 2
    rgb = arr.ndim == lead_dims + 3 and arr.shape[-1] == 3
    if not (gray or rgb):
        raise ValueError(
            f"{name}: expected grayscale images {lead_shape + ', H, W]'} or RGB images "
            f"{lead_shape + ', H, W, 3]'}, got shape {arr.shape}"
        )
    return arr


def _positive_number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{name}: expected a positive number, got {type(value).__name__}")
    if not value > 0:
        raise ValueError(f"{name}: expected a positive number, got {value}")
    return float(value)


def _titles(name: str, titles: Sequence[str] | None, n: int, what: str) -> list[str] | None:
    if titles is None:
        return None
    if isinstance(titles, str) or len(titles) != n:
        got = "a single string" if isinstance(titles, str) else f"length {len(titles)}"
        raise ValueError(f"{name}: expected a sequence of {n} strings (one per {what}), got {got}")
    return [str(t) for t in titles]


def _new_axes(ax: Axes | None, figsize: tuple[float, float] = (6.0, 3.0)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


# -------------------------------------------------------------------------------- images and audio
def show_images(
    images: ArrayLike,
    titles: Sequence[str] | None = None,
    ncols: int = 8,
    cmap: str = "gray",
    vmin: float | None = None,
    vmax: float | None = None,
    fig: Figure | None = None,
) -> Figure:
    """Show a grid of images, ``ncols`` per row, with an optional title above each.

    images: grayscale [N, H, W] (drawn with ``cmap``) or RGB [N, H, W, 3] in [0, 1].
    vmin, vmax: fixed grey-level range (default: each image is scaled on its own).

    Book: Chapter 2, image data.
    """
    arr = _image_stack("images", images, lead_dims=1, lead_shape="[N")
    n = arr.shape[0]
    names = _titles("titles", titles, n, "image")
    if isinstance(ncols, bool) or not isinstance(ncols, int | np.integer) or ncols < 1:
        raise ValueError(f"ncols: expected a positive int, got {ncols!r}")
    ncols = min(int(ncols), n)
    nrows = math.ceil(n / ncols)
    if fig is None:
        fig = plt.figure(figsize=(1.3 * ncols, (1.3 + 0.3 * (names is not None)) * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i < n:
            ax.imshow(arr[i], cmap=cmap, vmin=vmin, vmax=vmax)
            if names is not None:
                ax.set_title(names[i], fontsize=9)
    return fig


def plot_waveform(
    y: ArrayLike, sr: float, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """Plot a mono waveform y[n] against time t = n / sr seconds.

    Book: Chapter 2, audio data.
    """
    wave = _numeric_array("y", y)
    if wave.ndim != 1:
        raise ValueError(f"y: expected a 1-D waveform [n_samples], got shape {wave.shape}")
    sr = _positive_number("sr", sr)
    ax = _new_axes(ax)
    t = np.arange(wave.size) / sr
    ax.plot(t, wave, linewidth=0.8)
    ax.set_xlim(0.0, max(t[-1], 1.0 / sr))
    ax.set_xlabel("time (s)")
    ax.set_ylabel("amplitude")
    if title is not None:
        ax.set_title(title)
    return ax


def plot_spectrogram(
    S_db: ArrayLike,
    sr: float,
    hop_length: int,
    ax: Axes | None = None,
    y_axis: str = "mel",
    title: str | None = None,
    colorbar: bool = True,
    cmap: str = "magma",
) -> Axes:
    """Show a (log-)spectrogram [F, T] in dB: time on x, frequency or mel band on y.

    Frame t is centred at t * hop_length / sr seconds (centred frames, as in librosa).
    y_axis="linear": rows are STFT bins 0..sr/2 Hz; y_axis="mel": rows are mel bands 0..F-1.

    Book: Chapter 2, audio features (STFT, mel, MFCC).
    """
    spec = _numeric_array("S_db", S_db)
    if spec.ndim != 2:
        raise ValueError(f"S_db: expected a 2-D array [n_freq, n_frames], got shape {spec.shape}")
    sr = _positive_number("sr", sr)
    if isinstance(hop_length, bool) or not isinstance(hop_length, int | np.integer):
        raise TypeError(f"hop_length: expected a positive int, got {type(hop_length).__name__}")
    if hop_length < 1:
        raise ValueError(f"hop_length: expected a positive int, got {hop_length}")
    if y_axis not in ("mel", "linear"):
        raise ValueError(f"y_axis: expected 'mel' or 'linear', got {y_axis!r}")
    n_freq, n_frames = spec.shape
    frame_seconds = hop_length / sr
    x_extent = (-0.5 * frame_seconds, (n_frames - 0.5) * frame_seconds)
    if y_axis == "linear":
        bin_hz = sr / 2 / max(n_freq - 1, 1)
        y_extent = (-0.5 * bin_hz, (n_freq - 0.5) * bin_hz)
        ylabel = "frequency (Hz)"
    else:
        y_extent = (-0.5, n_freq - 0.5)
        ylabel = "mel band"
    ax = _new_axes(ax)
    image = ax.imshow(spec, origin="lower", aspect="auto", cmap=cmap, extent=(*x_extent, *y_extent))
    ax.set_xlabel("time (s)")
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="level (dB)")
    return ax


# ------------------------------------------------------------------------- training and evaluation
def plot_history(
    history: Mapping[str, Sequence[float]] | Sequence[Mapping[str, Sequence[float]]],
    metrics: str | Sequence[str] = ("loss",),
    ax: Axes | Sequence[Axes] | None = None,
    labels: Sequence[str] | None = None,
) -> Axes | list[Axes]:
    """Training curves: each metric against epoch (1-based), train solid, validation dashed.

    history: the dict returned by ``fit`` ({"loss": [...], "val_loss": [...], ...}) or a list of
    such dicts (several runs, e.g. seeds or models, named by ``labels``). The validation curve
    of metric m is drawn when the key "val_" + m exists.
    Returns one Axes per metric: a single Axes for one metric, else a list (like plt.subplots).

    Book: Chapter 3 onwards (training), Chapter 10 (seeds and variance).
    """
    runs = [history] if isinstance(history, Mapping) else history
    if (
        isinstance(runs, str)
        or not isinstance(runs, Sequence)
        or not runs
        or not all(isinstance(h, Mapping) for h in runs)
    ):
        raise TypeError(
            "history: expected a dict of metric lists or a non-empty list of such dicts, "
            f"got {type(history).__name__}"
        )
    names = _titles("labels", labels, len(runs), "history")
    if names is None:
        names = [f"run {i + 1}" for i in range(len(runs))] if len(runs) > 1 else [""]
    wanted = [metrics] if isinstance(metrics, str) else list(metrics)
    if not wanted:
        raise ValueError("metrics: expected at least one metric name, got none")
    for metric in wanted:
        for h in runs:
            if metric not in h:
                raise ValueError(
                    f"metrics: {metric!r} is not in the history; available keys: {sorted(h)}"
                )
    if ax is None:
        _, grid = plt.subplots(1, len(wanted), figsize=(4.5 * len(wanted), 3.2), squeeze=False)
        axes = list(grid.flat)
    else:
        axes = [ax] if isinstance(ax, Axes) else list(ax)
        if len(axes) != len(wanted):
            raise ValueError(f"ax: expected {len(wanted)} Axes (one per metric), got {len(axes)}")
    for metric, axis in zip(wanted, axes, strict=True):
        for i, (name, h) in enumerate(zip(names, runs, strict=True)):
            for key, style, part in ((metric, "-", "train"), (f"val_{metric}", "--", "validation")):
                if key not in h:
                    continue
                values = np.asarray(h[key], dtype=float)
                if values.ndim != 1 or values.size == 0:
                    raise ValueError(
                        f"history: expected {key!r} to be a non-empty list of numbers (one per "
                        f"epoch), got shape {values.shape}"
                    )
                epochs = np.arange(1, values.size + 1)
                label = f"{name} {part}".strip()
                axis.plot(epochs, values, linestyle=style, marker=".", color=f"C{i}", label=label)
        axis.set_xlabel("epoch")
        axis.set_ylabel(metric.replace("_", " "))
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.legend()
    return axes[0] if len(axes) == 1 else axes


def plot_confusion_matrix(
    cm: ArrayLike,
    class_names: Sequence[str] | None = None,
    normalize: bool = False,
    ax: Axes | None = None,
    cmap: str = "Blues",
    title: str | None = None,
) -> Axes:
    """Draw a confusion matrix (rows true, columns predicted) with the value in every cell.

    normalize=True divides each row by its total, R[i, j] = C[i, j] / sum_j C[i, j]
    (the rate at which true class i is predicted as j; a row without samples stays 0).

    Book: Chapter 10, confusion matrix.
    """
    counts = _numeric_array("cm", cm).astype(float)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError(f"cm: expected a square 2-D array [C, C], got shape {counts.shape}")
    if not np.isfinite(counts).all() or (counts < 0).any():
        raise ValueError("cm: expected finite, non-negative counts")
    n = counts.shape[0]
    names = _titles("class_names", class_names, n, "class")
    if normalize:
        totals = counts.sum(axis=1, keepdims=True)
        values = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
        fmt, vmax, bar_label = "{:.2f}", 1.0, "rate (row-normalised)"
    else:
        values = counts
        fmt = "{:.0f}" if np.all(counts == np.round(counts)) else "{:.2f}"
        vmax, bar_label = max(float(counts.max()), 1.0), "count"
    ax = _new_axes(ax, figsize=(0.5 * n + 2.5, 0.5 * n + 2.0))
    image = ax.imshow(values, cmap=cmap, vmin=0.0, vmax=vmax)
    ax.figure.colorbar(image, ax=ax, label=bar_label)
    for i in range(n):
        for j in range(n):
            colour = "white" if values[i, j] > vmax / 2 else "black"
            ax.text(j, i, fmt.format(values[i, j]), ha="center", va="center", color=colour)
    ticks = np.arange(n)
    tick_labels = names if names is not None else [str(i) for i in ticks]
    if max(map(len, tick_labels)) > 2:
        ax.set_xticks(ticks, tick_labels, rotation=45, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticks(ticks, tick_labels)
    ax.set_yticks(ticks, tick_labels)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    if title is not None:
        ax.set_title(title)
    return ax


def plot_retrieval(
    query_titles: Sequence[str],
    gallery_images: ArrayLike,
    hits: ArrayLike,
    gallery_titles: Sequence[Sequence[str]] | None = None,
    cmap: str = "gray",
    fig: Figure | None = None,
    title: str | None = None,
) -> Figure:
    """Retrieval grid: one row per query, its text at left, then its top-K results in rank
    order, each framed green when it is a correct match (hit) and red when not.

    gallery_images: [Q, K, H, W] grayscale or [Q, K, H, W, 3] RGB; hits: bool [Q, K];
    gallery_titles: optional [Q][K] strings written under each result.

    Book: Chapter 7, cross-modal retrieval (and Chapter 1).
    """
    images = _image_stack("gallery_images", gallery_images, lead_dims=2, lead_shape="[Q, K")
    n_queries, k = images.shape[:2]
    queries = _titles("query_titles", query_titles, n_queries, "row of gallery_images")
    hit = np.asarray(hits)
    if hit.dtype != np.bool_:
        raise TypeError(f"hits: expected a boolean array [Q, K], got dtype {hit.dtype}")
    if hit.shape != (n_queries, k):
        raise ValueError(f"hits: expected shape {(n_queries, k)} (Q, K), got {hit.shape}")
    if gallery_titles is not None:
        shape = np.shape(np.asarray(gallery_titles, dtype=object))
        if shape != (n_queries, k):
            raise ValueError(
                f"gallery_titles: expected {n_queries} rows of {k} strings, got shape {shape}"
            )
    if fig is None:
        fig = plt.figure(figsize=(2.2 + 1.2 * k, 1.4 * n_queries + 0.4))
    axes = fig.subplots(n_queries, k + 1, squeeze=False, width_ratios=[2] + [1] * k)
    for q in range(n_queries):
        text_ax = axes[q, 0]
        text_ax.set_axis_off()
        text_ax.text(1.0, 0.5, queries[q], ha="right", va="center", transform=text_ax.transAxes)
        for j in range(k):
            ax = axes[q, j + 1]
            ax.imshow(images[q, j], cmap=cmap)
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_color(HIT_COLOUR if hit[q, j] else MISS_COLOUR)
                spine.set_linewidth(3)
            if q == 0:
                ax.set_title(f"rank {j + 1}", fontsize=9)
            if gallery_titles is not None:
                ax.set_xlabel(str(gallery_titles[q][j]), fontsize=8)
    if title is not None:
        fig.suptitle(title)
    return fig


def plot_bar(
    values: Mapping[str, float],
    errors: Mapping[str, float] | None = None,
    ax: Axes | None = None,
    ylabel: str = "accuracy",
    title: str | None = None,
    ylim: tuple[float, float] | None = None,
    fmt: str = ".2f",
) -> Axes:
    """Bar chart of one number per name (e.g. test accuracy per modality), value on each bar.

    errors: optional error-bar half-widths with the same keys (e.g. std over seeds).

    Book: Chapter 6 (fusion vs single modalities) and Chapter 10 (seeds and variance).
    """
    if not isinstance(values, Mapping) or not values:
        raise TypeError(
            f"values: expected a non-empty dict name -> number, got {type(values).__name__}"
        )
    names = [str(name) for name in values]
    heights = _numeric_array("values", list(values.values())).astype(float)
    if not np.isfinite(heights).all():
        raise ValueError("values: expected finite numbers")
    yerr = None
    if errors is not None:
        if not isinstance(errors, Mapping) or set(errors) != set(values):
            raise ValueError(
                f"errors: expected a dict with the same keys as values {sorted(names)}, "
                f"got {sorted(map(str, errors)) if isinstance(errors, Mapping) else errors!r}"
            )
        yerr = _numeric_array("errors", [errors[name] for name in values]).astype(float)
        if not (np.isfinite(yerr) & (yerr >= 0)).all():
            raise ValueError("errors: expected finite, non-negative error-bar half-widths")
    ax = _new_axes(ax, figsize=(1.0 + 0.9 * len(names), 3.0))
    bars = ax.bar(names, heights, yerr=yerr, capsize=4, color=[f"C{i}" for i in range(len(names))])
    ax.bar_label(bars, labels=[format(h, fmt) for h in heights], padding=2)
    ax.set_ylabel(ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if title is not None:
        ax.set_title(title)
    return ax
