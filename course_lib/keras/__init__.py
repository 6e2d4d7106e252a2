"""Keras 3 (TensorFlow backend) models and training loop of the course (never imports PyTorch).

TensorFlow's start-up messages are silenced before Keras is imported. Reproducible pattern::

    from course_lib.keras import ConcatFusionClassifier, fit
    from course_lib.utils import set_seed

    set_seed(0)                                   # fixes the initial weights (and dropout)
    model = ConcatFusionClassifier(input_dims=(64, 26))
    history = fit(model, (images, audio), labels, seed=0)   # fixes the batches

Book: Chapter 1, "A first multimodal model".
"""

import os

from course_lib.utils import quiet_tensorflow

quiet_tensorflow()
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from course_lib.keras.encoders import MLPEncoder  # noqa: E402  (after quiet_tensorflow)
from course_lib.keras.fusion import ConcatFusionClassifier  # noqa: E402
from course_lib.keras.training import evaluate, fit, predict  # noqa: E402

__all__ = ["ConcatFusionClassifier", "MLPEncoder", "evaluate", "fit", "predict"]
