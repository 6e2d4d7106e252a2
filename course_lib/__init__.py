"""Companion package of the course *Multimodal and Cross-Modal Learning*.

Importing ``course_lib`` is cheap: no deep-learning framework is imported. Pick what a
chapter needs:

- ``course_lib.data``: datasets (digits, spoken digits, AV-digits, shapes) and preprocessing;
- ``course_lib.metrics`` and ``course_lib.viz``: evaluation and pictures;
- ``course_lib.exercises``: the checkers that exercises call;
- ``course_lib.torch`` and ``course_lib.keras``: the same models in PyTorch and in Keras 3;
- ``course_lib.utils``: seeding, device choice, timing.
"""

from course_lib.utils import set_seed

__all__ = ["set_seed"]
__version__ = "0.1.0"
