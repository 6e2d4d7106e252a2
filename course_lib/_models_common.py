"""Framework-free checks of the Chapter 3 models, shared by ``course_lib.torch`` and ``.keras``.

Both frameworks build the same CNNs and recurrent models from the same constructor arguments;
the arguments (``*_settings``: the checked arguments by name, which each model keeps as
attributes) and the shapes of their inputs are checked here, so that both sides raise the
same messages. The only difference is the image layout: PyTorch is channels first
([N, C, H, W]), Keras channels last ([N, H, W, C]).

Book: Chapter 3, "Learning from one modality" (CNNs for images and spectrograms, RNNs for
sequences).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from course_lib._training_common import Shape, check_dropout, check_positive_int

CELLS = ("lstm", "gru")
GRID = 2
"""ImageCNN averages its last feature map over a GRID x GRID grid of regions."""


# --------------------------------------------------------------------------- constructor args


def check_cell(cell: object) -> str:
    """Return the recurrent cell's name, "lstm" or "gru"."""
    if not isinstance(cell, str) or cell not in CELLS:
        raise ValueError(f"cell: expected one of {CELLS}, got {cell!r}")
    return cell


def check_channels(channels: object) -> tuple[int, ...]:
    """Return ``channels`` (output channels of each conv block) as a non-empty tuple of ints."""
    if isinstance(channels, str) or not isinstance(channels, Sequence):
        raise TypeError(
            "channels: expected a sequence of ints, one per conv block (e.g. (16, 32)), "
            f"got {type(channels).__name__}"
        )
    if len(channels) == 0:
        raise ValueError("channels: expected at least one conv block, got an empty sequence")
    return tuple(check_positive_int(c, f"channels[{b}]") for b, c in enumerate(channels))


def check_pad_id(pad_id: object, vocab_size: int) -> int:
    """Return the padding token id as an int in [0, vocab_size)."""
    if isinstance(pad_id, bool) or not isinstance(pad_id, int | np.integer):
        raise TypeError(f"pad_id: expected an int, got {type(pad_id).__name__} ({pad_id!r})")
    if not 0 <= pad_id < vocab_size:
        raise ValueError(f"pad_id: expected a token id in [0, {vocab_size}), got {pad_id}")
    return int(pad_id)


def _check_flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name}: expected True or False, got {value!r}")
    return value


def keep_settings(model: object, settings: dict[str, Any]) -> None:
    """Store each checked constructor argument as an attribute, and all of them as ``settings``.

    ``model.settings`` is what a Keras model's ``get_config`` returns (with its name).
    """
    model.settings = settings
    for name, value in settings.items():
        setattr(model, name, value)


def image_cnn_settings(
    in_channels: object,
    n_classes: object,
    channels: object,
    kernel_size: object,
    hidden: object,
    dropout: object,
) -> dict[str, Any]:
    """The checked constructor arguments of ``ImageCNN``."""
    return {
        "in_channels": check_positive_int(in_channels, "in_channels"),
        "n_classes": check_positive_int(n_classes, "n_classes", minimum=2),
        "channels": check_channels(channels),
        "kernel_size": check_positive_int(kernel_size, "kernel_size"),
        "hidden": check_positive_int(hidden, "hidden"),
        "dropout": check_dropout(dropout),
    }


def audio_cnn_settings(
    n_mels: object, n_classes: object, channels: object, dropout: object
) -> dict[str, Any]:
    """The checked constructor arguments of ``AudioCNN`` (n_mels survives every pooling)."""
    channels = check_channels(channels)
    return {
        "n_mels": check_positive_int(n_mels, "n_mels", minimum=2 ** len(channels)),
        "n_classes": check_positive_int(n_classes, "n_classes", minimum=2),
        "channels": channels,
        "dropout": check_dropout(dropout),
    }


def sequence_encoder_settings(
    input_size: object,
    hidden_size: object,
    cell: object,
    num_layers: object,
    bidirectional: object,
) -> dict[str, Any]:
    """The checked constructor arguments of ``SequenceEncoder``."""
    return {
        "input_size": check_positive_int(input_size, "input_size"),
        "hidden_size": check_positive_int(hidden_size, "hidden_size"),
        "cell": check_cell(cell),
        "num_layers": check_positive_int(num_layers, "num_layers"),
        "bidirectional": _check_flag(bidirectional, "bidirectional"),
    }


