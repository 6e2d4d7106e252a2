"""The self-checking mechanism behind every coding exercise of the course.

A checker runs the learner's function on a few cases, compares each answer with the course's
reference answer, prints short feedback (so the notebook cell shows it) and returns a
``CheckResult``. A wrong answer never raises: the notebook keeps running.

Book: "How to use this book" (exercises) and the exercises of every chapter.
"""

from __future__ import annotations

import copy
import inspect
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Case", "CheckResult", "check"]

RTOL = 1e-6
ATOL = 1e-8
_MAX_TEXT = 300


@dataclass(frozen=True)
class Case:
    """One input to try: ``fn(*args, **kwargs)``.

    description: one line a learner understands ("a single sample (N = 1)").
    expect_error: an exception type the function must raise for this input (e.g. ValueError
    for modalities with different numbers of samples); None when it must return an answer.
    """

    args: tuple = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    expect_error: type[Exception] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.args, tuple):
            raise TypeError(f"args: expected a tuple of arguments, got {type(self.args).__name__}")
        if not isinstance(self.kwargs, Mapping):
            raise TypeError(f"kwargs: expected a dict, got {type(self.kwargs).__name__}")
        if self.expect_error is not None and not (
            isinstance(self.expect_error, type) and issubclass(self.expect_error, Exception)
        ):
            raise TypeError(
                f"expect_error: expected an Exception subclass or None, got {self.expect_error!r}"
            )


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a checker: truthy when every check passed; ``str()`` is the feedback."""

    name: str
    passed: bool
    feedback: str
    n_passed: int
    n_checks: int

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return self.feedback

    def __repr__(self) -> str:
        state = "passed" if self.passed else "failed"
        return f"<CheckResult {self.name}: {state}, {self.n_passed}/{self.n_checks} checks>"


# --------------------------------------------------------------------------------------- summaries
def _shorten(text: str, limit: int = _MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _few_values(arr: np.ndarray, n: int = 6) -> str:
    flat = arr.ravel()
    shown = np.array2string(flat[:n], precision=4, separator=", ", threshold=n)
    return shown[:-1] + ", ...]" if flat.size > n else shown


def _summary(value: Any, with_values: bool = True) -> str:
    """A one-line description of a value: shape and dtype for arrays, a few values."""
    if isinstance(value, np.ndarray):
        text = f"array shape {value.shape} {value.dtype}"
        if with_values and value.size and value.dtype.kind in "biuf":
            text += f": {_few_values(value)}"
        return text
    if isinstance(value, np.generic):
        return f"{value.item()!r} (numpy {value.dtype})"
    if isinstance(value, list | tuple):
        text = f"{type(value).__name__} of length {len(value)}"
        return f"{text}: {_shorten(repr(value), 100)}" if with_values else text
    return _shorten(repr(value), 120)


def _describe_inputs(reference_fn: Callable, case: Case) -> str:
    """Arguments of a case named after the reference function's parameters."""
    try:
        bound = inspect.signature(reference_fn).bind(*case.args, **case.kwargs).arguments
    except (TypeError, ValueError):
        bound = {f"argument {i + 1}": a for i, a in enumerate(case.args)} | dict(case.kwargs)
    return ", ".join(f"{k} = {_summary(v, with_values=False)}" for k, v in bound.items())


def _where_raised(exc: BaseException, learner_fn: Callable) -> str:
    """' (line N: code)' for the deepest frame of the learner's own code, else ''."""
    filename = getattr(getattr(learner_fn, "__code__", None), "co_filename", None)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    if not frames:
        return ""
    frame = frames[-1]
    code = f": {frame.line.strip()}" if frame.line else ""
    return f" (at line {frame.lineno}{code})"


# -------------------------------------------------------------------------------------- comparison
def _is_real_number(value: Any) -> bool:
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return isinstance(value, int | float | np.integer | np.floating)


def _array_problem(got: Any, expected: np.ndarray) -> str | None:
    if not isinstance(got, np.ndarray):
        return f"expected a NumPy array, got {type(got).__name__} (convert it with np.asarray)"
    if got.shape != expected.shape:
        return f"wrong shape: expected {expected.shape}, got {got.shape}"
    if got.dtype.kind not in "biuf":
        return f"expected an array of numbers, got dtype {got.dtype}"
    same = np.isclose(got, expected, rtol=RTOL, atol=ATOL, equal_nan=True)
    if same.all():
        return None
    first = tuple(int(i) for i in np.argwhere(~same)[0])
    return (
        f"{int((~same).sum())} of {same.size} values differ; the first at index {first}: "
        f"expected {expected[first].item()!r}, got {got[first].item()!r}"
    )


