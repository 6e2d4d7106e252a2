"""The input check shared by the PyTorch models of ``course_lib.torch``."""

from __future__ import annotations

import torch


def check_tensor(value: object, name: str) -> torch.Tensor:
    """Return ``value`` if it is a torch.Tensor; otherwise say how to make one."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(
            f"{name}: expected a torch.Tensor, got {type(value).__name__} "
            "(convert NumPy arrays with torch.from_numpy, or use course_lib.torch.predict)"
        )
    return value