def next_word_settings(
    vocab_size: object, embed_dim: object, hidden_size: object, cell: object, pad_id: object
) -> dict[str, Any]:
    """The checked constructor arguments of ``NextWordModel``."""
    vocab_size = check_positive_int(vocab_size, "vocab_size", minimum=2)
    return {
        "vocab_size": vocab_size,
        "embed_dim": check_positive_int(embed_dim, "embed_dim"),
        "hidden_size": check_positive_int(hidden_size, "hidden_size"),
        "cell": check_cell(cell),
        "pad_id": check_pad_id(pad_id, vocab_size),
    }


# --------------------------------------------------------------------------- grids (images)


def _layout(channels: int, axes: Sequence[str], channels_last: bool) -> str:
    dims = [*axes, f"C={channels}"] if channels_last else [f"C={channels}", *axes]
    return "[N, " + ", ".join(dims) + "]"


def check_grid_input(
    shape: Shape,
    channels: int,
    axes: tuple[str, str],
    min_size: int,
    *,
    channels_last: bool,
    fixed: tuple[int | None, int | None] = (None, None),
    name: str = "x",
    why: str = "each conv block halves it with a 2x2 max-pooling",
) -> bool:
    """Check a batch of 2-D grids (images, spectrograms); True if the channel axis is missing.

    Expected: [N, C, A, B] (channels first) or [N, A, B, C] (channels last), where A and B are
    named by ``axes``; [N, A, B] is also accepted when C = 1. ``fixed`` gives a required size of
    A or B (e.g. n_mels), ``min_size`` the smallest A and B that survive the max-poolings
    (``why`` tells the user why, in the error). Unknown sizes (``None``) are not checked.
    """
    shape = tuple(shape)
    layout = _layout(channels, axes, channels_last)
    expected = layout + (f" or [N, {', '.join(axes)}]" if channels == 1 else "")
    if len(shape) == 3 and channels == 1:
        grid, add_channel_axis = shape[1:], True
    elif len(shape) == 4:
        grid = shape[1:3] if channels_last else shape[2:]
        found, other = (shape[3], shape[1]) if channels_last else (shape[1], shape[3])
        if found is not None and found != channels:
            hint = ""
            if other == channels:
                hint = (
                    " (channels first? Keras wants channels last: np.transpose(x, (0, 2, 3, 1)))"
                    if channels_last
                    else " (channels last? PyTorch wants channels first: x.permute(0, 3, 1, 2))"
                )
            raise ValueError(f"{name}: expected {layout}, got shape {shape}{hint}")
        add_channel_axis = False
    else:
        raise ValueError(f"{name}: expected {expected}, got shape {shape}")
    for size, axis, required in zip(grid, axes, fixed, strict=True):
        if size is None:
            continue
        if required is not None and size != required:
            raise ValueError(f"{name}: expected {expected}, got shape {shape}")
        if size < min_size:
            raise ValueError(
                f"{name}: expected {axis.split('=')[0]} >= {min_size} ({why}), got shape {shape}"
            )
    return add_channel_axis


def image_input_needs_channel_axis(
    shape: Shape, in_channels: int, n_blocks: int, *, channels_last: bool
) -> bool:
    """Check an ``ImageCNN`` batch; True if it is [N, H, W] and needs a channel axis.

    H and W must be at least GRID 2^n_blocks: each block halves them, and a GRID x GRID grid
    must remain.
    """
    return check_grid_input(
        shape,
        in_channels,
        ("H", "W"),
        GRID * 2**n_blocks,
        channels_last=channels_last,
        why=f"each conv block halves it, and a {GRID}x{GRID} grid must remain",
    )