def _default_problem(got: Any, expected: Any) -> str | None:
    """None when ``got`` matches ``expected``, else what is wrong.

    Arrays: same shape and np.isclose(rtol=1e-6, atol=1e-8) everywhere. Floats: isclose.
    bool, int and str: exact (and of the same kind). Tuples/lists/dicts: item by item.
    """
    if isinstance(expected, np.ndarray):
        return _array_problem(got, expected)
    if isinstance(expected, bool | np.bool_):
        if not isinstance(got, bool | np.bool_):
            return f"expected True or False, got {type(got).__name__}"
        return None if bool(got) == bool(expected) else f"expected {expected}, got {got}"
    if isinstance(expected, int | np.integer):
        if isinstance(got, bool | np.bool_) or not isinstance(got, int | np.integer):
            return f"expected an int, got {type(got).__name__}"
        return None if int(got) == int(expected) else f"expected {expected}, got {got}"
    if isinstance(expected, float | np.floating):
        if not _is_real_number(got):
            return f"expected a single number, got {_summary(got)}"
        close = np.isclose(float(got), float(expected), rtol=RTOL, atol=ATOL, equal_nan=True)
        return None if close else f"expected {float(expected)!r}, got {float(got)!r}"
    if isinstance(expected, str):
        if got == expected:
            return None
        return f"expected the text {expected!r}, got {_summary(got)}"
    if isinstance(expected, tuple | list):
        if not isinstance(got, tuple | list) or len(got) != len(expected):
            kind = type(expected).__name__
            return f"expected a {kind} of {len(expected)} items, got {_summary(got)}"
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            problem = _default_problem(g, e)
            if problem is not None:
                return f"item {i}: {problem}"
        return None
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping) or set(got) != set(expected):
            return f"expected a dict with keys {sorted(map(str, expected))}, got {_summary(got)}"
        for key in expected:
            problem = _default_problem(got[key], expected[key])
            if problem is not None:
                return f"key {key!r}: {problem}"
        return None
    try:
        equal = bool(got == expected)
    except Exception:  # any failure to compare means "not equal"
        equal = False
    return None if equal else f"expected {_summary(expected)}, got {_summary(got)}"


def _custom_problem(compare: Callable[[Any, Any], bool], got: Any, expected: Any) -> str | None:
    try:
        ok = bool(compare(got, expected))
    except Exception as exc:  # a learner's odd answer must not stop the notebook
        return f"your answer could not be compared ({type(exc).__name__}: {exc})"
    return None if ok else "your answer does not match the expected one"


# ------------------------------------------------------------------------------------- the checker
class _NotImplementedYet(Exception):
    """The learner's function still raises NotImplementedError (the untouched stub)."""


def _call(fn: Callable, case: Case) -> Any:
    """Call ``fn`` on fresh copies of the case's inputs (so in-place edits cannot leak)."""
    return fn(*copy.deepcopy(case.args), **copy.deepcopy(dict(case.kwargs)))


def _case_report(
    learner_fn: Callable,
    reference_fn: Callable,
    case: Case,
    compare: Callable[[Any, Any], bool] | None,
) -> list[str] | None:
    """What went wrong on one case, as "label: text" lines; None when the case passed."""
    try:
        got = _call(learner_fn, case)
    except NotImplementedError as exc:
        raise _NotImplementedYet from exc
    except Exception as exc:  # report, never propagate, a learner's error
        if case.expect_error is not None and isinstance(exc, case.expect_error):
            return None
        raised = _shorten(f"{type(exc).__name__}: {exc}") + _where_raised(exc, learner_fn)
        if case.expect_error is None:
            return [f"problem:  your function raised {raised}"]
        return [
            f"problem:  expected {case.expect_error.__name__}, but your function raised {raised}"
        ]
    if case.expect_error is not None:
        return [
            f"problem:  expected your function to raise {case.expect_error.__name__} for these "
            f"inputs, but it returned {_summary(got)}"
        ]
    expected = _call(reference_fn, case)
    if compare is None:
        problem = _default_problem(got, expected)
    else:
        problem = _custom_problem(compare, got, expected)
    if problem is None:
        return None
    return [f"expected: {_summary(expected)}", f"got:      {_summary(got)}", f"problem:  {problem}"]


def _finish(name: str, passed: bool, lines: list[str], n_passed: int, n_checks: int) -> CheckResult:
    result = CheckResult(name, passed, "\n".join(lines), n_passed, n_checks)
    print(result.feedback)
    return result


def check(
    learner_fn: Callable,
    reference_fn: Callable,
    cases: Iterable[Case],
    *,
    name: str,
    compare: Callable[[Any, Any], bool] | None = None,
    hint: str | None = None,
) -> CheckResult:
    """Run ``learner_fn`` on every case and compare with ``reference_fn``; print and return.

    Stops at the first failing case and reports its description, its inputs (shapes for
    arrays), the expected and the received answer and the ``hint``. A case with
    ``expect_error`` passes when the learner's function raises that exception type.
    compare(got, expected) -> bool replaces the default comparison (arrays: same shape and
    np.isclose with rtol=1e-6, atol=1e-8; floats: isclose; bool/int/str: exact).

    Raises TypeError only when ``learner_fn`` (or ``reference_fn``) is not callable, or
    ``cases`` holds no Case.
    """
    for arg_name, fn in (("learner_fn", learner_fn), ("reference_fn", reference_fn)):
        if not callable(fn):
            raise TypeError(
                f"{arg_name}: expected a function (pass its name without parentheses), "
                f"got {type(fn).__name__} {_shorten(repr(fn), 60)}"
            )
    cases = list(cases)
    if not cases or not all(isinstance(c, Case) for c in cases):
        raise TypeError("cases: expected a non-empty sequence of Case objects")
    hint_lines = [f"   hint:     {hint}"] if hint else []
    n = len(cases)
    for i, case in enumerate(cases):
        try:
            report = _case_report(learner_fn, reference_fn, case, compare)
        except _NotImplementedYet:
            first = (
                f"❌ {name}: not implemented yet. Replace `raise NotImplementedError` with your "
                "code, then run this cell again."
            )
            return _finish(name, False, [first, *hint_lines], 0, n)
        if report is not None:
            lines = [
                f"❌ {name}: check {i + 1} of {n} failed: {case.description or f'case {i + 1}'}",
                f"   inputs:   {_describe_inputs(reference_fn, case)}",
                *(f"   {line}" for line in report),
                *hint_lines,
            ]
            return _finish(name, False, lines, i, n)
    return _finish(name, True, [f"✅ {name}: all {n} checks passed."], n, n)
