"""PyTorch models and training loop of the course (imports PyTorch, never TensorFlow).

Reproducible pattern used in every notebook::

    from course_lib.utils import set_seed
    from course_lib.torch import ConcatFusionClassifier, fit

    set_seed(0)                                   # fixes the initial weights
    model = ConcatFusionClassifier(input_dims=(64, 26))
    history = fit(model, (images, audio), labels, seed=0)   # fixes batches and dropout

Book: Chapter 1, "A first multimodal model".
"""

from course_lib.torch.encoders import MLPEncoder
from course_lib.torch.fusion import ConcatFusionClassifier
from course_lib.torch.training import evaluate, fit, predict

__all__ = ["ConcatFusionClassifier", "MLPEncoder", "evaluate", "fit", "predict"]
