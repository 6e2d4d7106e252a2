"""Keras 3 (TensorFlow backend) models and training loop of the course (never imports PyTorch).

TensorFlow's start-up messages are silenced before Keras is imported. Reproducible pattern::

    from course_lib.keras import ConcatFusionClassifier, fit
    from course_lib.utils import set_seed

    set_seed(0)                                   # fixes the initial weights (and dropout)
    model = ConcatFusionClassifier(input_dims=(64, 26))
    history = fit(model, (images, audio), labels, seed=0)   # fixes the batches

Models of one modality, with the same constructor arguments as in ``course_lib.torch``:
``ImageCNN`` (images [N, H, W, C], channels last), ``AudioCNN`` (spectrograms
[N, n_mels, T, 1]), ``SequenceEncoder``/``SequenceClassifier`` (padded sequences with their
lengths) and ``NextWordModel`` (per-step logits, trained with ``fit(..., loss="sequence")``).

Book: Chapter 1, "A first multimodal model"; Chapter 3, "Learning from one modality".
"""

import os

from course_lib.utils import quiet_tensorflow

quiet_tensorflow()
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from course_lib.keras.cnn import AudioCNN, ImageCNN  # noqa: E402  (after quiet_tensorflow)
from course_lib.keras.encoders import MLPEncoder  # noqa: E402
from course_lib.keras.fusion import ConcatFusionClassifier  # noqa: E402
from course_lib.keras.losses import sequence_cross_entropy  # noqa: E402
from course_lib.keras.sequence import (  # noqa: E402
    NextWordModel,
    SequenceClassifier,
    SequenceEncoder,
)
from course_lib.keras.training import evaluate, fit, fit_schedule, predict  # noqa: E402

__all__ = [
    "AudioCNN",
    "ConcatFusionClassifier",
    "ImageCNN",
    "MLPEncoder",
    "NextWordModel",
    "SequenceClassifier",
    "SequenceEncoder",
    "evaluate",
    "fit",
    "fit_schedule",
    "predict",
    "sequence_cross_entropy",
]
