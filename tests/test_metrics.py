"""Tests of course_lib.metrics: agreement with scikit-learn, brute-force references, errors."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

from course_lib import metrics

SEEDS = range(40)


def random_labels(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random label pairs; some classes may be missing from y_true or y_pred."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    n_classes = int(rng.integers(1, 7))
    y_true = rng.integers(0, n_classes, size=n)
    # mix of correct and random predictions, sometimes with a label never seen in y_true
    y_pred = np.where(rng.random(n) < 0.5, y_true, rng.integers(0, n_classes + 1, size=n))
    return y_true, y_pred


def random_binary_scores(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Binary labels with both classes present; scores with many ties on even seeds."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 80))
    y_true = rng.integers(0, 2, size=n)
    y_true[:2] = [0, 1]
    rng.shuffle(y_true)
    if seed % 2 == 0:
        y_score = rng.integers(0, 4, size=n).astype(float)  # heavy ties
    else:
        y_score = rng.normal(size=n) + y_true
    return y_true, y_score


# ---------------------------------------------------------------------------------------- accuracy
@pytest.mark.parametrize("seed", SEEDS)
def test_accuracy_matches_sklearn(seed):
    y_true, y_pred = random_labels(seed)
    got = metrics.accuracy(y_true, y_pred)
    assert isinstance(got, float)
    assert got == pytest.approx(skm.accuracy_score(y_true, y_pred), abs=1e-12)


def test_accuracy_hand_case_and_lists():
    assert metrics.accuracy([0, 1, 2, 2], [0, 2, 2, 2]) == 0.75
    assert metrics.accuracy(np.array([True, False]), np.array([True, True])) == 0.5


# ------------------------------------------------------------------------- precision / recall / F1
@pytest.mark.parametrize("average", ["macro", "micro", "weighted"])
@pytest.mark.parametrize("seed", SEEDS)
def test_precision_recall_f1_matches_sklearn(seed, average):
    y_true, y_pred = random_labels(seed)
    got = metrics.precision_recall_f1(y_true, y_pred, average=average)
    want = skm.precision_recall_fscore_support(y_true, y_pred, average=average, zero_division=0)
    assert all(isinstance(v, float) for v in got)
    np.testing.assert_allclose(got, want[:3], rtol=0, atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_precision_recall_f1_per_class_matches_sklearn(seed):
    y_true, y_pred = random_labels(seed)
    got = metrics.precision_recall_f1(y_true, y_pred, average=None)
    want = skm.precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0)
    for g, w in zip(got, want[:3], strict=True):
        assert g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=0, atol=1e-12)


def test_precision_recall_f1_hand_case_with_zero_division():
    # class 0: TP=1 FP=0 FN=1; class 1: TP=1 FP=1 FN=0; class 2: never predicted, TP=0 FN=1
    y_true = [0, 0, 1, 2]
    y_pred = [0, 1, 1, 1]
    p, r, f1 = metrics.precision_recall_f1(y_true, y_pred, average=None)
    np.testing.assert_allclose(p, [1.0, 1 / 3, 0.0])
    np.testing.assert_allclose(r, [0.5, 1.0, 0.0])
    np.testing.assert_allclose(f1, [2 / 3, 0.5, 0.0])
    assert metrics.precision_recall_f1(y_true, y_pred, average="micro") == pytest.approx(
        (0.5, 0.5, 0.5)
    )


# -------------------------------------------------------------------------------- confusion matrix
@pytest.mark.parametrize("seed", SEEDS)
def test_confusion_matrix_matches_sklearn(seed):
    y_true, y_pred = random_labels(seed)
    n_classes = int(max(y_true.max(), y_pred.max())) + 3
    got = metrics.confusion_matrix(y_true, y_pred, n_classes=n_classes)
    want = skm.confusion_matrix(y_true, y_pred, labels=np.arange(n_classes))
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, want)


def test_confusion_matrix_default_size_and_orientation():
    cm = metrics.confusion_matrix([0, 0, 2], [1, 0, 2])
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 0, 0], [0, 0, 1]])


# --------------------------------------------------------------------------------------- ROC / AUC
def mann_whitney_auc(y_true: np.ndarray, y_score: np.ndarray) -> float:
    pos = y_score[y_true == 1][:, None]
    neg = y_score[y_true == 0][None, :]
    return float(np.mean((pos > neg) + 0.5 * (pos == neg)))


@pytest.mark.parametrize("seed", SEEDS)
def test_roc_curve_matches_sklearn(seed):
    y_true, y_score = random_binary_scores(seed)
    fpr, tpr, thr = metrics.roc_curve(y_true, y_score)
    s_fpr, s_tpr, s_thr = skm.roc_curve(y_true, y_score, drop_intermediate=False)
    assert fpr.shape == s_fpr.shape == tpr.shape == thr.shape
    np.testing.assert_allclose(fpr, s_fpr, rtol=0, atol=1e-12)
    np.testing.assert_allclose(tpr, s_tpr, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(thr, s_thr)
    assert thr[0] == np.inf
    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0.0, 0.0, 1.0, 1.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_roc_auc_matches_sklearn_and_mann_whitney(seed):
    y_true, y_score = random_binary_scores(seed)
    got = metrics.roc_auc(y_true, y_score)
    assert isinstance(got, float)
    assert got == pytest.approx(skm.roc_auc_score(y_true, y_score), abs=1e-12)
    assert got == pytest.approx(mann_whitney_auc(y_true, y_score), abs=1e-12)


def test_roc_auc_hand_cases():
    assert metrics.roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert metrics.roc_auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert metrics.roc_auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]) == 0.5  # all tied
    # one positive (0.5) ties one of two negatives: (1/2 + 1) / 2
    assert metrics.roc_auc([1, 0, 0], [0.5, 0.5, 0.1]) == 0.75


# --------------------------------------------------------------------------------------- retrieval
def brute_force_best_rank(similarity: np.ndarray, relevant: np.ndarray) -> np.ndarray:
    """1-based rank of the best relevant item; ties ranked by lower gallery index first."""
    ranks = []
    for sim_row, rel_row in zip(similarity, relevant, strict=True):
        best = None
        for j in np.flatnonzero(rel_row):
            higher = np.sum(sim_row > sim_row[j])
            tied_before = np.sum(sim_row[:j] == sim_row[j])
            rank = int(higher + tied_before) + 1
            best = rank if best is None else min(best, rank)
        ranks.append(best)
    return np.array(ranks)


def random_retrieval(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_q, n_g = int(rng.integers(1, 12)), int(rng.integers(1, 15))
    if seed % 2 == 0:
        sim = rng.integers(0, 3, size=(n_q, n_g)).astype(float)  # many ties
    else:
        sim = rng.normal(size=(n_q, n_g))
    relevant = rng.random((n_q, n_g)) < 0.3
    relevant[np.arange(n_q), rng.integers(0, n_g, size=n_q)] = True
    return sim, relevant


@pytest.mark.parametrize("seed", SEEDS)
def test_recall_at_k_and_mean_rank_match_brute_force(seed):
    sim, relevant = random_retrieval(seed)
    ranks = brute_force_best_rank(sim, relevant)
    for k in range(1, sim.shape[1] + 1):
        got = metrics.recall_at_k(sim, k, relevant=relevant)
        assert isinstance(got, float)
        assert got == pytest.approx(np.mean(ranks <= k), abs=1e-12)
    assert metrics.mean_rank(sim, relevant=relevant) == pytest.approx(ranks.mean(), abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_default_relevance_is_the_diagonal(seed):
    rng = np.random.default_rng(seed)
    n_q = int(rng.integers(1, 8))
    sim = rng.normal(size=(n_q, n_q + int(rng.integers(0, 4))))
    eye = np.eye(*sim.shape, dtype=bool)
    for k in (1, sim.shape[1]):
        assert metrics.recall_at_k(sim, k) == metrics.recall_at_k(sim, k, relevant=eye)
    assert metrics.mean_rank(sim) == metrics.mean_rank(sim, relevant=eye)


def test_recall_at_k_hand_cases():
    sim = np.array(
        [
            [0.9, 0.1, 0.0],  # match (col 0) ranked 1
            [0.8, 0.5, 0.1],  # match (col 1) ranked 2
            [0.7, 0.6, 0.2],  # match (col 2) ranked 3
        ]
    )
    assert metrics.recall_at_k(sim, 1) == pytest.approx(1 / 3)
    assert metrics.recall_at_k(sim, 2) == pytest.approx(2 / 3)
    assert metrics.recall_at_k(sim, 3) == 1.0
    assert metrics.mean_rank(sim) == 2.0
    assert metrics.recall_at_k(np.eye(4), 1) == 1.0
    assert metrics.recall_at_k(-np.eye(4), 3) == 0.0


def test_ties_rank_lower_gallery_index_first():
    sim = np.array([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]])
    # row 0's match (col 0) wins the tie, row 1's match (col 1) comes second
    assert metrics.recall_at_k(sim, 1) == 0.5
    assert metrics.mean_rank(sim) == 1.5
    relevant = np.array([[False, False, True], [False, True, True]])
    assert metrics.mean_rank(sim, relevant=relevant) == 2.5


def test_mean_rank_hand_cases():
    assert metrics.mean_rank(np.eye(5)) == 1.0
    assert metrics.mean_rank(-np.eye(5)) == 5.0  # the match is always ranked last
    sim = np.array([[0.1, 0.9, 0.5, 0.3]])  # ranks: col1=1, col2=2, col3=3, col0=4
    assert metrics.mean_rank(sim) == 4.0
    assert metrics.mean_rank(sim, relevant=np.array([[True, False, False, True]])) == 3.0


def test_integer_similarity_is_not_wrapped():
    sim = np.array([[3, 1], [0, 2]], dtype=np.uint8)
    assert metrics.recall_at_k(sim, 1) == 1.0


# ------------------------------------------------------------------------------------------ errors
@pytest.mark.parametrize("fn", [metrics.accuracy, metrics.precision_recall_f1])
def test_label_errors(fn):
    with pytest.raises(ValueError, match=r"y_pred: expected length 3 .* got length 2"):
        fn([0, 1, 1], [0, 1])
    with pytest.raises(TypeError, match=r"y_true: expected integer class labels, got dtype"):
        fn([0.0, 1.0], [0, 1])
    with pytest.raises(TypeError, match="y_pred: expected integer class labels"):
        fn([0, 1], ["a", "b"])
    with pytest.raises(ValueError, match=r"y_true: expected a 1-D array .* got shape \(2, 1\)"):
        fn([[0], [1]], [0, 1])
    with pytest.raises(ValueError, match="y_true: expected at least one label"):
        fn([], [])


def test_precision_recall_f1_rejects_unknown_average():
    with pytest.raises(ValueError, match=r"average: expected one of .* got 'binary'"):
        metrics.precision_recall_f1([0, 1], [0, 1], average="binary")


def test_confusion_matrix_errors():
    with pytest.raises(ValueError, match=r"n_classes: expected at least 3 .* got 2"):
        metrics.confusion_matrix([0, 2], [0, 1], n_classes=2)
    with pytest.raises(TypeError, match="n_classes: expected an int or None, got float"):
        metrics.confusion_matrix([0, 1], [0, 1], n_classes=2.0)
    with pytest.raises(TypeError, match="n_classes: expected an int or None, got bool"):
        metrics.confusion_matrix([0, 1], [0, 1], n_classes=True)
    with pytest.raises(ValueError, match=r"y_pred: expected labels in 0..n_classes-1, got -1"):
        metrics.confusion_matrix([0, 1], [0, -1])
    with pytest.raises(ValueError, match="y_pred: expected length 2"):
        metrics.confusion_matrix([0, 1], [0])


@pytest.mark.parametrize("fn", [metrics.roc_curve, metrics.roc_auc])
def test_roc_errors(fn):
    with pytest.raises(ValueError, match=r"y_true: .*AUC are undefined .* got only 1"):
        fn([1, 1, 1], [0.1, 0.2, 0.3])
    with pytest.raises(
        ValueError, match=r"y_true: expected binary labels 0/1, got values \[0, 2\]"
    ):
        fn([0, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match=r"y_score: expected length 3 .* got length 2"):
        fn([0, 1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match=r"y_score: expected finite numbers, got 1 NaN"):
        fn([0, 1], [0.1, np.nan])
    with pytest.raises(TypeError, match="y_score: expected real numbers, got dtype <U1"):
        fn([0, 1], ["a", "b"])
    with pytest.raises(ValueError, match=r"y_score: expected a 1-D array of scores, got shape"):
        fn([0, 1], [[0.1, 0.2]])
    with pytest.raises(TypeError, match="y_true: expected integer class labels"):
        fn([0.0, 1.0], [0.1, 0.2])


@pytest.mark.parametrize("fn", [metrics.recall_at_k, metrics.mean_rank])
def test_retrieval_errors(fn):
    def call(sim, relevant=None):
        if fn is metrics.recall_at_k:
            return fn(sim, 1, relevant=relevant)
        return fn(sim, relevant=relevant)

    with pytest.raises(ValueError, match=r"similarity: expected a 2-D array .* got shape \(3,\)"):
        call(np.ones(3))
    with pytest.raises(ValueError, match=r"similarity: expected at least one value"):
        call(np.ones((0, 3)))
    with pytest.raises(ValueError, match=r"similarity: expected finite numbers, got 1 NaN"):
        call(np.array([[0.0, np.nan]]))
    with pytest.raises(ValueError, match=r"similarity: .*needs n_queries <= n_gallery.*\(3, 2\)"):
        call(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"relevant: expected shape \(2, 2\) .* got \(2, 3\)"):
        call(np.ones((2, 2)), relevant=np.ones((2, 3), dtype=bool))
    with pytest.raises(TypeError, match="relevant: expected a boolean array, got dtype int64"):
        call(np.ones((2, 2)), relevant=np.eye(2, dtype=np.int64))
    with pytest.raises(ValueError, match=r"relevant: every query needs .* rows \[1\] have none"):
        call(np.ones((2, 2)), relevant=np.array([[True, False], [False, False]]))
    many_empty = np.zeros((12, 2), dtype=bool)
    with pytest.raises(ValueError, match=r"rows \[0, 1, 2, 3, 4, 5, 6, 7, 8, 9\] \.\.\. have"):
        call(np.ones((12, 2)), relevant=many_empty)


def test_recall_at_k_rejects_bad_k():
    sim = np.eye(4)
    for bad in (0, 5, -1):
        with pytest.raises(
            ValueError, match=rf"k: expected 1 <= k <= 4 \(gallery size\), got {bad}"
        ):
            metrics.recall_at_k(sim, bad)
    for bad in (1.0, True, "1"):
        with pytest.raises(TypeError, match="k: expected an int, got"):
            metrics.recall_at_k(sim, bad)
    assert metrics.recall_at_k(sim, np.int64(2)) == 1.0
