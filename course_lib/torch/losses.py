"""The masked sequence loss in PyTorch (the NumPy version is ``course_lib.losses``).

Book: Chapter 3, "Learning from one modality" (the sequence loss with padding masks).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from course_lib._training_common import check_sequence_loss_shapes

__all__ = ["sequence_cross_entropy"]


def sequence_cross_entropy(
    logits: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor | None = None
) -> torch.Tensor:
    """Masked per-step cross-entropy averaged over valid steps: L = sum m_it l_it / sum m_it.

    logits [N, T, C], targets int [N, T], mask [N, T] (bool or 0/1; None: every step counts),
    l_it = -log softmax(s_it)_{y_it}. With m_it = [y_it != pad] it equals
    ``F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=pad)``. Targets
    under m_it = 0 are never read. Returns a scalar tensor that can be back-propagated.

    Book: Chapter 3, "Learning from one modality".
    """
    for value, name in ((logits, "logits"), (targets, "targets"), (mask, "mask")):
        if value is not None and not isinstance(value, torch.Tensor):
            raise TypeError(f"{name}: expected a torch.Tensor, got {type(value).__name__}")
    check_sequence_loss_shapes(
        tuple(logits.shape), tuple(targets.shape), None if mask is None else tuple(mask.shape)
    )
    if not logits.is_floating_point():
        raise TypeError(f"logits: expected a floating-point tensor, got {logits.dtype}")
    if targets.is_floating_point() or targets.dtype == torch.bool:
        raise TypeError(f"targets: expected integer class indices, got {targets.dtype}")
    valid = torch.ones_like(targets, dtype=torch.bool) if mask is None else mask.bool()
    if not valid.any():
        raise ValueError("mask: expected at least one valid step, got none")
    safe_targets = torch.where(valid, targets, torch.zeros_like(targets))
    log_probs = F.log_softmax(logits, dim=-1)
    token_loss = -log_probs.gather(-1, safe_targets.unsqueeze(-1)).squeeze(-1)
    return (token_loss * valid).sum() / valid.sum()
