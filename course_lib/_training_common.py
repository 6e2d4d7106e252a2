"""Framework-free checks and bookkeeping shared by ``course_lib.torch`` and ``course_lib.keras``.

The two packages build the same models and the same training loop; everything that does not
need a framework lives here, so that both sides validate inputs with the same messages, see
the same mini-batches for the same seed and return the same history.

Two kinds of targets are supported: one class per sample (``loss="classification"``, labels
[N]) and one class per step of a sequence (``loss="sequence"``, targets [N, T], where steps
whose target is the model's ``pad_id`` are ignored).

Book: Chapter 1, "A first multimodal model" (training a fusion classifier in both frameworks);
Chapter 3, "Learning from one modality" (per-step targets and the sequence loss).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from tqdm.auto import tqdm

History = dict[str, list[float]]
Shape = Sequence[int | None]
LOSSES = ("classification", "sequence")

# --------------------------------------------------------------------------- constructor args


def check_positive_int(value: object, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int if it is an integer >= ``minimum``, else raise."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(
            f"{name}: expected an int >= {minimum}, got {type(value).__name__} ({value!r})"
        )
    if value < minimum:
        raise ValueError(f"{name}: expected an int >= {minimum}, got {value}")
    return int(value)


def check_dropout(dropout: object) -> float:
    """Return the dropout probability as a float in [0, 1)."""
    if isinstance(dropout, bool) or not isinstance(dropout, int | float | np.floating):
        raise TypeError(f"dropout: expected a float in [0, 1), got {type(dropout).__name__}")
    if not 0.0 <= float(dropout) < 1.0:
        raise ValueError(f"dropout: expected a float in [0, 1), got {dropout}")
    return float(dropout)


def check_input_dims(input_dims: object) -> tuple[int, ...]:
    """Return ``input_dims`` (one feature count per modality) as a non-empty tuple of ints."""
    if isinstance(input_dims, str) or not isinstance(input_dims, Sequence):
        raise TypeError(
            "input_dims: expected a sequence of ints, one feature count per modality "
            f"(e.g. (64, 26)), got {type(input_dims).__name__}"
        )
    if len(input_dims) == 0:
        raise ValueError("input_dims: expected at least one modality, got an empty sequence")
    return tuple(check_positive_int(d, f"input_dims[{m}]") for m, d in enumerate(input_dims))


# --------------------------------------------------------------------------- shapes of inputs


def check_features(shape: Shape, in_features: int, name: str) -> None:
    """Check that ``shape = [N, d_1, ..., d_k]`` has ``d_1 * ... * d_k == in_features``.

    Unknown sizes (``None``, as in a traced Keras graph) are not checked.
    """
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(
            f"{name}: expected an array of shape [N, ...] with {in_features} features per row, "
            f"got shape {shape}"
        )
    trailing = shape[1:]
    if any(d is None for d in trailing):
        return
    n_features = math.prod(trailing)
    if n_features != in_features:
        raise ValueError(
            f"{name}: expected {in_features} features per row (the product of the trailing "
            f"dims), got shape {shape} with {n_features}"
        )


def check_modality_shapes(
    shapes: Sequence[Shape], input_dims: Sequence[int], name: str = "inputs"
) -> None:
    """Check one input per modality, each with ``input_dims[m]`` features, and equal batch sizes.

    Modalities are paired row by row: row i of every input describes the same sample, so the
    batch sizes must be equal (no silent broadcasting of one modality over the others).
    """
    if len(shapes) != len(input_dims):
        raise ValueError(
            f"{name}: expected {len(input_dims)} input(s), one per modality "
            f"(input_dims={tuple(input_dims)}), got {len(shapes)}"
        )
    for m, (shape, expected) in enumerate(zip(shapes, input_dims, strict=True)):
        check_features(shape, expected, f"{name}[{m}] (modality {m})")
    sizes = [shape[0] for shape in shapes]
    known = [n for n in sizes if n is not None]
    if len(set(known)) > 1:
        listed = ", ".join(f"{name}[{m}] has {n}" for m, n in enumerate(sizes))
        raise ValueError(
            f"{name}: expected the same number of rows in every modality (row i of each input "
            f"is the same sample), got {listed}"
        )


# --------------------------------------------------------------------------- data for training


def as_modality_arrays(inputs: object, name: str = "inputs") -> list[np.ndarray]:
    """Turn one array or a tuple/list of arrays (one per modality) into float32 arrays.

    Each array has shape [N, ...] with the same N >= 1 for every modality.
    """
    items = list(inputs) if isinstance(inputs, tuple | list) else [inputs]
    if not items:
        raise ValueError(f"{name}: expected one array per modality, got an empty sequence")
    arrays = []
    for m, item in enumerate(items):
        label = f"{name}[{m}]" if isinstance(inputs, tuple | list) else name
        try:
            array = np.asarray(item, dtype=np.float32)
        except (TypeError, ValueError) as error:
            raise TypeError(
                f"{label}: expected a numeric array, got {type(item).__name__}"
            ) from error
        if array.ndim < 2 or array.shape[0] == 0:
            raise ValueError(
                f"{label}: expected an array of shape [N, ...] with N >= 1 and at least one "
                f"feature per row, got shape {array.shape}"
            )
        arrays.append(np.ascontiguousarray(array))  # torch.from_numpy needs positive strides
    sizes = [a.shape[0] for a in arrays]
    if len(set(sizes)) > 1:
        listed = ", ".join(f"{name}[{m}] has {n}" for m, n in enumerate(sizes))
        raise ValueError(
            f"{name}: expected the same number of rows in every modality (row i of each array "
            f"is the same sample), got {listed}"
        )
    return arrays


def check_labels(
    labels: object, n_samples: int, n_classes: int | None = None, name: str = "labels"
) -> np.ndarray:
    """Return ``labels`` as an int64 array of shape [n_samples] with values in [0, n_classes)."""
    array = np.asarray(labels)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name}: expected integer class indices, got dtype {array.dtype}")
    if array.shape != (n_samples,):
        hint = ""
        if array.ndim == 2 and array.shape[0] == n_samples and array.shape[1] > 1:
            hint = " (for one target per step, [N, T], use loss='sequence')"
        raise ValueError(
            f"{name}: expected a 1-D array of length {n_samples} (one per sample), "
            f"got shape {array.shape}{hint}"
        )
    too_big = n_classes is not None and array.max() >= n_classes
    if array.min() < 0 or too_big:
        expected = f"[0, {n_classes})" if n_classes is not None else "non-negative values"
        raise ValueError(
            f"{name}: expected class indices in {expected}, got values from "
            f"{array.min()} to {array.max()}"
        )
    return array.astype(np.int64)


def model_inputs(model: object, inputs: object, name: str = "inputs") -> list[np.ndarray]:
    """One array per model input, checked and converted for ``model``.

    A model may define ``numpy_inputs(inputs, name)`` that checks and converts its own inputs
    (the sequence models take float32 padded sequences plus int64 lengths, the next-word model
    int64 token ids). Otherwise every input becomes a float32 array [N, ...] (one per modality),
    checked against ``model.input_dims`` if the model has it.
    """
    convert = getattr(model, "numpy_inputs", None)
    if callable(convert):
        return convert(inputs, name)
    arrays = as_modality_arrays(inputs, name)
    input_dims = getattr(model, "input_dims", None)
    if input_dims is not None:
        check_modality_shapes([a.shape for a in arrays], input_dims, name)
    return arrays


def check_loss_name(loss: object) -> str:
    """Return ``loss`` if it is "classification" (labels [N]) or "sequence" (targets [N, T])."""
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ValueError(f"loss: expected one of {LOSSES}, got {loss!r}")
    return loss


def target_pad_id(model: object, loss: str) -> int | None:
    """The target id that marks padding: ``model.pad_id`` for ``loss="sequence"``, else None."""
    return getattr(model, "pad_id", None) if loss == "sequence" else None


def target_mask(targets: np.ndarray, pad_id: int | None) -> np.ndarray:
    """Boolean mask of the targets that count: m = [y != pad_id] (all True without a pad id)."""
    if pad_id is None:
        return np.ones(targets.shape, dtype=bool)
    return targets != pad_id


def count_targets(targets: np.ndarray, pad_id: int | None) -> int:
    """Number of targets that count, sum m (one per row for class labels [N])."""
    return int(np.count_nonzero(target_mask(targets, pad_id)))


def check_sequence_loss_shapes(
    logits_shape: Shape, targets_shape: Shape, mask_shape: Shape | None = None
) -> None:
    """Check per-step logits [N, T, C] against targets [N, T] and an optional mask [N, T].

    Unknown sizes (``None``, as in a traced Keras graph) are not checked.
    """
    logits_shape, targets_shape = tuple(logits_shape), tuple(targets_shape)
    if len(logits_shape) != 3:
        raise ValueError(
            f"logits: expected per-step logits [N, T, C] (3-D), got shape {logits_shape}"
        )

    def same(shape: tuple) -> bool:
        return len(shape) == 2 and all(
            a is None or b is None or a == b for a, b in zip(shape, logits_shape[:2], strict=False)
        )

    expected = f"[N, T] = {logits_shape[:2]} (one per step of the logits)"
    if not same(targets_shape):
        raise ValueError(f"targets: expected {expected}, got shape {targets_shape}")
    if mask_shape is not None and not same(tuple(mask_shape)):
        raise ValueError(f"mask: expected {expected}, got shape {tuple(mask_shape)}")


def check_step_targets(
    targets: object,
    n_samples: int,
    n_steps: int,
    n_classes: int | None = None,
    pad_id: int | None = None,
    name: str = "labels",
) -> np.ndarray:
    """Return per-step targets as int64 [n_samples, n_steps], one class index per step.

    Steps whose target equals ``pad_id`` are padding and are ignored; every other target lies
    in [0, n_classes), and every sequence has at least one target that is not padding.
    """
    array = np.asarray(targets)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name}: expected integer class indices, got dtype {array.dtype}")
    if array.shape != (n_samples, n_steps):
        raise ValueError(
            f"{name}: expected an array [N, T] = ({n_samples}, {n_steps}) with one target per "
            f"step of the inputs, got shape {array.shape}"
        )
    valid = target_mask(array, pad_id)
    empty = np.flatnonzero(~valid.any(axis=1))
    if empty.size:
        raise ValueError(
            f"{name}: expected at least one target that is not padding (pad_id={pad_id}) per "
            f"sequence, got only padding in row {empty[0]}"
        )
    values = array[valid]
    too_big = n_classes is not None and values.max() >= n_classes
    if values.min() < 0 or too_big:
        expected = f"[0, {n_classes})" if n_classes is not None else "non-negative values"
        raise ValueError(
            f"{name}: expected class indices in {expected} (or pad_id={pad_id}), got values "
            f"from {values.min()} to {values.max()}"
        )
    return array.astype(np.int64)


def _prepare_targets(
    model: object, labels: object, arrays: list[np.ndarray], loss: str, name: str
) -> np.ndarray:
    n_classes = getattr(model, "n_classes", None)
    if loss == "classification":
        return check_labels(labels, arrays[0].shape[0], n_classes, name)
    pad_id = target_pad_id(model, loss)
    n_samples, n_steps = arrays[0].shape[:2]
    return check_step_targets(labels, n_samples, n_steps, n_classes, pad_id, name)


def prepare_data(
    model: object,
    inputs: object,
    labels: object,
    validation_data: object = None,
    loss: str = "classification",
) -> tuple[list[np.ndarray], np.ndarray, tuple[list[np.ndarray], np.ndarray] | None]:
    """Validate training data for ``model`` and the optional ``validation_data=(inputs, labels)``.

    Labels must lie in [0, model.n_classes) when the model has ``n_classes``: one per sample
    ([N]) for ``loss="classification"``, one per step of the first input ([N, T]) for
    ``loss="sequence"``. The validation inputs must have the training inputs' feature counts
    (models with ``numpy_inputs`` check their own, so sequences may have another length T).
    """
    loss = check_loss_name(loss)
    arrays = model_inputs(model, inputs)
    labels = _prepare_targets(model, labels, arrays, loss, "labels")
    if validation_data is None:
        return arrays, labels, None
    if not isinstance(validation_data, tuple | list) or len(validation_data) != 2:
        got = type(validation_data).__name__
        if isinstance(validation_data, tuple | list):
            got += f" of length {len(validation_data)}"
        raise ValueError(f"validation_data: expected a pair (inputs, labels), got {got}")
    if callable(getattr(model, "numpy_inputs", None)):
        val_arrays = model_inputs(model, validation_data[0], "validation_data[0]")
    else:
        val_arrays = as_modality_arrays(validation_data[0], "validation_data[0]")
        input_dims = [math.prod(a.shape[1:]) for a in arrays]
        check_modality_shapes([a.shape for a in val_arrays], input_dims, "validation_data[0]")
    val_labels = _prepare_targets(model, validation_data[1], val_arrays, loss, "validation_data[1]")
    return arrays, labels, (val_arrays, val_labels)


def _check_float(value: object, name: str, *, allow_zero: bool) -> None:
    expected = ">= 0" if allow_zero else "> 0"
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
        raise TypeError(f"{name}: expected a float {expected}, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name}: expected a finite float {expected}, got {value}")


def check_fit_args(
    epochs: object, batch_size: object, lr: object, weight_decay: object, seed: object
) -> None:
    """Check the hyper-parameters of ``fit``."""
    check_positive_int(epochs, "epochs")
    check_positive_int(batch_size, "batch_size")
    _check_float(lr, "lr", allow_zero=False)
    _check_float(weight_decay, "weight_decay", allow_zero=True)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed: expected an int, got {type(seed).__name__} ({seed!r})")


# --------------------------------------------------------------------------- the training loop


def epoch_batches(n_samples: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffle ``0..n_samples-1`` with ``rng`` and cut it into batches (the last may be smaller).

    Drawing the permutation from a NumPy generator makes PyTorch and Keras see exactly the
    same mini-batches for the same seed.
    """
    order = rng.permutation(n_samples)
    return [order[start : start + batch_size] for start in range(0, n_samples, batch_size)]