def spectrogram_input_needs_channel_axis(
    shape: Shape, n_mels: int, n_blocks: int, *, channels_last: bool
) -> bool:
    """Check an ``AudioCNN`` batch of spectrograms; True if it is [N, n_mels, T] (no channel axis).

    T must be at least 2^n_blocks, so that every 2x2 max-pooling has a frame pair to pool.
    """
    return check_grid_input(
        shape,
        1,
        (f"n_mels={n_mels}", "T"),
        2**n_blocks,
        channels_last=channels_last,
        fixed=(n_mels, None),
    )


# --------------------------------------------------------------------------- sequences


def check_sequence_shapes(
    x_shape: Shape,
    lengths_shape: Shape,
    input_size: int,
    names: tuple[str, str] = ("x", "lengths"),
) -> None:
    """Check padded sequences x [N, T, F=input_size] and their lengths [N]."""
    x_shape, lengths_shape = tuple(x_shape), tuple(lengths_shape)
    if len(x_shape) != 3 or x_shape[2] not in (None, input_size) or x_shape[1] == 0:
        raise ValueError(
            f"{names[0]}: expected padded sequences [N, T, F={input_size}] with T >= 1, "
            f"got shape {x_shape}"
        )
    n = x_shape[0]
    if len(lengths_shape) != 1 or (None not in (n, lengths_shape[0]) and lengths_shape[0] != n):
        raise ValueError(
            f"{names[1]}: expected a 1-D array of N={n} lengths (one per sequence), "
            f"got shape {lengths_shape}"
        )


def check_lengths(lengths: object, n_steps: int, name: str = "lengths") -> np.ndarray:
    """Return sequence lengths as int64, each in [1, n_steps] (T_i valid steps, then padding)."""
    array = np.asarray(lengths)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name}: expected integer lengths, got dtype {array.dtype}")
    if array.size and (array.min() < 1 or array.max() > n_steps):
        raise ValueError(
            f"{name}: expected lengths in [1, T={n_steps}] (T = padded length), got values "
            f"from {array.min()} to {array.max()}"
        )
    return array.astype(np.int64)


def _pair(inputs: object, what: str, name: str) -> tuple[object, object]:
    if not isinstance(inputs, tuple | list) or len(inputs) != 2:
        got = type(inputs).__name__
        if isinstance(inputs, tuple | list):
            got += f" of length {len(inputs)}"
        raise ValueError(f"{name}: expected a pair {what}, got {got}")
    return inputs[0], inputs[1]


def sequence_arrays(inputs: object, input_size: int, name: str = "inputs") -> list[np.ndarray]:
    """Check and convert ``(padded, lengths)``: float32 [N, T, F] and int64 [N] in [1, T]."""
    padded, lengths = _pair(inputs, "(padded [N, T, F], lengths [N])", name)
    try:
        x = np.ascontiguousarray(padded, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name}[0]: expected a numeric array, got {type(padded).__name__}"
        ) from error
    names = (f"{name}[0] (padded)", f"{name}[1] (lengths)")
    lengths = np.asarray(lengths)
    check_sequence_shapes(x.shape, lengths.shape, input_size, names)
    if x.shape[0] == 0:
        raise ValueError(f"{names[0]}: expected at least one sequence, got shape {x.shape}")
    return [x, check_lengths(lengths, x.shape[1], names[1])]


def check_token_ids(ids: object, vocab_size: int, name: str = "ids") -> np.ndarray:
    """Return token ids as int64 [N, T] with values in [0, vocab_size)."""
    array = np.asarray(ids)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name}: expected integer token ids, got dtype {array.dtype}")
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(
            f"{name}: expected token ids [N, T] with N, T >= 1, got shape {array.shape}"
        )
    if array.min() < 0 or array.max() >= vocab_size:
        raise ValueError(
            f"{name}: expected token ids in [0, {vocab_size}), got values from "
            f"{array.min()} to {array.max()}"
        )
    return np.ascontiguousarray(array, dtype=np.int64)


def token_arrays(inputs: object, vocab_size: int, name: str = "inputs") -> list[np.ndarray]:
    """Check and convert one array of token ids (or a 1-list holding it): [int64 [N, T]]."""
    if isinstance(inputs, tuple | list) and len(inputs) == 1 and isinstance(inputs[0], np.ndarray):
        inputs = inputs[0]
    return [check_token_ids(inputs, vocab_size, name)]
