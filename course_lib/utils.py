"""Seeding, device choice and a quiet TensorFlow: the small utilities every chapter uses.

Book: "Setting up" and Chapter 1 (reproducible experiments).

Nothing here imports a deep-learning framework on its own: ``set_seed`` seeds PyTorch and
TensorFlow only when a notebook has already imported them (or they are importable and the
caller asks for it), so ``import course_lib`` stays cheap.
"""

from __future__ import annotations

import logging
import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    import torch

_MAX_SEED = 2**32 - 1


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed: expected an int, got {type(seed).__name__} ({seed!r})")
    if not 0 <= int(seed) <= _MAX_SEED:
        raise ValueError(f"seed: expected an int in [0, {_MAX_SEED}], got {seed}")
    return int(seed)


def set_seed(seed: int) -> None:
    """Seed every random number generator a course notebook may use.

    Seeds Python's ``random``, NumPy's legacy global generator, and PyTorch and TensorFlow
    when they are already imported (importing them here would cost seconds for nothing).
    Call it *after* importing your framework and *before* building a model, so that the
    same seed gives the same initial weights and the same numbers.

    Book: Chapter 1, "Same seed, same numbers".
    """
    seed = _check_seed(seed)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - seeds code that still uses the legacy global generator
    os.environ["PYTHONHASHSEED"] = str(seed)
    if "torch" in sys.modules:
        import torch

        torch.manual_seed(seed)
    if "tensorflow" in sys.modules:
        sys.modules["tensorflow"].random.set_seed(seed)
    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(seed)


def get_device(prefer: str | None = None) -> torch.device:
    """Return the ``torch.device`` to train on: ``prefer`` if given, else CUDA, MPS or CPU.

    Everything in the course runs on the CPU; a GPU only makes it faster.
    """
    import torch

    if prefer is not None:
        if not isinstance(prefer, str):
            raise TypeError(f"prefer: expected a device name such as 'cpu', got {prefer!r}")
        if prefer not in {"cpu", "cuda", "mps"} and not prefer.startswith("cuda:"):
            raise ValueError(f"prefer: expected 'cpu', 'cuda', 'cuda:N' or 'mps', got {prefer!r}")
        return torch.device(prefer)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def quiet_tensorflow() -> None:
    """Silence TensorFlow's start-up log noise before TensorFlow is imported.

    Sets ``TF_CPP_MIN_LOG_LEVEL=3`` (C++ messages), turns off the oneDNN notice and, if
    TensorFlow is already imported, lowers its Python loggers to errors. ``course_lib.keras``
    calls this before it imports Keras, so learners only see messages that matter.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    for name in ("tensorflow", "absl", "h5py"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if "absl.logging" in sys.modules:
        sys.modules["absl.logging"].set_verbosity("error")


@contextmanager
def timer(label: str = "elapsed", *, verbose: bool = True) -> Iterator[dict[str, float]]:
    """Measure wall-clock time of a block: ``with timer("training") as t: ...; t["seconds"]``.

    Prints ``training: 1.23 s`` at the end unless ``verbose=False``.
    """
    if not isinstance(label, str):
        raise TypeError(f"label: expected a str, got {type(label).__name__}")
    result: dict[str, float] = {"seconds": float("nan")}
    start = time.perf_counter()
    try:
        yield result
    finally:
        result["seconds"] = time.perf_counter() - start
        if verbose:
            print(f"{label}: {result['seconds']:.2f} s")