def new_history(with_validation: bool) -> History:
    """An empty history: ``loss`` and ``accuracy`` (and ``val_`` versions) per epoch."""
    keys = ["loss", "accuracy"] + (["val_loss", "val_accuracy"] if with_validation else [])
    return {key: [] for key in keys}


def accuracy_from_logits(
    logits: np.ndarray, labels: np.ndarray, mask: np.ndarray | None = None
) -> float:
    """Fraction of predictions whose largest logit is at the true class.

    acc = mean_i [argmax_c s_ic = y_i] for logits [N, C] and labels [N]; for per-step logits
    [N, T, C] and targets [N, T] the mean runs over the steps with mask m_it = 1 only:
    acc = sum_it m_it [argmax_c s_itc = y_it] / sum_it m_it.
    """
    correct = np.argmax(logits, axis=-1) == labels
    if mask is None:
        return float(np.mean(correct))
    return float(np.count_nonzero(correct & mask) / np.count_nonzero(mask))


def batch_slices(n_samples: int, batch_size: int) -> Iterator[slice]:
    """Consecutive slices of at most ``batch_size`` rows, in order (for prediction)."""
    for start in range(0, n_samples, batch_size):
        yield slice(start, start + batch_size)


TrainBatch = Callable[[list[np.ndarray], np.ndarray], tuple[float, float]]
Evaluate = Callable[[list[np.ndarray], np.ndarray], dict[str, float]]
CountItems = Callable[[np.ndarray], int]


