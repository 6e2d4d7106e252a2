"""PyTorch models and training loop of the course (imports PyTorch, never TensorFlow).

Reproducible pattern used in every notebook::

    from course_lib.utils import set_seed
    from course_lib.torch import ConcatFusionClassifier, fit

    set_seed(0)                                   # fixes the initial weights
    model = ConcatFusionClassifier(input_dims=(64, 26))
    history = fit(model, (images, audio), labels, seed=0)   # fixes batches and dropout

Models of one modality: ``ImageCNN`` (images [N, C, H, W]), ``AudioCNN`` (spectrograms
[N, 1, n_mels, T]), ``SequenceEncoder``/``SequenceClassifier`` (padded sequences with their
lengths) and ``NextWordModel`` (per-step logits, trained with ``fit(..., loss="sequence")``).

Book: Chapter 1, "A first multimodal model"; Chapter 3, "Learning from one modality".
"""

from course_lib.torch.cnn import AudioCNN, ImageCNN
from course_lib.torch.encoders import MLPEncoder
from course_lib.torch.fusion import ConcatFusionClassifier
from course_lib.torch.losses import sequence_cross_entropy
from course_lib.torch.sequence import NextWordModel, SequenceClassifier, SequenceEncoder
from course_lib.torch.training import evaluate, fit, fit_schedule, predict

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
