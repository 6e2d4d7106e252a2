"""Tests of the Chapter 2 text checkers (check_pad_batch, check_tfidf).

The right answers (the notebook's solutions) pass; the usual mistakes (padding in front, always
padding with 0, lengths before cutting, no cutting; no idf smoothing, log base 10, no L2 norm,
df counting occurrences instead of documents, the idf of the new documents instead of the
training ones, NaN for an empty document) fail with feedback that names the problem.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfTransformer

from course_lib.data import text
from course_lib.data.shapes import make_shapes
from course_lib.exercises import ch02


# ---------------------------------------------------------------------------------- right answers
def pad_batch(sequences, pad_id, max_len=None):
    cut = [list(ids)[:max_len] for ids in sequences]
    lengths = np.array([len(ids) for ids in cut])
    width = max_len if max_len is not None else lengths.max()
    padded = np.full((len(cut), width), pad_id)
    for i, ids in enumerate(cut):
        padded[i, : len(ids)] = ids
    return padded, lengths


def tfidf(train_counts, counts):
    train_counts = np.asarray(train_counts, dtype=float)
    n = train_counts.shape[0]
    df = (train_counts > 0).sum(axis=0)
    idf = np.log((1 + n) / (1 + df)) + 1
    x = np.asarray(counts, dtype=float) * idf
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1)


def sklearn_tfidf(train_counts, counts):
    return TfidfTransformer().fit(train_counts).transform(counts).toarray()


def test_right_answers_pass(capsys):
    assert ch02.check_pad_batch(pad_batch)
    assert ch02.check_tfidf(tfidf)
    assert ch02.check_tfidf(sklearn_tfidf)
    out = capsys.readouterr().out
    assert "✅ pad_batch: all 7 checks passed." in out
    assert "✅ tfidf: all 10 checks passed." in out


def test_pad_reference_equals_vocabulary_encode_batch():
    captions = [
        text.tokenize(c, token_pattern=text.ANY_WORD_PATTERN) for c in make_shapes(30, seed=4)[1]
    ]
    vocabulary = text.Vocabulary.build(captions)
    for max_len in (None, 4, 9):
        expected = vocabulary.encode_batch(captions, max_len=max_len)
        got = ch02._pad_batch([vocabulary.encode(c) for c in captions], vocabulary.pad_id, max_len)
        for g, e in zip(got, expected, strict=True):
            np.testing.assert_array_equal(g, e)


def test_cases_cover_the_documented_situations():
    pad_cases = ch02._pad_batch_cases()
    assert any(c.args[1] != 0 for c in pad_cases)  # a pad_id other than 0
    assert any(len(c.args) == 3 and max(map(len, c.args[0])) > c.args[2] for c in pad_cases)
    assert any(any(len(s) == 0 for s in c.args[0]) for c in pad_cases)
    tfidf_cases = [c.args for c in ch02._tfidf_cases()]
    assert any((train > 0).all(axis=0).any() for train, _ in tfidf_cases)  # a word everywhere
    assert any((train == 0).all(axis=0).any() for train, _ in tfidf_cases)  # df = 0
    assert any((new == 0).all(axis=1).any() for _, new in tfidf_cases)  # an empty new document
    assert any(train.shape[0] == 1 for train, _ in tfidf_cases)
    assert any(train.shape != new.shape for train, new in tfidf_cases)


# ---------------------------------------------------------------------------------- wrong answers
def pads_in_front(sequences, pad_id, max_len=None):
    padded, lengths = pad_batch(sequences, pad_id, max_len)
    return np.array(
        [np.roll(row, row.size - n) for row, n in zip(padded, lengths, strict=True)]
    ), lengths


def always_pads_with_zero(sequences, pad_id, max_len=None):
    return pad_batch(sequences, 0, max_len)


def lengths_before_cutting(sequences, pad_id, max_len=None):
    padded, _ = pad_batch(sequences, pad_id, max_len)
    return padded, np.array([len(ids) for ids in sequences])


def never_cuts(sequences, pad_id, max_len=None):
    return pad_batch(sequences, pad_id)


def returns_lists(sequences, pad_id, max_len=None):
    padded, lengths = pad_batch(sequences, pad_id, max_len)
    return padded.tolist(), lengths.tolist()


@pytest.mark.parametrize(
    ("learner", "failed_check", "message"),
    [
        (pads_in_front, 1, "item 0: 5 of 9 values differ; the first at index (1, 0)"),
        (always_pads_with_zero, 2, "item 0: 2 of 8 values differ"),
        (lengths_before_cutting, 4, "item 1: 1 of 2 values differ"),
        (never_cuts, 4, "item 0: wrong shape: expected (2, 3), got (2, 5)"),
        (returns_lists, 1, "item 0: expected a NumPy array, got list"),
    ],
)
def test_pad_batch_wrong_answers_fail_with_feedback(capsys, learner, failed_check, message):
    result = ch02.check_pad_batch(learner)
    out = capsys.readouterr().out
    assert not result
    assert result.n_passed == failed_check - 1
    assert f"❌ pad_batch: check {failed_check} of 7 failed" in out
    assert message in out
    assert "hint:" in out


def weighted(train_counts, counts, idf_fn, norm=True):
    train_counts = np.asarray(train_counts, dtype=float)
    x = np.asarray(counts, dtype=float) * idf_fn(train_counts)
    if not norm:
        return x
    with np.errstate(invalid="ignore"):
        return x / np.linalg.norm(x, axis=1, keepdims=True)


def no_smoothing(train_counts, counts):
    def idf(c):
        with np.errstate(divide="ignore"):
            return np.log(len(c) / (c > 0).sum(axis=0)) + 1

    return weighted(train_counts, counts, idf)


def log_base_10(train_counts, counts):
    return weighted(
        train_counts, counts, lambda c: np.log10((1 + len(c)) / (1 + (c > 0).sum(axis=0))) + 1
    )


def no_norm(train_counts, counts):
    return weighted(
        train_counts, counts, lambda c: np.log((1 + len(c)) / (1 + (c > 0).sum(axis=0))) + 1, False
    )


def df_counts_occurrences(train_counts, counts):
    return weighted(train_counts, counts, lambda c: np.log((1 + len(c)) / (1 + c.sum(axis=0))) + 1)


def no_plus_one(train_counts, counts):
    return weighted(
        train_counts, counts, lambda c: np.log((1 + len(c)) / (1 + (c > 0).sum(axis=0)))
    )


def idf_of_the_new_documents(train_counts, counts):
    return tfidf(counts, counts)


def nan_for_empty_documents(train_counts, counts):
    return weighted(
        train_counts, counts, lambda c: np.log((1 + len(c)) / (1 + (c > 0).sum(axis=0))) + 1
    )


def returns_a_list(train_counts, counts):
    return tfidf(train_counts, counts).tolist()


@pytest.mark.parametrize(
    ("learner", "failed_check", "message"),
    [
        (no_smoothing, 1, "values differ"),
        (log_base_10, 1, "values differ"),
        (no_norm, 1, "values differ"),
        (df_counts_occurrences, 1, "values differ"),
        (no_plus_one, 1, "values differ"),
        (idf_of_the_new_documents, 4, "their idf comes from the 3 training documents"),
        (nan_for_empty_documents, 10, "it must stay 0, not NaN"),
        (returns_a_list, 1, "expected a NumPy array, got list"),
    ],
)
def test_tfidf_wrong_answers_fail_with_feedback(capsys, learner, failed_check, message):
    result = ch02.check_tfidf(learner)
    out = capsys.readouterr().out
    assert not result
    assert result.n_passed == failed_check - 1
    assert f"❌ tfidf: check {failed_check} of 10 failed" in out
    assert message in out
    assert "natural log" in out


def test_each_typical_tfidf_mistake_is_caught_by_the_case_made_for_it():
    cases = {c.description: c.args for c in ch02._tfidf_cases()}

    def differs(learner, key):
        (args,) = [a for d, a in cases.items() if key in d]
        with np.errstate(divide="ignore", invalid="ignore"):
            return not np.allclose(learner(*args), tfidf(*args), equal_nan=True)

    assert differs(df_counts_occurrences, "df counts documents")
    assert differs(no_smoothing, "smoothing keeps its idf finite")
    assert differs(idf_of_the_new_documents, "their idf comes from")
    assert not differs(idf_of_the_new_documents, "every document (its idf is 1")


def test_untouched_stubs_are_reported_without_a_traceback(capsys):
    def stub(*args, **kwargs):
        raise NotImplementedError

    assert not ch02.check_tfidf(stub)
    assert not ch02.check_pad_batch(stub)
    out = capsys.readouterr().out
    assert "❌ tfidf: not implemented yet" in out and "❌ pad_batch: not implemented yet" in out
    assert "Traceback" not in out