def run_epochs(
    train_batch: TrainBatch,
    evaluate: Evaluate,
    arrays: list[np.ndarray],
    labels: np.ndarray,
    validation: tuple[list[np.ndarray], np.ndarray] | None,
    *,
    epochs: int,
    batch_size: int,
    seed: int,
    progress: bool,
    count_items: CountItems = len,
) -> History:
    """Mini-batch training for ``epochs`` passes over the data; returns the history.

    ``train_batch(batch_inputs, batch_labels)`` does one optimiser step and returns the mean
    loss and the number of correct predictions on that batch. ``count_items(batch_labels)`` is
    the number n_b of predictions the batch loss averages over: its rows by default, its valid
    (not padding) steps for per-step targets. The epoch's ``loss`` is the weighted mean of the
    batch losses, L = sum_b n_b L_b / sum_b n_b, and ``accuracy`` the fraction of correct
    predictions, both measured while the weights change (as Keras does).
    ``val_loss``/``val_accuracy`` come from ``evaluate`` after each epoch.
    """
    rng = np.random.default_rng(seed)
    n_samples = labels.shape[0]
    history = new_history(validation is not None)
    bar = tqdm(range(epochs), desc="training", unit="epoch", disable=not progress)
    for _ in bar:
        loss_sum, n_correct, n_items = 0.0, 0.0, 0
        for index in epoch_batches(n_samples, batch_size, rng):
            batch_labels = labels[index]
            batch_loss, batch_correct = train_batch([a[index] for a in arrays], batch_labels)
            batch_items = count_items(batch_labels)
            loss_sum += batch_loss * batch_items
            n_correct += batch_correct
            n_items += batch_items
        history["loss"].append(loss_sum / n_items)
        history["accuracy"].append(n_correct / n_items)
        if validation is not None:
            scores = evaluate(*validation)
            history["val_loss"].append(scores["loss"])
            history["val_accuracy"].append(scores["accuracy"])
        bar.set_postfix({key: f"{values[-1]:.4f}" for key, values in history.items()})
    bar.close()
    return history


