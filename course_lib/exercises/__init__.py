"""Checkers for the course's coding exercises (NumPy only, no deep-learning framework).

``check``, ``Case`` and ``CheckResult`` build a checker; each chapter's checkers live in
``course_lib.exercises.chNN`` (e.g. ``from course_lib.exercises.ch01 import check_concat_fusion``).

Book: the exercises of every chapter.
"""

from course_lib.exercises.core import Case, CheckResult, check

__all__ = ["Case", "CheckResult", "check"]
