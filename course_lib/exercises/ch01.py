"""Checkers for the exercises of Chapter 1 "Multimodal vs cross-modal learning".

- ``check_concat_fusion(fn)``: feature-level fusion z = [x; y] of image and audio features;
- ``check_recall_at_k(fn)``: Recall@K of a cross-modal retrieval;
- ``check_modality_quiz(answers)``: multimodal, cross-modal, multi-task or multi-view?

Book: Chapter 1, exercises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from course_lib import metrics
from course_lib.exercises.core import Case, CheckResult, check

__all__ = [
    "CATEGORIES",
    "SCENARIOS",
    "check_concat_fusion",
    "check_modality_quiz",
    "check_recall_at_k",
    "scenario_list",
]


# ----------------------------------------------------------------------------------- concat fusion
def _concat_fusion(image_features: np.ndarray, audio_features: np.ndarray) -> np.ndarray:
    """Reference: z_i = [x_i; y_i], one row per sample; the modalities must have equal N."""
    x = np.asarray(image_features)
    y = np.asarray(audio_features)
    for name, arr in (("image_features", x), ("audio_features", y)):
        if arr.ndim != 2:
            raise ValueError(f"{name}: expected a 2-D array [N, d], got shape {arr.shape}")
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"audio_features: expected {x.shape[0]} rows (one per image_features row), "
            f"got {y.shape[0]}"
        )
    return np.concatenate([x, y], axis=1)


def _concat_cases() -> list[Case]:
    rng = np.random.default_rng(2024)

    def features(n: int, d: int, dtype: type = np.float32) -> np.ndarray:
        return rng.normal(size=(n, d)).astype(dtype)

    return [
        Case(
            (features(4, 3), features(4, 5)), description="4 samples, 3 image and 5 audio features"
        ),
        Case((features(1, 2), features(1, 2)), description="a single sample (N = 1)"),
        Case((features(6, 1), features(6, 4)), description="a single image feature (a = 1)"),
        Case(
            (features(3, 8, np.float64), features(3, 13, np.float64)),
            description="float64 features, 3 samples",
        ),
        Case(
            (features(5, 2), features(5, 3, np.float64)),
            description="float32 image features with float64 audio features",
        ),
        Case(
            (rng.integers(0, 9, size=(3, 2)), rng.integers(0, 9, size=(3, 4))),
            description="integer features (counts)",
        ),
        Case(
            (features(4, 3), features(5, 2)),
            description="4 images but 5 recordings: must raise ValueError",
            expect_error=ValueError,
        ),
        Case(
            (features(4, 3), features(1, 2)),
            description="4 images but 1 recording: must raise ValueError, not broadcast",
            expect_error=ValueError,
        ),
    ]


def check_concat_fusion(fn: Callable) -> CheckResult:
    """Check fn(image_features [N, a], audio_features [N, b]) -> np.ndarray [N, a + b].

    Feature-level fusion z = [x; y]: each row holds the image features of a sample followed
    by its audio features. Different numbers of samples must raise ValueError (no silent
    broadcasting across modalities).

    Book: Chapter 1, exercise on feature-level fusion.
    """
    return check(
        fn,
        _concat_fusion,
        _concat_cases(),
        name="concat_fusion",
        hint=(
            "z = [x; y] puts the audio features after the image features of the same row: "
            "np.concatenate([image_features, audio_features], axis=1). First check that both "
            "have the same number of rows, and raise ValueError if not."
        ),
    )


# ---------------------------------------------------------------------------------------- recall@k
def _recall_cases() -> list[Case]:
    rng = np.random.default_rng(15)  # every random case has 0 < R@K < 1 and R@(K±1) != R@K
    worst = rng.normal(size=(6, 6)) - 10 * np.eye(6)
    return [
        Case((rng.normal(size=(5, 5)), 1), description="5 queries, 5 gallery items, k = 1"),
        Case((rng.normal(size=(8, 8)), 3), description="8 queries, 8 gallery items, k = 3"),
        Case(
            (rng.normal(size=(6, 10)), 2),
            description="6 queries, 10 gallery items (more gallery than queries), k = 2",
        ),
        Case((rng.normal(size=(10, 10)), 5), description="10 queries, 10 gallery items, k = 5"),
        Case((rng.normal(size=(7, 7)), 7), description="k = G: every match is in the top G"),
        Case(
            (rng.normal(size=(6, 6)) + 10 * np.eye(6), 1),
            description="a perfect similarity (every match scores highest), k = 1",
        ),
        Case((worst, 1), description="the worst similarity (every match scores lowest), k = 1"),
        Case((worst, 5), description="the worst similarity again, k = G - 1"),
    ]


def check_recall_at_k(fn: Callable) -> CheckResult:
    """Check fn(similarity [Q, G], k) -> float, where row i's match is column i.

    R@K = (1/Q) sum_q 1[the match of query q is among its k most similar gallery items].
    The reference is ``course_lib.metrics.recall_at_k``; the random cases have no ties.

    Book: Chapter 1, exercise on cross-modal retrieval.
    """
    return check(
        fn,
        metrics.recall_at_k,
        _recall_cases(),
        name="recall_at_k",
        hint=(
            "Sort each row from the most to the least similar (np.argsort(-similarity, axis=1)), "
            "keep the first k columns, and count the rows i whose top k contains i."
        ),
    )


# ----------------------------------------------------------------------------------- modality quiz
CATEGORIES = ("multimodal", "cross-modal", "multi-task", "multi-view")

# (scenario, category, why): SCENARIOS and the private explanations are built from this table.
_QUIZ = (
    (
        "Recognise a speaker's emotion from face video, voice and transcript together",
        "multimodal",
        "three modalities (video, audio, text) are inputs to one task, learned together.",
    ),
    (
        "Find the photos that match a spoken description",
        "cross-modal",
        "the query is speech and the results are images: the model relates two modalities.",
    ),
    (
        "One model hears a recording and outputs both the digit and the speaker",
        "multi-task",
        "one input (audio), one model, two tasks (two outputs).",
    ),
    (
        "Recognise an object from photos taken by three cameras at different angles",
        "multi-view",
        "all inputs are images of the same object: several views of one modality.",
    ),
    (
        "Write a text caption for a photo",
        "cross-modal",
        "the model translates from one modality (image) into another (text).",
    ),
    (
        "Classify a digit using both a recording of it spoken and an image of it written",
        "multimodal",
        "two modalities (audio and image) are inputs to one task, learned together.",
    ),
    (
        "Classify a text from two feature sets of it: word counts and letter n-grams",
        "multi-view",
        "both feature sets come from the same text: two views of one modality.",
    ),
    (
        "One model looks at a face photo and outputs both the person's age and expression",
        "multi-task",
        "one input (an image), one model, two tasks (two outputs).",
    ),
)

SCENARIOS: dict[str, str] = {text: category for text, category, _ in _QUIZ}
_WHY: dict[str, str] = {text: why for text, _, why in _QUIZ}


def scenario_list() -> list[str]:
    """The quiz scenarios in order; index i of this list is scenario number i."""
    return list(SCENARIOS)


def _normalise_category(value: object) -> str | None:
    """'Cross modal', 'cross_modal' and 'crossmodal' all mean 'cross-modal'; else None."""
    if not isinstance(value, str):
        return None
    squashed = "".join(ch for ch in value.lower() if ch.isalpha())
    for category in CATEGORIES:
        if squashed == category.replace("-", ""):
            return category
    return None


def _scenario_index(key: object, texts: list[str]) -> int | None:
    if isinstance(key, int | np.integer) and not isinstance(key, bool):
        return int(key) if 0 <= key < len(texts) else None
    if isinstance(key, str) and key.strip() in texts:
        return texts.index(key.strip())
    return None


def check_modality_quiz(answers: Mapping[str | int, str]) -> CheckResult:
    """Check the learner's category for each scenario of ``SCENARIOS``; print and return.

    answers: {scenario: category}, where a scenario is given by its text (a key of SCENARIOS)
    or by its index 0..7 in ``scenario_list()`` (both kinds of key may be mixed), and a
    category is one of CATEGORIES (case, spaces, hyphens and underscores do not matter:
    "Cross modal" means "cross-modal"). Unknown categories are reported, not raised.

    Definitions (Chapter 1): multimodal = several modalities are inputs to one task;
    cross-modal = relate, transfer or translate between modalities; multi-task = one model,
    several tasks from the same input; multi-view = several views of the same modality.

    Book: Chapter 1, exercise on the four learning settings.
    """
    if not isinstance(answers, Mapping):
        raise TypeError(
            "answers: expected a dict {scenario text or index 0..7: category}, "
            f"got {type(answers).__name__}"
        )
    texts = scenario_list()
    given: dict[int, str | None] = {}
    problems: list[str] = []
    for key, value in answers.items():
        index = _scenario_index(key, texts)
        if index is None:
            problems.append(
                f"   unknown scenario {key!r}: use a text from scenario_list() or an index "
                f"0..{len(texts) - 1}"
            )
        elif index in given:
            problems.append(f"   [{index}] is answered twice (by text and by index?)")
        else:
            given[index] = _normalise_category(value)
            if given[index] is None:
                problems.append(
                    f"   [{index}] {value!r} is not a category; choose one of "
                    f"{', '.join(CATEGORIES)}"
                )
    n_right = 0
    wrong: list[str] = []
    for index, text in enumerate(texts):
        right = SCENARIOS[text]
        if index not in given:
            problems.append(f"   [{index}] not answered: {text!r}")
        elif given[index] == right:
            n_right += 1
        elif given[index] is not None:
            wrong.append(f"   [{index}] {text!r} is {right}, not {given[index]}: {_WHY[text]}")
    passed = n_right == len(texts) and not problems
    if passed:
        feedback = f"✅ modality_quiz: all {len(texts)} scenarios classified correctly."
    else:
        head = f"❌ modality_quiz: {n_right} of {len(texts)} scenarios classified correctly."
        feedback = "\n".join([head, *wrong, *problems])
    result = CheckResult("modality_quiz", passed, feedback, n_right, len(texts))
    print(result.feedback)
    return result
