"""Tests of course_lib.data.text: scikit-learn parity, vocabularies, embeddings and bad input."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys

import numpy as np
import pytest
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from course_lib.data import text
from course_lib.data.shapes import COLOURS, SHAPES, SIZES, make_shapes
from course_lib.data.text import ANY_WORD_PATTERN, PAD, TOKEN_PATTERN, UNK, Vocabulary

TOL = 1e-9
CAPTIONS = make_shapes(400, seed=3)[1]

# Hand-made corpora: punctuation, capitals, digits, underscores, accents, repeated words and a
# document with no 2-letter token at all.
HAND_CORPORA = {
    "pets": [
        "The cat sat on the mat.",
        "A dog! A DOG? The dog sat; the cat ran.",
        "Cats and dogs: 2 cats, 10 dogs, no_mat.",
        "I",
    ],
    "unicode": ["Café crème, café noir", "Straße und Strasse", "naïve café", "über über ÜBER"],
    "repeats": ["aa aa aa bb", "bb cc", "cc cc dd aa", "ee", "aa bb cc dd ee ff"],
}
TEST_DOCS = {
    "pets": ["a cat and a parrot", "zebra yak", "The MAT, the mat and the dog"],
    "unicode": ["crème brûlée", "Café über alles"],
    "repeats": ["aa zz zz", "qq", "ff ff ee"],
}
CORPORA = {**HAND_CORPORA, "captions": CAPTIONS}


def vectorizer_settings() -> list[dict]:
    return [
        dict(),
        dict(lowercase=False),
        dict(token_pattern=ANY_WORD_PATTERN),
        dict(lowercase=False, token_pattern=ANY_WORD_PATTERN),
    ]


# -------------------------------------------------------------------------------------- tokenize
@pytest.mark.parametrize("corpus", sorted(CORPORA))
@pytest.mark.parametrize("settings", vectorizer_settings())
def test_tokenize_equals_sklearn_analyzer(corpus, settings):
    analyse = CountVectorizer(**settings).build_analyzer()
    for doc in CORPORA[corpus] + TEST_DOCS.get(corpus, []):
        assert text.tokenize(doc, **settings) == analyse(doc)


def test_tokenize_default_drops_one_letter_words_and_any_word_pattern_keeps_them():
    caption = "a small red circle at the top left"
    assert text.tokenize(caption) == ["small", "red", "circle", "at", "the", "top", "left"]
    assert text.tokenize(caption, token_pattern=ANY_WORD_PATTERN)[0] == "a"
    assert CountVectorizer().token_pattern == TOKEN_PATTERN


def test_tokenize_keeps_a_single_capture_group_like_sklearn():
    pattern = r"#(\w+)"
    doc = "Learn #Multimodal and #crossmodal"
    assert text.tokenize(doc, token_pattern=pattern) == ["multimodal", "crossmodal"]
    assert text.tokenize(doc, token_pattern=pattern) == (
        CountVectorizer(token_pattern=pattern).build_analyzer()(doc)
    )
    assert text.tokenize("") == []


# ------------------------------------------------------------------------------------ vocabulary
CORPUS_TOKENS = [
    ["red", "circle", "red"],
    ["blue", "square"],
    ["red", "square", "blue", "triangle"],
    [],
]


def test_build_orders_specials_then_count_then_alphabet():
    vocab = Vocabulary.build(CORPUS_TOKENS)
    # red 3, blue 2, square 2, circle 1, triangle 1
    assert vocab.tokens == (PAD, UNK, "red", "blue", "square", "circle", "triangle")
    assert (vocab.pad_id, vocab.unk_id) == (0, 1)
    assert len(vocab) == 7
    alphabetical = Vocabulary.build(CORPUS_TOKENS, specials=(), order="alphabetical")
    assert alphabetical.tokens == ("blue", "circle", "red", "square", "triangle")
    assert alphabetical.pad_id is None and alphabetical.unk_id is None


def test_build_min_count_max_size_and_extra_specials():
    vocab = Vocabulary.build(CORPUS_TOKENS, min_count=2)
    assert vocab.tokens == (PAD, UNK, "red", "blue", "square")
    vocab = Vocabulary.build(CORPUS_TOKENS, max_size=2, specials=(PAD, UNK, "<bos>", "<eos>"))
    assert vocab.tokens == (PAD, UNK, "<bos>", "<eos>", "red", "blue")
    only_specials = Vocabulary.build(CORPUS_TOKENS, min_count=10)
    assert only_specials.tokens == (PAD, UNK)
    # a special token already in the corpus is not added twice
    assert Vocabulary.build([["<unk>", "x"]]).tokens == (PAD, UNK, "x")


def test_build_does_not_depend_on_document_order():
    shuffled = [CORPUS_TOKENS[i] for i in (3, 2, 0, 1)]
    assert Vocabulary.build(shuffled) == Vocabulary.build(CORPUS_TOKENS)


def test_alphabetical_vocabulary_equals_sklearn_vocabulary():
    docs = [text.tokenize(c) for c in CAPTIONS]
    vocab = Vocabulary.build(docs, specials=(), order="alphabetical")
    assert list(vocab.tokens) == list(CountVectorizer().fit(CAPTIONS).get_feature_names_out())


def test_encode_decode_round_trip_and_unknown_words():
    vocab = Vocabulary.build(CORPUS_TOKENS)
    ids = vocab.encode(["red", "square", "octagon"])
    assert ids.dtype == np.int64 and ids.tolist() == [2, 4, vocab.unk_id]
    assert vocab.decode(ids) == ["red", "square", UNK]
    assert vocab.decode([0, 6]) == [PAD, "triangle"]
    assert vocab.decode([]) == [] and vocab.encode([]).shape == (0,)
    strict = Vocabulary(["red", "blue"])
    with pytest.raises(ValueError, match=r"tokens: 'green' \(position 1\) is not in the vocab"):
        strict.encode(["red", "green"])


def test_vocabulary_container_protocol():
    vocab = Vocabulary(["b", "a", PAD])
    assert "a" in vocab and "z" not in vocab and 3 not in vocab
    assert list(vocab) == ["b", "a", PAD] and vocab.pad_id == 2 and vocab.unk_id is None
    assert vocab == Vocabulary(("b", "a", PAD)) and vocab != Vocabulary(["a", "b", PAD])
    assert vocab != ["b", "a", PAD]
    assert len({vocab, Vocabulary(["b", "a", PAD])}) == 1
    assert repr(vocab) == "Vocabulary(3 tokens: 'b', 'a', '<pad>')"
    assert repr(Vocabulary.build([list("abcdefghij")])).endswith("'f', ...)")


def test_encode_batch_pads_with_pad_id_and_returns_lengths():
    vocab = Vocabulary.build(CORPUS_TOKENS)
    ids, lengths = vocab.encode_batch(CORPUS_TOKENS)
    assert ids.shape == (4, 4) and ids.dtype == np.int64 and lengths.dtype == np.int64
    assert lengths.tolist() == [3, 2, 4, 0]
    for row, n, doc in zip(ids, lengths, CORPUS_TOKENS, strict=True):
        assert vocab.decode(row[:n]) == doc
        assert np.all(row[n:] == vocab.pad_id)
    mask = np.arange(ids.shape[1])[None, :] < lengths[:, None]
    np.testing.assert_array_equal(mask, ids != vocab.pad_id)


def test_encode_batch_max_len_truncates_and_pads():
    vocab = Vocabulary.build(CORPUS_TOKENS)
    ids, lengths = vocab.encode_batch(CORPUS_TOKENS, max_len=3)
    assert ids.shape == (4, 3) and lengths.tolist() == [3, 2, 3, 0]
    assert vocab.decode(ids[2]) == ["red", "square", "blue"]
    ids, lengths = vocab.encode_batch([["red"]], max_len=5)
    assert ids.tolist() == [[2, 0, 0, 0, 0]] and lengths.tolist() == [1]
    ids, lengths = vocab.encode_batch([[], []])
    assert ids.shape == (2, 0) and lengths.tolist() == [0, 0]


# ---------------------------------------------------------------------------------- bag-of-words
@pytest.mark.parametrize("corpus", sorted(CORPORA))
@pytest.mark.parametrize("settings", vectorizer_settings())
def test_bag_of_words_equals_count_vectorizer(corpus, settings):
    docs = CORPORA[corpus]
    counts, vocab = text.bag_of_words(docs, **settings)
    cv = CountVectorizer(**settings)
    expected = cv.fit_transform(docs).toarray()
    assert list(vocab.tokens) == list(cv.get_feature_names_out())
    assert counts.dtype == np.int64
    np.testing.assert_array_equal(counts, expected)
    if corpus in TEST_DOCS:  # unseen words at transform time are dropped
        new_counts, same = text.bag_of_words(TEST_DOCS[corpus], vocab, **settings)
        assert same is vocab
        np.testing.assert_array_equal(new_counts, cv.transform(TEST_DOCS[corpus]).toarray())


@pytest.mark.parametrize(
    ("corpus", "min_df", "max_features"),
    [("captions", 2, None), ("captions", 100, 5), ("captions", 1, 12), ("repeats", 2, 3)],
)
def test_bag_of_words_min_df_and_max_features_equal_count_vectorizer(corpus, min_df, max_features):
    docs = CORPORA[corpus]
    counts, vocab = text.bag_of_words(docs, min_df=min_df, max_features=max_features)
    cv = CountVectorizer(min_df=min_df, max_features=max_features)
    expected = cv.fit_transform(docs).toarray()
    assert list(vocab.tokens) == list(cv.get_feature_names_out())
    np.testing.assert_array_equal(counts, expected)


def test_bag_of_words_with_a_word_list_equals_count_vectorizer_vocabulary():
    words = ["zz", "aa", "cc", "qq"]  # not alphabetical, and qq never occurs
    docs = HAND_CORPORA["repeats"] + TEST_DOCS["repeats"]
    counts, vocab = text.bag_of_words(docs, words)
    assert vocab.tokens == tuple(words)
    expected = CountVectorizer(vocabulary=words).fit_transform(docs).toarray()
    np.testing.assert_array_equal(counts, expected)


def test_bag_of_words_token_lists_and_unknown_column():
    token_docs = [text.tokenize(d) for d in HAND_CORPORA["pets"]]
    from_tokens, vocab = text.bag_of_words(token_docs)
    from_strings, _ = text.bag_of_words(HAND_CORPORA["pets"])
    np.testing.assert_array_equal(from_tokens, from_strings)

    with_unk = Vocabulary.build([["cat", "dog"]])  # <pad>, <unk>, cat, dog
    counts, _ = text.bag_of_words(["cat cat parrot dog yak", "dog", ""], with_unk)
    assert counts.tolist() == [[0, 2, 2, 1], [0, 0, 0, 1], [0, 0, 0, 0]]


# ---------------------------------------------------------------------------------------- TF-IDF
TFIDF_SETTINGS = [
    dict(smooth_idf=smooth, sublinear_tf=sublinear, norm=norm)
    for smooth, sublinear, norm in itertools.product(
        (True, False), (False, True), ("l2", "l1", None)
    )
]


@pytest.mark.parametrize("corpus", sorted(CORPORA))
@pytest.mark.parametrize("settings", TFIDF_SETTINGS)
def test_tfidf_equals_tfidf_vectorizer(corpus, settings):
    docs = CORPORA[corpus]
    counts, vocab = text.bag_of_words(docs)
    tv = TfidfVectorizer(**settings)
    expected = tv.fit_transform(docs).toarray()
    assert list(vocab.tokens) == list(tv.get_feature_names_out())
    idf = text.idf_weights(counts, smooth_idf=settings["smooth_idf"])
    np.testing.assert_allclose(idf, tv.idf_, rtol=0, atol=TOL)
    got = text.tfidf(counts, **settings)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)
    if corpus in TEST_DOCS:  # transform new documents with the idf learned on the corpus
        new_counts, _ = text.bag_of_words(TEST_DOCS[corpus], vocab)
        new = text.tfidf(
            new_counts, idf, sublinear_tf=settings["sublinear_tf"], norm=settings["norm"]
        )
        np.testing.assert_allclose(new, tv.transform(TEST_DOCS[corpus]).toarray(), rtol=0, atol=TOL)


@pytest.mark.parametrize("settings", [dict(min_df=3), dict(max_features=10), dict(lowercase=False)])
def test_tfidf_with_vectorizer_options_equals_tfidf_vectorizer(settings):
    counts, _ = text.bag_of_words(CAPTIONS, **settings)
    expected = TfidfVectorizer(**settings).fit_transform(CAPTIONS).toarray()
    np.testing.assert_allclose(text.tfidf(counts), expected, rtol=0, atol=TOL)


def test_tfidf_by_hand_on_a_tiny_corpus():
    counts = np.array([[2, 1, 0], [0, 1, 0], [0, 1, 3]])
    idf = text.idf_weights(counts)
    # df = [1, 3, 1], n = 3: idf = ln(4 / 2) + 1 for the rare words, ln(4 / 4) + 1 = 1 for 'b'
    np.testing.assert_allclose(idf, [math.log(2) + 1, 1.0, math.log(2) + 1], rtol=0, atol=1e-15)
    raw = text.tfidf(counts, norm=None)
    np.testing.assert_allclose(raw[0], [2 * (math.log(2) + 1), 1.0, 0.0], rtol=0, atol=1e-15)
    unit = text.tfidf(counts)
    np.testing.assert_allclose(np.linalg.norm(unit, axis=1), 1.0, rtol=0, atol=1e-15)
    l1 = text.tfidf(counts, norm="l1")
    np.testing.assert_allclose(l1.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    sub = text.tfidf(counts, sublinear_tf=True, norm=None)
    assert sub[2, 2] == pytest.approx((1 + math.log(3)) * (math.log(2) + 1), abs=1e-15)
    assert sub[1, 0] == 0.0


def test_tfidf_keeps_a_row_of_zeros_at_zero():
    counts = np.array([[1, 0], [0, 0], [1, 1]])
    for norm in ("l2", "l1", None):
        out = text.tfidf(counts, norm=norm)
        assert np.all(np.isfinite(out)) and np.all(out[1] == 0)


# ------------------------------------------------------------------------------------ embeddings
def test_cosine_similarity_matrix_equals_sklearn_including_zero_rows():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(5, 4))
    a[2] = 0.0
    b = rng.normal(size=(3, 4))
    np.testing.assert_allclose(
        text.cosine_similarity_matrix(a, b), cosine_similarity(a, b), atol=TOL
    )
    np.testing.assert_allclose(text.cosine_similarity_matrix(a), cosine_similarity(a), atol=TOL)
    assert np.all(text.cosine_similarity_matrix(a)[2] == 0.0)


def test_nearest_neighbours_by_index_and_by_vector():
    table = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [-1.0, 0.0], [2.0, 0.0]])
    indices, sims = text.nearest_neighbours(table, 0, k=2)
    assert indices.dtype == np.int64 and indices.tolist() == [4, 1]  # 4 ties with 0 itself
    np.testing.assert_allclose(sims, [1.0, 0.9 / math.hypot(0.9, 0.1)], atol=TOL)
    indices, _ = text.nearest_neighbours(table, 0, k=2, exclude_self=False)
    assert indices.tolist() == [0, 4]  # a tie goes to the lower index
    indices, sims = text.nearest_neighbours(table, np.array([0.0, 3.0]), k=1)
    assert indices.tolist() == [2] and sims[0] == pytest.approx(1.0)
    indices, sims = text.nearest_neighbours(table, np.int64(3), k=4)
    assert indices.tolist() == [2, 1, 0, 4]  # 0 and 4 tie at -1: the lower index first
    np.testing.assert_allclose(sims[[0, 2, 3]], [0.0, -1.0, -1.0], atol=TOL)


def test_nearest_neighbours_match_a_brute_force_search():
    rng = np.random.default_rng(1)
    table = rng.normal(size=(30, 6))
    for query in range(30):
        indices, sims = text.nearest_neighbours(table, query, k=5)
        brute = sorted(
            (j for j in range(30) if j != query),
            key=lambda j: (
                -table[query] @ table[j] / np.linalg.norm(table[query]) / np.linalg.norm(table[j])
            ),
        )[:5]
        assert indices.tolist() == brute
        assert np.all(np.diff(sims) <= 0)


def brute_force_cooccurrence(docs, vocab, window):
    size = len(vocab)
    counts = np.zeros((size, size))
    for doc in docs:
        ids = vocab.encode(doc)
        for p, q in itertools.permutations(range(len(ids)), 2):
            if abs(p - q) <= window:
                counts[ids[p], ids[q]] += 1
    return counts


@pytest.mark.parametrize("window", [1, 2, 5])
def test_cooccurrence_matrix_equals_brute_force_counts(window):
    docs = [text.tokenize(c, token_pattern=ANY_WORD_PATTERN) for c in CAPTIONS[:60]]
    docs += [["the", "the", "the"], [], ["red"], ["the", "odd", "word"]]
    vocab = Vocabulary.build(docs[:60])
    got = text.cooccurrence_matrix(docs, vocab, window=window)
    np.testing.assert_array_equal(got, brute_force_cooccurrence(docs, vocab, window))
    np.testing.assert_array_equal(got, got.T)
    # "the odd word": both unknown words count as <unk>, next to each other and to "the"
    unk, the = vocab.unk_id, vocab.encode(["the"])[0]
    assert got[vocab.pad_id].sum() == 0
    assert (
        got[unk, unk] == 2
        and got[unk, the] == min(window, 2)
        and got[unk].sum() == 2 + min(window, 2)
    )


def test_cooccurrence_matrix_by_hand():
    vocab = Vocabulary(["a", "b", "c"])
    got = text.cooccurrence_matrix([["a", "b", "c", "a"]], vocab, window=1)
    assert got.tolist() == [[0, 1, 1], [1, 0, 1], [1, 1, 0]]


def brute_force_ppmi(counts):
    total = counts.sum()
    out = np.zeros_like(counts, dtype=float)
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            if counts[i, j] > 0:
                p_ij = counts[i, j] / total
                p_i = counts[i].sum() / total
                p_j = counts[:, j].sum() / total
                out[i, j] = max(0.0, math.log(p_ij / (p_i * p_j)))
    return out


def test_ppmi_equals_the_formula():
    rng = np.random.default_rng(2)
    counts = rng.poisson(1.5, size=(7, 9)).astype(float)
    counts[3] = 0.0  # a word that never occurs
    counts[:, 4] = 0.0  # a context that never occurs
    got = text.ppmi(counts)
    np.testing.assert_allclose(got, brute_force_ppmi(counts), rtol=0, atol=TOL)
    assert np.all(got >= 0) and np.all(got[counts == 0] == 0)
    independent = np.outer([1.0, 2.0, 3.0], [4.0, 5.0])  # p(i, j) = p(i) p(j): PMI = 0
    np.testing.assert_allclose(text.ppmi(independent), 0.0, atol=TOL)


def test_truncated_svd_equals_sklearn_up_to_signs_and_fixes_signs():
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(12, 8))
    got = text.truncated_svd(matrix, 3)
    expected = TruncatedSVD(3, algorithm="arpack").fit_transform(matrix)
    signs = np.sign((got * expected).sum(axis=0))
    np.testing.assert_allclose(got, expected * signs, rtol=0, atol=1e-8)
    biggest = got[np.argmax(np.abs(got), axis=0), np.arange(3)]
    assert np.all(biggest > 0)
    np.testing.assert_allclose(text.truncated_svd(-matrix, 3), got, atol=1e-12)
    # with every direction kept, U S reproduces the Gram matrix M M^T exactly
    full = text.truncated_svd(matrix, 8)
    np.testing.assert_allclose(full @ full.T, matrix @ matrix.T, atol=1e-10)


def test_count_based_embeddings_put_colours_near_colours():
    docs = [text.tokenize(c, token_pattern=ANY_WORD_PATTERN) for c in make_shapes(600, seed=5)[1]]
    vocab = Vocabulary.build(docs, specials=())
    vectors = text.truncated_svd(text.ppmi(text.cooccurrence_matrix(docs, vocab, window=2)), 8)
    for group in (tuple(COLOURS), SHAPES, SIZES):
        for word in group:
            (nearest,), _ = text.nearest_neighbours(vectors, vocab.encode([word])[0], k=1)
            assert vocab.tokens[nearest] in group, (word, vocab.tokens[nearest])


def test_module_imports_no_framework():
    code = (
        "import sys, course_lib.data.text; "
        "bad = [m for m in ('torch', 'tensorflow', 'keras', 'sklearn') if m in sys.modules]; "
        "sys.exit(str(bad) if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------------------------- bad input
VOCAB = Vocabulary.build(CORPUS_TOKENS)
NO_SPECIALS = Vocabulary(["red", "blue"])

BAD_INPUTS = [
    # tokenize
    (text.tokenize, dict(text=["a doc"]), TypeError, r"text: expected a str, got list"),
    (text.tokenize, dict(text=b"bytes"), TypeError, r"text: expected a str, got bytes"),
    (text.tokenize, dict(text="x", lowercase="yes"), TypeError, r"lowercase: expected True or"),
    (text.tokenize, dict(text="x", token_pattern=3), TypeError, r"token_pattern: expected a reg"),
    (text.tokenize, dict(text="x", token_pattern="(a"), ValueError, r"token_pattern: '\(a' is not"),
    (
        text.tokenize,
        dict(text="x", token_pattern=r"(\w)(\w)"),
        ValueError,
        r"token_pattern: expected at most one capture group, got 2",
    ),
    # Vocabulary
    (Vocabulary, dict(tokens="abc"), TypeError, r"tokens: expected a list of str, got str"),
    (Vocabulary, dict(tokens=5), TypeError, r"tokens: expected a list of str, got int"),
    (Vocabulary, dict(tokens=[]), ValueError, r"tokens: expected at least one token"),
    (
        Vocabulary,
        dict(tokens=["a", 1]),
        TypeError,
        r"tokens: expected every token to be a str, got int 1 at position 1",
    ),
    (
        Vocabulary,
        dict(tokens=["a", "b", "a"]),
        ValueError,
        r"tokens: expected distinct tokens, got 'a' twice",
    ),
    (
        Vocabulary.build,
        dict(corpus_tokens=[]),
        ValueError,
        r"corpus_tokens: expected at least one document",
    ),
    (
        Vocabulary.build,
        dict(corpus_tokens="red circle"),
        TypeError,
        r"corpus_tokens: expected a list of token lists",
    ),
    (
        Vocabulary.build,
        dict(corpus_tokens=["red circle", "blue square"]),
        TypeError,
        r"corpus_tokens\[0\]: expected a list of tokens \(str\), got the str 'red circle'; split",
    ),
    (
        Vocabulary.build,
        dict(corpus_tokens=[[]], specials=()),
        ValueError,
        r"corpus_tokens: expected at least one token",
    ),
    (
        Vocabulary.build,
        dict(corpus_tokens=CORPUS_TOKENS, min_count=0),
        ValueError,
        r"min_count: expected an int >= 1, got 0",
    ),
    (
        Vocabulary.build,
        dict(corpus_tokens=CORPUS_TOKENS, min_count=1.5),
        TypeError,
        r"min_count: expected an int >= 1, got float",
    ),
    (
        Vocabulary.build,
        dict(corpus_tokens=CORPUS_TOKENS, max_size=0),
        ValueError,
        r"max_size: expected an int >= 1, got 0",
    ),
    (
        Vocabulary.build,
        dict(corpus_tokens=CORPUS_TOKENS, specials="<pad>"),
        TypeError,
        r"specials: expected a list of tokens",
    ),
    (
        Vocabulary.build,
        dict(corpus_tokens=CORPUS_TOKENS, order="count"),
        ValueError,
        r"order: expected 'frequency' or 'alphabetical', got 'count'",
    ),
    (
        Vocabulary.build,
        dict(corpus_tokens=CORPUS_TOKENS, min_count=4, specials=()),
        ValueError,
        r"min_count: 4 leaves no word \(the most frequent word occurs 3 times\)",
    ),
    (
        VOCAB.encode,
        dict(tokens="red"),
        TypeError,
        r"tokens: expected a list of tokens \(str\), got the str 'red'",
    ),
    (
        VOCAB.encode,
        dict(tokens=["red", None]),
        TypeError,
        r"tokens: expected every token to be a str, got NoneType",
    ),
    (
        NO_SPECIALS.encode,
        dict(tokens=["pink"]),
        ValueError,
        r"tokens: 'pink' \(position 0\) is not in the vocabulary, which has no '<unk>'",
    ),
    (VOCAB.decode, dict(ids=[0, 7]), ValueError, r"ids: expected ids in 0..6, got 7 at position 1"),
    (VOCAB.decode, dict(ids=[-1]), ValueError, r"ids: expected ids in 0..6, got -1 at position 0"),
    (
        VOCAB.decode,
        dict(ids=[1.0, 2.0]),
        TypeError,
        r"ids: expected integer ids, got dtype float64",
    ),
    (
        VOCAB.decode,
        dict(ids=[[1, 2]]),
        ValueError,
        r"ids: expected a 1-D sequence of ids, got shape \(1, 2\)",
    ),
    (
        VOCAB.encode_batch,
        dict(batch_tokens=[]),
        ValueError,
        r"batch_tokens: expected at least one document",
    ),
    (
        VOCAB.encode_batch,
        dict(batch_tokens=["red"]),
        TypeError,
        r"batch_tokens\[0\]: expected a list of tokens",
    ),
    (
        VOCAB.encode_batch,
        dict(batch_tokens=[["red"]], max_len=0),
        ValueError,
        r"max_len: expected an int >= 1, got 0",
    ),
    (
        NO_SPECIALS.encode_batch,
        dict(batch_tokens=[["red"]]),
        ValueError,
        r"encode_batch needs a '<pad>' token",
    ),
    # bag_of_words
    (text.bag_of_words, dict(docs="one doc"), TypeError, r"docs: expected a list of documents"),
    (text.bag_of_words, dict(docs=[]), ValueError, r"docs: expected at least one document"),
    (
        text.bag_of_words,
        dict(docs=["ok", 3]),
        TypeError,
        r"docs\[1\]: expected a list of tokens \(str\), got int",
    ),
    (
        text.bag_of_words,
        dict(docs=["a", "I"]),
        ValueError,
        r"docs: expected at least one token, got only empty documents",
    ),
    (
        text.bag_of_words,
        dict(docs=["red", "blue"], min_df=0),
        ValueError,
        r"min_df: expected an int >= 1, got 0",
    ),
    (
        text.bag_of_words,
        dict(docs=["red", "blue"], min_df=3),
        ValueError,
        r"min_df: 3 leaves no word \(the most common word is in 1 documents\)",
    ),
    (
        text.bag_of_words,
        dict(docs=["red"], max_features=0),
        ValueError,
        r"max_features: expected an int >= 1, got 0",
    ),
    (
        text.bag_of_words,
        dict(docs=["red"], vocabulary=VOCAB, min_df=2),
        ValueError,
        r"min_df, max_features: they choose the words of a new vocabulary",
    ),
    (
        text.bag_of_words,
        dict(docs=["red"], vocabulary="red"),
        TypeError,
        r"vocabulary: expected a Vocabulary or a list of words, got str",
    ),
    (
        text.bag_of_words,
        dict(docs=["red"], vocabulary=["red", "red"]),
        ValueError,
        r"tokens: expected distinct tokens",
    ),
    (
        text.bag_of_words,
        dict(docs=["red"], lowercase=1),
        TypeError,
        r"lowercase: expected True or False, got int",
    ),
    # idf_weights and tfidf
    (
        text.idf_weights,
        dict(counts=[1, 2, 3]),
        ValueError,
        r"counts: expected a count matrix \[documents, words\] \(a 2-D array\), got shape \(3,\)",
    ),
    (
        text.idf_weights,
        dict(counts=[["a"]]),
        TypeError,
        r"counts: expected a count matrix \[documents, words\] of real numbers, got dtype <U1",
    ),
    (
        text.idf_weights,
        dict(counts=np.zeros((0, 3))),
        ValueError,
        r"counts: expected at least one document and one word, got \(0, 3\)",
    ),
    (
        text.idf_weights,
        dict(counts=[[1, -1]]),
        ValueError,
        r"counts: expected non-negative counts, got a minimum of -1.0",
    ),
    (text.idf_weights, dict(counts=[[1, np.nan]]), ValueError, r"counts: expected finite values"),
    (
        text.idf_weights,
        dict(counts=[[1, 0]], smooth_idf=False),
        ValueError,
        r"counts: column 1 is zero in every document, so its idf ln\(n / 0\) is infinite",
    ),
    (
        text.idf_weights,
        dict(counts=[[1]], smooth_idf="no"),
        TypeError,
        r"smooth_idf: expected True or False",
    ),
    (
        text.tfidf,
        dict(counts=[[1, 2]], norm="l3"),
        ValueError,
        r"norm: expected 'l2', 'l1' or None, got 'l3'",
    ),
    (
        text.tfidf,
        dict(counts=[[1, 2]], idf=[1.0]),
        ValueError,
        r"idf: expected shape \(2,\) \(one weight per column of counts\), got \(1,\)",
    ),
    (
        text.tfidf,
        dict(counts=[[1, 2]], idf=["a", "b"]),
        TypeError,
        r"idf: expected real-valued weights, got dtype <U1",
    ),
    (
        text.tfidf,
        dict(counts=[[1, 2]], idf=[1.0, 0.0]),
        ValueError,
        r"idf: expected finite positive weights",
    ),
    (
        text.tfidf,
        dict(counts=[[1, 2]], sublinear_tf=None),
        TypeError,
        r"sublinear_tf: expected True or False, got NoneType",
    ),
    # embeddings
    (
        text.cosine_similarity_matrix,
        dict(a=np.ones(3)),
        ValueError,
        r"a: expected vectors \[M, D\] \(a 2-D array\), got shape \(3,\)",
    ),
    (
        text.cosine_similarity_matrix,
        dict(a=np.ones((2, 3)), b=np.ones((2, 4))),
        ValueError,
        r"b: expected vectors of the same dimension as a \(3\), got 4",
    ),
    (
        text.nearest_neighbours,
        dict(embeddings=np.ones((4, 2)), query=4),
        ValueError,
        r"query: expected a row index in 0..3, got 4",
    ),
    (
        text.nearest_neighbours,
        dict(embeddings=np.ones((4, 2)), query=np.ones(3)),
        ValueError,
        r"query: expected a row index or a vector of shape \(2,\), got float64 shape \(3,\)",
    ),
    (
        text.nearest_neighbours,
        dict(embeddings=np.ones((4, 2)), query=True),
        ValueError,
        r"query: expected a row index or a vector of shape \(2,\), got bool shape \(\)",
    ),
    (
        text.nearest_neighbours,
        dict(embeddings=np.ones((4, 2)), query=0, k=4),
        ValueError,
        r"k: expected at most 3 neighbours, got 4",
    ),
    (
        text.nearest_neighbours,
        dict(embeddings=np.ones((4, 2)), query=0, k=0),
        ValueError,
        r"k: expected an int >= 1, got 0",
    ),
    (
        text.nearest_neighbours,
        dict(embeddings=np.ones((4, 2)), query=0, exclude_self=0),
        TypeError,
        r"exclude_self: expected True or False",
    ),
    (
        text.nearest_neighbours,
        dict(embeddings=[["x"]], query=0),
        TypeError,
        r"embeddings: expected an embedding table \[V, D\] of real numbers",
    ),
    (
        text.cooccurrence_matrix,
        dict(corpus_tokens=[["red"]], vocabulary=["red"]),
        TypeError,
        r"vocabulary: expected a Vocabulary, got list",
    ),
    (
        text.cooccurrence_matrix,
        dict(corpus_tokens=[["red"]], vocabulary=VOCAB, window=0),
        ValueError,
        r"window: expected an int >= 1, got 0",
    ),
    (
        text.cooccurrence_matrix,
        dict(corpus_tokens=[["pink"]], vocabulary=NO_SPECIALS),
        ValueError,
        r"tokens: 'pink' \(position 0\) is not in the vocabulary",
    ),
    (
        text.ppmi,
        dict(cooccurrence=np.zeros((2, 2))),
        ValueError,
        r"cooccurrence: expected at least one positive count, got all zeros",
    ),
    (
        text.ppmi,
        dict(cooccurrence=-np.ones((2, 2))),
        ValueError,
        r"cooccurrence: expected non-negative counts",
    ),
    (
        text.truncated_svd,
        dict(matrix=np.ones((4, 3)), dim=4),
        ValueError,
        r"dim: expected at most min\(4, 3\) = 3 directions, got 4",
    ),
    (
        text.truncated_svd,
        dict(matrix=np.ones((4, 3)), dim=2.0),
        TypeError,
        r"dim: expected an int >= 1, got float 2.0",
    ),
    (
        text.truncated_svd,
        dict(matrix=np.ones(3), dim=1),
        ValueError,
        r"matrix: expected a matrix \[V, C\] \(a 2-D array\), got shape \(3,\)",
    ),
]


@pytest.mark.parametrize(
    ("fn", "kwargs", "error", "message"),
    BAD_INPUTS,
    ids=[f"{getattr(fn, '__qualname__', fn)}-{i}" for i, (fn, *_) in enumerate(BAD_INPUTS)],
)
def test_bad_input_raises_a_clear_error(fn, kwargs, error, message):
    with pytest.raises(error, match=message):
        fn(**kwargs)
