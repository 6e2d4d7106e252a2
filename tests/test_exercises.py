"""Tests of course_lib.exercises: the checker core and the Chapter 1 checkers.

Every checker must pass the reference solution and fail typical wrong answers with feedback
that says what went wrong.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from course_lib import metrics
from course_lib.exercises import Case, CheckResult, ch01, check


def identity(x):
    return x


# ---------------------------------------------------------------------------- Case and CheckResult
def test_case_validates_its_fields():
    with pytest.raises(TypeError, match="args: expected a tuple of arguments, got list"):
        Case([1, 2])
    with pytest.raises(TypeError, match="kwargs: expected a dict, got list"):
        Case((1,), kwargs=[("a", 1)])
    with pytest.raises(TypeError, match="expect_error: expected an Exception subclass or None"):
        Case((1,), expect_error="ValueError")
    assert Case((1,), expect_error=ValueError).expect_error is ValueError


def test_check_result_truthiness_str_and_repr():
    ok = CheckResult("f", True, "✅ f: all 2 checks passed.", 2, 2)
    bad = CheckResult("f", False, "❌ f: check 1 of 2 failed", 0, 2)
    assert ok and not bad
    assert str(ok) == "✅ f: all 2 checks passed."
    assert repr(bad) == "<CheckResult f: failed, 0/2 checks>"


# ------------------------------------------------------------------------------- check(): outcomes
def test_check_passes_prints_and_returns(capsys):
    cases = [Case((np.arange(3.0),)), Case((2,)), Case(("a",))]
    result = check(identity, identity, cases, name="identity")
    out = capsys.readouterr().out
    assert out == "✅ identity: all 3 checks passed.\n"
    assert result and result.n_passed == result.n_checks == 3
    assert str(result) == out.strip()


def test_check_reports_first_failing_case_with_inputs_expected_got_and_hint(capsys):
    def learner(features, scale=1.0):
        return features * scale if features.shape[0] < 3 else features.T

    def reference(features, scale=1.0):
        return features * scale

    cases = [
        Case((np.ones((2, 3)),), {"scale": 2.0}, description="two rows"),
        Case((np.ones((3, 4), dtype=np.float32),), description="three rows"),
        Case((np.ones((5, 4)),), description="never reached"),
    ]
    result = check(learner, reference, cases, name="scaling", hint="Do not transpose.")
    out = capsys.readouterr().out
    assert not result
    assert (result.n_passed, result.n_checks) == (1, 3)
    assert out.startswith("❌ scaling: check 2 of 3 failed: three rows\n")
    assert "inputs:   features = array shape (3, 4) float32" in out
    assert "expected: array shape (3, 4) float32: [1., 1., 1., 1., 1., 1., ...]" in out
    assert "got:      array shape (4, 3) float32" in out
    assert "problem:  wrong shape: expected (3, 4), got (4, 3)" in out
    assert "hint:     Do not transpose." in out
    assert "never reached" not in out
    assert str(result) == out.strip()


def test_check_names_cases_without_description_by_number(capsys):
    check(lambda x: x + 1, identity, [Case((1,)), Case((2,))], name="plus")
    assert "❌ plus: check 1 of 2 failed: case 1" in capsys.readouterr().out


def test_not_implemented_stub_gets_friendly_feedback(capsys):
    def stub(x):
        raise NotImplementedError

    result = check(stub, identity, [Case((1,))], name="stub", hint="Return x.")
    out = capsys.readouterr().out
    assert not result and result.n_passed == 0
    assert "❌ stub: not implemented yet" in out
    assert "hint:     Return x." in out
    assert "Traceback" not in out


def test_other_exception_is_reported_with_type_message_and_line(capsys):
    def learner(x):
        table = {}
        return table[x]

    result = check(learner, identity, [Case((7,), description="seven")], name="lookup")
    out = capsys.readouterr().out
    assert not result
    assert "check 1 of 1 failed: seven" in out
    assert "your function raised KeyError: 7" in out
    assert "return table[x]" in out
    assert "Traceback" not in out


def test_learner_exception_outside_its_own_file_is_still_reported(capsys):
    check(np.linalg.inv, identity, [Case((np.zeros((2, 3)),))], name="inv")
    assert "your function raised LinAlgError" in capsys.readouterr().out


def test_expected_error_cases(capsys):
    def reference(x):
        if x < 0:
            raise ValueError("x: expected >= 0")
        return x

    cases = [Case((1,)), Case((-1,), description="negative input", expect_error=ValueError)]
    assert check(reference, reference, cases, name="errors")

    class SubValueError(ValueError):
        pass

    def raises_subclass(x):
        if x < 0:
            raise SubValueError("no")
        return x

    assert check(raises_subclass, reference, cases, name="errors")
    capsys.readouterr()

    result = check(identity, reference, cases, name="errors")
    out = capsys.readouterr().out
    assert not result and result.n_passed == 1
    assert "check 2 of 2 failed: negative input" in out
    assert "expected your function to raise ValueError for these inputs, but it returned -1" in out

    def wrong_type(x):
        if x < 0:
            raise TypeError("negative")
        return x

    result = check(wrong_type, reference, cases, name="errors")
    assert "expected ValueError, but your function raised TypeError: negative" in str(result)


def test_inputs_are_copied_so_the_learner_cannot_change_the_reference_inputs():
    def learner(x):
        x[:] = 0
        return x

    def reference(x):
        return x * 0

    data = np.arange(4.0)
    assert check(learner, reference, [Case((data,))], name="copy")
    np.testing.assert_array_equal(data, np.arange(4.0))


def test_inputs_summary_falls_back_to_positions_without_a_signature(capsys):
    check(min, max, [Case((1, 2))], name="max")
    out = capsys.readouterr().out
    assert "inputs:   argument 1 = 1, argument 2 = 2" in out
    assert "expected: 2" in out


# --------------------------------------------------------------------- check(): default comparison
def outcome(got, expected):
    """The printed feedback when a learner returns ``got`` and the reference ``expected``."""
    result = check(lambda: got, lambda: expected, [Case()], name="cmp")
    return bool(result), str(result)


@pytest.mark.parametrize(
    ("got", "expected", "message"),
    [
        ([1.0, 2.0], np.array([1.0, 2.0]), "expected a NumPy array, got list"),
        (np.zeros(3), np.zeros((3, 1)), r"wrong shape: expected (3, 1), got (3,)"),
        (np.array(["a"]), np.array([1.0]), "expected an array of numbers, got dtype <U1"),
        (
            np.array([1.0, 2.0, 3.5]),
            np.array([1.0, 2.0, 3.0]),
            "1 of 3 values differ; the first at index (2,): expected 3.0, got 3.5",
        ),
        (np.array([np.nan]), np.array([1.0]), "1 of 1 values differ"),
        (1, True, "expected True or False, got int"),
        (np.False_, True, "expected True, got False"),
        (3.0, 3, "expected an int, got float"),
        (True, 1, "expected an int, got bool"),
        (4, 3, "expected 3, got 4"),
        (np.array([0.5]), 0.5, "expected a single number, got array shape (1,) float64"),
        ("0.5", 0.5, "expected a single number, got '0.5'"),
        (True, 1.0, "expected a single number, got True"),
        (0.5 + 1e-5, 0.5, "expected 0.5, got 0.50001"),
        ("cat", "dog", "expected the text 'dog', got 'cat'"),
        ((1, 2), (1, 2, 3), "expected a tuple of 3 items, got tuple of length 2: (1, 2)"),
        ((1, 2.5), [1, 2.0], "item 1: expected 2.0, got 2.5"),
        ({"a": 1}, {"b": 1}, "expected a dict with keys ['b'], got {'a': 1}"),
        ({"a": 2}, {"a": 1}, "key 'a': expected 1, got 2"),
        (None, {1, 2}, "expected {1, 2}, got None"),
        (np.zeros(2), None, "expected None, got array shape (2,) float64"),
    ],
)
def test_default_comparison_failures(got, expected, message):
    passed, feedback = outcome(got, expected)
    assert not passed
    assert message in feedback


@pytest.mark.parametrize(
    ("got", "expected"),
    [
        (np.array([1.0, 2.0 + 1e-7]), np.array([1.0, 2.0])),
        (np.array([1, 2], dtype=np.int32), np.array([1.0, 2.0])),
        (np.array([np.nan, 1.0]), np.array([np.nan, 1.0])),
        (np.float32(0.25), 0.25),
        (np.array(0.25), 0.25),
        (1, 1.0),
        (0.5 * (1 + 1e-7), 0.5),
        (np.True_, True),
        (np.int64(3), 3),
        ([np.zeros(2), 1.0], (np.zeros(2), 1.0)),
        ({"a": np.ones(2)}, {"a": np.ones(2)}),
        ({1, 2}, {2, 1}),
        ("yes", "yes"),
    ],
)
def test_default_comparison_accepts(got, expected):
    assert outcome(got, expected)[0]


# ---------------------------------------------------------------------- check(): custom comparison
def test_custom_compare():
    def same_sign(got, expected):
        return np.sign(got) == np.sign(expected)

    assert check(lambda: 5.0, lambda: 1.0, [Case()], name="sign", compare=same_sign)
    result = check(lambda: -5.0, lambda: 1.0, [Case()], name="sign", compare=same_sign)
    assert not result
    assert "problem:  your answer does not match the expected one" in str(result)
    assert "got:      -5.0" in str(result)

    def strict(got, expected):
        return got.shape == expected.shape

    result = check(lambda: [1.0], lambda: np.ones(1), [Case()], name="shape", compare=strict)
    assert "your answer could not be compared (AttributeError:" in str(result)


# --------------------------------------------------------------------------------- check(): misuse
def test_check_rejects_non_callables_and_bad_cases():
    with pytest.raises(TypeError, match="learner_fn: expected a function .* got int 3"):
        check(3, identity, [Case((1,))], name="x")
    with pytest.raises(TypeError, match="learner_fn: expected a function .* got ndarray"):
        check(np.zeros(2), identity, [Case((1,))], name="x")
    with pytest.raises(TypeError, match="reference_fn: expected a function"):
        check(identity, "identity", [Case((1,))], name="x")
    with pytest.raises(TypeError, match="cases: expected a non-empty sequence of Case objects"):
        check(identity, identity, [], name="x")
    with pytest.raises(TypeError, match="cases: expected a non-empty sequence of Case objects"):
        check(identity, identity, [(1,)], name="x")


# ------------------------------------------------------------------------ Chapter 1: concat fusion
def concat_fusion(image_features, audio_features):
    """The reference solution a learner is expected to write."""
    if len(image_features) != len(audio_features):
        raise ValueError("image_features and audio_features need the same number of rows")
    return np.concatenate([image_features, audio_features], axis=1)


def test_concat_fusion_reference_solution_passes(capsys):
    result = ch01.check_concat_fusion(concat_fusion)
    assert result
    assert result.n_checks >= 6
    assert capsys.readouterr().out == f"✅ concat_fusion: all {result.n_checks} checks passed.\n"


def test_concat_fusion_cases_cover_the_documented_situations():
    cases = ch01._concat_cases()
    shapes = [tuple(np.shape(a) for a in c.args) for c in cases]
    assert any(x[0] == 1 for x, _ in shapes)  # N = 1
    assert any(x[1] == 1 for x, _ in shapes)  # a = 1
    assert len({(a.dtype, b.dtype) for a, b in (c.args for c in cases)}) >= 3
    errors = [c for c in cases if c.expect_error is ValueError]
    assert len(errors) == 2
    assert all(c.args[0].shape[0] != c.args[1].shape[0] for c in errors)
    with pytest.raises(ValueError, match=r"audio_features: expected 4 rows .* got 5"):
        ch01._concat_fusion(np.zeros((4, 3)), np.zeros((5, 2)))
    with pytest.raises(ValueError, match=r"image_features: expected a 2-D array \[N, d\]"):
        ch01._concat_fusion(np.zeros(4), np.zeros((4, 2)))


def wrong_axis(image_features, audio_features):
    return np.concatenate([image_features, audio_features], axis=0)


def wrong_order(image_features, audio_features):
    return np.concatenate([audio_features, image_features], axis=1)


def returns_list(image_features, audio_features):
    return np.concatenate([image_features, audio_features], axis=1).tolist()


def preallocate_and_broadcast(image_features, audio_features):
    n, a = image_features.shape
    z = np.zeros((n, a + audio_features.shape[1]))
    z[:, :a] = image_features
    z[:, a:] = audio_features  # silently repeats a single audio row for every image
    return z


def truncate_to_shorter(image_features, audio_features):
    n = min(len(image_features), len(audio_features))
    return np.concatenate([image_features[:n], audio_features[:n]], axis=1)


def concat_stub(image_features, audio_features):
    raise NotImplementedError


@pytest.mark.parametrize(
    ("learner", "message"),
    [
        (wrong_axis, "your function raised ValueError"),
        (wrong_order, "values differ"),
        (returns_list, "expected a NumPy array, got list"),
        (
            preallocate_and_broadcast,
            "4 images but 1 recording: must raise ValueError, not broadcast",
        ),
        (preallocate_and_broadcast, "expected your function to raise ValueError"),
        (truncate_to_shorter, "4 images but 5 recordings: must raise ValueError"),
        (concat_stub, "not implemented yet"),
    ],
)
def test_concat_fusion_wrong_answers_fail_helpfully(learner, message, capsys):
    result = ch01.check_concat_fusion(learner)
    out = capsys.readouterr().out
    assert not result
    assert message in out
    assert "hint:" in out and "axis=1" in out


def test_concat_fusion_accepts_plain_hstack_because_numpy_refuses_different_n():
    # np.hstack / np.concatenate of 2-D arrays already raise ValueError when N differs
    assert ch01.check_concat_fusion(lambda x, y: np.hstack([x, y]))


def test_concat_fusion_swapped_axis_on_square_case_reports_shape(capsys):
    def axis0_when_possible(image_features, audio_features):
        if image_features.shape[1] == audio_features.shape[1]:
            return np.concatenate([image_features, audio_features], axis=0)
        return concat_fusion(image_features, audio_features)

    assert not ch01.check_concat_fusion(axis0_when_possible)
    out = capsys.readouterr().out
    assert "a single sample (N = 1)" in out
    assert "wrong shape: expected (1, 4), got (2, 2)" in out
    assert "image_features = array shape (1, 2) float32" in out


def test_checkers_reject_a_non_callable():
    with pytest.raises(TypeError, match="learner_fn: expected a function .* got ndarray"):
        ch01.check_concat_fusion(concat_fusion(np.zeros((1, 1)), np.zeros((1, 1))))
    with pytest.raises(TypeError, match="learner_fn: expected a function .* got float 0.5"):
        ch01.check_recall_at_k(0.5)


# ----------------------------------------------------------------------------- Chapter 1: recall@k
def recall_at_k(similarity, k):
    """The reference solution a learner is expected to write."""
    top = np.argsort(-similarity, axis=1)[:, :k]
    return float(np.mean([i in top[i] for i in range(len(similarity))]))


def recall_with_argmin(similarity, k):
    top = np.argsort(similarity, axis=1)[:, :k]
    return float(np.mean([i in top[i] for i in range(len(similarity))]))


def recall_k_minus_one(similarity, k):
    return recall_at_k(similarity, k - 1) if k > 1 else 0.0


def recall_k_plus_one(similarity, k):
    return recall_at_k(similarity, k + 1)


def recall_counts_hits(similarity, k):
    top = np.argsort(-similarity, axis=1)[:, :k]
    return sum(i in top[i] for i in range(len(similarity)))


def recall_column_match(similarity, k):
    top = np.argsort(-similarity, axis=0)[:k, :]  # ranks queries per gallery item instead
    return float(np.mean([i in top[:, i] for i in range(similarity.shape[0])]))


def test_recall_at_k_reference_solution_passes(capsys):
    assert ch01.check_recall_at_k(recall_at_k)
    assert ch01.check_recall_at_k(metrics.recall_at_k)
    assert capsys.readouterr().out.count("✅ recall_at_k: all 8 checks passed.") == 2


def test_recall_at_k_cases_cover_the_documented_situations():
    cases = ch01._recall_cases()
    ks = [c.args[1] for c in cases]
    gallery = [c.args[0].shape[1] for c in cases]
    assert 1 in ks
    assert any(k == g for k, g in zip(ks, gallery, strict=True))
    values = [metrics.recall_at_k(*c.args) for c in cases]
    assert 1.0 in values and 0.0 in values  # the perfect and the worst similarity
    for case in cases:
        sim = case.args[0]
        assert all(np.unique(row).size == row.size for row in sim)  # no ties


@pytest.mark.parametrize(
    ("learner", "message"),
    [
        (recall_with_argmin, "check 1 of 8 failed"),
        (recall_k_minus_one, "expected 0.4, got 0.0"),
        (recall_k_plus_one, "expected 0.4, got 0.6"),
        (recall_counts_hits, "expected 0.4, got 2.0"),
        (lambda similarity, k: [recall_at_k(similarity, k)], "expected a single number, got list"),
        (recall_column_match, "failed"),
    ],
)
def test_recall_at_k_wrong_answers_fail_helpfully(learner, message, capsys):
    result = ch01.check_recall_at_k(learner)
    out = capsys.readouterr().out
    assert not result
    assert message in out
    assert "5 queries, 5 gallery items, k = 1" in out
    assert "similarity = array shape (5, 5) float64, k = 1" in out
    assert "hint:" in out


def test_recall_at_k_off_by_one_fails_on_every_random_case():
    random_cases = ch01._recall_cases()[:4]
    for case in random_cases:
        want = metrics.recall_at_k(*case.args)
        assert 0.0 < want < 1.0
        for wrong in (recall_k_minus_one, recall_k_plus_one):
            result = check(wrong, metrics.recall_at_k, [case], name="r")
            assert not result, case.description


def test_recall_at_k_stub_and_crash(capsys):
    def stub(similarity, k):
        raise NotImplementedError

    def crash(similarity, k):
        return similarity[k, k, k]

    assert not ch01.check_recall_at_k(stub)
    assert "not implemented yet" in capsys.readouterr().out
    assert not ch01.check_recall_at_k(crash)
    out = capsys.readouterr().out
    assert "your function raised IndexError" in out
    assert "return similarity[k, k, k]" in out


# --------------------------------------------------------------------------------- Chapter 1: quiz
def test_scenarios_two_per_category_and_in_order():
    assert ch01.CATEGORIES == ("multimodal", "cross-modal", "multi-task", "multi-view")
    assert len(ch01.SCENARIOS) == 8
    categories = list(ch01.SCENARIOS.values())
    assert all(categories.count(c) == 2 for c in ch01.CATEGORIES)
    assert ch01.scenario_list() == list(ch01.SCENARIOS)
    assert all(len(text) <= 90 for text in ch01.SCENARIOS)
    assert set(ch01._WHY) == set(ch01.SCENARIOS)


def test_quiz_correct_answers_pass_by_text_by_index_and_mixed(capsys):
    assert ch01.check_modality_quiz(dict(ch01.SCENARIOS))
    by_index = dict(enumerate(ch01.SCENARIOS.values()))
    assert ch01.check_modality_quiz(by_index)
    texts = ch01.scenario_list()
    mixed = {i if i % 2 else f"  {texts[i]} ": ch01.SCENARIOS[texts[i]] for i in range(8)}
    assert ch01.check_modality_quiz(mixed)
    assert ch01.check_modality_quiz({np.int64(i): c for i, c in by_index.items()})
    out = capsys.readouterr().out
    assert out.count("✅ modality_quiz: all 8 scenarios classified correctly.") == 4


def test_quiz_accepts_loose_spelling_of_categories():
    spelled = {
        "multimodal": "Multimodal",
        "cross-modal": "cross modal",
        "multi-task": "multi_task",
        "multi-view": "MultiView",
    }
    answers = {i: spelled[c] for i, c in enumerate(ch01.SCENARIOS.values())}
    assert ch01.check_modality_quiz(answers)


def test_quiz_swapped_categories_name_the_scenario_the_right_answer_and_why(capsys):
    texts = ch01.scenario_list()
    answers = dict(enumerate(ch01.SCENARIOS.values()))
    multimodal = next(i for i, t in enumerate(texts) if ch01.SCENARIOS[t] == "multimodal")
    crossmodal = next(i for i, t in enumerate(texts) if ch01.SCENARIOS[t] == "cross-modal")
    answers[multimodal], answers[crossmodal] = "cross-modal", "multimodal"
    result = ch01.check_modality_quiz(answers)
    out = capsys.readouterr().out
    assert not result and result.n_passed == 6
    assert "❌ modality_quiz: 6 of 8 scenarios classified correctly." in out
    assert f"{texts[multimodal]!r} is multimodal, not cross-modal: " in out
    assert f"{texts[crossmodal]!r} is cross-modal, not multimodal: " in out
    assert ch01._WHY[texts[crossmodal]] in out


def test_quiz_reports_unknown_categories_missing_duplicate_and_unknown_keys(capsys):
    texts = ch01.scenario_list()
    answers = dict(enumerate(ch01.SCENARIOS.values()))
    answers[0] = "fusion"
    answers[None] = "multimodal"
    answers[8] = "multimodal"
    answers["a scenario that is not in the list"] = "multimodal"
    answers[texts[1]] = ch01.SCENARIOS[texts[1]]  # scenario 1 by index and by text
    del answers[2]
    result = ch01.check_modality_quiz(answers)
    out = capsys.readouterr().out
    assert not result and result.n_passed == 6
    assert (
        "[0] 'fusion' is not a category; choose one of multimodal, cross-modal, multi-task, "
        "multi-view" in out
    )
    assert "[0] not answered" not in out
    for key in ("None", "8", "'a scenario that is not in the list'"):
        assert f"unknown scenario {key}: use a text from scenario_list() or an index 0..7" in out
    assert "[1] is answered twice" in out
    assert f"[2] not answered: {texts[2]!r}" in out


def test_quiz_bool_key_is_not_an_index():
    result = ch01.check_modality_quiz({True: "multimodal"})
    assert "unknown scenario True" in str(result)


def test_quiz_non_string_category_is_reported():
    result = ch01.check_modality_quiz({i: 3 for i in range(8)})
    assert not result
    assert "[0] 3 is not a category" in str(result)


def test_quiz_rejects_non_dict():
    with pytest.raises(TypeError, match=r"answers: expected a dict \{scenario text or index"):
        ch01.check_modality_quiz(list(ch01.SCENARIOS.values()))


# ------------------------------------------------------------------------------ imports stay light
def test_importing_the_checkers_loads_no_deep_learning_framework():
    code = (
        "import sys, course_lib.exercises, course_lib.exercises.ch01, course_lib.metrics;"
        "print(sorted(m for m in ('torch', 'tensorflow', 'keras', 'matplotlib') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
