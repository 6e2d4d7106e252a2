"""Training, prediction and evaluation of PyTorch classifiers on NumPy arrays.

``fit``/``predict``/``evaluate`` take one NumPy array per modality (or a single array) and
integer labels; they mirror ``course_lib.keras`` exactly (same arguments, same mini-batches
for the same seed, same history keys). Models may take other inputs (the sequence models take
``(padded, lengths)``, the next-word model token ids) and, with ``loss="sequence"``, one
target per step.

Book: Chapter 1, "A first multimodal model" (the training loop: forward, loss, backward, step);
Chapter 3, "Learning from one modality" (sequences and the per-step loss).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from course_lib._training_common import (
    History,
    accuracy_from_logits,
    batch_slices,
    check_fit_args,
    check_loss_name,
    check_positive_int,
    count_targets,
    model_inputs,
    prepare_data,
    run_epochs,
    schedule_fitter,
    target_mask,
    target_pad_id,
)
from course_lib.utils import set_seed

Inputs = np.ndarray | Sequence[np.ndarray]


def _check_model(model: object) -> nn.Module:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model: expected a torch.nn.Module, got {type(model).__name__}")
    return model


def _device(model: nn.Module) -> torch.device:
    parameter = next(model.parameters(), None)
    return parameter.device if parameter is not None else torch.device("cpu")


def _logits(model: nn.Module, arrays: list[np.ndarray], device: torch.device) -> torch.Tensor:
    return model(*(torch.from_numpy(a).to(device) for a in arrays))


def _cross_entropy(logits: torch.Tensor, targets: torch.Tensor, pad_id: int | None) -> torch.Tensor:
    """Mean cross-entropy over the targets that are not ``pad_id`` (logits [..., C])."""
    ignore_index = -100 if pad_id is None else pad_id  # -100 is never a class index
    return F.cross_entropy(logits.flatten(0, -2), targets.flatten(), ignore_index=ignore_index)


def fit(
    model: nn.Module,
    inputs: Inputs,
    labels: np.ndarray,
    *,
    epochs: int = 20,
    batch_size: int = 64,
    lr: float = 1e-3,
    weight_decay: float = 0.0,
    validation_data: tuple[Inputs, np.ndarray] | None = None,
    seed: int = 0,
    progress: bool = True,
    loss: str = "classification",
) -> History:
    """Train ``model`` with mini-batch Adam on the cross-entropy of its logits.

    Each step minimises L = -(1/|b|) sum_{i in b} log softmax(s_i)_{y_i}
    (``torch.nn.functional.cross_entropy``) and updates theta <- theta - lr * Adam(grad L).
    With ``loss="sequence"`` the model gives per-step logits [N, T, C], ``labels`` are targets
    [N, T] and L is the mean over the batch's valid steps, those whose target is not
    ``model.pad_id`` (``cross_entropy(..., ignore_index=model.pad_id)``); ``loss`` and
    ``accuracy`` in the history then count valid steps (tokens), not sequences.
    ``weight_decay`` is decoupled (``torch.optim.AdamW``: theta <- theta - lr * wd * theta
    before the Adam step, as Keras does); with the default 0 it is plain Adam.

    ``seed`` fixes the mini-batch order (``numpy.random.default_rng(seed)``, the same batches
    as ``course_lib.keras.fit``) and dropout; it does not re-initialise the weights, so for a
    reproducible run write ``set_seed(0); model = ...; fit(model, ..., seed=0)``.

    Each call starts a fresh optimiser (new Adam moments). Returns the per-epoch history
    ``{"loss", "accuracy"}`` plus ``"val_loss"`` and ``"val_accuracy"`` when
    ``validation_data=(inputs, labels)`` is given. The model is left in eval mode. A ``tqdm``
    bar over epochs shows progress unless ``progress=False``.

    Book: Chapter 1, "A first multimodal model".
    """
    _check_model(model)
    check_fit_args(epochs, batch_size, lr, weight_decay, seed)
    loss = check_loss_name(loss)
    arrays, labels, validation = prepare_data(model, inputs, labels, validation_data, loss)
    pad_id = target_pad_id(model, loss)
    set_seed(seed)
    device = _device(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)

    def train_batch(batch: list[np.ndarray], batch_labels: np.ndarray) -> tuple[float, float]:
        targets = torch.from_numpy(batch_labels).to(device)
        logits = _logits(model, batch, device)
        batch_loss = _cross_entropy(logits, targets, pad_id)
        optimizer.zero_grad()
        batch_loss.backward()
        optimizer.step()
        correct = logits.argmax(dim=-1) == targets
        if pad_id is not None:
            correct &= targets != pad_id
        return batch_loss.item(), correct.sum().item()

    model.train()
    history = run_epochs(
        train_batch,
        lambda val_inputs, val_labels: evaluate(model, val_inputs, val_labels, loss=loss),
        arrays,
        labels,
        validation,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        progress=progress,
        count_items=lambda batch_labels: count_targets(batch_labels, pad_id),
    )
    model.eval()
    return history


fit_schedule = schedule_fitter(fit)


def predict(model: nn.Module, inputs: Inputs, batch_size: int = 512) -> np.ndarray:
    """Logits [N, n_classes] (or [N, T, C] per step) as a NumPy array, in eval mode, no grad.

    The model's train/eval mode is restored afterwards.

    Book: Chapter 1, "A first multimodal model".
    """
    _check_model(model)
    batch_size = check_positive_int(batch_size, "batch_size")
    arrays = model_inputs(model, inputs)
    device = _device(model)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            chunks = [
                _logits(model, [a[rows] for a in arrays], device).cpu().numpy()
                for rows in batch_slices(arrays[0].shape[0], batch_size)
            ]
    finally:
        model.train(was_training)
    return np.concatenate(chunks)


def evaluate(
    model: nn.Module, inputs: Inputs, labels: np.ndarray, *, loss: str = "classification"
) -> dict[str, float]:
    """Mean cross-entropy and accuracy on a data set: {"loss": L, "accuracy": acc}.

    With ``loss="sequence"`` both are over the valid steps (targets that are not
    ``model.pad_id``), as in ``fit``.

    Book: Chapter 1, "A first multimodal model"; Chapter 3, "Learning from one modality".
    """
    _check_model(model)
    arrays, labels, _ = prepare_data(model, inputs, labels, loss=loss)
    pad_id = target_pad_id(model, loss)
    logits = predict(model, arrays)
    value = _cross_entropy(torch.from_numpy(logits), torch.from_numpy(labels), pad_id).item()
    accuracy = accuracy_from_logits(
        logits, labels, None if pad_id is None else target_mask(labels, pad_id)
    )
    return {"loss": float(value), "accuracy": accuracy}