# --------------------------------------------------------------------------- schedules

STAGE_KEYS = ("epochs", "batch_size", "lr", "weight_decay", "seed")
Fit = Callable[..., History]


def check_schedule(schedule: object) -> list[dict]:
    """A non-empty list of stages, each a dict whose keys are among ``STAGE_KEYS``."""
    if isinstance(schedule, dict | str) or not isinstance(schedule, Sequence):
        raise TypeError(
            f"schedule: expected a list of dicts of fit arguments, got {type(schedule).__name__}"
        )
    if len(schedule) == 0:
        raise ValueError("schedule: expected at least one stage, got an empty list")
    for number, stage in enumerate(schedule):
        if not isinstance(stage, dict):
            raise TypeError(f"schedule[{number}]: expected a dict, got {type(stage).__name__}")
        unknown = sorted(set(stage) - set(STAGE_KEYS))
        if unknown:
            raise ValueError(f"schedule[{number}]: expected keys among {STAGE_KEYS}, got {unknown}")
    return list(schedule)


def schedule_fitter(fit: Fit) -> Callable[..., History]:
    """The ``fit_schedule`` of a framework, built around that framework's ``fit``."""

    def fit_schedule(
        model: Any,
        inputs: Any,
        labels: np.ndarray,
        schedule: Sequence[dict],
        *,
        validation_data: tuple[Any, np.ndarray] | None = None,
        progress: bool = True,
        loss: str = "classification",
    ) -> History:
        """``fit`` once per stage of ``schedule``; one history over all the epochs.

        A stage is a dict of ``fit`` arguments among ``epochs``, ``batch_size``, ``lr``,
        ``weight_decay`` and ``seed``. Each stage starts a fresh optimiser with its own learning
        rate and batch order, so ``[{"epochs": 12, "lr": 2e-3}, {"epochs": 3, "lr": 2e-4,
        "seed": 1}]`` is a step decay of the learning rate: alpha = 2e-3 for epochs 1-12, then
        2e-4. The same schedule gives the same batches in PyTorch and in Keras.

        Book: Chapter 3, "Learning from one modality" (a learning-rate schedule).
        """
        stages = check_schedule(schedule)
        options = {"validation_data": validation_data, "progress": progress, "loss": loss}
        histories = [fit(model, inputs, labels, **stage, **options) for stage in stages]
        return {key: [value for h in histories for value in h[key]] for key in histories[0]}

    return fit_schedule
